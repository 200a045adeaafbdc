#include "auth/container_uri.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstdint>
#include <cstring>

#include "common/ascii.hpp"
#include "dynamodb_mapping/error.hpp"

namespace dynamodb_mapping::detail {

namespace {

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_hex(char c) {
  return is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool valid_port(std::string_view p) {
  if (p.empty() || p.size() > 5) return false;
  unsigned value = 0;
  for (char c : p) {
    if (!is_ascii_digit(c)) return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  return value >= 1 && value <= 65535;
}

}  // namespace

std::optional<UrlParts> split_url(std::string_view url) {
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '\\') return std::nullopt;
  }
  UrlParts parts;
  const auto colon = url.find("://");
  if (colon == std::string_view::npos || colon == 0 || !is_alpha(url[0])) return std::nullopt;
  for (char c : url.substr(0, colon)) {
    if (!is_alpha(c) && !is_ascii_digit(c) && c != '+' && c != '-' && c != '.') return std::nullopt;
  }
  parts.scheme = ascii_lower(url.substr(0, colon));
  std::string_view rest = url.substr(colon + 3);
  const auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  parts.rest = authority_end == std::string_view::npos ? "" : rest.substr(authority_end);

  // RFC 3986 allows no '@' in the host, so any '@' here ends a userinfo.
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    parts.has_userinfo = true;
    authority.remove_prefix(at + 1);
  }
  std::string_view host, port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    for (char c : host) {
      if (!is_hex(c) && c != ':' && c != '.') return std::nullopt;
    }
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      has_port = true;
      port = after.substr(1);
    }
    parts.ipv6_literal = true;
  } else {
    const auto port_at = authority.find(':');
    host = authority.substr(0, port_at);
    if (port_at != std::string_view::npos) {
      has_port = true;
      port = authority.substr(port_at + 1);
    }
    for (char c : host) {
      if (!is_alpha(c) && !is_ascii_digit(c) && c != '.' && c != '-' && c != '_')
        return std::nullopt;
    }
  }
  if (host.empty() || (has_port && !valid_port(port))) return std::nullopt;
  parts.host = ascii_lower(host);
  parts.port = std::string(port);
  return parts;
}

bool container_http_host_allowed(const UrlParts& url) {
  if (url.ipv6_literal) {
    in6_addr a{};
    if (::inet_pton(AF_INET6, url.host.c_str(), &a) != 1) return false;
    in6_addr ecs{};  // the EKS Pod Identity agent's IPv6 address
    ::inet_pton(AF_INET6, "fd00:ec2::23", &ecs);
    return IN6_IS_ADDR_LOOPBACK(&a) || std::memcmp(&a, &ecs, sizeof a) == 0;
  }
  if (url.host == "localhost") return true;
  // Only a dotted quad counts (inet_pton refuses "127.1", octal and leading zeros), so that the
  // address checked is the address the transport connects to.
  in_addr a{};
  if (::inet_pton(AF_INET, url.host.c_str(), &a) != 1) return false;
  const std::uint32_t ip = ntohl(a.s_addr);
  return (ip >> 24) == 127 || ip == 0xA9FEAA02u /* 169.254.170.2 */ ||
         ip == 0xA9FEAA17u /* 169.254.170.23 */;
}

void check_container_url(std::string_view url, std::string_view variable) {
  const std::string name(variable);
  const std::optional<UrlParts> parts = split_url(url);
  if (!parts) throw CredentialsError(name + " is not a valid http or https URL");
  if (parts->has_userinfo) {
    throw CredentialsError(name +
                           " has userinfo (user@ before the host); refused, because it hides "
                           "which host would receive the authorization token");
  }
  if (parts->scheme == "https") return;
  if (parts->scheme != "http") throw CredentialsError(name + " must be an http or https URL");
  if (!container_http_host_allowed(*parts)) {
    throw CredentialsError(name + " uses plain http to host " + parts->host +
                           "; over http only a loopback address (127.0.0.0/8, ::1, localhost) "
                           "or a container host (169.254.170.2, 169.254.170.23, fd00:ec2::23) "
                           "is allowed; use https");
  }
}

}  // namespace dynamodb_mapping::detail
