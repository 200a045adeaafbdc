#include "auth/sso_token.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "auth/service_endpoint.hpp"
#include "auth/shared_config.hpp"
#include "auth/sources.hpp"
#include "common/unique_fd.hpp"
#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/json.hpp"
#include "error_text.hpp"
#include "json/writer.hpp"

namespace dynamodb_mapping::detail {

namespace {

using Clock = std::chrono::system_clock;

// A string member of `doc`, or "" when it is absent or not a string.
std::string text_of(const Item& doc, const char* name) {
  const auto it = doc.find(name);
  return it != doc.end() && it->second.is_string() ? it->second.as_string() : std::string();
}

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void add_member(std::string& out, const char* name, const std::string& value) {
  if (value.empty()) return;
  if (out.size() > 1) out += ',';
  append_json_string(out, name);
  out += ':';
  append_json_string(out, value);
}

}  // namespace

bool header_safe(const std::string& value) {
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return false;
  }
  return !value.empty();
}

std::string sso_cache_file_name(const std::string& session_or_start_url) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(session_or_start_url.data(), session_or_start_url.size(), digest.data(), &size,
             EVP_sha1(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name;
  for (unsigned int i = 0; i < size; ++i) {
    name += kHex[digest[i] >> 4];
    name += kHex[digest[i] & 0xf];
  }
  return name + ".json";
}

std::string sso_cache_dir() {
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "") + "/.aws/sso/cache";
}

bool SsoToken::refreshable(Clock::time_point now) const {
  if (refresh_token.empty() || client_id.empty() || client_secret.empty()) return false;
  const auto registration = parse_sso_time(registration_expires_at);
  return registration && now < *registration;
}

std::optional<Clock::time_point> parse_sso_time(const std::string& text) {
  return parse_iso8601(text);
}

std::string format_sso_time(Clock::time_point t) {
  const std::time_t seconds = Clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::optional<SsoToken> read_sso_token(const std::string& path, const std::string& login_hint) {
  std::optional<std::string> text;
  try {
    text = read_small_file(path, kMaxSsoCacheFileBytes, "SSO token cache file");
  } catch (const ConfigError& e) {
    throw CredentialsError(e.message() + login_hint);
  }
  if (!text) return std::nullopt;
  Item doc;
  try {
    doc = item_from_plain_json(*text);
  } catch (const Error&) {
    throw CredentialsError("the SSO token cache file " + path + " is not a JSON object" +
                           login_hint);
  }
  SsoToken t;
  t.access_token = text_of(doc, "accessToken");
  t.expires_at_text = text_of(doc, "expiresAt");
  const auto expires = parse_sso_time(t.expires_at_text);
  // The token goes into a header: a line break in it would add headers of the file's choosing.
  if (!header_safe(t.access_token) || !expires) {
    throw CredentialsError("the SSO token cache file " + path +
                           " has no usable accessToken and expiresAt" + login_hint);
  }
  t.expires_at = *expires;
  t.refresh_token = text_of(doc, "refreshToken");
  t.client_id = text_of(doc, "clientId");
  t.client_secret = text_of(doc, "clientSecret");
  t.registration_expires_at = text_of(doc, "registrationExpiresAt");
  t.region = text_of(doc, "region");
  t.start_url = text_of(doc, "startUrl");
  return t;
}

bool write_sso_token(const std::string& path, const SsoToken& token) {
  std::string json = "{";
  add_member(json, "startUrl", token.start_url);
  add_member(json, "region", token.region);
  add_member(json, "accessToken", token.access_token);
  add_member(json, "expiresAt", token.expires_at_text);
  add_member(json, "clientId", token.client_id);
  add_member(json, "clientSecret", token.client_secret);
  add_member(json, "registrationExpiresAt", token.registration_expires_at);
  add_member(json, "refreshToken", token.refresh_token);
  json += '}';

  const auto slash = path.rfind('/');
  std::string temp = (slash == std::string::npos ? std::string() : path.substr(0, slash + 1)) +
                     ".sso-token-XXXXXX";
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  UniqueFd file{::mkostemp(name.data(), O_CLOEXEC)};  // created with mode 0600
  if (file.fd < 0) return false;
  temp.assign(name.data());
  const bool written =
      ::fchmod(file.fd, 0600) == 0 && write_all(file.fd, json) && ::fsync(file.fd) == 0;
  const int fd = file.fd;
  file.fd = -1;
  if (::close(fd) != 0 || !written || ::rename(temp.c_str(), path.c_str()) != 0) {
    ::unlink(temp.c_str());
    return false;
  }
  return true;
}

HttpResponse sso_service_call(const std::string& method, const std::string& url,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body, const std::string& what) {
  HttpClient http(credential_service_http_options());
  try {
    return http.request(method, url, headers, body);
  } catch (const NetworkError& e) {
    throw CredentialsError(what + " got no answer: " + e.message());
  } catch (const ProtocolError& e) {
    throw CredentialsError(what + ": " + e.message());
  }
}

std::string sso_error_code(const std::string& body) {
  try {
    const Item doc = item_from_plain_json(body);
    for (const char* name : {"error", "__type", "code", "Code"}) {
      std::string code = text_of(doc, name);
      if (code.empty()) continue;
      // "aws.protocoltests#UnauthorizedException:http://..." carries the name after '#', before
      // ':'.
      if (const auto hash = code.find('#'); hash != std::string::npos) code.erase(0, hash + 1);
      if (const auto colon = code.find(':'); colon != std::string::npos) code.resize(colon);
      return printable_text(code, 64);
    }
  } catch (const Error&) {
  }
  return {};
}

SsoToken refresh_sso_token(const Endpoint& oidc, const SsoToken& token) {
  std::string url = oidc.url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/token";
  std::string body = "{";
  add_member(body, "grantType", "refresh_token");
  add_member(body, "clientId", token.client_id);
  add_member(body, "clientSecret", token.client_secret);
  add_member(body, "refreshToken", token.refresh_token);
  body += '}';
  const std::string what = "SSO-OIDC CreateToken at " + oidc.host_header;
  const auto now = Clock::now();
  const HttpResponse r =
      sso_service_call("POST", url, {{"Content-Type", "application/json"}}, body, what);
  if (r.status != 200) {
    const std::string code = sso_error_code(r.body);
    throw CredentialsError(what + " answered HTTP " + std::to_string(r.status) +
                           (code.empty() ? "" : " (" + code + ")"));
  }
  Item doc;
  try {
    doc = item_from_plain_json(r.body);
  } catch (const Error&) {
    throw CredentialsError(what + " returned an answer that is not a JSON object");
  }
  SsoToken fresh = token;
  fresh.access_token = text_of(doc, "accessToken");
  const auto expires_in = doc.find("expiresIn");
  std::int64_t seconds = 0;
  if (expires_in != doc.end() && expires_in->second.is_number()) {
    try {
      seconds = expires_in->second.as_number().to_int64();
    } catch (const Error&) {
      seconds = 0;
    }
  }
  // Over a year is not an access token's lifetime; it would only overflow the clock.
  if (!header_safe(fresh.access_token) || seconds <= 0 || seconds > 366 * 24 * 3600) {
    throw CredentialsError(what + " returned no usable accessToken and expiresIn");
  }
  fresh.expires_at = now + std::chrono::seconds(seconds);
  fresh.expires_at_text = format_sso_time(fresh.expires_at);
  if (std::string refresh = text_of(doc, "refreshToken"); !refresh.empty()) {
    fresh.refresh_token = std::move(refresh);
  }
  return fresh;
}

}  // namespace dynamodb_mapping::detail
