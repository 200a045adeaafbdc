// GetItem, PutItem, UpdateItem and DeleteItem: request bodies and answers.
#include "client/protocol.hpp"
#include "client/protocol_json.hpp"

namespace dynamodb_mapping::detail {

using namespace protocol;

// ---- requests ----

std::string encode(const GetItemRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    w.string("TableName", r.table_name);
    w.item("Key", r.key);
    w.true_if("ConsistentRead", r.consistent_read);
    w.string_if("ProjectionExpression", r.projection_expression);
    w.names_if("ExpressionAttributeNames", r.expression_attribute_names);
  }
  return out;
}

std::string encode(const PutItemRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    w.string("TableName", r.table_name);
    w.item("Item", r.item);
    write_conditions(w, r.condition_expression, r.expression_attribute_names,
                     r.expression_attribute_values, r.return_item_on_condition_failure);
    write_return_values(w, r.return_values);
  }
  return out;
}

std::string encode(const UpdateItemRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    w.string("TableName", r.table_name);
    w.item("Key", r.key);
    w.string_if("UpdateExpression", r.update_expression);
    write_conditions(w, r.condition_expression, r.expression_attribute_names,
                     r.expression_attribute_values, r.return_item_on_condition_failure);
    write_return_values(w, r.return_values);
  }
  return out;
}

std::string encode(const DeleteItemRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    w.string("TableName", r.table_name);
    w.item("Key", r.key);
    write_conditions(w, r.condition_expression, r.expression_attribute_names,
                     r.expression_attribute_values, r.return_item_on_condition_failure);
    write_return_values(w, r.return_values);
  }
  return out;
}

// ---- responses ----

GetItemResult decode_get_item(std::string_view json) {
  return parse_response<GetItemResult>(json, [](GetItemResult& r, std::string_view k, od::value v) {
    if (k == "Item") r.item = get_item(v);
  });
}

WriteItemResult decode_write_item(std::string_view json) {
  return parse_response<WriteItemResult>(json,
                                         [](WriteItemResult& r, std::string_view k, od::value v) {
                                           if (k == "Attributes") r.attributes = get_item(v);
                                         });
}

}  // namespace dynamodb_mapping::detail
