#include "value/identity.hpp"

#include <functional>

#include "dynamodb_mapping/json.hpp"

namespace dynamodb_mapping::detail {

namespace {
void append_bytes(std::string& out, char tag, std::string_view bytes) {
  // Length-prefixed, so that no concatenation of two values can look like another.
  out += tag;
  out += std::to_string(bytes.size());
  out += ':';
  out += bytes;
}
}  // namespace

void append_identity(std::string& out, const Value& value) {
  switch (value.type()) {
    case Value::Type::String:
      append_bytes(out, 'S', value.as_string());
      break;
    case Value::Type::Number:
      append_bytes(out, 'N', value.as_number().canonical());
      break;
    case Value::Type::Binary: {
      const Binary& b = value.as_binary();
      append_bytes(out, 'B',
                   std::string_view(reinterpret_cast<const char*>(b.bytes.data()), b.size()));
      break;
    }
    default:
      append_bytes(out, 'J', to_wire_json(value));
      break;
  }
}

std::optional<std::string> identity(const Item& item, const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    const auto it = item.find(name);
    if (it == item.end()) return std::nullopt;
    append_identity(out, it->second);
  }
  return out;
}

std::string identity(const Item& item) {
  std::string out;
  for (const auto& [name, value] : item) {
    append_bytes(out, 'A', name);
    append_identity(out, value);
  }
  return out;
}

void remember_page_token(std::unordered_set<std::uint64_t>& seen, const Item& token,
                         std::string_view operation) {
  const std::uint64_t hash = std::hash<std::string>{}(identity(token));
  if (!seen.insert(hash).second) {
    throw ProtocolError("RepeatedPageToken", std::string(operation) +
                                                 " returned a LastEvaluatedKey it had returned "
                                                 "before in this walk (" +
                                                 std::to_string(seen.size()) +
                                                 " pages in): following it would never end");
  }
}

void PageTokens::remember(const Item& token, std::string_view operation) {
  remember_page_token(seen_, token, operation);
}

}  // namespace dynamodb_mapping::detail
