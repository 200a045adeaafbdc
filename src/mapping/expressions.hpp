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
#include "dynamodb_mapping/path.hpp"
#include "dynamodb_mapping/types.hpp"
#include "dynamodb_mapping/update.hpp"

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

/// Placeholders derived from content: "#_n" and ":_v" followed by 16 hex digits of a hash of
/// the name, or of the value's identity (so 1 and 1.0 share one). The same name or value always
/// gets the same placeholder, so expressions built apart merge without renaming.
std::string name_placeholder(const std::string& name, AttributeNames& names);
std::string value_placeholder(const Value& value, Item& values);
/// "#_n...#_n...[3]" for a path, its names registered; ValidationError for an empty name or a
/// negative index.
std::string path_expression(const Path& path, AttributeNames& names);

/// Whether one path is the other or lies inside it (DynamoDB refuses two actions on such paths).
bool overlaps(const Path& a, const Path& b);

/// One UpdateItem expression for `update` (SET, REMOVE, ADD and DELETE clauses); with a version
/// attribute, also SET it one higher (starting from 1). ValidationError, before sending, for no
/// action, overlapping paths, an action on the version attribute, ADD or DELETE below the top
/// level, an operand of the wrong type, or an invalid value.
Expression render_update(const Update& update, const std::string& version_attribute = {});

/// modify_item's changes as an Update: SET for values, REMOVE for `remove`, in name order.
/// ValidationError for an empty attribute name (the Update's own checks come at rendering).
Update changes_update(const Changes& changes);

/// Optimistic locking for a put of `item` on `attribute`: returns the condition (the stored
/// version is the one the item carries, or there is no such attribute when it carries none) and
/// sets the item's version to the next one (1 for a new item). TypeError when the item's version
/// is not an integer Number.
Condition versioned_put(Item& item, const std::string& attribute);

/// The KeyConditionExpression of a query: partition = value, and the sort condition if any.
Expression key_condition(const std::string& partition_name, const Value& partition,
                         const std::string& sort_name, const std::optional<SortCondition>& sort);

}  // namespace dynamodb_mapping::detail
