// The JSON helpers shared by the encoders and decoders of every operation (protocol.cpp,
// protocol_items.cpp, protocol_pages.cpp, protocol_tables.cpp). Internal to src/client.
#pragma once

#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "client/protocol.hpp"
#include "json/wire.hpp"
#include "json/writer.hpp"

namespace dynamodb_mapping::detail::protocol {

namespace od = simdjson::ondemand;

// Writes one JSON object member by member; optional members are skipped when empty.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string& out) : out_(out) { out_ += '{'; }
  ~ObjectWriter() { out_ += '}'; }
  ObjectWriter(const ObjectWriter&) = delete;
  ObjectWriter& operator=(const ObjectWriter&) = delete;

  std::string& key(std::string_view k) {
    if (!first_) out_ += ',';
    first_ = false;
    append_json_string(out_, k);
    out_ += ':';
    return out_;
  }
  void string(std::string_view k, std::string_view v) { append_json_string(key(k), v); }
  void string_if(std::string_view k, std::string_view v) {
    if (!v.empty()) string(k, v);
  }
  void boolean(std::string_view k, bool v) { key(k) += v ? "true" : "false"; }
  void true_if(std::string_view k, bool v) {
    if (v) boolean(k, true);
  }
  void integer(std::string_view k, std::int64_t v) { key(k) += std::to_string(v); }
  void item(std::string_view k, const Item& v) { append_wire_item(key(k), v); }
  void item_if(std::string_view k, const Item& v) {
    if (!v.empty()) item(k, v);
  }
  void names_if(std::string_view k, const AttributeNames& names) {
    if (names.empty()) return;
    append_object(key(k), names, [&](const std::string& v) { append_json_string(out_, v); });
  }
  template <class Range, class F>
  void array(std::string_view k, const Range& range, F&& each) {
    append_joined(key(k), '[', range, each, ']');
  }

 private:
  std::string& out_;
  bool first_ = true;
};

// ---- writing ----

/// The members Put, Update, Delete and ConditionCheck share, in single and transactional calls.
void write_conditions(ObjectWriter& w, const std::string& condition, const AttributeNames& names,
                      const Item& values, bool return_item_on_failure);
/// "ReturnValues", unless it is NONE (DynamoDB's default).
void write_return_values(ObjectWriter& w, ReturnValues v);

// ---- parsing (each throws DecodeError on a value of the wrong shape) ----

/// Throws DecodeError "DynamoDB response: <what>".
[[noreturn]] void unexpected(const char* what);
std::string get_string(od::value v);
Item get_item(od::value v);
std::vector<Item> get_items(od::value v);

// Calls `on_field(key, value)` for each member of the response's top-level object.
template <class F>
void for_each_field(od::document& doc, F&& on_field) {
  od::object obj;
  if (doc.get_object().get(obj)) unexpected("expected a JSON object");
  for (auto field : obj) {
    const std::string_view k = field.unescaped_key();
    on_field(k, field.value());
  }
}

template <class F>
void for_each_member(od::value v, F&& on_field) {
  for (auto field : v.get_object()) {
    const std::string_view k = field.unescaped_key();
    on_field(k, field.value());
  }
}

template <class Result, class F>
Result parse_response(std::string_view json, F&& on_field) {
  return with_document(json, "DynamoDB response", [&](od::document& doc) {
    Result r;
    for_each_field(doc, [&](std::string_view k, od::value v) { on_field(r, k, v); });
    return r;
  });
}

}  // namespace dynamodb_mapping::detail::protocol
