// The parameters and results of the Client's item operations: GetItem, PutItem, UpdateItem,
// DeleteItem, Query, Scan, the batches, the transactions and PartiQL. Each struct is the
// operation's request or answer as DynamoDB documents it, with C++ types; Client (client.hpp)
// sends them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/statement.hpp"
#include "dynamodb_mapping/types.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

/// DynamoDB's Select for Query and Scan.
enum class Select { Default, AllAttributes, AllProjectedAttributes, SpecificAttributes, Count };

/// GetItem's parameters.
struct GetItemRequest {
  /// @{
  /// GetItem's parameter of this name (`table_name` is TableName, `key` is Key, and so on).
  std::string table_name;
  Item key;
  bool consistent_read = false;
  std::string projection_expression;
  AttributeNames expression_attribute_names;
  /// @}
};
/// GetItem's answer.
struct GetItemResult {
  std::optional<Item> item;  ///< empty when there is no item with that key
};

/// PutItem's parameters.
struct PutItemRequest {
  /// @{
  /// PutItem's parameter of this name (`table_name` is TableName, `item` is Item, and so on).
  std::string table_name;
  Item item;
  std::string condition_expression;
  AttributeNames expression_attribute_names;
  /// @}
  Item expression_attribute_values;                 ///< ":placeholder" -> Value
  ReturnValues return_values = ReturnValues::None;  ///< None or AllOld
  bool return_item_on_condition_failure = false;    ///< ConditionalCheckFailedError::item()
};
/// UpdateItem's parameters.
struct UpdateItemRequest {
  /// @{
  /// UpdateItem's parameter of this name (`table_name` is TableName, `key` is Key, and so on).
  std::string table_name;
  Item key;
  std::string update_expression;
  std::string condition_expression;
  AttributeNames expression_attribute_names;
  Item expression_attribute_values;
  ReturnValues return_values = ReturnValues::None;
  /// @}
  /// ReturnValuesOnConditionCheckFailure=ALL_OLD: the stored item in
  /// ConditionalCheckFailedError::item().
  bool return_item_on_condition_failure = false;
  /// Applying the update twice leaves the same item as applying it once (only SET to values and
  /// REMOVE). Only such an update is sent again after an attempt that may have been applied but
  /// whose answer was lost; any other (ADD, DELETE, arithmetic, list_append, counters) gets
  /// AmbiguousOutcomeError instead, because a second send could apply it twice.
  bool idempotent = false;
};
/// DeleteItem's parameters.
struct DeleteItemRequest {
  /// @{
  /// DeleteItem's parameter of this name (`table_name` is TableName, `key` is Key, and so on).
  std::string table_name;
  Item key;
  std::string condition_expression;
  AttributeNames expression_attribute_names;
  Item expression_attribute_values;
  /// @}
  ReturnValues return_values = ReturnValues::None;  ///< None or AllOld
  /// ReturnValuesOnConditionCheckFailure=ALL_OLD: the stored item in
  /// ConditionalCheckFailedError::item().
  bool return_item_on_condition_failure = false;
};
/// The result of PutItem, UpdateItem and DeleteItem.
struct WriteItemResult {
  std::optional<Item> attributes;  ///< what ReturnValues asked for, when there was any
};

/// Query's parameters (one page).
struct DDBMAP_API QueryRequest {
  /// @{
  /// Query's parameter of this name (`table_name` is TableName, `index_name` is IndexName, and
  /// so on); an empty string, an empty optional and Select::Default are left out of the request.
  std::string table_name;
  std::string index_name;
  std::string key_condition_expression;
  std::string filter_expression;
  std::string projection_expression;
  AttributeNames expression_attribute_names;
  Item expression_attribute_values;
  std::optional<int> limit;
  bool consistent_read = false;
  bool scan_index_forward = true;
  Select select = Select::Default;
  std::optional<Item> exclusive_start_key;
  /// @}
};
/// Scan's parameters (one page).
struct DDBMAP_API ScanRequest {
  /// @{
  /// Scan's parameter of this name (`table_name` is TableName, `index_name` is IndexName, and
  /// so on); an empty string, an empty optional and Select::Default are left out of the request.
  std::string table_name;
  std::string index_name;
  std::string filter_expression;
  std::string projection_expression;
  AttributeNames expression_attribute_names;
  Item expression_attribute_values;
  std::optional<int> limit;
  bool consistent_read = false;
  Select select = Select::Default;
  std::optional<Item> exclusive_start_key;
  /// @}
  std::optional<int> segment;         ///< parallel scan: this worker's segment
  std::optional<int> total_segments;  ///< parallel scan: how many segments
};
/// One page of Query or Scan.
struct Page {
  /// The items of this page.
  std::vector<Item> items;
  /// @{
  /// Count and ScannedCount: the items returned and the items read before the filter.
  std::int64_t count = 0;
  std::int64_t scanned_count = 0;
  /// @}
  std::optional<Item> last_evaluated_key;  ///< empty on the last page
};

/// The keys of one table in BatchGetItem, and how to read them.
struct KeysAndAttributes {
  /// @{
  /// The parameter of this name (`keys` is Keys, `consistent_read` is ConsistentRead, and so on).
  std::vector<Item> keys;
  bool consistent_read = false;
  std::string projection_expression;
  AttributeNames expression_attribute_names;
  /// @}
};
/// BatchGetItem's parameters.
struct BatchGetItemRequest {
  std::map<std::string, KeysAndAttributes> request_items;  ///< table -> keys (100 at most in all)
};
/// BatchGetItem's answer.
struct BatchGetItemResult {
  /// table -> the items found.
  std::map<std::string, std::vector<Item>> responses;
  /// table -> the keys DynamoDB did not get to; send them again.
  std::map<std::string, KeysAndAttributes> unprocessed_keys;
};

/// One put or delete of BatchWriteItem.
struct WriteRequest {
  /// PutRequest or DeleteRequest.
  enum class Kind { Put, Delete };
  /// Which request this is.
  Kind kind = Kind::Put;
  Item item;  ///< the whole item for Put, the key for Delete
  /// A PutRequest of `item`.
  static WriteRequest put(Item item) { return {Kind::Put, std::move(item)}; }
  /// A DeleteRequest of the item with this key.
  static WriteRequest del(Item key) { return {Kind::Delete, std::move(key)}; }
  /// Same kind and same item.
  friend bool operator==(const WriteRequest&, const WriteRequest&) = default;
};
/// BatchWriteItem's parameters.
struct BatchWriteItemRequest {
  std::map<std::string, std::vector<WriteRequest>> request_items;  ///< 25 at most in all
};
/// BatchWriteItem's answer.
struct BatchWriteItemResult {
  /// table -> the writes DynamoDB did not get to; send them again.
  std::map<std::string, std::vector<WriteRequest>> unprocessed_items;
};

/// One Get of TransactGetItems.
struct TransactGetItem {
  /// @{
  /// The Get's parameter of this name (`table_name` is TableName, `key` is Key, and so on).
  std::string table_name;
  Item key;
  std::string projection_expression;
  AttributeNames expression_attribute_names;
  /// @}

  /// A Get of the whole item with this key.
  static TransactGetItem get(std::string table, Item key) {
    TransactGetItem g;
    g.table_name = std::move(table);
    g.key = std::move(key);
    return g;
  }
};
/// TransactGetItems' answer.
struct TransactGetItemsResult {
  std::vector<std::optional<Item>> items;  ///< in request order; empty where there was no item
};

/// One action of TransactWriteItems.
struct TransactWriteItem {
  /// Put, Update, Delete or ConditionCheck.
  enum class Kind { Put, Update, Delete, ConditionCheck };
  /// Which action this is.
  Kind kind = Kind::Put;
  /// @{
  /// The action's parameter of this name (`table_name` is TableName, and so on).
  std::string table_name;
  /// @}
  Item item;  ///< the item for Put, else the key
  /// @{
  /// The action's parameter of this name (`update_expression` is UpdateExpression, and so on).
  std::string update_expression;
  std::string condition_expression;
  AttributeNames expression_attribute_names;
  Item expression_attribute_values;
  /// @}
  /// ReturnValuesOnConditionCheckFailure=ALL_OLD: the stored item in the action's
  /// CancellationReason::item.
  bool return_item_on_condition_failure = false;

  /// A Put of `item`.
  static TransactWriteItem put(std::string table, Item item) {
    return make(Kind::Put, std::move(table), std::move(item));
  }
  /// An Update of the item with this key.
  static TransactWriteItem update(std::string table, Item key, std::string update_expression) {
    TransactWriteItem t = make(Kind::Update, std::move(table), std::move(key));
    t.update_expression = std::move(update_expression);
    return t;
  }
  /// A Delete of the item with this key.
  static TransactWriteItem del(std::string table, Item key) {
    return make(Kind::Delete, std::move(table), std::move(key));
  }
  /// A ConditionCheck: the transaction is cancelled unless `condition` holds for this key.
  static TransactWriteItem condition_check(std::string table, Item key, std::string condition) {
    TransactWriteItem t = make(Kind::ConditionCheck, std::move(table), std::move(key));
    t.condition_expression = std::move(condition);
    return t;
  }

 private:
  static TransactWriteItem make(Kind kind, std::string table, Item item) {
    TransactWriteItem t;
    t.kind = kind;
    t.table_name = std::move(table);
    t.item = std::move(item);
    return t;
  }
};
/// TransactWriteItems' parameters.
struct TransactWriteItemsRequest {
  /// The actions, 100 at most.
  std::vector<TransactWriteItem> items;
  /// Idempotency token; generated when empty, and kept across this call's retries.
  std::string client_request_token;
};

// ---- PartiQL: ExecuteStatement and BatchExecuteStatement ----

/// ExecuteStatement's parameters (one page). A SELECT is a read, retried freely; any other
/// statement (INSERT, UPDATE, DELETE) is a write and is never sent again after an attempt that
/// may have been applied (AmbiguousOutcomeError instead): an INSERT would then fail on its own
/// item, and `SET n = n + 1` would apply twice.
struct ExecuteStatementRequest {
  /// @{
  /// ExecuteStatement's parameter of this name (`statement` is Statement, `parameters` is
  /// Parameters, and so on); empty ones are left out of the request.
  std::string statement;
  std::vector<Value> parameters;
  bool consistent_read = false;
  std::string next_token;
  std::optional<int> limit;
  /// @}
  /// ReturnValuesOnConditionCheckFailure=ALL_OLD: the stored item in
  /// ConditionalCheckFailedError::item().
  bool return_item_on_condition_failure = false;
};
/// ExecuteStatement's answer (one page).
struct ExecuteStatementResult {
  /// The items of this page (a write returns none, unless it has a RETURNING clause).
  std::vector<Item> items;
  /// The token of the next page; empty on the last page.
  std::string next_token;
  /// LastEvaluatedKey, when DynamoDB sends one; paging follows `next_token`.
  std::optional<Item> last_evaluated_key;
};
/// One statement of BatchExecuteStatement.
struct BatchStatementRequest {
  /// @{
  /// The BatchStatementRequest member of this name (`statement` is Statement, and so on).
  std::string statement;
  std::vector<Value> parameters;
  bool consistent_read = false;
  /// @}
  /// ReturnValuesOnConditionCheckFailure=ALL_OLD: the stored item in
  /// StatementResponse::error_item.
  bool return_item_on_condition_failure = false;
};
/// BatchExecuteStatement's parameters: 1 to 25 statements, all reads or all writes (DynamoDB
/// refuses a mix). Sent again after a lost answer only when every statement is a SELECT.
struct BatchExecuteStatementRequest {
  std::vector<BatchStatementRequest> statements;  ///< 1 to 25
};
/// BatchExecuteStatement's answer: one response per statement, in request order.
struct BatchExecuteStatementResult {
  std::vector<StatementResponse> responses;  ///< in the order of the statements
};

}  // namespace dynamodb_mapping
