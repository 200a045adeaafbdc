#include "auth/shared_config.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace dynamodb_mapping::detail {

namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string env_or(const char* name, const std::string& fallback) {
  std::string v = env(name);
  return v.empty() ? fallback : v;
}

std::string home_aws(const char* file) {
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + "/.aws/" + file;
}

}  // namespace

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

bool env_true(const char* name) {
  std::string v = env(name);
  for (char& c : v) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  return v == "true";
}

IniSections parse_ini(std::string_view text) {
  IniSections sections;
  std::map<std::string, std::string>* current = nullptr;
  std::string parent;  // key whose indented sub-keys follow
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    const std::string_view line = trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const bool indented = raw[0] == ' ' || raw[0] == '\t';
    if (line.front() == '[') {
      const auto close = line.find(']');
      if (close == std::string_view::npos) {
        current = nullptr;
        continue;
      }
      // "[profile  dev]" and "[profile dev]" name the same section.
      std::string name;
      bool space = false;
      for (char c : trim(line.substr(1, close - 1))) {
        if (c == ' ' || c == '\t') {
          space = true;
          continue;
        }
        if (space && !name.empty()) name += ' ';
        space = false;
        name += c;
      }
      current = &sections[name];
      parent.clear();
      continue;
    }
    if (!current) continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    const std::string key(trim(line.substr(0, eq)));
    const std::string value(trim(line.substr(eq + 1)));
    if (indented && !parent.empty()) {
      (*current)[parent + "." + key] = value;
    } else {
      (*current)[key] = value;
      parent = value.empty() ? key : std::string();
    }
  }
  return sections;
}

std::string config_file_path() {
  return env_or("AWS_CONFIG_FILE", home_aws("config"));
}

std::string credentials_file_path() {
  return env_or("AWS_SHARED_CREDENTIALS_FILE", home_aws("credentials"));
}

std::string profile_name(const std::string& explicit_name) {
  if (!explicit_name.empty()) return explicit_name;
  return env_or("AWS_PROFILE", "default");
}

Profile load_profile(const std::string& name) {
  Profile p;
  p.name = name;
  const IniSections config = parse_ini(read_file(config_file_path()));
  const IniSections credentials = parse_ini(read_file(credentials_file_path()));

  auto merge = [&](const IniSections& sections, const std::string& section) {
    const auto it = sections.find(section);
    if (it == sections.end()) return;
    p.found = true;
    for (const auto& [k, v] : it->second) p.settings[k] = v;
  };
  if (name == "default") merge(config, "default");
  merge(config, "profile " + name);
  merge(credentials, name);

  // A profile's `services = X` points at a [services X] section with per-service settings.
  if (const std::string* services = p.get("services")) {
    const auto it = config.find("services " + *services);
    if (it != config.end()) {
      for (const auto& [k, v] : it->second) p.settings["services." + k] = v;
    }
  }
  return p;
}

}  // namespace dynamodb_mapping::detail
