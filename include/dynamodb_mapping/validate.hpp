// Client-side checks that DynamoDB would otherwise make after a round trip.
#pragma once

#include <cstddef>

#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

/// DynamoDB's maximum item size, 400 KB (Developer Guide, "Service, account, and table quotas").
inline constexpr std::size_t kMaxItemBytes = 400 * 1024;
/// DynamoDB's maximum nesting depth, 32 levels (Developer Guide, "Service, account, and table
/// quotas"). The item itself is level 1 and each List or Map inside adds one, so an attribute may
/// hold at most 31 containers inside each other; DynamoDB Local 3.3.0 counts the same way.
inline constexpr int kMaxNestingDepth = 32;

/// The item's size as DynamoDB counts it (Developer Guide, "DynamoDB item sizes and formats"):
/// attribute names and strings by UTF-8 bytes, binary by raw bytes, numbers one byte per two
/// significant digits plus one, null and bool one byte, Lists and Maps three bytes plus one per
/// element, set members summed. DynamoDB calls the number rule approximate.
DDBMAP_API std::size_t item_size(const Item& item);

/// Throws ValidationError, naming the attribute path, when `value` cannot be stored: an empty
/// set, a string or Map key that is not valid UTF-8, or nesting deeper than kMaxNestingDepth.
DDBMAP_API void validate_value(const Value& value);

/// validate_value for every attribute, plus: attribute names must be non-empty valid UTF-8 and
/// the item must not exceed 400 KB by item_size().
DDBMAP_API void validate_item(const Item& item);

}  // namespace dynamodb_mapping
