#include "auth/sso.hpp"

#include <string>
#include <vector>

#include "auth/service_endpoint.hpp"
#include "auth/sources.hpp"
#include "auth/sso_token.hpp"
#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/json.hpp"

namespace dynamodb_mapping::detail {

namespace {

using Clock = std::chrono::system_clock;

// What an IAM Identity Center profile resolves to. `session` is empty for legacy profiles.
struct SsoSettings {
  std::string session;
  std::string start_url;
  std::string region;
  std::string account_id;
  std::string role_name;
};

std::string in_quotes(const std::string& s) {
  return "\"" + s + "\"";
}

// The one message for every "log in again" case, as the AWS CLI words it.
std::string login_needed(const Profile& profile) {
  return "the SSO session for profile " + in_quotes(profile.name) +
         " has expired or is missing; run aws sso login --profile " + profile.name;
}

// The profile's settings merged with its [sso-session NAME] section, checked as botocore's
// SSOProvider does: a key set in both to different values is an error, and every required key
// must be there.
SsoSettings resolve_settings(const Profile& profile) {
  std::map<std::string, std::string> merged = profile.settings;
  SsoSettings s;
  if (const std::string* session = profile.get("sso_session")) {
    s.session = *session;
    if (s.session.empty()) {
      throw CredentialsError("profile " + in_quotes(profile.name) + " has an empty sso_session");
    }
    const std::string section = "[sso-session " + s.session + "]";
    if (!profile.sso_session) {
      throw CredentialsError("profile " + in_quotes(profile.name) + " names sso_session " +
                             in_quotes(s.session) + ", but " + config_file_path() + " has no " +
                             section + " section");
    }
    for (const auto& [key, value] : *profile.sso_session) {
      const auto it = merged.find(key);
      if (it != merged.end() && it->second != value) {
        throw CredentialsError("the value of " + key + " differs between profile " +
                               in_quotes(profile.name) + " and " + section +
                               "; remove it from the profile or make them equal");
      }
      merged[key] = value;
    }
  }
  std::string missing;
  const auto take = [&](const char* key, std::string& into) {
    const auto it = merged.find(key);
    if (it != merged.end() && !it->second.empty()) {
      into = it->second;
    } else {
      missing += (missing.empty() ? "" : ", ") + std::string(key);
    }
  };
  take("sso_start_url", s.start_url);
  take("sso_region", s.region);
  take("sso_account_id", s.account_id);
  take("sso_role_name", s.role_name);
  if (!missing.empty()) {
    throw CredentialsError("profile " + in_quotes(profile.name) +
                           " is set up for IAM Identity Center (SSO) but lacks " + missing +
                           (s.session.empty() ? std::string()
                                              : " (sso_start_url and sso_region may be in "
                                                "[sso-session " +
                                                    s.session + "])"));
  }
  try {
    check_region(s.region, "sso_region of profile " + in_quotes(profile.name));
  } catch (const ConfigError& e) {
    throw CredentialsError(e.message());
  }
  return s;
}

// The configured endpoint for the service, else https://<prefix><region>.amazonaws.com.
Endpoint service_endpoint(const Profile& profile, const SsoSettings& s, std::string_view env_suffix,
                          std::string_view services_key, const std::string& host_prefix) {
  if (auto configured = configured_endpoint(profile, env_suffix, services_key)) {
    return checked_service_endpoint(configured->url, configured->source);
  }
  const std::string suffix = s.region.rfind("cn-", 0) == 0 ? ".amazonaws.com.cn" : ".amazonaws.com";
  return checked_service_endpoint("https://" + host_prefix + s.region + suffix,
                                  "sso_region of profile " + in_quotes(profile.name));
}

// An access token from the cache, refreshed first when it is within 15 minutes of expiry and the
// cache allows it (sso-session logins only). A failed refresh keeps a token that is still valid.
std::string access_token(const Profile& profile, const SsoSettings& s) {
  const std::string path =
      sso_cache_dir() + "/" + sso_cache_file_name(s.session.empty() ? s.start_url : s.session);
  const std::string hint = "; run aws sso login --profile " + profile.name;
  const std::optional<SsoToken> token = read_sso_token(path, hint);
  if (!token) throw CredentialsError(login_needed(profile));
  const auto now = Clock::now();
  if (token->expires_at - now >= kSsoTokenRefreshWindow) return token->access_token;
  if (s.session.empty() || !token->refreshable(now)) {
    if (now < token->expires_at) return token->access_token;
    throw CredentialsError(login_needed(profile));
  }
  const Endpoint oidc = service_endpoint(profile, s, "SSO_OIDC", "sso-oidc", "oidc.");
  try {
    SsoToken fresh = refresh_sso_token(oidc, *token);
    fresh.start_url = s.start_url;
    fresh.region = s.region;
    // Not written (a read-only HOME): the token still serves this process.
    (void)write_sso_token(path, fresh);
    return fresh.access_token;
  } catch (const CredentialsError& e) {
    if (Clock::now() < token->expires_at) return token->access_token;
    throw CredentialsError(login_needed(profile) + " (refreshing the token failed: " + e.message() +
                           ")");
  }
}

// Percent-encodes all but RFC 3986's unreserved characters, for the query string.
std::string query_encode(const std::string& s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '_' || u == '.' || u == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xf];
    }
  }
  return out;
}

// The roleCredentials of a GetRoleCredentials answer. Never echoes the content.
Credentials read_role_credentials(const std::string& body, const std::string& what) {
  Item doc;
  try {
    doc = item_from_plain_json(body);
  } catch (const Error&) {
    throw CredentialsError(what + " returned an answer that is not a JSON object");
  }
  const auto role = doc.find("roleCredentials");
  if (role == doc.end() || !role->second.is_map()) {
    throw CredentialsError(what + " returned no roleCredentials");
  }
  const Map& m = role->second.as_map();
  const auto text = [&](const char* name) {
    const auto it = m.find(name);
    return it != m.end() && it->second.is_string() ? it->second.as_string() : std::string();
  };
  Credentials c{text("accessKeyId"), text("secretAccessKey"), text("sessionToken"), {}};
  const auto expiration = m.find("expiration");
  std::int64_t millis = 0;
  if (expiration != m.end() && expiration->second.is_number()) {
    try {
      millis = expiration->second.as_number().to_int64();
    } catch (const Error&) {
      millis = 0;
    }
  }
  // The key id and token go into headers; the year 2200 bounds the clock arithmetic.
  if (!header_safe(c.access_key_id) || c.secret_access_key.empty() ||
      !header_safe(c.session_token) || millis <= 0 || millis > kLatestExpirationSeconds * 1000) {
    throw CredentialsError(what +
                           " returned roleCredentials without a usable accessKeyId, "
                           "secretAccessKey, sessionToken and expiration");
  }
  c.expiration = Clock::time_point(std::chrono::milliseconds(millis));
  return c;
}

}  // namespace

bool is_sso_profile(const Profile& profile) {
  return profile.get("sso_session") != nullptr || profile.get("sso_start_url") != nullptr;
}

Credentials sso_credentials(const Profile& profile) {
  const SsoSettings s = resolve_settings(profile);
  // Both endpoints are checked before any request is sent or any cache file is written.
  const Endpoint portal = service_endpoint(profile, s, "SSO", "sso", "portal.sso.");
  const std::string token = access_token(profile, s);

  std::string url = portal.url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  url += "/federation/credentials?role_name=" + query_encode(s.role_name) +
         "&account_id=" + query_encode(s.account_id);
  const std::string what = "SSO GetRoleCredentials at " + portal.host_header;
  const HttpResponse r =
      sso_service_call("GET", url, {{"x-amz-sso_bearer_token", token}}, {}, what);
  if (r.status == 200) return read_role_credentials(r.body, what);
  const std::string code = sso_error_code(r.body);
  if (r.status == 401 || code == "UnauthorizedException") {
    throw CredentialsError(login_needed(profile));
  }
  const std::string role = "role " + in_quotes(s.role_name) + " in account " + s.account_id;
  if (r.status == 403 || code == "ForbiddenException") {
    throw CredentialsError("IAM Identity Center refused " + role + " for profile " +
                           in_quotes(profile.name) +
                           " (ForbiddenException): the signed-in user has no access to it");
  }
  if (r.status == 404 || code == "ResourceNotFoundException") {
    throw CredentialsError("IAM Identity Center does not know " + role + " for profile " +
                           in_quotes(profile.name) + " (ResourceNotFoundException)");
  }
  throw CredentialsError(what + " answered HTTP " + std::to_string(r.status) +
                         (code.empty() ? "" : " (" + code + ")"));
}

}  // namespace dynamodb_mapping::detail
