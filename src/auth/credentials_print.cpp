#include <ostream>

#include "dynamodb_mapping/credentials.hpp"

namespace dynamodb_mapping {

std::ostream& operator<<(std::ostream& os, const Credentials& c) {
  // The access key id is not secret, but it identifies an account: show only its end.
  const std::string& id = c.access_key_id;
  os << "Credentials{access_key_id=..." << (id.size() > 4 ? id.substr(id.size() - 4) : id)
     << ", secret_access_key=<redacted>";
  if (!c.session_token.empty()) os << ", session_token=<redacted>";
  return os << '}';
}

}  // namespace dynamodb_mapping
