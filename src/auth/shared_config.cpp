#include "auth/shared_config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "common/unique_fd.hpp"
#include "dynamodb_mapping/error.hpp"

namespace dynamodb_mapping::detail {

namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// Closes the descriptor on every path out of read_small_file.
std::string cap_text(std::size_t bytes) {
  std::string text = std::to_string(bytes) + " bytes";
  if (bytes >= (std::size_t{1} << 20) && bytes % (std::size_t{1} << 20) == 0) {
    text += " (" + std::to_string(bytes >> 20) + " MiB)";
  } else if (bytes >= 1024 && bytes % 1024 == 0) {
    text += " (" + std::to_string(bytes >> 10) + " KiB)";
  }
  return text;
}

[[noreturn]] void refuse(std::string_view what, const std::string& path, const std::string& why) {
  throw ConfigError(std::string(what) + " " + path + " " + why);
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

std::optional<std::string> read_small_file(const std::string& path, std::size_t max_bytes,
                                           std::string_view what) {
  const std::string not_regular =
      "is not a regular file (a FIFO, device, directory or socket); refusing to read it";
  // stat() first so that a device is never even opened (opening some has side effects); the
  // fstat() after open() closes the race with a file swapped in between.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    refuse(what, path, std::string("cannot be read: ") + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) refuse(what, path, not_regular);
  // O_NONBLOCK: should a FIFO be swapped in after the stat(), open() must not wait for a writer.
  UniqueFd file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  if (file.fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    refuse(what, path, std::string("cannot be read: ") + std::strerror(errno));
  }
  if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) refuse(what, path, not_regular);
  const std::string too_big = "is larger than " + cap_text(max_bytes) + ", the limit for it";
  if (static_cast<unsigned long long>(st.st_size) > max_bytes) refuse(what, path, too_big);

  // The file may grow after fstat(): read at most one byte past the cap to notice.
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t used = 0;
  for (;;) {
    if (used == text.size()) {
      if (text.size() > max_bytes) refuse(what, path, too_big);
      text.resize(std::min(max_bytes + 1, std::max<std::size_t>(text.size() * 2, 4096)));
    }
    const ssize_t n = ::read(file.fd, text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) refuse(what, path, std::string("cannot be read: ") + std::strerror(errno));
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_bytes) refuse(what, path, too_big);
  text.resize(used);
  return text;
}

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
  const auto read = [](const std::string& path, std::string_view what) {
    return read_small_file(path, kMaxConfigFileBytes, what).value_or(std::string());
  };
  const IniSections config = parse_ini(read(config_file_path(), "AWS config file"));
  const IniSections credentials =
      parse_ini(read(credentials_file_path(), "AWS shared credentials file"));

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
  // `sso_session = X` points at an [sso-session X] section, which only the config file holds.
  if (const std::string* session = p.get("sso_session")) {
    const auto it = config.find("sso-session " + *session);
    if (it != config.end()) p.sso_session = it->second;
  }
  return p;
}

}  // namespace dynamodb_mapping::detail
