#include "json/wire.hpp"

#include "dynamodb_mapping/json.hpp"
#include "json/writer.hpp"

namespace dynamodb_mapping {
namespace detail {

namespace {

template <class SetT, class F>
void append_set(std::string& out, std::string_view tag, const SetT& set, F&& member) {
  out += "{\"";
  out += tag;
  out += "\":";
  append_joined(out, '[', set, member, ']');
  out += '}';
}

[[noreturn]] void bad(const Path& where, const std::string& what) {
  throw DecodeError("attribute " + where.render() + ": " + what);
}

Number decode_number(std::string_view text, const Path& where) {
  try {
    return Number(text);
  } catch (const ValidationError& e) {
    bad(where, e.message());
  }
}

Binary decode_binary(std::string_view text, const Path& where) {
  try {
    return base64_decode(text);
  } catch (const DecodeError& e) {
    bad(where, e.message());
  }
}

template <class T, class F>
Set<T> decode_set(simdjson::ondemand::value v, const Path& where, F&& member) {
  simdjson::ondemand::array arr;
  if (v.get_array().get(arr)) bad(where, "a set must be a JSON array");
  std::vector<T> members;
  for (auto element : arr) members.push_back(member(element.value()));
  try {
    return Set<T>(std::move(members));
  } catch (const ValidationError& e) {
    bad(where, e.message());
  }
}

std::string_view get_string(simdjson::ondemand::value v, const Path& where, std::string_view tag) {
  std::string_view s;
  if (v.get_string().get(s)) bad(where, "\"" + std::string(tag) + "\" must hold a JSON string");
  return s;
}

}  // namespace

void append_quoted_base64(std::string& out, const Binary& b) {
  out += '"';
  out += base64_encode(b);
  out += '"';
}

void append_wire_value(std::string& out, const Value& v) {
  switch (v.type()) {
    case Value::Type::Null:
      out += "{\"NULL\":true}";
      return;
    case Value::Type::Bool:
      out += v.as_bool() ? "{\"BOOL\":true}" : "{\"BOOL\":false}";
      return;
    case Value::Type::Number:
      out += "{\"N\":\"";
      out += v.as_number().text();  // JSON number syntax: nothing to escape
      out += "\"}";
      return;
    case Value::Type::String:
      out += "{\"S\":";
      append_json_string(out, v.as_string());
      out += '}';
      return;
    case Value::Type::Binary:
      out += "{\"B\":";
      append_quoted_base64(out, v.as_binary());
      out += '}';
      return;
    case Value::Type::StringSet:
      append_set(out, "SS", v.as_string_set(),
                 [&](const std::string& s) { append_json_string(out, s); });
      return;
    case Value::Type::NumberSet:
      append_set(out, "NS", v.as_number_set(), [&](const Number& n) {
        out += '"';
        out += n.text();
        out += '"';
      });
      return;
    case Value::Type::BinarySet:
      append_set(out, "BS", v.as_binary_set(),
                 [&](const Binary& b) { append_quoted_base64(out, b); });
      return;
    case Value::Type::List:
      out += "{\"L\":";
      append_joined(
          out, '[', v.as_list(), [&](const Value& e) { append_wire_value(out, e); }, ']');
      out += '}';
      return;
    case Value::Type::Map:
      out += "{\"M\":";
      append_wire_item(out, v.as_map());
      out += '}';
      return;
  }
}

void append_wire_item(std::string& out, const Item& item) {
  append_object(out, item, [&](const Value& v) { append_wire_value(out, v); });
}

Value decode_wire_value(simdjson::ondemand::value v, const Path& where) {
  if (where.depth > kMaxDecodeDepth) {
    bad(where, "nested deeper than " + std::to_string(kMaxDecodeDepth) + " levels");
  }
  simdjson::ondemand::object obj;
  if (v.get_object().get(obj))
    bad(where, "an AttributeValue must be a JSON object such as {\"S\":\"x\"}");
  Value result;
  bool seen = false;
  for (auto field : obj) {
    if (seen) bad(where, "an AttributeValue must have exactly one type tag");
    seen = true;
    const std::string_view tag = field.unescaped_key();
    simdjson::ondemand::value inner = field.value();
    if (tag == "S") {
      result = std::string(get_string(inner, where, tag));
    } else if (tag == "N") {
      result = decode_number(get_string(inner, where, tag), where);
    } else if (tag == "B") {
      result = decode_binary(get_string(inner, where, tag), where);
    } else if (tag == "BOOL") {
      bool b = false;
      if (inner.get_bool().get(b)) bad(where, "\"BOOL\" must hold true or false");
      result = b;
    } else if (tag == "NULL") {
      bool b = false;
      if (inner.get_bool().get(b) || !b) bad(where, "\"NULL\" must hold true");
      result = nullptr;
    } else if (tag == "SS") {
      result = decode_set<std::string>(inner, where, [&](simdjson::ondemand::value e) {
        return std::string(get_string(e, where, "SS member"));
      });
    } else if (tag == "NS") {
      result = decode_set<Number>(inner, where, [&](simdjson::ondemand::value e) {
        return decode_number(get_string(e, where, "NS member"), where);
      });
    } else if (tag == "BS") {
      result = decode_set<Binary>(inner, where, [&](simdjson::ondemand::value e) {
        return decode_binary(get_string(e, where, "BS member"), where);
      });
    } else if (tag == "L") {
      simdjson::ondemand::array arr;
      if (inner.get_array().get(arr)) bad(where, "\"L\" must hold a JSON array");
      List list;
      for (auto e : arr) {
        list.push_back(decode_wire_value(e.value(), where.element(list.size())));
      }
      result = std::move(list);
    } else if (tag == "M") {
      simdjson::ondemand::object m;
      if (inner.get_object().get(m)) bad(where, "\"M\" must hold a JSON object");
      result = decode_wire_item(m, where);
    } else {
      bad(where, "unknown AttributeValue type tag \"" + std::string(tag.substr(0, 20)) + "\"");
    }
  }
  if (!seen) bad(where, "an AttributeValue must have a type tag; {} has none");
  return result;
}

Item decode_wire_item(simdjson::ondemand::object obj, const Path& where) {
  Item item;
  for (auto field : obj) {
    std::string name(field.unescaped_key().value());
    const Path path = where.child(name);
    Value v = decode_wire_value(field.value(), path);
    // try_emplace leaves `name` (which `path` views) untouched when the key is already there.
    if (!item.try_emplace(std::move(name), std::move(v)).second)
      bad(path, "duplicate attribute name");
  }
  return item;
}

}  // namespace detail

std::string to_wire_json(const Value& value) {
  std::string out;
  detail::append_wire_value(out, value);
  return out;
}

std::string to_wire_json(const Item& item) {
  std::string out;
  detail::append_wire_item(out, item);
  return out;
}

Value value_from_wire_json(std::string_view json) {
  return detail::with_document(json, "wire JSON", [](simdjson::ondemand::document& doc) {
    return detail::decode_wire_value(doc.get_value(), detail::Path{});
  });
}

Item item_from_wire_json(std::string_view json) {
  return detail::with_document(json, "wire JSON", [](simdjson::ondemand::document& doc) {
    simdjson::ondemand::object obj;
    const auto error = doc.get_object().get(obj);
    if (error == simdjson::INCORRECT_TYPE)
      throw DecodeError("wire JSON: an item must be a JSON object");
    if (error)
      throw DecodeError(std::string("wire JSON: malformed JSON (") +
                        simdjson::error_message(error) + ")");
    return detail::decode_wire_item(obj, detail::Path{});
  });
}

}  // namespace dynamodb_mapping
