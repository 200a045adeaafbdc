// The small DynamoDB vocabulary shared by the container and the client: key schema elements,
// attribute types and expression attribute names.
#pragma once

#include <map>
#include <string>

namespace dynamodb_mapping {

/// ExpressionAttributeNames: "#placeholder" -> attribute name.
using AttributeNames = std::map<std::string, std::string>;

/// DynamoDB's ReturnValues: which attributes a write returns.
enum class ReturnValues { None, AllOld, UpdatedOld, AllNew, UpdatedNew };

/// Whether a key attribute is the partition (Hash) or the sort (Range) key.
enum class KeyType { Hash, Range };
/// The type of a key attribute: String (S), Number (N) or Binary (B).
enum class ScalarType { String, Number, Binary };
/// One key attribute of a table or index (an element of DynamoDB's KeySchema).
struct KeySchemaElement {
  /// The key attribute's name.
  std::string attribute_name;
  /// Partition (Hash) or sort (Range) key.
  KeyType key_type = KeyType::Hash;
  /// The same name and key type.
  friend bool operator==(const KeySchemaElement&, const KeySchemaElement&) = default;
};
/// The type of one key attribute (an element of DynamoDB's AttributeDefinitions).
struct AttributeDefinition {
  /// The key attribute's name.
  std::string attribute_name;
  /// Its type.
  ScalarType attribute_type = ScalarType::String;
  /// The same name and type.
  friend bool operator==(const AttributeDefinition&, const AttributeDefinition&) = default;
};

}  // namespace dynamodb_mapping
