// The IAM Identity Center token cache that `aws sso login` writes (~/.aws/sso/cache/<sha1>.json):
// its file name, reading it, refreshing its access token through SSO-OIDC CreateToken, and
// writing it back.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "client/endpoint.hpp"
#include "http/http_client.hpp"

namespace dynamodb_mapping::detail {

/// A cache file holds one token and its client registration: a few KiB at most.
inline constexpr std::size_t kMaxSsoCacheFileBytes = std::size_t{64} << 10;

/// Refresh an access token this long before it expires, as botocore does.
inline constexpr auto kSsoTokenRefreshWindow = std::chrono::minutes(15);

/// The cache file's name, botocore's rule: the lowercase hex SHA-1 of the sso-session name for an
/// `sso_session` profile, else of the start URL (legacy profiles), plus ".json".
std::string sso_cache_file_name(const std::string& session_or_start_url);

/// The cache directory: $HOME/.aws/sso/cache.
std::string sso_cache_dir();

/// One cached login. The strings are kept as read, for writing the file back; the times are
/// parsed. Empty strings stand for absent fields.
struct SsoToken {
  std::string access_token{};
  std::chrono::system_clock::time_point expires_at{};
  std::string expires_at_text{};
  std::string refresh_token{};
  std::string client_id{};
  std::string client_secret{};
  std::string registration_expires_at{};
  std::string region{};
  std::string start_url{};

  /// Whether the cache holds what a refresh needs (refresh token and client registration) and
  /// the registration has not expired by `now`.
  bool refreshable(std::chrono::system_clock::time_point now) const;
};

/// Reads the cache file at `path`: nullopt when it does not exist. Throws CredentialsError when
/// it is not a regular file, is over kMaxSsoCacheFileBytes, is not JSON, or lacks a usable
/// accessToken or expiresAt. `login_hint` ends each message ("; run aws sso login --profile X").
/// Never echoes the file's content.
std::optional<SsoToken> read_sso_token(const std::string& path, const std::string& login_hint);

/// Writes `token` to `path` as botocore does, atomically: a temporary file (mode 0600) in the
/// same directory, flushed, then renamed over `path`. Returns false (and leaves `path` as it was)
/// when that fails; the caller may still use the token it holds.
bool write_sso_token(const std::string& path, const SsoToken& token);

/// SSO-OIDC CreateToken with grant type refresh_token, unsigned, at `oidc` (its path plus
/// "/token"): the new access token, its expiry (now + expiresIn), and the new refresh token when
/// the answer has one (else the old one). Throws CredentialsError on any failure (no answer, an
/// HTTP error, an answer over the credential-service caps, malformed JSON, missing fields); the
/// message names the HTTP status or error code but never a token or the client secret.
SsoToken refresh_sso_token(const Endpoint& oidc, const SsoToken& token);

/// One request to an IAM Identity Center service with credential_service_http_options(). Any
/// HTTP status is returned; no answer (NetworkError) or one over the caps (ProtocolError) is a
/// CredentialsError starting with `what` ("SSO GetRoleCredentials at HOST").
HttpResponse sso_service_call(const std::string& method, const std::string& url,
                              const std::vector<std::pair<std::string, std::string>>& headers,
                              const std::string& body, const std::string& what);

/// The error code of an IAM Identity Center error answer (`error` for SSO-OIDC, `__type` or
/// `code` otherwise, the name alone), made printable and capped; "" when there is none.
std::string sso_error_code(const std::string& body);

/// Whether `value` can be sent as a header value: not empty, no control characters (a line
/// break would add headers of the sender's choosing).
bool header_safe(const std::string& value);

/// Parses the ISO 8601 UTC times of the cache ("2026-11-27T10:00:00Z", optional fractional
/// seconds, "+00:00" or "UTC" for Z). nullopt for anything else.
std::optional<std::chrono::system_clock::time_point> parse_sso_time(const std::string& text);

/// `t` as the cache writes times: "2026-11-27T10:00:00Z".
std::string format_sso_time(std::chrono::system_clock::time_point t);

}  // namespace dynamodb_mapping::detail
