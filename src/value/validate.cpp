#include "dynamodb_mapping/validate.hpp"

#include <simdjson.h>

#include "value/number_parse.hpp"
#include "value/path.hpp"

namespace dynamodb_mapping {

namespace {

using detail::Path;

bool valid_utf8(std::string_view s) {
  return simdjson::validate_utf8(s.data(), s.size());
}

[[noreturn]] void fail(const Path& path, const std::string& what) {
  throw ValidationError("attribute " + path.render() + ": " + what);
}

void check(const Value& v, const Path& path, int depth) {
  switch (v.type()) {
    case Value::Type::String:
      if (!valid_utf8(v.as_string())) fail(path, "string is not valid UTF-8");
      break;
    case Value::Type::StringSet:
      if (v.as_string_set().empty()) fail(path, "empty string set (DynamoDB rejects empty sets)");
      for (const auto& s : v.as_string_set()) {
        if (!valid_utf8(s)) fail(path, "string set member is not valid UTF-8");
      }
      break;
    case Value::Type::NumberSet:
      if (v.as_number_set().empty()) fail(path, "empty number set (DynamoDB rejects empty sets)");
      break;
    case Value::Type::BinarySet:
      if (v.as_binary_set().empty()) fail(path, "empty binary set (DynamoDB rejects empty sets)");
      break;
    case Value::Type::List:
    case Value::Type::Map:
      if (depth + 1 > kMaxNestingDepth) {
        fail(path, "nesting deeper than " + std::to_string(kMaxNestingDepth) +
                       " levels (the item is level 1, each List or Map inside adds one)");
      }
      if (v.is_list()) {
        std::size_t i = 0;
        for (const Value& e : v.as_list()) check(e, path.element(i++), depth + 1);
      } else {
        for (const auto& [k, e] : v.as_map()) {
          // DynamoDB refuses an empty attribute name at any depth, and with it the whole
          // request (a whole batch, for BatchWriteItem).
          if (k.empty()) fail(path, "empty attribute name (map key) inside the map");
          const Path child = path.child(k);
          if (!valid_utf8(k)) fail(child, "map key is not valid UTF-8");
          check(e, child, depth + 1);
        }
      }
      break;
    default:
      break;  // Null, Bool, Number and Binary are valid by construction.
  }
}

std::size_t number_size(const Number& n) {
  detail::Decimal d;
  std::string ignored;
  detail::parse_decimal(n.text(), d, ignored);
  return (d.digits.size() + 1) / 2 + 1;
}

std::size_t value_size(const Value& v) {
  switch (v.type()) {
    case Value::Type::Null:
    case Value::Type::Bool:
      return 1;
    case Value::Type::Number:
      return number_size(v.as_number());
    case Value::Type::String:
      return v.as_string().size();
    case Value::Type::Binary:
      return v.as_binary().size();
    case Value::Type::StringSet: {
      std::size_t sum = 0;
      for (const auto& s : v.as_string_set()) sum += s.size();
      return sum;
    }
    case Value::Type::NumberSet: {
      std::size_t sum = 0;
      for (const auto& n : v.as_number_set()) sum += number_size(n);
      return sum;
    }
    case Value::Type::BinarySet: {
      std::size_t sum = 0;
      for (const auto& b : v.as_binary_set()) sum += b.size();
      return sum;
    }
    case Value::Type::List: {
      std::size_t sum = 3;
      for (const Value& e : v.as_list()) sum += 1 + value_size(e);
      return sum;
    }
    case Value::Type::Map: {
      std::size_t sum = 3;
      for (const auto& [k, e] : v.as_map()) sum += 1 + k.size() + value_size(e);
      return sum;
    }
  }
  return 0;
}

}  // namespace

std::size_t item_size(const Item& item) {
  std::size_t sum = 0;
  for (const auto& [name, v] : item) sum += name.size() + value_size(v);
  return sum;
}

void validate_value(const Value& value) {
  const Path root;
  check(value, root, 1);
}

void validate_item(const Item& item) {
  const Path root;
  for (const auto& [name, v] : item) {
    const Path path = root.child(name);
    if (name.empty()) throw ValidationError("attribute names must not be empty");
    if (!valid_utf8(name)) fail(path, "attribute name is not valid UTF-8");
    check(v, path, 1);
  }
  const std::size_t size = item_size(item);
  if (size > kMaxItemBytes) {
    throw ValidationError("item size " + std::to_string(size) +
                          " bytes exceeds DynamoDB's limit of " + std::to_string(kMaxItemBytes) +
                          " bytes (400 KB)");
  }
}

}  // namespace dynamodb_mapping
