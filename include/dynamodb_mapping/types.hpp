// The small DynamoDB vocabulary shared by the container and the client: key schema elements,
// attribute types and expression attribute names.
#pragma once

#include <map>
#include <string>

namespace dynamodb_mapping {

/// ExpressionAttributeNames: "#placeholder" -> attribute name.
using AttributeNames = std::map<std::string, std::string>;

/// Whether a key attribute is the partition (Hash) or the sort (Range) key.
enum class KeyType { Hash, Range };
enum class ScalarType { String, Number, Binary };
struct KeySchemaElement {
  std::string attribute_name;
  KeyType key_type = KeyType::Hash;
  friend bool operator==(const KeySchemaElement&, const KeySchemaElement&) = default;
};
struct AttributeDefinition {
  std::string attribute_name;
  ScalarType attribute_type = ScalarType::String;
  friend bool operator==(const AttributeDefinition&, const AttributeDefinition&) = default;
};

}  // namespace dynamodb_mapping
