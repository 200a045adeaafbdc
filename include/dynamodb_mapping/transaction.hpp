// Transaction: writes to several items of one table applied all or nothing.
#pragma once

#include <cstddef>
#include <memory>

#include "dynamodb_mapping/condition.hpp"
#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/key.hpp"
#include "dynamodb_mapping/options.hpp"
#include "dynamodb_mapping/update.hpp"

namespace dynamodb_mapping {

namespace detail {
struct MappingState;
}

/// What a transaction action returns when its condition fails (DynamoDB's
/// ReturnValuesOnConditionCheckFailure): nothing, or the item as it was, which then travels in
/// the action's CancellationReason::item of the TransactionCanceledError.
enum class OnConditionFailure {
  ReturnNothing,  ///< NONE
  ReturnItem,     ///< ALL_OLD
};

/// A set of writes applied all or nothing (TransactWriteItems, up to 100 actions), from
/// `mapping.transaction()`. The builder calls only record an action (validating it); `commit()`
/// sends them. A transaction that is dropped with actions and without commit() is a bug: on a
/// temporary the builder calls are [[nodiscard]] (`m.transaction().put(k, i);` warns), and when
/// the library itself is built in Debug (CMAKE_BUILD_TYPE=Debug defines
/// DDBMAP_CHECK_TRANSACTIONS for it), destroying one that was never committed nor `abandon()`ed
/// aborts with a message. Adding an action after commit() or to a moved-from transaction throws
/// ValidationError. Move-only; it shares the mapping's client, so it may outlive the mapping.
class DDBMAP_API Transaction {
 public:
  /// Takes over the actions of `other`, which is left empty.
  Transaction(Transaction&&) noexcept;
  /// Takes over the actions of `other`; this one's own are checked as if it were destroyed.
  Transaction& operator=(Transaction&&) noexcept;
  ~Transaction();

  /// Puts `item` under `key` (optimistic locking applies as for a single put). With
  /// `on_failure` = ReturnItem, a failed condition puts the stored item into the cancellation's
  /// reason for this action (so for all the builder calls).
  Transaction& put(const Key& key, Item item, WriteOptions options = {},
                   OnConditionFailure on_failure = OnConditionFailure::ReturnNothing) &;
  /// Puts `item` under `key`, on a temporary transaction: chain on to commit().
  [[nodiscard]] Transaction&& put(
      const Key& key, Item item, WriteOptions options = {},
      OnConditionFailure on_failure = OnConditionFailure::ReturnNothing) &&;
  /// Changes some attributes of the item (as modify_item, version bumped).
  Transaction& modify(const Key& key, const Changes& changes, WriteOptions options = {},
                      OnConditionFailure on_failure = OnConditionFailure::ReturnNothing) &;
  /// modify, on a temporary transaction: chain on to commit().
  [[nodiscard]] Transaction&& modify(
      const Key& key, const Changes& changes, WriteOptions options = {},
      OnConditionFailure on_failure = OnConditionFailure::ReturnNothing) &&;
  /// Applies `update` to the item (as update_item; version bumped). Not idempotent updates are
  /// fine here: a transaction is never applied twice (its idempotency token).
  Transaction& update(const Key& key, const Update& update, WriteOptions options = {},
                      OnConditionFailure on_failure = OnConditionFailure::ReturnNothing) &;
  /// update, on a temporary transaction: chain on to commit().
  [[nodiscard]] Transaction&& update(
      const Key& key, const Update& update, WriteOptions options = {},
      OnConditionFailure on_failure = OnConditionFailure::ReturnNothing) &&;
  /// Deletes the item.
  Transaction& erase(const Key& key, WriteOptions options = {},
                     OnConditionFailure on_failure = OnConditionFailure::ReturnNothing) &;
  /// erase, on a temporary transaction: chain on to commit().
  [[nodiscard]] Transaction&& erase(
      const Key& key, WriteOptions options = {},
      OnConditionFailure on_failure = OnConditionFailure::ReturnNothing) &&;
  /// A condition on an item that is not written.
  Transaction& check(const Key& key, Condition condition,
                     OnConditionFailure on_failure = OnConditionFailure::ReturnNothing) &;
  /// check, on a temporary transaction: chain on to commit().
  [[nodiscard]] Transaction&& check(
      const Key& key, Condition condition,
      OnConditionFailure on_failure = OnConditionFailure::ReturnNothing) &&;

  /// Sends the transaction (one TransactWriteItems, one idempotency token across its retries):
  /// TransactionCanceledError when any condition fails or another transaction conflicts. Its
  /// reasons() has one entry per action, in the order they were added, each with the action's
  /// kind and key, and the stored item where the action asked for it (OnConditionFailure);
  /// failed() lists the actions that failed, and what() names them. Whatever it throws, the
  /// transaction counts as committed afterwards.
  void commit();
  /// Drops the recorded actions without sending anything.
  void abandon() noexcept;
  /// How many actions are recorded.
  [[nodiscard]] std::size_t size() const noexcept;

 private:
  friend class DynamoDBMapping;
  struct DDBMAP_NO_EXPORT Actions;
  /// The actions, for adding one: ValidationError when moved from or already committed.
  DDBMAP_NO_EXPORT Actions& live();
  DDBMAP_NO_EXPORT explicit Transaction(std::shared_ptr<detail::MappingState> m);
  std::shared_ptr<detail::MappingState> mapping_;
  std::unique_ptr<Actions> actions_;
};

}  // namespace dynamodb_mapping
