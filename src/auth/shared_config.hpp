// The AWS shared config and credentials files (~/.aws/config, ~/.aws/credentials).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dynamodb_mapping::detail {

/// Sections of an INI file: section name -> key -> value. A key with an empty value followed by
/// indented lines holds sub-keys, stored as "key.subkey" (the form `services` sections use).
using IniSections = std::map<std::string, std::map<std::string, std::string>>;

/// Parses the AWS INI dialect: `[section]`, `key = value`, full-line comments starting with '#'
/// or ';', indented sub-keys. Malformed lines are skipped, as the AWS CLI does.
IniSections parse_ini(std::string_view text);

/// One profile's settings merged from both files: the credentials file's [NAME] section wins over
/// the config file's [profile NAME] (or [default]) section. `services.dynamodb.endpoint_url` is
/// filled from a referenced [services X] section.
struct Profile {
  std::string name;
  std::map<std::string, std::string> settings;
  bool found = false;  // the profile exists in at least one file
  /// The config file's [sso-session NAME] section when the profile has `sso_session = NAME` and
  /// that section exists; nullopt otherwise (an IAM Identity Center profile then reports it).
  std::optional<std::map<std::string, std::string>> sso_session{};

  const std::string* get(const std::string& key) const {
    const auto it = settings.find(key);
    return it == settings.end() ? nullptr : &it->second;
  }
};

/// The environment variable `name`, or "" when it is not set.
std::string env(const char* name);
/// Whether the environment variable `name` is "true" in any letter case.
bool env_true(const char* name);

/// Caps on files read from outside: a config or credentials file holds a few profiles, so 4 MiB is
/// far beyond any real one; anything bigger is a mistake (or /dev/zero) and is refused.
constexpr std::size_t kMaxConfigFileBytes = std::size_t{4} << 20;

/// Reads a small file named by the user or the environment without ever blocking or growing
/// without bound: a path that is not a regular file (a FIFO, a device such as /dev/zero, a
/// directory, a socket) or a file over `max_bytes` is a ConfigError naming the path (and the cap).
/// `what` names the file in messages, e.g. "AWS config file". Returns nullopt when the file does
/// not exist; any other failure to open or read it is a ConfigError.
std::optional<std::string> read_small_file(const std::string& path, std::size_t max_bytes,
                                           std::string_view what);

/// The files' paths: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE, else under $HOME/.aws.
std::string config_file_path();
std::string credentials_file_path();

/// The profile to use: `explicit_name` if not empty, else AWS_PROFILE, else "default".
std::string profile_name(const std::string& explicit_name);

/// Loads the profile from both files (missing files are simply empty). Throws ConfigError when a
/// file is not a regular file or is over kMaxConfigFileBytes (see read_small_file).
Profile load_profile(const std::string& name);

}  // namespace dynamodb_mapping::detail
