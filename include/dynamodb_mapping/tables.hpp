// Tables: create, describe, update and delete a table and its indexes, each change waited for
// until DynamoDB has done it (bounded by a timeout). Free functions on a Client; the specs are
// checked before anything is sent.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb_mapping/client.hpp"
#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/types.hpp"

namespace dynamodb_mapping {

/// A key attribute of a table or index: its name and type.
struct KeyAttribute {
  /// The attribute's name (1 to 255 bytes).
  std::string name{};
  /// Its type: String (S), Number (N) or Binary (B).
  ScalarType type = ScalarType::String;
  /// The same name and type.
  friend bool operator==(const KeyAttribute&, const KeyAttribute&) = default;
};

/// A secondary index of a TableSpec, or one to add with add_global_index.
struct IndexSpec {
  /// The index's name (3 to 255 characters of a-z, A-Z, 0-9, '_', '-', '.').
  std::string name{};
  /// Its partition key; a local index's must be the table's.
  KeyAttribute partition_key{};
  /// Its sort key; a local index needs one.
  std::optional<KeyAttribute> sort_key{};
  /// Which attributes it holds besides the keys (default ALL).
  Projection projection{};
  /// A global index of a provisioned table: its capacities (default: the table's). Must be empty
  /// on an on-demand table and for local indexes.
  std::optional<ProvisionedThroughput> capacity{};
};

/// Everything create_table needs to know about a table.
struct TableSpec {
  /// The table's name (3 to 255 characters of a-z, A-Z, 0-9, '_', '-', '.').
  std::string name{};
  /// The partition key.
  KeyAttribute partition_key{};
  /// The sort key, if any.
  std::optional<KeyAttribute> sort_key{};
  /// Empty: on demand (PAY_PER_REQUEST); else PROVISIONED with these capacities (1 or more each).
  std::optional<ProvisionedThroughput> provisioned{};
  /// @{
  /// Secondary indexes: at most 20 global and 5 local ones, names unique among both.
  std::vector<IndexSpec> global_indexes{};
  std::vector<IndexSpec> local_indexes{};
  /// @}
  /// When not empty, time to live is turned on for this attribute once the table is ACTIVE.
  std::string ttl_attribute{};
  /// Tags (at most 50; keys 1 to 128 characters, values up to 256).
  std::map<std::string, std::string> tags{};
};

/// How long and how the waiting functions wait.
struct WaitOptions {
  /// Give up with WaitTimeoutError after this long.
  std::chrono::milliseconds timeout = std::chrono::minutes(10);
  /// @{
  /// The pause between two DescribeTable polls starts at `first_delay` and doubles up to
  /// `max_delay`.
  std::chrono::milliseconds first_delay = std::chrono::milliseconds(50);
  std::chrono::milliseconds max_delay = std::chrono::seconds(2);
  /// @}
  /// Asked at least every 100 ms while waiting; true stops the wait with CancelledError.
  std::function<bool()> should_stop{};
  /// Called after each poll with the status seen ("CREATING", or "not found") and the time
  /// waited so far: for progress display. What it throws ends the wait.
  std::function<void(const std::string& status, std::chrono::milliseconds waited)> on_poll{};
};

/// What describe_table_and_ttl returns: DescribeTable's answer and DescribeTimeToLive's.
struct TableInfo {
  /// DescribeTable's answer: schema, indexes, counts, sizes, status, capacities.
  TableDescription table;
  /// DescribeTimeToLive's answer; empty when the server does not offer the operation.
  std::optional<TimeToLiveDescription> time_to_live;
};

/// Throws ValidationError when `spec` is one DynamoDB would refuse (names, key attributes,
/// index rules and limits, capacities, tags), naming what is wrong. Sends nothing.
DDBMAP_API void validate_table_spec(const TableSpec& spec);

/// The CreateTableRequest for `spec` (after validate_table_spec): key schema, attribute
/// definitions for every key attribute of the table and its indexes, billing, indexes, tags.
DDBMAP_API CreateTableRequest create_table_request(const TableSpec& spec);

/// Creates the table and waits until it and its global indexes are ACTIVE, then turns on time
/// to live when `spec.ttl_attribute` is set. Costs one CreateTable, DescribeTable polls, and one
/// UpdateTimeToLive. A bad spec is a ValidationError with nothing sent; an existing table is
/// ResourceInUseError. When the CreateTable answer is lost and the outcome is ambiguous, the
/// table is described: a table of that name with the spec's key schema and indexes counts as
/// created (it cannot be told from an identical one created at the same moment by someone else);
/// one that differs is ResourceInUseError; none at all rethrows the AmbiguousOutcomeError.
/// Returns the table's description once everything is ACTIVE.
DDBMAP_API TableDescription create_table(const Client& client, const TableSpec& spec,
                                         const WaitOptions& wait = {});

/// One DescribeTable and one DescribeTimeToLive (left empty when the server does not offer it).
DDBMAP_API TableInfo describe_table_and_ttl(const Client& client, const std::string& table);

/// Deletes the table and waits until DescribeTable no longer finds it. One DeleteTable plus
/// polls. A missing table is ResourceNotFoundError; after a lost answer whose retry finds the
/// table gone or DELETING, the delete counts as done.
DDBMAP_API void delete_table(const Client& client, const std::string& table,
                             const WaitOptions& wait = {});

/// Switches the table to on-demand billing (`capacity` empty) or to provisioned capacity (or
/// changes it), then waits until the table is ACTIVE again. A provisioned table's global indexes
/// get the same capacities. One UpdateTable plus polls; capacities of 0 or less are a
/// ValidationError with nothing sent.
DDBMAP_API TableDescription update_capacity(const Client& client, const std::string& table,
                                            const std::optional<ProvisionedThroughput>& capacity,
                                            const WaitOptions& wait = {});

/// Adds a global secondary index and waits until it is ACTIVE and filled. One DescribeTable (for
/// the billing mode and key types), one UpdateTable, then polls. A bad index spec is a
/// ValidationError with nothing sent, or, where it depends on the table (a key type that differs
/// from the table's, capacities on an on-demand table), with only the DescribeTable sent. After a
/// lost answer an index of that name with the same key schema counts as added.
DDBMAP_API TableDescription add_global_index(const Client& client, const std::string& table,
                                             const IndexSpec& index, const WaitOptions& wait = {});

/// Removes a global secondary index and waits until DescribeTable no longer lists it. One
/// UpdateTable plus polls; after a lost answer an index that is gone or DELETING counts as
/// removed.
DDBMAP_API TableDescription remove_global_index(const Client& client, const std::string& table,
                                                const std::string& index,
                                                const WaitOptions& wait = {});

/// Polls DescribeTable until the table and all its global indexes are ACTIVE (none backfilling);
/// WaitTimeoutError when `wait.timeout` runs out first. A table not found yet is waited for
/// (DynamoDB's metadata is eventually consistent); a table being deleted is an Error
/// "TableDeleting".
DDBMAP_API TableDescription wait_until_active(const Client& client, const std::string& table,
                                              const WaitOptions& wait = {});

/// Polls DescribeTable until it answers ResourceNotFound; WaitTimeoutError when `wait.timeout`
/// runs out first.
DDBMAP_API void wait_until_deleted(const Client& client, const std::string& table,
                                   const WaitOptions& wait = {});

/// Every table name, from all pages of ListTables. ProtocolError "RepeatedPageToken" when a
/// page token repeats.
DDBMAP_API std::vector<std::string> list_all_tables(const Client& client);

}  // namespace dynamodb_mapping
