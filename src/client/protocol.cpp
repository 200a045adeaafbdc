// The JSON helpers every operation shares (protocol_json.hpp), and the error document of any
// operation's refusal.
#include "client/protocol.hpp"

#include "client/protocol_json.hpp"
#include "error_text.hpp"

namespace dynamodb_mapping::detail {

namespace protocol {

namespace {

const char* return_values_name(ReturnValues v) {
  switch (v) {
    case ReturnValues::None:
      return "NONE";
    case ReturnValues::AllOld:
      return "ALL_OLD";
    case ReturnValues::UpdatedOld:
      return "UPDATED_OLD";
    case ReturnValues::AllNew:
      return "ALL_NEW";
    case ReturnValues::UpdatedNew:
      return "UPDATED_NEW";
  }
  return "NONE";
}

}  // namespace

void write_conditions(ObjectWriter& w, const std::string& condition, const AttributeNames& names,
                      const Item& values, bool return_item_on_failure) {
  w.string_if("ConditionExpression", condition);
  w.names_if("ExpressionAttributeNames", names);
  w.item_if("ExpressionAttributeValues", values);
  if (return_item_on_failure) w.string("ReturnValuesOnConditionCheckFailure", "ALL_OLD");
}

void write_return_values(ObjectWriter& w, ReturnValues v) {
  if (v != ReturnValues::None) w.string("ReturnValues", return_values_name(v));
}

[[noreturn]] void unexpected(const char* what) {
  throw DecodeError(std::string("DynamoDB response: ") + what);
}

std::string get_string(od::value v) {
  return std::string(std::string_view(v.get_string()));
}

Item get_item(od::value v) {
  od::object obj;
  if (v.get_object().get(obj)) unexpected("expected an item object");
  return decode_wire_item(obj, Path{});
}

std::vector<Item> get_items(od::value v) {
  std::vector<Item> items;
  for (auto e : v.get_array()) items.push_back(get_item(e.value()));
  return items;
}

}  // namespace protocol

using namespace protocol;

ErrorBody decode_error(std::string_view json) {
  // Everything taken as text here ends up in an exception's what(), so it is made printable and
  // capped on the way in (error_text.hpp), straight from simdjson's view: a 10 MB message is
  // never copied whole.
  auto text = [](od::value v, std::size_t cap) {
    return printable_text(std::string_view(v.get_string()), cap);
  };
  try {
    auto body = parse_response<ErrorBody>(json, [&](ErrorBody& e, std::string_view k, od::value v) {
      if (k == "__type") {
        const std::string_view type = v.get_string();
        // npos + 1 == 0: the whole string
        e.code = printable_text(type.substr(type.find('#') + 1), kMaxServerCodeBytes);
      } else if (k == "message" || k == "Message") {
        e.message = text(v, kMaxServerMessageBytes);
      } else if (k == "Item") {
        e.item = std::make_shared<const Item>(get_item(v));
      } else if (k == "CancellationReasons") {
        for (auto r : v.get_array()) {
          CancellationReason reason;
          for_each_member(r.value(), [&](std::string_view rk, od::value rv) {
            if (rk == "Code")
              reason.code = text(rv, kMaxServerCodeBytes);
            else if (rk == "Message")
              reason.message = text(rv, kMaxServerMessageBytes);
            else if (rk == "Item")
              reason.item = std::make_shared<const Item>(get_item(rv));
          });
          e.reasons.push_back(std::move(reason));
        }
      }
    });
    body.parsed = !body.code.empty();
    return body;
  } catch (const Error&) {
    return ErrorBody{};  // not a JSON error document (a proxy's HTML page, a truncated body)
  }
}

}  // namespace dynamodb_mapping::detail
