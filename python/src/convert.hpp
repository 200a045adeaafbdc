// Conversions between Python objects and the library's values, keys and conditions, as boto3's
// DynamoDB resource layer writes and reads them: numbers as decimal.Decimal, binary as
// dynamodb_mapping.Binary (a bytes subclass), sets as set, lists, dicts, None and bool. All of
// them run with the GIL held.
#pragma once

#include <pybind11/pybind11.h>

#include <dynamodb_mapping/condition.hpp>
#include <dynamodb_mapping/key.hpp>
#include <dynamodb_mapping/path.hpp>
#include <dynamodb_mapping/value.hpp>
#include <optional>
#include <string>
#include <vector>

namespace ddbpy {

namespace py = pybind11;
namespace dm = dynamodb_mapping;

/// The Python types the conversions need (decimal.Decimal, dynamodb_mapping._types.Binary),
/// looked up once when the module is imported.
void init_types();

/// A str as UTF-8; ValidationError for one that cannot be (a lone surrogate).
std::string utf8_of(py::handle obj);

/// A Python value as a DynamoDB value: None, bool, int, decimal.Decimal, a float whose exact
/// value fits DynamoDB's 38 digits, str, bytes/bytearray/Binary (boto3's too), set/frozenset of
/// one of str, numbers or binary, list/tuple, and Mapping with str keys. Raises
/// dynamodb_mapping.UnsupportedTypeError (a TypeError) for any other type or a float that is not
/// exact, ValidationError for what DynamoDB refuses (empty set, mixed set, nesting over 32).
dm::Value to_value(py::handle obj);
/// A Python mapping (str -> value) as an item.
dm::Item to_item(py::handle obj);
/// A key as the original package takes it: one primitive (str, bytes, int, Decimal) for a table
/// with only a partition key, or a tuple (any non-primitive iterable) of one or two values.
dm::Key to_key(py::handle obj);
/// Several keys.
std::vector<dm::Key> to_keys(py::handle iterable);
/// An attribute path: "name" (one attribute, never split on dots), or a sequence of steps
/// ("a", "b", 0) for a.b[0].
dm::Path to_path(py::handle obj);
/// A list of attribute names (a projection): None, one str (one name), or an iterable of str.
std::vector<std::string> to_names(py::handle obj);

/// A DynamoDB value as Python: Decimal, str, Binary, bool, None, set, list, dict.
py::object from_value(const dm::Value& v);
/// An item as a dict.
py::dict from_item(const dm::Item& item);
/// An optional item as a dict or None.
py::object from_optional_item(const std::optional<dm::Item>& item);
/// A key as the original package returns it: the value for a partition-only key, a 2-tuple
/// for a composite key.
py::object from_key(const dm::Key& key);

}  // namespace ddbpy
