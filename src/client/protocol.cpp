#include "client/protocol.hpp"

#include "error_text.hpp"
#include "json/wire.hpp"
#include "json/writer.hpp"

namespace dynamodb_mapping::detail {

namespace {

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

// The members Put, Update, Delete and ConditionCheck share, in single and transactional calls.
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

// ---- parsing helpers ----

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

TableDescription get_table_description(od::value v) {
  TableDescription t;
  for_each_member(v, [&](std::string_view k, od::value val) {
    if (k == "TableName")
      t.table_name = get_string(val);
    else if (k == "TableArn")
      t.table_arn = get_string(val);
    else if (k == "TableStatus")
      t.table_status = get_string(val);
    else if (k == "ItemCount")
      t.item_count = val.get_int64();
    else if (k == "TableSizeBytes")
      t.table_size_bytes = val.get_int64();
    else if (k == "BillingModeSummary") {
      for_each_member(val, [&](std::string_view bk, od::value bv) {
        if (bk == "BillingMode") t.billing_mode = get_string(bv);
      });
    } else if (k == "KeySchema") {
      for (auto e : val.get_array()) {
        KeySchemaElement ks;
        for_each_member(e.value(), [&](std::string_view ek, od::value ev) {
          if (ek == "AttributeName")
            ks.attribute_name = get_string(ev);
          else if (ek == "KeyType")
            ks.key_type = get_string(ev) == "RANGE" ? KeyType::Range : KeyType::Hash;
        });
        t.key_schema.push_back(std::move(ks));
      }
    } else if (k == "AttributeDefinitions") {
      for (auto e : val.get_array()) {
        AttributeDefinition ad;
        for_each_member(e.value(), [&](std::string_view ek, od::value ev) {
          if (ek == "AttributeName") {
            ad.attribute_name = get_string(ev);
          } else if (ek == "AttributeType") {
            const std::string type = get_string(ev);
            ad.attribute_type = type == "N"   ? ScalarType::Number
                                : type == "B" ? ScalarType::Binary
                                              : ScalarType::String;
          }
        });
        t.attribute_definitions.push_back(std::move(ad));
      }
    }
  });
  return t;
}

}  // namespace

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

namespace {
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
}  // namespace

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

std::string encode(const std::vector<TransactGetItem>& items) {
  std::string out;
  {
    ObjectWriter w(out);
    w.array("TransactItems", items, [&](const TransactGetItem& g) {
      ObjectWriter outer(out);
      ObjectWriter get(outer.key("Get"));
      get.string("TableName", g.table_name);
      get.item("Key", g.key);
      get.string_if("ProjectionExpression", g.projection_expression);
      get.names_if("ExpressionAttributeNames", g.expression_attribute_names);
    });
  }
  return out;
}

std::string encode(const TransactWriteItemsRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    w.array("TransactItems", r.items, [&](const TransactWriteItem& t) {
      using K = TransactWriteItem::Kind;
      const char* kind = t.kind == K::Put      ? "Put"
                         : t.kind == K::Update ? "Update"
                         : t.kind == K::Delete ? "Delete"
                                               : "ConditionCheck";
      ObjectWriter outer(out);
      ObjectWriter action(outer.key(kind));
      action.string("TableName", t.table_name);
      action.item(t.kind == K::Put ? "Item" : "Key", t.item);
      if (t.kind == K::Update) action.string("UpdateExpression", t.update_expression);
      write_conditions(action, t.condition_expression, t.expression_attribute_names,
                       t.expression_attribute_values, t.return_item_on_condition_failure);
    });
    w.string("ClientRequestToken", r.client_request_token);
  }
  return out;
}

std::string encode(const CreateTableRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    w.string("TableName", r.table_name);
    w.array("KeySchema", r.key_schema, [&](const KeySchemaElement& k) {
      ObjectWriter e(out);
      e.string("AttributeName", k.attribute_name);
      e.string("KeyType", k.key_type == KeyType::Hash ? "HASH" : "RANGE");
    });
    w.array("AttributeDefinitions", r.attribute_definitions, [&](const AttributeDefinition& a) {
      ObjectWriter e(out);
      e.string("AttributeName", a.attribute_name);
      e.string("AttributeType", a.attribute_type == ScalarType::String   ? "S"
                                : a.attribute_type == ScalarType::Number ? "N"
                                                                         : "B");
    });
    if (r.read_capacity_units && r.write_capacity_units) {
      w.string("BillingMode", "PROVISIONED");
      ObjectWriter t(w.key("ProvisionedThroughput"));
      t.integer("ReadCapacityUnits", *r.read_capacity_units);
      t.integer("WriteCapacityUnits", *r.write_capacity_units);
    } else {
      w.string("BillingMode", "PAY_PER_REQUEST");
    }
  }
  return out;
}

std::string encode_table_name(const std::string& table_name) {
  std::string out;
  {
    ObjectWriter w(out);
    w.string("TableName", table_name);
  }
  return out;
}

std::string encode(const std::string& table_name, const TimeToLiveSpecification& spec) {
  std::string out;
  {
    ObjectWriter w(out);
    w.string("TableName", table_name);
    ObjectWriter s(w.key("TimeToLiveSpecification"));
    s.boolean("Enabled", spec.enabled);
    s.string("AttributeName", spec.attribute_name);
  }
  return out;
}

std::string encode(const ListTablesRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    w.string_if("ExclusiveStartTableName", r.exclusive_start_table_name);
    if (r.limit) w.integer("Limit", *r.limit);
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

TransactGetItemsResult decode_transact_get_items(std::string_view json) {
  return parse_response<TransactGetItemsResult>(
      json, [](TransactGetItemsResult& r, std::string_view k, od::value v) {
        if (k != "Responses") return;
        for (auto e : v.get_array()) {
          std::optional<Item> item;
          for_each_member(e.value(), [&](std::string_view ik, od::value iv) {
            if (ik == "Item") item = get_item(iv);
          });
          r.items.push_back(std::move(item));
        }
      });
}

TableDescription decode_table_description(std::string_view json) {
  bool found = false;
  auto t = parse_response<TableDescription>(
      json, [&](TableDescription& t, std::string_view k, od::value v) {
        if (k == "Table" || k == "TableDescription") {
          t = get_table_description(v);
          found = true;
        }
      });
  if (!found) unexpected("no table description");
  return t;
}

TimeToLiveSpecification decode_time_to_live(std::string_view json) {
  return parse_response<TimeToLiveSpecification>(
      json, [](TimeToLiveSpecification& r, std::string_view k, od::value v) {
        if (k != "TimeToLiveSpecification") return;
        for_each_member(v, [&](std::string_view sk, od::value sv) {
          if (sk == "AttributeName")
            r.attribute_name = get_string(sv);
          else if (sk == "Enabled")
            r.enabled = sv.get_bool();
        });
      });
}

ListTablesResult decode_list_tables(std::string_view json) {
  return parse_response<ListTablesResult>(json,
                                          [](ListTablesResult& r, std::string_view k, od::value v) {
                                            if (k == "TableNames") {
                                              for (auto e : v.get_array())
                                                r.table_names.push_back(get_string(e.value()));
                                            } else if (k == "LastEvaluatedTableName") {
                                              r.last_evaluated_table_name = get_string(v);
                                            }
                                          });
}

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
