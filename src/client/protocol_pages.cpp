// Query, Scan, BatchGetItem and BatchWriteItem: request bodies and answers.
#include "client/protocol.hpp"
#include "client/protocol_json.hpp"

namespace dynamodb_mapping::detail {

using namespace protocol;

namespace {

const char* select_name(Select s) {
  switch (s) {
    case Select::Default:
      return "";
    case Select::AllAttributes:
      return "ALL_ATTRIBUTES";
    case Select::AllProjectedAttributes:
      return "ALL_PROJECTED_ATTRIBUTES";
    case Select::SpecificAttributes:
      return "SPECIFIC_ATTRIBUTES";
    case Select::Count:
      return "COUNT";
  }
  return "";
}

// The members Query and Scan share.
template <class R>
void write_read_options(ObjectWriter& w, const R& r) {
  w.string("TableName", r.table_name);
  w.string_if("IndexName", r.index_name);
  w.string_if("FilterExpression", r.filter_expression);
  w.string_if("ProjectionExpression", r.projection_expression);
  w.names_if("ExpressionAttributeNames", r.expression_attribute_names);
  w.item_if("ExpressionAttributeValues", r.expression_attribute_values);
  if (r.limit) w.integer("Limit", *r.limit);
  w.true_if("ConsistentRead", r.consistent_read);
  w.string_if("Select", select_name(r.select));
  if (r.exclusive_start_key) w.item("ExclusiveStartKey", *r.exclusive_start_key);
}

void write_keys_and_attributes(std::string& out, const KeysAndAttributes& k) {
  ObjectWriter w(out);
  w.array("Keys", k.keys, [&](const Item& key) { append_wire_item(out, key); });
  w.true_if("ConsistentRead", k.consistent_read);
  w.string_if("ProjectionExpression", k.projection_expression);
  w.names_if("ExpressionAttributeNames", k.expression_attribute_names);
}

void write_write_request(std::string& out, const WriteRequest& r) {
  ObjectWriter w(out);
  std::string& o = w.key(r.kind == WriteRequest::Kind::Put ? "PutRequest" : "DeleteRequest");
  ObjectWriter inner(o);
  inner.item(r.kind == WriteRequest::Kind::Put ? "Item" : "Key", r.item);
}

KeysAndAttributes get_keys_and_attributes(od::value v) {
  KeysAndAttributes k;
  for_each_member(v, [&](std::string_view key, od::value val) {
    if (key == "Keys")
      k.keys = get_items(val);
    else if (key == "ConsistentRead")
      k.consistent_read = val.get_bool();
    else if (key == "ProjectionExpression")
      k.projection_expression = get_string(val);
    else if (key == "ExpressionAttributeNames") {
      for_each_member(val, [&](std::string_view n, od::value s) {
        k.expression_attribute_names[std::string(n)] = get_string(s);
      });
    }
  });
  return k;
}

WriteRequest get_write_request(od::value v) {
  WriteRequest r;
  bool seen = false;
  for_each_member(v, [&](std::string_view key, od::value val) {
    const bool put = key == "PutRequest";
    if (!put && key != "DeleteRequest") return;
    seen = true;
    r.kind = put ? WriteRequest::Kind::Put : WriteRequest::Kind::Delete;
    for_each_member(val, [&](std::string_view inner, od::value item) {
      if (inner == (put ? "Item" : "Key")) r.item = get_item(item);
    });
  });
  if (!seen) unexpected("an unprocessed item is neither PutRequest nor DeleteRequest");
  return r;
}

}  // namespace

// ---- requests ----

std::string encode(const QueryRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    write_read_options(w, r);
    w.string_if("KeyConditionExpression", r.key_condition_expression);
    if (!r.scan_index_forward) w.boolean("ScanIndexForward", false);
  }
  return out;
}

std::string encode(const ScanRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    write_read_options(w, r);
    if (r.segment) w.integer("Segment", *r.segment);
    if (r.total_segments) w.integer("TotalSegments", *r.total_segments);
  }
  return out;
}

std::string encode(const BatchGetItemRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    append_object(w.key("RequestItems"), r.request_items,
                  [&](const KeysAndAttributes& k) { write_keys_and_attributes(out, k); });
  }
  return out;
}

std::string encode(const BatchWriteItemRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    append_object(w.key("RequestItems"), r.request_items, [&](const std::vector<WriteRequest>& v) {
      append_joined(
          out, '[', v, [&](const WriteRequest& wr) { write_write_request(out, wr); }, ']');
    });
  }
  return out;
}

// ---- responses ----

Page decode_page(std::string_view json) {
  return parse_response<Page>(json, [](Page& p, std::string_view k, od::value v) {
    if (k == "Items")
      p.items = get_items(v);
    else if (k == "Count")
      p.count = v.get_int64();
    else if (k == "ScannedCount")
      p.scanned_count = v.get_int64();
    else if (k == "LastEvaluatedKey")
      p.last_evaluated_key = get_item(v);
  });
}

BatchGetItemResult decode_batch_get_item(std::string_view json) {
  return parse_response<BatchGetItemResult>(
      json, [](BatchGetItemResult& r, std::string_view k, od::value v) {
        if (k == "Responses") {
          for_each_member(v, [&](std::string_view table, od::value items) {
            r.responses[std::string(table)] = get_items(items);
          });
        } else if (k == "UnprocessedKeys") {
          for_each_member(v, [&](std::string_view table, od::value keys) {
            r.unprocessed_keys[std::string(table)] = get_keys_and_attributes(keys);
          });
        }
      });
}

BatchWriteItemResult decode_batch_write_item(std::string_view json) {
  return parse_response<BatchWriteItemResult>(
      json, [](BatchWriteItemResult& r, std::string_view k, od::value v) {
        if (k != "UnprocessedItems") return;
        for_each_member(v, [&](std::string_view table, od::value requests) {
          auto& list = r.unprocessed_items[std::string(table)];
          for (auto e : requests.get_array()) list.push_back(get_write_request(e.value()));
        });
      });
}

}  // namespace dynamodb_mapping::detail
