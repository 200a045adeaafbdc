// A parsed endpoint URL: what the HTTP layer connects to and what SigV4 signs as the host; and the
// transport's safety rules: no plain http:// off this machine unless asked for, and a CA bundle
// that exists.
#pragma once

#include <string>
#include <string_view>

#include "auth/shared_config.hpp"
#include "dynamodb_mapping/client.hpp"

namespace dynamodb_mapping::detail {

struct Endpoint {
  std::string url;          // scheme://authority/path, as requests are sent
  std::string scheme;       // "http" or "https"
  std::string host;         // as in the URL; an IPv6 literal without its brackets
  std::string host_header;  // authority without a port that is the scheme's default
  std::string path;         // "/" unless the URL has one
  bool loopback = false;    // host is on this machine: 127.0.0.0/8, ::1 or localhost
};

/// Parses "http[s]://host[:port][/path]"; host is a name, an IPv4 address or an IPv6 literal in
/// brackets ("[::1]"). Throws ValidationError for anything else: another scheme, user info
/// ("user:pass@"), a query or fragment, an empty host, an IPv6 address without brackets, a port
/// outside 1..65535, spaces, control or non-ASCII characters.
Endpoint parse_endpoint(std::string_view url);

/// Whether `host` (brackets removed) is this machine: "localhost" in any letter case, an IPv4
/// address in 127.0.0.0/8 written as four decimal numbers, or ::1 (also as ::ffff:127.x.y.z).
/// Other spellings that resolvers might map to loopback ("127.1", "0x7f.0.0.1") count as remote:
/// the safe side for the check below.
bool is_loopback_host(std::string_view host);

/// Throws ConfigError for plain http:// to a host that is not loopback unless `allowed`: signed
/// requests and the session token would cross the network in clear. `source` names where the URL
/// came from, for the message.
void check_transport_security(const Endpoint& endpoint, bool allowed, std::string_view source);

/// Throws ConfigError unless `region` is one DNS label of letters, digits and hyphens (botocore's
/// validate_region_name): it becomes part of the default endpoint's host name, and a value such as
/// "x.evil.example/" would send signed requests to another host. `source` names where it came from.
void check_region(const std::string& region, std::string_view source);

/// The CA bundle file to verify TLS with, by botocore's precedence: ClientConfig::ca_file, then
/// the environment variable AWS_CA_BUNDLE, then the profile's `ca_bundle`; "" for the system's
/// trust store.
std::string resolve_ca_file(const ClientConfig& config, const Profile& profile);

/// Throws ConfigError unless `path` is a regular file that can be opened for reading, so that a
/// wrong path is reported when the Client is made, not as a puzzling TLS failure on first use.
void check_ca_file(const std::string& path);

}  // namespace dynamodb_mapping::detail
