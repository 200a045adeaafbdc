// Conditions and changes: a condition or filter expression with its placeholders (written by
// hand, or built: `Path("price") < 10 && attribute_exists("stock")`), the changes of modify_item,
// and the sort-key conditions of a query.
#pragma once

#include <concepts>
#include <map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/path.hpp"
#include "dynamodb_mapping/types.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

/// A condition or filter expression with its placeholders, e.g.
/// `{"#n > :min", {{"#n", "price"}}, {{":min", 10}}}`. Write attribute names as \#placeholders:
/// reserved words such as `name` or `size` cannot appear in an expression as they are.
/// Placeholders starting with an underscore (`#_x`, `:_x`) are the library's own.
///
/// Or build one, with no placeholder to write: `Path("price") < 10`, `between(Path("n"), 1, 9)`,
/// `attribute_exists("stock") && !(Path("state") == "closed")`. Built conditions name every path
/// and value by a placeholder derived from its content, so any two of them combine with `&&`,
/// `||` and `!` (and with hand-written ones, unless a placeholder would get two meanings: then
/// ValidationError).
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

/// `a AND b` (an empty side is left out); ValidationError when a placeholder would mean two things.
DDBMAP_API Condition operator&&(const Condition& a, const Condition& b);
/// `a OR b`; ValidationError as for &&, and when a side is empty.
DDBMAP_API Condition operator||(const Condition& a, const Condition& b);
/// `NOT c`; ValidationError when `c` is empty.
DDBMAP_API Condition operator!(const Condition& c);

/// A comparison of DynamoDB's condition grammar.
enum class Comparison { Eq, Ne, Lt, Le, Gt, Ge };

/// `size(path)`: the length of a String or Binary, the number of elements of a set, List or Map.
/// Compare it with a Number: `size(Path("tags")) > 2`.
struct Size {
  /// The attribute measured.
  Path path;
};
/// size(path), to compare.
inline Size size(Path path) {
  return Size{std::move(path)};
}

/// `path op value`.
DDBMAP_API Condition compare(const Path& path, Comparison op, const Value& value);
/// `size(path) op value`.
DDBMAP_API Condition compare(const Size& size, Comparison op, const Value& value);
/// `a op b`: two attributes of the same item compared.
DDBMAP_API Condition compare(const Path& a, Comparison op, const Path& b);

/// @{
/// `path op value` (or `size(path) op value`) as a Condition. Only a Path or a Size on the left:
/// these never stand in for a comparison of two other types.
template <class P>
requires std::same_as<P, Path> || std::same_as<P, Size> Condition operator==(const P& p,
                                                                             const Value& v) {
  return compare(p, Comparison::Eq, v);
}
template <class P>
requires std::same_as<P, Path> || std::same_as<P, Size> Condition operator!=(const P& p,
                                                                             const Value& v) {
  return compare(p, Comparison::Ne, v);
}
template <class P>
requires std::same_as<P, Path> || std::same_as<P, Size> Condition operator<(const P& p,
                                                                            const Value& v) {
  return compare(p, Comparison::Lt, v);
}
template <class P>
requires std::same_as<P, Path> || std::same_as<P, Size> Condition operator<=(const P& p,
                                                                             const Value& v) {
  return compare(p, Comparison::Le, v);
}
template <class P>
requires std::same_as<P, Path> || std::same_as<P, Size> Condition operator>(const P& p,
                                                                            const Value& v) {
  return compare(p, Comparison::Gt, v);
}
template <class P>
requires std::same_as<P, Path> || std::same_as<P, Size> Condition operator>=(const P& p,
                                                                             const Value& v) {
  return compare(p, Comparison::Ge, v);
}
/// @}

/// `low <= path <= high`.
DDBMAP_API Condition between(const Path& path, const Value& low, const Value& high);
/// `path IN (v1, v2, ...)`: 1 to 100 values.
DDBMAP_API Condition in(const Path& path, const std::vector<Value>& values);
/// attribute_exists(path)
DDBMAP_API Condition attribute_exists(const Path& path);
/// attribute_not_exists(path)
DDBMAP_API Condition attribute_not_exists(const Path& path);
/// attribute_type(path, type): the attribute holds a value of that type.
DDBMAP_API Condition attribute_type(const Path& path, Value::Type type);
/// begins_with(path, prefix): a String (or Binary) starting with `prefix`.
DDBMAP_API Condition begins_with(const Path& path, const Value& prefix);
/// contains(path, operand): a String containing a substring, or a set or List containing an
/// element.
DDBMAP_API Condition contains(const Path& path, const Value& operand);

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
