// The option structs of the container's calls, and of a mapping itself. Every member has a
// default initializer, so designated initializers (`{.consistent_read = true}`) compile cleanly
// under -Wextra.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dynamodb_mapping/condition.hpp"
#include "dynamodb_mapping/types.hpp"
#include "dynamodb_mapping/update.hpp"

namespace dynamodb_mapping {

/// Options for one read (at, find, contains, get_many).
struct ReadOptions {
  /// A strongly consistent read (also on when MappingOptions::default_consistent_read is).
  bool consistent_read = false;
  /// Attributes to return (the key attributes are always added); empty: all. `contains` fetches
  /// only the key attributes whatever this says.
  std::vector<std::string> projection{};
};

/// Options for one write: a condition that must hold, or the write fails with
/// ConditionalCheckFailedError.
struct WriteOptions {
  /// The condition; none: the write is unconditional (apart from optimistic locking).
  std::optional<Condition> condition{};
  /// When the condition fails, the ConditionalCheckFailedError carries the item as it is
  /// (its item(); DynamoDB's ReturnValuesOnConditionCheckFailure=ALL_OLD), at no extra request.
  bool return_item_on_condition_failure = false;
};

/// Options of `update_item`.
struct UpdateOptions {
  /// A condition that must hold, or the update fails with ConditionalCheckFailedError.
  std::optional<Condition> condition{};
  /// Only update an existing item: KeyError when there is none (decided by DynamoDB in the same
  /// call). Off: UpdateItem creates the item, as DynamoDB does.
  bool must_exist = false;
  /// What the call returns: the item after the update (AllNew, the default), before it
  /// (AllOld), only the updated attributes (UpdatedNew, UpdatedOld), or nothing (None).
  ReturnValues returns = ReturnValues::AllNew;
  /// When the condition fails, the ConditionalCheckFailedError carries the item as it is.
  bool return_item_on_condition_failure = false;
};

/// Options of `del_item` (the Python original's delete).
struct DeleteOptions {
  /// KeyError when there is no item under the key, decided by DynamoDB in the same call (a
  /// condition), not by a read first. The original's `check_existing`.
  bool must_exist = true;
};

/// Options for a scan of the whole table.
struct ScanOptions {
  /// Items the scan reads but does not return (billed all the same).
  std::optional<Condition> filter{};
  /// Attributes to return (the key attributes are always added); empty: all.
  std::vector<std::string> projection{};
  /// A strongly consistent scan.
  bool consistent_read = false;
  /// Items per Scan request (DynamoDB's Limit); 0: as many as fit in 1 MB.
  int page_size = 0;
  /// Parallel scan: this many segments scanned at once by as many threads; 1: sequential.
  int segments = 1;
  /// Fetch the next page while the current one is consumed.
  bool prefetch = true;
};

/// Options for a query.
struct QueryOptions {
  /// Items the query reads but does not return.
  std::optional<Condition> filter{};
  /// Attributes to return (the key attributes are always added); empty: all.
  std::vector<std::string> projection{};
  /// A strongly consistent query (not on a global secondary index).
  bool consistent_read = false;
  /// Descending sort-key order.
  bool descending = false;
  /// Items per Query request (DynamoDB's Limit); 0: as many as fit in 1 MB.
  int page_size = 0;
  /// A secondary index to query, by its own key (as `mapping.index(name).query`); empty: the
  /// table.
  std::string index_name{};
};

/// Options of a mapping, fixed at construction.
struct MappingOptions {
  /// Every read (at, find, operator[], iteration, get_many, count) is strongly consistent, as if
  /// its own options asked for it.
  bool default_consistent_read = false;
  /// Optimistic locking: when set, every put checks that this attribute still has the value
  /// the item being written carries (or that the item is new when it carries none) and writes
  /// it incremented by one; a conflict throws ConditionalCheckFailedError.
  std::string version_attribute{};
  /// BatchWriteItem/BatchGetItem requests in flight at once in update, clear and get_many.
  int batch_concurrency = 4;
  /// Rounds of retrying UnprocessedItems/UnprocessedKeys (with backoff) before giving up.
  int batch_max_rounds = 12;
  /// The key schema, when known: saves the DescribeTable call on first use.
  std::vector<KeySchemaElement> key_schema{};
  /// The types of the key attributes of `key_schema`.
  std::vector<AttributeDefinition> key_attribute_types{};
};

}  // namespace dynamodb_mapping
