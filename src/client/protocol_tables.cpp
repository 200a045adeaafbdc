// Transactions, CreateTable, DescribeTable, UpdateTable, DeleteTable, UpdateTimeToLive,
// DescribeTimeToLive and ListTables: request bodies and answers (the table description itself is
// read in protocol_describe.cpp).
#include "client/protocol.hpp"
#include "client/protocol_json.hpp"

namespace dynamodb_mapping::detail {

using namespace protocol;

namespace {

const char* type_letter(ScalarType t) {
  return t == ScalarType::String ? "S" : t == ScalarType::Number ? "N" : "B";
}

void write_key_schema(ObjectWriter& w, std::string& out, const std::vector<KeySchemaElement>& ks) {
  w.array("KeySchema", ks, [&](const KeySchemaElement& k) {
    ObjectWriter e(out);
    e.string("AttributeName", k.attribute_name);
    e.string("KeyType", k.key_type == KeyType::Hash ? "HASH" : "RANGE");
  });
}

void write_attribute_definitions(ObjectWriter& w, std::string& out,
                                 const std::vector<AttributeDefinition>& defs) {
  w.array("AttributeDefinitions", defs, [&](const AttributeDefinition& a) {
    ObjectWriter e(out);
    e.string("AttributeName", a.attribute_name);
    e.string("AttributeType", type_letter(a.attribute_type));
  });
}

void write_throughput(ObjectWriter& w, const ProvisionedThroughput& t) {
  ObjectWriter o(w.key("ProvisionedThroughput"));
  o.integer("ReadCapacityUnits", t.read_capacity_units);
  o.integer("WriteCapacityUnits", t.write_capacity_units);
}

void write_projection(ObjectWriter& w, std::string& out, const Projection& p) {
  ObjectWriter o(w.key("Projection"));
  o.string("ProjectionType", p.projection_type);
  if (!p.non_key_attributes.empty()) {
    o.array("NonKeyAttributes", p.non_key_attributes,
            [&](const std::string& a) { append_json_string(out, a); });
  }
}

// The members of a GlobalSecondaryIndex (CreateTable) or of an UpdateTable Create action.
void write_global_index(std::string& out, const GlobalSecondaryIndex& g) {
  ObjectWriter e(out);
  e.string("IndexName", g.index_name);
  write_key_schema(e, out, g.key_schema);
  write_projection(e, out, g.projection);
  if (g.provisioned_throughput) write_throughput(e, *g.provisioned_throughput);
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
    write_key_schema(w, out, r.key_schema);
    write_attribute_definitions(w, out, r.attribute_definitions);
    if (r.read_capacity_units && r.write_capacity_units) {
      w.string("BillingMode", "PROVISIONED");
      write_throughput(w, {*r.read_capacity_units, *r.write_capacity_units});
    } else {
      w.string("BillingMode", "PAY_PER_REQUEST");
    }
    if (!r.global_secondary_indexes.empty()) {
      w.array("GlobalSecondaryIndexes", r.global_secondary_indexes,
              [&](const GlobalSecondaryIndex& g) { write_global_index(out, g); });
    }
    if (!r.local_secondary_indexes.empty()) {
      w.array("LocalSecondaryIndexes", r.local_secondary_indexes,
              [&](const LocalSecondaryIndex& l) {
                ObjectWriter e(out);
                e.string("IndexName", l.index_name);
                write_key_schema(e, out, l.key_schema);
                write_projection(e, out, l.projection);
              });
    }
    if (!r.tags.empty()) {
      w.array("Tags", r.tags, [&](const std::pair<const std::string, std::string>& t) {
        ObjectWriter e(out);
        e.string("Key", t.first);
        e.string("Value", t.second);
      });
    }
  }
  return out;
}

std::string encode(const UpdateTableRequest& r) {
  std::string out;
  {
    ObjectWriter w(out);
    w.string("TableName", r.table_name);
    if (r.billing_mode) {
      w.string("BillingMode",
               *r.billing_mode == BillingMode::Provisioned ? "PROVISIONED" : "PAY_PER_REQUEST");
    }
    if (r.provisioned_throughput) write_throughput(w, *r.provisioned_throughput);
    if (!r.attribute_definitions.empty())
      write_attribute_definitions(w, out, r.attribute_definitions);
    if (!r.create_global_secondary_indexes.empty() || !r.delete_global_secondary_indexes.empty() ||
        !r.update_global_secondary_indexes.empty()) {
      std::string& updates = w.key("GlobalSecondaryIndexUpdates");
      updates += '[';
      bool first = true;
      const auto next = [&]() -> std::string& {
        if (!first) updates += ',';
        first = false;
        return updates;
      };
      for (const auto& g : r.create_global_secondary_indexes) {
        ObjectWriter action(next());
        write_global_index(action.key("Create"), g);
      }
      for (const auto& name : r.delete_global_secondary_indexes) {
        ObjectWriter action(next());
        ObjectWriter d(action.key("Delete"));
        d.string("IndexName", name);
      }
      for (const auto& [name, throughput] : r.update_global_secondary_indexes) {
        ObjectWriter action(next());
        ObjectWriter u(action.key("Update"));
        u.string("IndexName", name);
        write_throughput(u, throughput);
      }
      updates += ']';
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

TimeToLiveDescription decode_describe_time_to_live(std::string_view json) {
  bool found = false;
  auto d = parse_response<TimeToLiveDescription>(
      json, [&](TimeToLiveDescription& r, std::string_view k, od::value v) {
        if (k != "TimeToLiveDescription") return;
        found = true;
        for_each_member(v, [&](std::string_view sk, od::value sv) {
          if (sk == "TimeToLiveStatus")
            r.time_to_live_status = get_string(sv);
          else if (sk == "AttributeName")
            r.attribute_name = get_string(sv);
        });
      });
  if (!found) unexpected("no TimeToLiveDescription");
  return d;
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
