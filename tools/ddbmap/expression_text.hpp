// Paths, conditions and sort-key conditions typed on the command line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb_mapping/dynamodb_mapping.hpp"

namespace ddbmap {

/// "a.b[3].c": names separated by dots, List indexes in brackets. "\." "\[" "\=" "\ " and "\\"
/// stand for those characters inside a name. Throws InputError.
dynamodb_mapping::Path parse_path(std::string_view text);

/// Splits "PATH=JSON" at the first unescaped '='; the path is parsed, the JSON is left as text.
std::pair<dynamodb_mapping::Path, std::string> split_assignment(std::string_view text);

/// A value given as JSON: plain JSON, or DynamoDB's typed form with `wire`. With `as_set`, a
/// JSON array of Strings, of Numbers or of Binary values is a set (for ADD and DELETE). Throws
/// InputError naming `where`.
dynamodb_mapping::Value parse_value(const std::string& json, bool wire, const std::string& where,
                                    bool as_set = false);

/// "PATH OP OPERAND": OP is one of = <> != < <= > >= (OPERAND is a JSON value), between (a JSON
/// array of two values), in (a JSON array of 1 to 100 values), begins_with, contains (a JSON
/// value), exists, not_exists (no operand), type (a type code: S N B BOOL NULL L M SS NS BS).
/// Throws InputError.
dynamodb_mapping::Condition parse_condition(std::string_view text, bool wire);

/// "= X", "< X", "<= X", "> X", ">= X", "between A B", "begins_with P", the values read as the
/// sort key's type (S as text, N as a number, B as base64). Throws InputError.
dynamodb_mapping::SortCondition parse_sort(std::string_view text,
                                           const dynamodb_mapping::AttributeDefinition& sort_key);

}  // namespace ddbmap
