// The decimal analysis behind Number: shared by number.cpp and the item-size computation.
#pragma once

#include <string>
#include <string_view>

namespace dynamodb_mapping::detail {

/// A decimal number as sign, significant digits and the power of ten of the first digit:
/// -1.50E3 is {negative, "15", 3}. Zero has no digits.
struct Decimal {
  bool negative = false;
  std::string digits;
  long long exponent = 0;
  bool is_zero() const { return digits.empty(); }
};

/// Parses `[+-]?(D+(.D*)?|.D+)([eE][+-]?D+)?` into a Decimal and writes the same number in JSON
/// syntax to `json_text` (no '+', no leading zeros, no bare '.'). Returns false when the text
/// does not match the grammar. Range and digit-count checks are the caller's.
bool parse_decimal(std::string_view text, Decimal& out, std::string& json_text);

}  // namespace dynamodb_mapping::detail
