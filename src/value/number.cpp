#include "dynamodb_mapping/number.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

#include "common/ascii.hpp"
#include "error_text.hpp"
#include "value/number_parse.hpp"

namespace dynamodb_mapping {
namespace detail {

bool parse_decimal(std::string_view text, Decimal& out, std::string& json_text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  const std::size_t int_begin = i;
  while (i < n && is_ascii_digit(text[i])) ++i;
  const std::string_view int_part = text.substr(int_begin, i - int_begin);
  std::string_view frac_part;
  if (i < n && text[i] == '.') {
    const std::size_t frac_begin = ++i;
    while (i < n && is_ascii_digit(text[i])) ++i;
    frac_part = text.substr(frac_begin, i - frac_begin);
  }
  if (int_part.empty() && frac_part.empty()) return false;
  long long exp = 0;
  std::string_view exp_text;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    const std::size_t exp_begin = i++;
    bool exp_negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    const std::size_t digits_begin = i;
    while (i < n && is_ascii_digit(text[i])) {
      // Saturate: any exponent this large is out of range anyway (unless the mantissa is zero).
      if (exp < 1'000'000'000) exp = exp * 10 + (text[i] - '0');
      ++i;
    }
    if (i == digits_begin) return false;
    if (exp_negative) exp = -exp;
    exp_text = text.substr(exp_begin, i - exp_begin);
  }
  if (i != n) return false;

  // Significant digits: all mantissa digits without leading and trailing zeros.
  std::string all(int_part);
  all.append(frac_part);
  const std::size_t first = all.find_first_not_of('0');
  out.negative = negative;
  if (first == std::string::npos) {
    out.digits.clear();
    out.exponent = 0;
  } else {
    const std::size_t last = all.find_last_not_of('0');
    out.digits = all.substr(first, last - first + 1);
    out.exponent =
        static_cast<long long>(int_part.size()) - 1 - static_cast<long long>(first) + exp;
  }

  json_text.clear();
  if (negative) json_text += '-';
  const std::size_t int_nonzero = int_part.find_first_not_of('0');
  if (int_nonzero == std::string_view::npos)
    json_text += '0';
  else
    json_text.append(int_part.substr(int_nonzero));
  if (!frac_part.empty()) {
    json_text += '.';
    json_text.append(frac_part);
  }
  json_text.append(exp_text);
  return true;
}

}  // namespace detail

namespace {

constexpr std::size_t kMaxDigits = 38;
constexpr long long kMinExponent = -130;  // smallest magnitude 1E-130
constexpr long long kMaxExponent = 125;   // largest magnitude 9.99...E+125

std::string quoted(std::string_view text) {
  // Bad input may be huge; the message needs only its start.
  return '"' + detail::printable_text(text, 60) + '"';
}

detail::Decimal parse_checked(std::string_view text, std::string& json_text) {
  detail::Decimal d;
  if (!detail::parse_decimal(text, d, json_text)) {
    throw ValidationError("not a number: " + quoted(text));
  }
  if (d.digits.size() > kMaxDigits) {
    throw ValidationError("number " + quoted(text) + " has " + std::to_string(d.digits.size()) +
                          " significant digits; DynamoDB keeps at most 38");
  }
  if (!d.is_zero() && (d.exponent < kMinExponent || d.exponent > kMaxExponent)) {
    throw ValidationError("number " + quoted(text) +
                          " is out of DynamoDB's range (magnitude 1E-130 to 9.9999999999999999999"
                          "999999999999999999E+125)");
  }
  return d;
}

}  // namespace

Number::Number(std::string_view text) {
  parse_checked(text, text_);
}

Number::Number(double value) {
  if (!std::isfinite(value)) {
    throw ValidationError("DynamoDB numbers cannot be NaN or infinite");
  }
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value);
  parse_checked(std::string_view(buf, static_cast<std::size_t>(res.ptr - buf)), text_);
}

std::string Number::canonical() const {
  detail::Decimal d;
  std::string ignored;
  detail::parse_decimal(text_, d, ignored);
  if (d.is_zero()) return "0";
  std::string out = d.negative ? "-" : "";
  out += d.digits;
  out += 'E';
  out += std::to_string(d.exponent);
  return out;
}

void Number::out_of_range() const {
  throw TypeError("number " + quoted(text_) + " does not fit the requested integer type");
}

namespace {
// The magnitude of an integral Decimal as uint64; false when it is not integral or too large.
bool magnitude_u64(const detail::Decimal& d, std::uint64_t& out) {
  out = 0;
  if (d.is_zero()) return true;
  const long long trailing_zeros = d.exponent - (static_cast<long long>(d.digits.size()) - 1);
  if (trailing_zeros < 0 || d.exponent > 19) return false;
  for (char c : d.digits) {
    if (__builtin_mul_overflow(out, 10u, &out) ||
        __builtin_add_overflow(out, static_cast<unsigned>(c - '0'), &out)) {
      return false;
    }
  }
  for (long long i = 0; i < trailing_zeros; ++i) {
    if (__builtin_mul_overflow(out, 10u, &out)) return false;
  }
  return true;
}
}  // namespace

std::int64_t Number::to_int64() const {
  detail::Decimal d;
  std::string ignored;
  detail::parse_decimal(text_, d, ignored);
  std::uint64_t m = 0;
  if (!magnitude_u64(d, m)) out_of_range();
  constexpr std::uint64_t kMaxPositive = static_cast<std::uint64_t>(INT64_MAX);
  if (d.negative) {
    if (m > kMaxPositive + 1) out_of_range();
    return m == kMaxPositive + 1 ? INT64_MIN : -static_cast<std::int64_t>(m);
  }
  if (m > kMaxPositive) out_of_range();
  return static_cast<std::int64_t>(m);
}

std::uint64_t Number::to_uint64() const {
  detail::Decimal d;
  std::string ignored;
  detail::parse_decimal(text_, d, ignored);
  std::uint64_t m = 0;
  if (!magnitude_u64(d, m) || (d.negative && m != 0)) out_of_range();
  return m;
}

double Number::to_double() const {
  double v = 0;
  std::from_chars(text_.data(), text_.data() + text_.size(), v);
  return v;
}

}  // namespace dynamodb_mapping
