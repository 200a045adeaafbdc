#include "client/endpoint.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "dynamodb_mapping/error.hpp"
#include "error_text.hpp"

namespace dynamodb_mapping::detail {

namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c;
  return out;
}

// RFC 3986 reg-name limited to what DNS names and IPv4 addresses use: no percent-encoding and
// no sub-delimiters, which no DynamoDB endpoint needs and which resolvers treat inconsistently.
bool is_host_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

bool is_ipv6(const std::string& text, in6_addr& addr) {
  return ::inet_pton(AF_INET6, text.c_str(), &addr) == 1;
}

}  // namespace

Endpoint parse_endpoint(std::string_view url) {
  auto bad = [&](const char* why) -> ValidationError {
    return ValidationError("invalid endpoint URL \"" + printable_text(url, 200) + "\": " + why);
  };
  for (char c : url) {
    const auto b = static_cast<unsigned char>(c);
    if (b <= 0x20 || b >= 0x7F)
      throw bad("spaces, control and non-ASCII characters are not allowed");
  }
  Endpoint e;
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) throw bad("expected http:// or https://");
  e.scheme = lowercase(url.substr(0, sep));
  if (e.scheme != "http" && e.scheme != "https") throw bad("the scheme must be http or https");
  const std::string_view rest = url.substr(sep + 3);
  if (rest.find_first_of("?#") != std::string_view::npos) throw bad("no query or fragment allowed");
  const auto path_at = rest.find('/');
  const std::string_view authority = rest.substr(0, path_at);
  const std::string_view path = path_at == std::string_view::npos ? "/" : rest.substr(path_at);
  if (authority.find('@') != std::string_view::npos) {
    throw bad("no user info (user:password@) allowed; credentials come from the credentials chain");
  }
  if (authority.empty()) throw bad("empty host");

  std::string_view host, port;
  bool has_port = false;
  if (authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) throw bad("an IPv6 address lacks its closing ]");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') throw bad("only :port may follow an IPv6 address");
      port = after.substr(1);
      has_port = true;
    }
    // No zone ids ("%25eth0"): libcurl leaves them out of the Host header, so a signature over
    // the URL's host would not match, and no DynamoDB endpoint is link-local.
    in6_addr addr{};
    if (!is_ipv6(std::string(host), addr)) throw bad("not an IPv6 address (without zone) in [ ]");
  } else {
    const auto colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port = authority.substr(colon + 1);
      has_port = true;
      if (port.find(':') != std::string_view::npos) {
        throw bad("an IPv6 address must be written in brackets, as in http://[::1]:8000");
      }
    }
    if (!std::all_of(host.begin(), host.end(), is_host_char)) throw bad("invalid host name");
  }
  if (host.empty()) throw bad("empty host");
  unsigned long port_number = 0;
  if (has_port) {
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string_view::npos ||
        (port_number = std::stoul(std::string(port))) == 0 || port_number > 65535) {
      throw bad("the port must be a number from 1 to 65535");
    }
  }

  e.host = std::string(host);
  e.loopback = is_loopback_host(e.host);
  const bool default_port =
      (e.scheme == "http" && port_number == 80) || (e.scheme == "https" && port_number == 443);
  // As libcurl writes the Host header, which is what the signature must match: the port as a
  // number ("08000" is 8000), left out when it is the scheme's default.
  e.host_header =
      std::string(authority.substr(0, authority.size() - (has_port ? port.size() + 1 : 0)));
  if (has_port && !default_port) e.host_header += ':' + std::to_string(port_number);
  e.path = std::string(path);
  e.url = e.scheme + "://" + std::string(authority) + e.path;
  return e;
}

bool is_loopback_host(std::string_view host) {
  if (lowercase(host) == "localhost") return true;
  const std::string text(host);
  // inet_pton takes only the strict dotted-decimal form, without the octal and hex spellings
  // that getaddrinfo would also accept ("0127.0.0.1" is 87.0.0.1 there).
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (!is_ipv6(text, v6)) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

void check_transport_security(const Endpoint& endpoint, bool allowed, std::string_view source) {
  if (endpoint.scheme != "http" || endpoint.loopback || allowed) return;
  throw ConfigError(
      "refusing plain http:// to " + endpoint.url + " (" + std::string(source) +
      "): signed requests and the session token would cross the network unencrypted. Use "
      "https://; or, if the network path is trusted, set ClientConfig::allow_insecure_http = true "
      "or the environment variable DYNAMODB_MAPPING_ALLOW_INSECURE_HTTP=true. Plain http:// is "
      "always allowed to localhost, 127.0.0.0/8 and [::1].");
}

void check_region(const std::string& region, std::string_view source) {
  const bool all_digits = region.find_first_not_of("0123456789") == std::string::npos;
  const bool label_chars = std::all_of(region.begin(), region.end(), [](char c) {
    return c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
  if (region.empty() || region.size() > 63 || all_digits || !label_chars || region.front() == '-' ||
      region.back() == '-') {
    throw ConfigError("invalid region \"" + printable_text(region, 64) + "\" from " +
                      std::string(source) +
                      ": a region is one DNS label of letters, digits and hyphens, such as "
                      "us-east-1");
  }
}

std::string resolve_ca_file(const ClientConfig& config, const Profile& profile) {
  if (!config.ca_file.empty()) return config.ca_file;
  if (std::string v = env("AWS_CA_BUNDLE"); !v.empty()) return v;
  if (const std::string* v = profile.get("ca_bundle"); v && !v->empty()) return *v;
  return {};
}

void check_ca_file(const std::string& path) {
  auto fail = [&](const char* why) {
    throw ConfigError("CA bundle \"" + printable_text(path, 512) + "\" " + why +
                      " (set by ClientConfig::ca_file, AWS_CA_BUNDLE or the profile's ca_bundle)");
  };
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (!std::filesystem::exists(status)) fail("does not exist");
  if (!std::filesystem::is_regular_file(status)) fail("is not a regular file");
  if (!std::ifstream(path)) fail("cannot be read");
}

}  // namespace dynamodb_mapping::detail
