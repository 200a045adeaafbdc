#include "client/endpoint.hpp"

#include "dynamodb_mapping/error.hpp"

namespace dynamodb_mapping::detail {

Endpoint parse_endpoint(std::string_view url) {
  auto bad = [&](const char* why) -> ValidationError {
    return ValidationError("invalid endpoint URL \"" + std::string(url.substr(0, 200)) +
                           "\": " + why);
  };
  Endpoint e;
  const auto sep = url.find("://");
  if (sep == std::string_view::npos) throw bad("expected http:// or https://");
  for (char c : url.substr(0, sep))
    e.scheme += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  if (e.scheme != "http" && e.scheme != "https") throw bad("the scheme must be http or https");
  std::string_view rest = url.substr(sep + 3);
  const auto path_at = rest.find('/');
  std::string_view authority = rest.substr(0, path_at);
  std::string_view path = path_at == std::string_view::npos ? "/" : rest.substr(path_at);
  if (path.find_first_of("?#") != std::string_view::npos) throw bad("no query or fragment allowed");
  if (authority.find('@') != std::string_view::npos) throw bad("no user info allowed");
  if (authority.empty()) throw bad("empty host");

  // Split off the port, minding IPv6 literals in brackets.
  std::string_view host = authority, port;
  const auto colon = authority.rfind(':');
  const auto bracket = authority.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string_view::npos ||
        std::stoul(std::string(port)) > 65535) {
      throw bad("bad port");
    }
  }
  if (host.empty() || host == "[]") throw bad("empty host");
  const bool default_port =
      (e.scheme == "http" && port == "80") || (e.scheme == "https" && port == "443");
  e.host_header = std::string(host);
  if (!port.empty() && !default_port) {
    e.host_header += ':';
    e.host_header.append(port);
  }
  e.path = std::string(path);
  e.url = e.scheme + "://" + std::string(authority) + e.path;
  return e;
}

}  // namespace dynamodb_mapping::detail
