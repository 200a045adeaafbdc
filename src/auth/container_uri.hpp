// Where container credentials may be fetched from: the URL checks for
// AWS_CONTAINER_CREDENTIALS_FULL_URI and _RELATIVE_URI.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dynamodb_mapping::detail {

/// The parts of an absolute http(s)-style URL that decide where a request goes.
struct UrlParts {
  std::string scheme;         // lower case
  bool has_userinfo = false;  // "user@" or "user:password@" before the host
  std::string host;           // lower case; an IPv6 literal without its brackets
  bool ipv6_literal = false;
  std::string port;  // digits, or "" for the scheme's default
  std::string rest;  // path, query and fragment as written: "" or starting with '/', '?' or '#'
};

/// Splits `url` as scheme://[userinfo@]host[:port][/path][?query][#fragment]. Strict on purpose,
/// so that no URL reads as one host here and as another to the transport: nullopt for control
/// characters, spaces, backslashes or non-ASCII bytes anywhere, a host with anything but letters,
/// digits, '.', '-' and '_' (or an IPv6 literal of hex digits, ':' and '.' in brackets), or a port
/// that is not 1 to 5 digits up to 65535.
std::optional<UrlParts> split_url(std::string_view url);

/// Whether plain http to the URL's host may carry the container authorization token: the
/// loopback addresses (127.0.0.0/8, ::1, localhost) and the container endpoints 169.254.170.2,
/// 169.254.170.23 and fd00:ec2::23, the hosts the AWS SDKs allow (botocore's
/// ContainerMetadataFetcher). Host names other than "localhost" never qualify: they could resolve
/// anywhere.
bool container_http_host_allowed(const UrlParts& url);

/// Checks the container credentials URL taken from the environment variable `variable` and
/// throws CredentialsError when it is malformed, has userinfo (which hides where the token goes),
/// uses a scheme other than http or https, or uses http to a host that
/// container_http_host_allowed() refuses. The message names the variable and never echoes the
/// URL, which may carry secrets.
void check_container_url(std::string_view url, std::string_view variable);

}  // namespace dynamodb_mapping::detail
