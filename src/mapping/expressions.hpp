// Expression rendering for the container: conditions merged with their placeholders,
// projections, the update expression of a set of changes, optimistic locking and key
// conditions. Pure functions of their arguments (no server, no schema): unit-tested in
// tests/expressions_test.cpp.
//
// Placeholders the library generates start with an underscore ("#_pk", ":_v0"), which keeps them
// apart from the ones users write in their own conditions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dynamodb_mapping/condition.hpp"
#include "dynamodb_mapping/types.hpp"

namespace dynamodb_mapping::detail {

inline constexpr const char* kPartitionName = "#_pk";
inline constexpr const char* kSortName = "#_sk";
inline constexpr const char* kVersionName = "#_ver";

/// An expression with the placeholders it uses.
struct Expression {
  std::string text;
  AttributeNames names;
  Item values;
};

/// ANDs condition `c` into `expression` (parenthesising both sides), adding its placeholders;
/// ValidationError when a placeholder is already there with another meaning. An empty `c` is
/// no change.
void merge_condition(std::string& expression, AttributeNames& names, Item& values,
                     const Condition& c);

/// "#_p0, #_p1" for the attribute names, registering them in `names`. DynamoDB refuses a path
/// named twice, so repeats are dropped.
std::string projection_expression(const std::vector<std::string>& attributes,
                                  AttributeNames& names);

/// One UpdateItem expression for a set of changes: SET for values, REMOVE for `remove`; with a
/// version attribute, also SET it one higher (starting from 1). ValidationError for an empty
/// attribute name or an invalid value.
Expression update_from_changes(const Changes& changes, const std::string& version_attribute = {});

/// Optimistic locking for a put of `item` on `attribute`: returns the condition (the stored
/// version is the one the item carries, or there is no such attribute when it carries none) and
/// sets the item's version to the next one (1 for a new item). TypeError when the item's version
/// is not an integer Number.
Condition versioned_put(Item& item, const std::string& attribute);

/// The KeyConditionExpression of a query: partition = value, and the sort condition if any.
Expression key_condition(const std::string& partition_name, const Value& partition,
                         const std::string& sort_name, const std::optional<SortCondition>& sort);

}  // namespace dynamodb_mapping::detail
