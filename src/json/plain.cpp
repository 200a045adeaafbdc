#include "dynamodb_mapping/json.hpp"
#include "json/wire.hpp"
#include "json/writer.hpp"

namespace dynamodb_mapping {

namespace {

using detail::Path;

// JSON's number grammar (RFC 8259): stricter than Number's, which also takes "+1", ".5", "1.".
bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  const std::size_t int_start = i;
  const std::size_t int_digits = digits();
  if (int_digits == 0 || (int_digits > 1 && s[int_start] == '0')) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}

Number plain_number(std::string_view raw, const Path& where) {
  // simdjson's raw token runs up to the next token: drop the whitespace after the number.
  while (!raw.empty() &&
         (raw.back() == ' ' || raw.back() == '\n' || raw.back() == '\r' || raw.back() == '\t')) {
    raw.remove_suffix(1);
  }
  if (!is_json_number(raw)) {
    throw DecodeError("plain JSON: malformed number at " + where.render());
  }
  try {
    return Number(raw);
  } catch (const ValidationError& e) {
    throw ValidationError("attribute " + where.render() + ": " + e.message());
  }
}

Value decode_plain(simdjson::ondemand::value v, const Path& where);

Map decode_plain_object(simdjson::ondemand::object obj, const Path& where) {
  Map m;
  for (auto field : obj) {
    std::string name(field.unescaped_key().value());
    const Path path = where.child(name);
    Value v = decode_plain(field.value(), path);
    if (!m.try_emplace(std::move(name), std::move(v)).second) {
      throw DecodeError("plain JSON: duplicate name at " + path.render());
    }
  }
  return m;
}

List decode_plain_array(simdjson::ondemand::array arr, const Path& where) {
  List list;
  for (auto e : arr) list.push_back(decode_plain(e.value(), where.element(list.size())));
  return list;
}

// Works for both a document (the root) and a value, which simdjson keeps as distinct types.
template <class Node>
Value decode_plain_node(Node&& v, const Path& where) {
  if (where.depth > detail::kMaxDecodeDepth) {
    throw DecodeError("plain JSON: nested deeper than " + std::to_string(detail::kMaxDecodeDepth) +
                      " levels at " + where.render());
  }
  switch (v.type()) {
    case simdjson::ondemand::json_type::object:
      return decode_plain_object(v.get_object(), where);
    case simdjson::ondemand::json_type::array:
      return decode_plain_array(v.get_array(), where);
    case simdjson::ondemand::json_type::string:
      return std::string(std::string_view(v.get_string()));
    case simdjson::ondemand::json_type::number:
      return plain_number(v.raw_json_token(), where);
    case simdjson::ondemand::json_type::boolean:
      return bool(v.get_bool());
    case simdjson::ondemand::json_type::null:
      if (!v.is_null()) throw DecodeError("plain JSON: malformed literal at " + where.render());
      return nullptr;
  }
  throw DecodeError("plain JSON: unexpected token at " + where.render());
}

Value decode_plain(simdjson::ondemand::value v, const Path& where) {
  return decode_plain_node(v, where);
}

void append_plain(std::string& out, const Value& v);

template <class Range, class F>
void append_array(std::string& out, const Range& members, F&& member) {
  detail::append_joined(out, '[', members, member, ']');
}

void append_plain_map(std::string& out, const Map& m) {
  detail::append_object(out, m, [&](const Value& v) { append_plain(out, v); });
}

void append_plain(std::string& out, const Value& v) {
  auto base64 = [&](const Binary& b) { detail::append_quoted_base64(out, b); };
  switch (v.type()) {
    case Value::Type::Null:
      out += "null";
      return;
    case Value::Type::Bool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Value::Type::Number:
      out += v.as_number().text();
      return;
    case Value::Type::String:
      detail::append_json_string(out, v.as_string());
      return;
    case Value::Type::Binary:
      base64(v.as_binary());
      return;
    case Value::Type::StringSet:
      append_array(out, v.as_string_set(),
                   [&](const std::string& s) { detail::append_json_string(out, s); });
      return;
    case Value::Type::NumberSet:
      append_array(out, v.as_number_set(), [&](const Number& n) { out += n.text(); });
      return;
    case Value::Type::BinarySet:
      append_array(out, v.as_binary_set(), base64);
      return;
    case Value::Type::List:
      append_array(out, v.as_list(), [&](const Value& e) { append_plain(out, e); });
      return;
    case Value::Type::Map:
      append_plain_map(out, v.as_map());
      return;
  }
}

}  // namespace

std::string to_plain_json(const Value& value) {
  std::string out;
  append_plain(out, value);
  return out;
}

std::string to_plain_json(const Item& item) {
  std::string out;
  append_plain_map(out, item);
  return out;
}

Value value_from_plain_json(std::string_view json) {
  return detail::with_document(json, "plain JSON", [](simdjson::ondemand::document& doc) {
    return decode_plain_node(doc, Path{});
  });
}

Item item_from_plain_json(std::string_view json) {
  return detail::with_document(json, "plain JSON", [](simdjson::ondemand::document& doc) {
    simdjson::ondemand::object obj;
    const auto error = doc.get_object().get(obj);
    if (error == simdjson::INCORRECT_TYPE)
      throw DecodeError("plain JSON: an item must be a JSON object");
    if (error)
      throw DecodeError(std::string("plain JSON: malformed JSON (") +
                        simdjson::error_message(error) + ")");
    return decode_plain_object(obj, Path{});
  });
}

}  // namespace dynamodb_mapping
