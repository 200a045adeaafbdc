// What a DynamoDBMapping and everything it hands out (views, proxies, transactions) share: the
// table's name, the client, the options and the key schema, read once.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dynamodb_mapping/client.hpp"
#include "dynamodb_mapping/mapping.hpp"

namespace dynamodb_mapping::detail {

/// The table's key: attribute names and types.
struct KeySchema {
  std::string partition;
  std::string sort;  // empty: no sort key
  ScalarType partition_type = ScalarType::String;
  ScalarType sort_type = ScalarType::String;
};

/// A secondary index: its own key, and what it holds.
struct IndexSchema {
  std::string name;
  KeySchema key;
  bool global = true;
  Projection projection;
};

struct MappingState {
  MappingState(std::string table, Client c, MappingOptions o)
      : table_name(std::move(table)), client(std::move(c)), options(std::move(o)) {}

  const std::string table_name;
  const Client client;
  const MappingOptions options;

  /// The key schema: from the options, else one DescribeTable on first use (key_schema.cpp).
  const KeySchema& schema() const;
  /// The key attribute names, partition first.
  std::vector<std::string> key_names() const;
  /// The key as an Item of its key attributes; ValidationError (naming the table in table())
  /// for a key of the wrong shape, type or size.
  Item key_attributes(const Key& key) const;
  /// `item` with the key attributes of `key` filled in; ValidationError if it has others.
  Item full_item(const Key& key, Item item) const;
  /// The key of an item of the table; DecodeError when it lacks a key attribute.
  Key key_of(const Item& item) const;
  /// A ProjectionExpression of `attributes` and the key attributes, names registered in `names`.
  std::string projection_with_keys(std::vector<std::string> attributes,
                                   AttributeNames& names) const;
  /// The secondary index `name`: from one DescribeTable on first use of any index (kept for the
  /// mapping's life); ValidationError naming the table's indexes when it has no such index.
  const IndexSchema& index(const std::string& name) const;
  /// Whether a read is consistent: asked for, or the mapping's default.
  bool consistent(bool asked) const { return asked || options.default_consistent_read; }

 private:
  /// key_attributes without the table recorded in its errors.
  Item checked_key_attributes(const Key& key) const;
  mutable std::mutex schema_mutex_;
  mutable bool schema_loaded_ = false;
  mutable KeySchema schema_;
  mutable std::mutex index_mutex_;
  mutable bool indexes_loaded_ = false;
  mutable std::vector<IndexSchema> indexes_;
};

/// The way in and out of a DynamoDBMapping's shared state, for the container's own files.
struct MappingAccess {
  static DynamoDBMapping make(std::shared_ptr<MappingState> state) {
    return DynamoDBMapping(std::move(state));
  }
};

/// "S", "N" or "B".
const char* type_tag(ScalarType t);
/// Whether `v` is of the key type `t`.
bool has_type(const Value& v, ScalarType t);

/// The key as text for messages, cut at 200 bytes.
std::string describe(const Key& key);

}  // namespace dynamodb_mapping::detail
