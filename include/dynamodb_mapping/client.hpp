// Client: one typed call per DynamoDB operation the library uses, with signing, retries and
// typed errors. DynamoDBMapping is built on it; it is public for what the container does not
// cover. The calls' parameter and result structs are in requests.hpp (items) and
// table_requests.hpp (tables).
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
#include "dynamodb_mapping/requests.hpp"
#include "dynamodb_mapping/statement.hpp"
#include "dynamodb_mapping/table_requests.hpp"
#include "dynamodb_mapping/types.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

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
