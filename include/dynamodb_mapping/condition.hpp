// Conditions and changes: a condition or filter expression with its placeholders, the changes
// of modify_item, and the sort-key conditions of a query.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <variant>

#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/types.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

/// A condition or filter expression with its placeholders, e.g.
/// `{"#n > :min", {{"#n", "price"}}, {{":min", 10}}}`. Write attribute names as \#placeholders:
/// reserved words such as `name` or `size` cannot appear in an expression as they are.
/// Placeholders starting with an underscore (`#_x`, `:_x`) are the library's own.
struct DDBMAP_API Condition {
  /// The expression, in DynamoDB's condition grammar.
  std::string expression;
  /// "#placeholder" -> attribute name.
  AttributeNames names;
  /// ":placeholder" -> value.
  Item values;

  /// attribute_exists(attribute)
  static Condition exists(const std::string& attribute);
  /// attribute_not_exists(attribute)
  static Condition not_exists(const std::string& attribute);
  /// attribute = value
  static Condition equals(const std::string& attribute, Value value);
};

/// Marks an attribute for removal in `modify_item`: `{{"old", remove}}`.
struct Remove {
  /// There is one Remove.
  friend bool operator==(Remove, Remove) { return true; }
};
/// The one Remove value.
inline constexpr Remove remove{};

/// One attribute change of `modify_item`: a value to SET, or `remove`.
using Change = std::variant<Value, Remove>;
/// Attribute name -> change.
using Changes = std::map<std::string, Change>;

/// A condition on the sort key, for `query`.
struct SortCondition {
  /// The comparison.
  enum class Op { Eq, Lt, Le, Gt, Ge, Between, BeginsWith };
  /// The comparison of this condition.
  Op op = Op::Eq;
  /// The value compared with (the lower bound for Between, the prefix for BeginsWith).
  Value value;
  /// The upper bound, for Between only.
  Value upper;

  /// sort key = v
  static SortCondition eq(Value v) { return {Op::Eq, std::move(v), {}}; }
  /// sort key < v
  static SortCondition lt(Value v) { return {Op::Lt, std::move(v), {}}; }
  /// sort key <= v
  static SortCondition le(Value v) { return {Op::Le, std::move(v), {}}; }
  /// sort key > v
  static SortCondition gt(Value v) { return {Op::Gt, std::move(v), {}}; }
  /// sort key >= v
  static SortCondition ge(Value v) { return {Op::Ge, std::move(v), {}}; }
  /// low <= sort key <= high
  static SortCondition between(Value low, Value high) {
    return {Op::Between, std::move(low), std::move(high)};
  }
  /// The sort key (a String or Binary) starts with `prefix`.
  static SortCondition begins_with(Value prefix) { return {Op::BeginsWith, std::move(prefix), {}}; }
};

}  // namespace dynamodb_mapping
