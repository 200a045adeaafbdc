// Number: a DynamoDB number, kept as exact decimal text.
#pragma once

#include <compare>
#include <concepts>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/export.hpp"

namespace dynamodb_mapping {

/// A DynamoDB number: up to 38 significant digits, magnitude 1E-130 to below 1E+126, or zero.
/// The decimal text is kept exactly as given (in JSON number syntax), so values never pass
/// through double unless asked to. Conversions to C++ types are checked and throw TypeError when
/// the value does not fit. Equality is numeric: Number("1.50") == Number("1.5").
class DDBMAP_API Number {
 public:
  /// Zero.
  Number() : text_("0") {}

  /// Parses decimal text such as "42", "-1.5", "1E-130" or "+.5". Throws ValidationError when
  /// the text is not a number, has more than 38 significant digits or is out of DynamoDB's range.
  explicit Number(std::string_view text);

  /// From any C++ integer (not bool): exact.
  template <std::integral T>
  requires(!std::same_as<T, bool>) Number(T value) : Number(integer_text(value)) {}

  /// From a double, using its shortest exact-round-trip decimal form. Throws ValidationError for
  /// NaN, infinity, and magnitudes DynamoDB cannot store (below 1E-130 or from 1E+126 up).
  Number(double value);

  /// The decimal text, in JSON number syntax ("0.5", "1E-130").
  const std::string& text() const noexcept { return text_; }

  /// The value in a canonical form: sign, significant digits and exponent ("-15E-1" for -1.5,
  /// "0" for zero); equal numbers have equal canonical forms.
  std::string canonical() const;

  /// Checked conversion to an integer type: throws TypeError when the number has a fractional
  /// part or does not fit T.
  template <std::integral T>
  requires(!std::same_as<T, bool>) T as()
  const {
    if constexpr (std::is_signed_v<T>) {
      const std::int64_t v = to_int64();
      if (v < std::numeric_limits<T>::min() || v > std::numeric_limits<T>::max()) out_of_range();
      return static_cast<T>(v);
    } else {
      const std::uint64_t v = to_uint64();
      if (v > std::numeric_limits<T>::max()) out_of_range();
      return static_cast<T>(v);
    }
  }

  /// The nearest double (every DynamoDB number is within double's range, so this only rounds).
  template <std::floating_point T>
  T as() const {
    return static_cast<T>(to_double());
  }

  /// @{
  /// What as() uses: to_int64() and to_uint64() throw TypeError when the number has a fractional
  /// part or does not fit, to_double() rounds to the nearest double.
  std::int64_t to_int64() const;
  std::uint64_t to_uint64() const;
  double to_double() const;
  /// @}

  /// Numeric equality: Number("1.50") == Number("1.5").
  friend bool operator==(const Number& a, const Number& b) {
    return a.canonical() == b.canonical();
  }

 private:
  template <class T>
  static std::string integer_text(T value) {
    if constexpr (std::is_signed_v<T>)
      return std::to_string(static_cast<long long>(value));
    else
      return std::to_string(static_cast<unsigned long long>(value));
  }
  [[noreturn]] void out_of_range() const;

  std::string text_;
};

}  // namespace dynamodb_mapping
