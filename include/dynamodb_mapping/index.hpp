// IndexView: a read-only view of a secondary index, from `mapping.index("name")`.
#pragma once

#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb_mapping/condition.hpp"
#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/key.hpp"
#include "dynamodb_mapping/options.hpp"
#include "dynamodb_mapping/results.hpp"
#include "dynamodb_mapping/types.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

namespace detail {
struct MappingState;
}

/// A global or local secondary index of a mapping's table, read-only, with the index's own key:
/// its partition and sort key are the index's, read from DescribeTable once (on first use of
/// any index of the mapping, then kept). Making one sends nothing. Index keys are not unique:
/// `find` returns a range. The items hold what the index projects (ALL, KEYS_ONLY or INCLUDE:
/// `projection()`); ask for more and DynamoDB refuses (global) or fetches it from the table at
/// extra cost (local). A global index is eventually consistent: a consistent read of one is a
/// ValidationError before sending, and MappingOptions::default_consistent_read does not apply to
/// it. A handle, like the mapping: it shares the mapping's state and stays valid without it.
class DDBMAP_API IndexView {
 public:
  /// The index's name.
  const std::string& name() const noexcept { return name_; }
  /// The index's key attributes and types, partition first.
  [[nodiscard]] std::vector<AttributeDefinition> key_definitions() const;
  /// Whether this is a global secondary index (else local).
  [[nodiscard]] bool global() const;
  /// ALL, KEYS_ONLY or INCLUDE, and for INCLUDE the non-key attributes the index holds.
  [[nodiscard]] std::pair<std::string, std::vector<std::string>> projection() const;

  /// The items of one index partition, in index sort-key order, optionally limited by a
  /// condition on the index sort key: a lazy paged Query with IndexName.
  [[nodiscard]] Results<Item> query(const Value& partition,
                                    std::optional<SortCondition> sort = std::nullopt,
                                    const QueryOptions& options = {}) const;
  /// Every item whose index key is `key` (partition, or {partition, sort} for an index with a
  /// sort key): a Query; several items may share an index key.
  [[nodiscard]] Results<Item> find(const Key& key, const QueryOptions& options = {}) const;
  /// Every item of the index: a lazy paged Scan with IndexName (parallel with `segments`).
  [[nodiscard]] Results<Item> values(const ScanOptions& options = {}) const;
  /// Range-for over every item of the index.
  [[nodiscard]] Results<Item>::iterator begin() const { return values().begin(); }
  /// The end of the range-for.
  std::default_sentinel_t end() const { return {}; }

 private:
  friend class DynamoDBMapping;
  IndexView(std::shared_ptr<detail::MappingState> state, std::string name)
      : state_(std::move(state)), name_(std::move(name)) {}
  std::shared_ptr<detail::MappingState> state_;
  std::string name_;
};

}  // namespace dynamodb_mapping
