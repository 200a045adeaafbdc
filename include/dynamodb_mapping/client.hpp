// Client: one typed call per DynamoDB operation the library uses, with signing, retries and
// typed errors. DynamoDBMapping is built on it; it is public for what the container does not
// cover.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "dynamodb_mapping/capacity.hpp"
#include "dynamodb_mapping/client_config.hpp"
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

/// Counters of what a Client has done, for tests, benchmarks and monitoring.
struct ClientStats {
  std::uint64_t requests = 0;     ///< HTTP requests sent, retries included
  std::uint64_t retries = 0;      ///< of which retries
  std::uint64_t connections = 0;  ///< TCP connections opened
  /// Exceptions thrown by ClientConfig::on_request, caught and dropped.
  std::uint64_t observer_failures = 0;
};

/// A DynamoDB client. Retries are outcome-aware: a request is sent again only where that cannot
/// change the answer (README, "Retries and lost answers"); a write whose attempt may have been
/// applied, and whose outcome the retries cannot settle, throws AmbiguousOutcomeError, never a
/// failure, a condition failure or "not found" that its own earlier attempt may have caused.
/// Its calls are const: a Client is a handle, and what they change (the
/// connection pool, credentials cache, statistics) is shared, thread-safe state. Cheap to copy
/// (copies share connections, credentials and statistics) and safe to use from many threads at
/// once. Construction resolves region, endpoint and the credentials provider but sends nothing;
/// credentials are fetched on the first call. Every call throws a subclass of Error:
/// ValidationError for requests refused by the client or the service, the service error classes in
/// error.hpp, NetworkError after the last attempt, CredentialsError when no credentials can be had,
/// DecodeError for a malformed response.
class DDBMAP_API Client {
 public:
  /// Resolves region, endpoint, CA bundle, attempts and the credentials provider from `config`
  /// and the standard chains (README, "Configuration"); throws ConfigError when they are
  /// unusable. Sends nothing.
  explicit Client(ClientConfig config = {});

  /// GetItem.
  GetItemResult get_item(const GetItemRequest& request) const;
  /// PutItem.
  WriteItemResult put_item(const PutItemRequest& request) const;
  /// UpdateItem; retried after a lost answer only when `request.idempotent`.
  WriteItemResult update_item(const UpdateItemRequest& request) const;
  /// DeleteItem.
  WriteItemResult delete_item(const DeleteItemRequest& request) const;
  /// One page; see QueryPages for all pages.
  Page query(const QueryRequest& request) const;
  /// One page; see ScanPages for all pages.
  Page scan(const ScanRequest& request) const;
  /// One BatchGetItem request; what DynamoDB leaves unprocessed is returned, not retried here.
  BatchGetItemResult batch_get_item(const BatchGetItemRequest& request) const;
  /// One BatchWriteItem request; what DynamoDB leaves unprocessed is returned, not retried here.
  BatchWriteItemResult batch_write_item(const BatchWriteItemRequest& request) const;
  /// TransactGetItems; throws TransactionCanceledError when DynamoDB cancels it.
  TransactGetItemsResult transact_get_items(const std::vector<TransactGetItem>& items) const;
  /// TransactWriteItems; throws TransactionCanceledError when DynamoDB cancels it.
  void transact_write_items(const TransactWriteItemsRequest& request) const;
  /// DescribeTable.
  TableDescription describe_table(const std::string& table_name) const;
  /// CreateTable; returns at once, with the table usually still CREATING.
  TableDescription create_table(const CreateTableRequest& request) const;
  /// DeleteTable.
  TableDescription delete_table(const std::string& table_name) const;
  /// UpdateTimeToLive.
  TimeToLiveSpecification update_time_to_live(const std::string& table_name,
                                              const TimeToLiveSpecification& spec) const;
  /// UpdateTable; returns at once, with the table (or a new index) usually still UPDATING
  /// (CREATING). After a lost answer a refused retry is AmbiguousOutcomeError.
  TableDescription update_table(const UpdateTableRequest& request) const;
  /// DescribeTimeToLive.
  TimeToLiveDescription describe_time_to_live(const std::string& table_name) const;
  /// One page of ListTables.
  ListTablesResult list_tables(const ListTablesRequest& request = {}) const;

  /// The resolved region.
  const std::string& region() const;
  /// The resolved endpoint URL.
  const std::string& endpoint_url() const;
  /// What this Client and its copies have done so far.
  ClientStats stats() const;

  // ---- consumed capacity (ClientConfig::track_consumed_capacity) ----
  /// The capacity the requests of this Client and its copies consumed, per table and index,
  /// since the start or the last reset, as DynamoDB reported it. All zero when tracking is off.
  /// Counts every answer that came back (a retry's too, and pages fetched ahead but never read:
  /// all were billed); not attempts whose answer was lost, nor refused requests (a failed
  /// condition is billed, but its error carries no ConsumedCapacity). Client::call is not
  /// counted. Sends nothing.
  CapacityTotals consumed_capacity() const;
  /// The totals of one table (all zero if it has none). Sends nothing.
  TableCapacity consumed_capacity(const std::string& table_name) const;
  /// Sets every total to zero. A request in flight during the reset counts after it.
  void reset_consumed_capacity() const;
  /// Sets one table's totals to zero (CapacityTotals::answers and unreadable_answers stay).
  void reset_consumed_capacity(const std::string& table_name) const;
  // ---- PartiQL ----
  /// One ExecuteStatement request (one page; follow `next_token` for the next). Checks before
  /// sending: a statement of 1 to 8192 bytes, valid parameter values, a positive limit, a
  /// next_token of at most 32768 bytes (ValidationError). A SELECT is retried like any read; a
  /// write is not sent again after an attempt that may have been applied, and an answer that
  /// cannot be read is then AmbiguousOutcomeError rather than DecodeError. DynamoDB's
  /// DuplicateItemException (an INSERT of a key that exists) is a ConditionalCheckFailedError
  /// whose code() is the server's ("DuplicateItemException"; "DuplicateItem" from DynamoDB Local).
  ExecuteStatementResult execute_statement(const ExecuteStatementRequest& request) const;
  /// One BatchExecuteStatement request: a response per statement, failures included (a failed
  /// statement does not throw). Checks as execute_statement for each statement, and 1 to 25 of
  /// them. A batch with any write is not sent again after an attempt that may have been applied.
  BatchExecuteStatementResult batch_execute_statement(
      const BatchExecuteStatementRequest& request) const;

  /// Sends one operation with a raw JSON body and returns the raw JSON response, with signing,
  /// retries and error mapping: for operations this class has no typed call for.
  std::string call(const std::string& operation, const std::string& body) const;

 private:
  struct DDBMAP_NO_EXPORT Impl;  // src/client/client_impl.hpp; not part of the ABI
  std::shared_ptr<Impl> impl_;
};

/// All pages of a Query or Scan, fetched one at a time as `next()` is called: at most one page is
/// in memory. The request's options (projection, filter, limit per page, ...) apply to every page.
template <class Request>
class DDBMAP_API Pages {
 public:
  /// A walk that starts at `request.exclusive_start_key`; nothing is sent before next().
  Pages(Client client, Request request)
      : client_(std::move(client)), request_(std::move(request)) {}
  /// The next page, or nullopt after the last one. Throws ProtocolError "RepeatedPageToken" when
  /// the server hands out a page token it gave before in this walk.
  std::optional<Page> next();

 private:
  Client client_;
  Request request_;
  bool done_ = false;
  std::unordered_set<std::uint64_t> seen_tokens_;  // 64-bit hashes of the tokens followed
};
/// All pages of a Query.
using QueryPages = Pages<QueryRequest>;
/// All pages of a Scan.
using ScanPages = Pages<ScanRequest>;

extern template class Pages<QueryRequest>;
extern template class Pages<ScanRequest>;

}  // namespace dynamodb_mapping
