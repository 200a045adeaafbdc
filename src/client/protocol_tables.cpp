// Transactions, CreateTable, DescribeTable, DeleteTable, UpdateTimeToLive and ListTables:
// request bodies and answers.
#include "client/protocol.hpp"
#include "client/protocol_json.hpp"

namespace dynamodb_mapping::detail {

using namespace protocol;

namespace {

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

}  // namespace dynamodb_mapping::detail
