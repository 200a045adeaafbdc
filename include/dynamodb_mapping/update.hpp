// Update: the actions of one UpdateItem, built without writing an expression:
// `Update().set("state", "paid").add("count", 1).remove(Path("tmp")["x"])`.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/path.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

/// The actions of one UpdateItem, all applied at once, atomically, by DynamoDB. Each names a
/// path; two actions on the same or overlapping paths (`a` and `a.b`) are refused before
/// sending, as DynamoDB would refuse them. Values are checked (DynamoDB's rules) when the update
/// is sent: see DynamoDBMapping::update_item.
class DDBMAP_API Update {
 public:
  /// What one action does.
  enum class Action {
    Set,             ///< SET path = value
    SetIfNotExists,  ///< SET path = if_not_exists(path, value)
    Increment,       ///< SET path = if_not_exists(path, 0) + value
    Append,          ///< SET path = list_append(if_not_exists(path, []), value)
    Prepend,         ///< SET path = list_append(value, if_not_exists(path, []))
    Remove,          ///< REMOVE path
    Add,             ///< ADD path value (a Number added, or set elements added)
    DeleteFrom,      ///< DELETE path value (set elements removed)
  };
  /// One action on one path.
  struct Step {
    /// What it does.
    Action action = Action::Set;
    /// Where.
    Path path;
    /// The operand (none for Remove).
    Value value;
  };

  /// SET path = value.
  Update& set(Path path, Value value) {
    return push(Action::Set, std::move(path), std::move(value));
  }
  /// SET path = value unless the attribute exists (it keeps its value then).
  Update& set_if_not_exists(Path path, Value value) {
    return push(Action::SetIfNotExists, std::move(path), std::move(value));
  }
  /// Adds `by` (a Number, negative to subtract) to the number at `path`, from 0 when absent:
  /// SET with arithmetic, so it works on nested paths too.
  Update& increment(Path path, Value by = 1) {
    return push(Action::Increment, std::move(path), std::move(by));
  }
  /// Appends the elements of `elements` (a List) to the List at `path` (an empty List when
  /// absent).
  Update& append(Path path, Value elements) {
    return push(Action::Append, std::move(path), std::move(elements));
  }
  /// Puts the elements of `elements` (a List) in front of the List at `path`.
  Update& prepend(Path path, Value elements) {
    return push(Action::Prepend, std::move(path), std::move(elements));
  }
  /// REMOVE path: the attribute, Map member or List element goes (no error when absent).
  Update& remove(Path path) { return push(Action::Remove, std::move(path), {}); }
  /// ADD: adds a Number to the Number at `path` (0 when absent), or the elements of a set to the
  /// set at `path` (created when absent). A top-level attribute only (DynamoDB's rule).
  Update& add(Path path, Value value) {
    return push(Action::Add, std::move(path), std::move(value));
  }
  /// DELETE: removes the elements of a set from the set at `path`. A top-level attribute only.
  Update& delete_from(Path path, Value elements) {
    return push(Action::DeleteFrom, std::move(path), std::move(elements));
  }

  /// The actions, in the order given.
  const std::vector<Step>& steps() const noexcept { return steps_; }
  /// Whether there is no action.
  bool empty() const noexcept { return steps_.empty(); }
  /// Whether applying the update twice leaves the item as applying it once: only SET to values
  /// (plain or if_not_exists), REMOVE and DELETE are; ADD, increments and list appends are not.
  /// Only an idempotent update is sent again after an attempt whose answer was lost: any other
  /// gets AmbiguousOutcomeError instead (README, "Retries and lost answers").
  [[nodiscard]] bool idempotent() const noexcept;
  /// Throws ValidationError for what update_item would refuse without knowing the table: no
  /// action, overlapping paths, an empty name or negative index, ADD/DELETE below the top level,
  /// an operand of the wrong type, an invalid value.
  void validate() const;

 private:
  Update& push(Action a, Path p, Value v) {
    steps_.push_back(Step{a, std::move(p), std::move(v)});
    return *this;
  }
  std::vector<Step> steps_;
};

}  // namespace dynamodb_mapping
