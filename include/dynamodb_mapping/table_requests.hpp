// The parameters and results of the Client's table operations: DescribeTable's description,
// CreateTable, UpdateTable, time to live and ListTables. Client (client.hpp) sends them;
// tables.hpp has the higher-level calls.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb_mapping/types.hpp"

namespace dynamodb_mapping {

/// An index's Projection: which attributes a secondary index holds besides the keys.
struct Projection {
  /// ALL, KEYS_ONLY or INCLUDE.
  std::string projection_type = "ALL";
  /// With INCLUDE: the non-key attributes the index holds.
  std::vector<std::string> non_key_attributes;
  /// The same type and attributes.
  friend bool operator==(const Projection&, const Projection&) = default;
};
/// ProvisionedThroughput: read and write capacity units of a table or global index.
struct ProvisionedThroughput {
  /// @{
  /// ReadCapacityUnits and WriteCapacityUnits.
  std::int64_t read_capacity_units = 0;
  std::int64_t write_capacity_units = 0;
  /// @}
  /// The same capacities.
  friend bool operator==(const ProvisionedThroughput&, const ProvisionedThroughput&) = default;
};

/// A global or local secondary index as DescribeTable describes it.
struct SecondaryIndexDescription {
  /// @{
  /// The field of this name in DynamoDB's index description (`index_name` is IndexName, and so
  /// on).
  std::string index_name;
  std::string index_arn;
  std::vector<KeySchemaElement> key_schema;
  Projection projection;
  /// @}
  /// Global indexes: CREATING, ACTIVE, UPDATING or DELETING; empty for local indexes.
  std::string index_status;
  /// Global indexes: true while an index being added is still filled from the table.
  bool backfilling = false;
  /// Global indexes of a PROVISIONED table: their own capacities.
  std::optional<ProvisionedThroughput> provisioned_throughput;
  /// @{
  /// ItemCount and IndexSizeBytes, updated by DynamoDB about every six hours.
  std::int64_t item_count = 0;
  std::int64_t index_size_bytes = 0;
  /// @}

  /// The name of the index's partition key (empty if the answer had none).
  std::string partition_key() const {
    for (const auto& k : key_schema) {
      if (k.key_type == KeyType::Hash) return k.attribute_name;
    }
    return {};
  }
  /// The name of the index's sort key, if it has one.
  std::optional<std::string> sort_key() const {
    for (const auto& k : key_schema) {
      if (k.key_type == KeyType::Range) return k.attribute_name;
    }
    return std::nullopt;
  }
};

/// What DescribeTable, CreateTable, UpdateTable and DeleteTable say about a table.
struct TableDescription {
  /// @{
  /// The field of this name in DynamoDB's TableDescription (`table_name` is TableName, and so on).
  std::string table_name;
  std::string table_arn;
  /// @}
  std::string table_status;  ///< CREATING, ACTIVE, DELETING, UPDATING, ...
  /// @{
  /// The field of this name in DynamoDB's TableDescription (`key_schema` is KeySchema, and so on).
  /// `attribute_definitions` gives the type of every key attribute of the table and its indexes.
  std::vector<KeySchemaElement> key_schema;
  std::vector<AttributeDefinition> attribute_definitions;
  /// @}
  std::int64_t item_count = 0;  ///< DynamoDB updates it about every six hours
  /// The table's size, updated as item_count is.
  std::int64_t table_size_bytes = 0;
  std::string billing_mode;  ///< PAY_PER_REQUEST or PROVISIONED (may be empty on old tables)
  /// The table's capacities; DynamoDB reports zeros for an on-demand table.
  std::optional<ProvisionedThroughput> provisioned_throughput;
  /// CreationDateTime: seconds since the epoch; 0 when the answer had none.
  double creation_date_time = 0;
  /// @{
  /// GlobalSecondaryIndexes and LocalSecondaryIndexes (empty when the table has none).
  std::vector<SecondaryIndexDescription> global_secondary_indexes;
  std::vector<SecondaryIndexDescription> local_secondary_indexes;
  /// @}

  /// The global or local index of this name, or nullptr.
  const SecondaryIndexDescription* find_index(const std::string& name) const {
    for (const auto* list : {&global_secondary_indexes, &local_secondary_indexes}) {
      for (const auto& i : *list) {
        if (i.index_name == name) return &i;
      }
    }
    return nullptr;
  }
  /// The type of a key attribute of the table or of one of its indexes, if the answer gave it.
  std::optional<ScalarType> attribute_type(const std::string& name) const {
    for (const auto& a : attribute_definitions) {
      if (a.attribute_name == name) return a.attribute_type;
    }
    return std::nullopt;
  }
};

/// A global secondary index to create (CreateTable, UpdateTable).
struct GlobalSecondaryIndex {
  /// @{
  /// The parameter of this name (`index_name` is IndexName, and so on).
  std::string index_name;
  std::vector<KeySchemaElement> key_schema;
  Projection projection;
  /// @}
  /// Its capacities on a PROVISIONED table (required there); empty on an on-demand table.
  std::optional<ProvisionedThroughput> provisioned_throughput;
};
/// A local secondary index to create (CreateTable only: local indexes cannot be added later).
struct LocalSecondaryIndex {
  /// @{
  /// The parameter of this name (`index_name` is IndexName, and so on).
  std::string index_name;
  std::vector<KeySchemaElement> key_schema;
  Projection projection;
  /// @}
};

/// CreateTable's parameters.
struct CreateTableRequest {
  /// @{
  /// CreateTable's parameter of this name (`table_name` is TableName, and so on).
  /// `attribute_definitions` types every key attribute of the table and of its indexes.
  std::string table_name;
  std::vector<KeySchemaElement> key_schema;
  std::vector<AttributeDefinition> attribute_definitions;
  /// @}
  /// @{
  /// Empty: PAY_PER_REQUEST. With both set: PROVISIONED with these capacities.
  std::optional<std::int64_t> read_capacity_units;
  std::optional<std::int64_t> write_capacity_units;
  /// @}
  /// @{
  /// GlobalSecondaryIndexes and LocalSecondaryIndexes; left out of the request when empty.
  std::vector<GlobalSecondaryIndex> global_secondary_indexes;
  std::vector<LocalSecondaryIndex> local_secondary_indexes;
  /// @}
  /// Tags: key -> value; left out of the request when empty.
  std::map<std::string, std::string> tags;
};

/// The billing mode of UpdateTable.
enum class BillingMode { PayPerRequest, Provisioned };

/// UpdateTable's parameters; what is empty is left out of the request. DynamoDB takes one index
/// creation or deletion per call.
struct UpdateTableRequest {
  /// TableName.
  std::string table_name;
  /// BillingMode, when it changes.
  std::optional<BillingMode> billing_mode;
  /// The table's new capacities (PROVISIONED).
  std::optional<ProvisionedThroughput> provisioned_throughput;
  /// The types of the key attributes of an index being created.
  std::vector<AttributeDefinition> attribute_definitions;
  /// @{
  /// GlobalSecondaryIndexUpdates: Create, Delete and Update (new capacities) actions.
  std::vector<GlobalSecondaryIndex> create_global_secondary_indexes;
  std::vector<std::string> delete_global_secondary_indexes;
  std::map<std::string, ProvisionedThroughput> update_global_secondary_indexes;
  /// @}
};

/// DescribeTimeToLive's TimeToLiveDescription.
struct TimeToLiveDescription {
  /// ENABLING, ENABLED, DISABLING or DISABLED.
  std::string time_to_live_status = "DISABLED";
  /// The attribute holding each item's expiry time; empty when time to live was never set.
  std::string attribute_name;
};

/// UpdateTimeToLive's TimeToLiveSpecification, sent and answered.
struct TimeToLiveSpecification {
  /// The attribute holding each item's expiry time, in seconds since the epoch.
  std::string attribute_name;
  /// Whether time to live is on.
  bool enabled = false;
};
/// ListTables' parameters.
struct ListTablesRequest {
  /// @{
  /// ListTables' parameter of this name; empty ones are left out of the request.
  std::string exclusive_start_table_name;
  std::optional<int> limit;
  /// @}
};
/// ListTables' answer.
struct ListTablesResult {
  /// This page's table names.
  std::vector<std::string> table_names;
  std::string last_evaluated_table_name;  ///< empty on the last page
};

}  // namespace dynamodb_mapping
