#include "key_text.hpp"

#include "dynamodb_mapping/json.hpp"

namespace ddbmap {

namespace ddb = dynamodb_mapping;

namespace {

// Splits at the first unescaped comma and removes the escapes.
std::vector<std::string> split_escaped(std::string_view text) {
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\\') {
      if (i + 1 == text.size() || (text[i + 1] != ',' && text[i + 1] != '\\')) {
        throw ddb::ValidationError(
            "in a composite key, a backslash must be followed by ',' or '\\'");
      }
      parts.back() += text[++i];
    } else if (c == ',' && parts.size() == 1) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

}  // namespace

ddb::Value parse_scalar(const std::string& text, const ddb::AttributeDefinition& attribute) {
  switch (attribute.attribute_type) {
    case ddb::ScalarType::Number:
      try {
        return ddb::Number(text);
      } catch (const ddb::ValidationError& e) {
        throw ddb::ValidationError("key attribute \"" + attribute.attribute_name +
                                   "\" is a number: " + e.message());
      }
    case ddb::ScalarType::Binary:
      try {
        return ddb::base64_decode(text);
      } catch (const ddb::DecodeError& e) {
        throw ddb::ValidationError("key attribute \"" + attribute.attribute_name +
                                   "\" is binary, given as base64: " + e.message());
      }
    case ddb::ScalarType::String:
      break;
  }
  return text;
}

ddb::Key parse_key(std::string_view text, const std::vector<ddb::AttributeDefinition>& key,
                   bool number_key) {
  if (key.empty()) throw ddb::ValidationError("the table has no key schema");
  if (number_key && key[0].attribute_type != ddb::ScalarType::Number) {
    throw ddb::ValidationError("--number-key: the partition key \"" + key[0].attribute_name +
                               "\" is not a number attribute");
  }
  if (key.size() == 1) return ddb::Key(parse_scalar(std::string(text), key[0]));
  const std::vector<std::string> parts = split_escaped(text);
  if (parts.size() != 2) {
    throw ddb::ValidationError("the table has a sort key: give the key as PARTITION,SORT (\"" +
                               key[0].attribute_name + "," + key[1].attribute_name + "\")");
  }
  return ddb::Key(parse_scalar(parts[0], key[0]), parse_scalar(parts[1], key[1]));
}

}  // namespace ddbmap
