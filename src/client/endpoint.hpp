// A parsed endpoint URL: what the HTTP layer connects to and what SigV4 signs as the host.
#pragma once

#include <string>
#include <string_view>

namespace dynamodb_mapping::detail {

struct Endpoint {
  std::string url;          // scheme://authority/path, as requests are sent
  std::string scheme;       // "http" or "https"
  std::string host_header;  // authority without a port that is the scheme's default
  std::string path;         // "/" unless the URL has one
};

/// Parses "http[s]://host[:port][/path]". Throws ValidationError for anything else (another
/// scheme, user info, a query or fragment, an empty host, a bad port).
Endpoint parse_endpoint(std::string_view url);

}  // namespace dynamodb_mapping::detail
