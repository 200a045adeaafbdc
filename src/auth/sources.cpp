#include "auth/sources.hpp"

#include <cstdio>
#include <ctime>

#include "auth/container_uri.hpp"
#include "auth/imds.hpp"
#include "auth/process.hpp"
#include "auth/shared_config.hpp"
#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/json.hpp"
#include "http/http_client.hpp"

namespace dynamodb_mapping::detail {

using Clock = std::chrono::system_clock;

std::optional<Clock::time_point> parse_iso8601(const std::string& s) {
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6) {
    return std::nullopt;
  }
  std::string_view rest = std::string_view(s).substr(static_cast<std::size_t>(consumed));
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') rest.remove_prefix(1);
  }
  if (rest != "Z" && rest != "z" && rest != "+00:00" && rest != "+0000" && rest != "UTC") {
    return std::nullopt;
  }
  if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
      tm.tm_min > 59 || tm.tm_sec > 60) {
    return std::nullopt;
  }
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t t = timegm(&tm);
  // Before the epoch or past kLatestExpirationSeconds is no credential's expiry, and the latter
  // would overflow the clock's nanoseconds.
  if (t < 0 || t > kLatestExpirationSeconds) return std::nullopt;
  return Clock::from_time_t(t);
}

namespace {

// The JSON document `source` returned, parsed; its content is never echoed in the error.
Item parse_json_document(const std::string& json, const char* source) {
  try {
    return item_from_plain_json(json);
  } catch (const Error&) {
    throw CredentialsError(std::string(source) + " returned a response that is not JSON");
  }
}

// Reads the credential document that credential_process, the container endpoint and IMDS all
// return (names differ only in "Token" vs "SessionToken"). Never echoes the content.
Credentials credentials_from_document(const Item& doc, const char* source) {
  auto text = [&](const char* name) -> std::string {
    const auto it = doc.find(name);
    return it != doc.end() && it->second.is_string() ? it->second.as_string() : std::string();
  };
  Credentials c{text("AccessKeyId"), text("SecretAccessKey"), text("SessionToken"), {}};
  if (c.session_token.empty()) c.session_token = text("Token");
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    throw CredentialsError(std::string(source) +
                           " returned no AccessKeyId or SecretAccessKey in its response");
  }
  if (const std::string exp = text("Expiration"); !exp.empty()) {
    c.expiration = parse_iso8601(exp);
    if (!c.expiration) {
      throw CredentialsError(std::string(source) + " returned an unreadable Expiration");
    }
  }
  return c;
}

}  // namespace

std::optional<Credentials> credentials_from_environment(std::string& why_not) {
  const std::string id = env("AWS_ACCESS_KEY_ID"), secret = env("AWS_SECRET_ACCESS_KEY");
  if (id.empty() && secret.empty()) {
    why_not = "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set";
    return std::nullopt;
  }
  if (id.empty() || secret.empty()) {
    why_not = id.empty() ? "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not"
                         : "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not";
    return std::nullopt;
  }
  return Credentials{id, secret, env("AWS_SESSION_TOKEN"), {}};
}

Credentials credentials_from_process(const std::string& command,
                                     std::chrono::milliseconds timeout) {
  const Item doc =
      parse_json_document(run_credential_process(command, timeout), "credential_process");
  const auto version = doc.find("Version");
  if (version == doc.end() || !version->second.is_number() ||
      !(version->second.as_number() == Number(1))) {
    throw CredentialsError("credential_process output must have \"Version\": 1");
  }
  return credentials_from_document(doc, "credential_process");
}

namespace {

// The container authorization token: from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE (re-read on
// every fetch, as the agent rotates it) or AWS_CONTAINER_AUTHORIZATION_TOKEN.
std::string container_authorization_token() {
  // A token is a JWT of a few KiB at most.
  constexpr std::size_t kMaxTokenFileBytes = std::size_t{16} << 10;
  std::string token;
  if (const std::string file = env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"); !file.empty()) {
    std::optional<std::string> text;
    try {
      text = read_small_file(file, kMaxTokenFileBytes, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    } catch (const ConfigError& e) {
      throw CredentialsError(e.message());
    }
    if (!text)
      throw CredentialsError("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE " + file + " does not exist");
    token = std::move(*text);
    while (!token.empty() && (token.back() == '\n' || token.back() == '\r')) token.pop_back();
  } else {
    token = env("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  }
  // A line break would smuggle further headers into the request.
  if (token.find_first_of("\r\n") != std::string::npos) {
    throw CredentialsError(
        "the container authorization token has a line break in it, which a "
        "header value cannot hold");
  }
  return token;
}

}  // namespace

std::optional<Credentials> credentials_from_container(std::string& why_not) {
  std::string url;
  // A URL that is set but unusable is an error, not a reason to fall through to IMDS.
  if (const std::string rel = env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"); !rel.empty()) {
    if (rel.front() != '/') {
      throw CredentialsError(
          "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path starting "
          "with '/'");
    }
    url = "http://169.254.170.2" + rel;
    check_container_url(url, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  } else if (const std::string full = env("AWS_CONTAINER_CREDENTIALS_FULL_URI"); !full.empty()) {
    check_container_url(full, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
    url = full;
  } else {
    why_not = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI are not set";
    return std::nullopt;
  }
  std::vector<std::pair<std::string, std::string>> headers;
  // Sent only after check_container_url: to https, or over http to loopback/container hosts.
  const std::string token = container_authorization_token();
  if (!token.empty()) headers.emplace_back("Authorization", token);
  HttpClient http(detail::metadata_http_options());
  HttpResponse r;
  try {
    r = http.request("GET", url, headers, {});
  } catch (const NetworkError& e) {
    why_not = "container endpoint unreachable (" + e.message() + ")";
    return std::nullopt;
  } catch (const ProtocolError& e) {
    throw CredentialsError("container credentials endpoint: " + e.message());
  }
  if (r.status != 200) {
    throw CredentialsError("container credentials endpoint answered HTTP " +
                           std::to_string(r.status));
  }
  return credentials_from_document(parse_json_document(r.body, "container credentials endpoint"),
                                   "container credentials endpoint");
}

std::optional<Credentials> credentials_from_instance_metadata(std::string& why_not) {
  if (InstanceMetadata::disabled()) {
    why_not = "disabled by AWS_EC2_METADATA_DISABLED";
    return std::nullopt;
  }
  InstanceMetadata imds;
  try {
    if (!imds.open(why_not)) return std::nullopt;
    const std::string list = "/latest/meta-data/iam/security-credentials/";
    const auto roles = imds.get(list);
    std::string role = roles.body.substr(0, roles.body.find('\n'));
    while (!role.empty() && (role.back() == '\r' || role.back() == ' ')) role.pop_back();
    if (roles.status != 200 || role.empty()) {
      why_not = "the instance has no IAM role (HTTP " + std::to_string(roles.status) + ")";
      return std::nullopt;
    }
    const auto creds = imds.get(list + role);
    if (creds.status != 200) {
      throw CredentialsError("instance metadata answered HTTP " + std::to_string(creds.status) +
                             " for the role's credentials");
    }
    return credentials_from_document(parse_json_document(creds.body, "instance metadata"),
                                     "instance metadata");
  } catch (const NetworkError& e) {
    why_not = imds.base() + " unreachable (" + e.message() + ")";
    return std::nullopt;
  } catch (const ProtocolError& e) {
    throw CredentialsError("instance metadata: " + e.message());
  }
}

}  // namespace dynamodb_mapping::detail
