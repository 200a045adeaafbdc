// Key: the primary key of one item; and the errors about keys: KeyError (no item has the key)
// and BatchError (a bulk call that could not do every key).
#pragma once

#include <concepts>
#include <cstddef>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

/// The primary key of one item: the partition key value, plus the sort key value for tables
/// that have one. Any single value converts implicitly (`mapping["id"]`, `mapping[42]`); a
/// composite key is written `mapping[{"user-1", "2026-11-24"}]`.
struct DDBMAP_API Key {
  /// The partition (hash) key value.
  Value partition;
  /// The sort (range) key value, for tables that have a sort key.
  std::optional<Value> sort;

  Key() = default;
  /// A key of a table without a sort key.
  template <class T>
  requires std::constructible_from<Value, T> Key(T&& partition_value)
      : partition(std::forward<T>(partition_value)) {}
  /// A key of a table with a sort key.
  Key(Value partition_value, Value sort_value)
      : partition(std::move(partition_value)), sort(std::move(sort_value)) {}

  /// Same values (as Values compare, not as DynamoDB compares keys).
  friend bool operator==(const Key&, const Key&) = default;
};

/// Prints the partition value as plain JSON, or `[partition, sort]` for a composite key.
DDBMAP_API std::ostream& operator<<(std::ostream& os, const Key& key);

/// No item has the key: thrown by `at`, by reading `mapping[key]`, by `pop`, by `del_item`, by
/// assigning an attribute of an absent item and by `mapping[key].erase("attr")`. Code "KeyError";
/// `table()` names the table and `operation()` the call that found no item. An Error like every
/// other (it is not a std::out_of_range: one `catch (const Error&)` sees it).
class DDBMAP_API KeyError : public Error {
 public:
  /// `operation` is the DynamoDB call that found no item ("GetItem", "DeleteItem",
  /// "UpdateItem"); `http_status` and `request_id` are that call's answer's.
  KeyError(const std::string& operation, const std::string& table, const Key& key,
           int http_status = 0, std::string request_id = {});
  ErrorKind kind() const noexcept override { return ErrorKind::KeyNotFound; }
  /// The key that has no item.
  const Key& key() const noexcept { return key_; }

 private:
  Key key_;
};

/// A bulk write (`update`, `clear`) or bulk read (`get_many`) that could not finish. Every key of
/// the call is in exactly one of three groups: done (counted by `succeeded()`), certainly not
/// done (`failed()`: DynamoDB kept returning it unprocessed, or refused the request that carried
/// it before applying anything), and `unknown()`: the last request carrying it failed in a way
/// that may have been applied (a lost answer, a 5xx, AmbiguousOutcomeError), so it may or may not
/// have been written; read it to find out. Reads are never unknown. `message()` gives the exact
/// counts and the last error seen.
class DDBMAP_API BatchError : public Error {
 public:
  /// `operation` names what was done to each key ("writes to T", "reads from T").
  BatchError(const std::string& operation, std::size_t succeeded, std::vector<Key> failed,
             std::vector<Key> unknown, const std::string& reason);
  ErrorKind kind() const noexcept override { return ErrorKind::Batch; }
  /// Every key not known to be done: failed() and then unknown().
  const std::vector<Key>& keys() const noexcept { return keys_; }
  /// The keys certainly not written (or not read).
  std::span<const Key> failed() const noexcept { return {keys_.data(), failed_}; }
  /// The keys whose write may or may not have been applied.
  std::span<const Key> unknown() const noexcept {
    return {keys_.data() + failed_, keys_.size() - failed_};
  }
  /// How many keys were written (or read), duplicates counted once.
  std::size_t succeeded() const noexcept { return succeeded_; }
  /// succeeded() + keys().size(): every distinct key of the call.
  std::size_t total() const noexcept { return succeeded_ + keys_.size(); }

 private:
  // The counts come before keys_: the constructor reads the vectors' sizes before moving them.
  std::size_t failed_;
  std::size_t succeeded_;
  std::vector<Key> keys_;
};

}  // namespace dynamodb_mapping
