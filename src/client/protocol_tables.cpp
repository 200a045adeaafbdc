// Transactions, CreateTable, DescribeTable, UpdateTable, DeleteTable, UpdateTimeToLive,
// DescribeTimeToLive and ListTables:
// request bodies and answers.
#include "client/protocol.hpp"
#include "client/protocol_json.hpp"

namespace dynamodb_mapping::detail {

using namespace protocol;

namespace {

// More indexes or key elements than this in one answer is not DynamoDB's (it allows 5 local and,
// by default, 20 global indexes): refused rather than stored.
constexpr std::size_t kMaxIndexes = 1000;

std::int64_t get_count(od::value v) {
  const std::int64_t n = v.get_int64();
  if (n < 0) unexpected("negative count or size");
  return n;
}

KeyType get_key_type(od::value v) {
  const std::string type = get_string(v);
  if (type == "HASH") return KeyType::Hash;
  if (type == "RANGE") return KeyType::Range;
  unexpected("unknown KeyType");
}

// A KeySchema: one HASH element, then at most one RANGE element.
std::vector<KeySchemaElement> get_key_schema(od::value v) {
  std::vector<KeySchemaElement> keys;
  for (auto e : v.get_array()) {
    if (keys.size() == 2) unexpected("a key schema of more than two attributes");
    KeySchemaElement ks;
    for_each_member(e.value(), [&](std::string_view ek, od::value ev) {
      if (ek == "AttributeName")
        ks.attribute_name = get_string(ev);
      else if (ek == "KeyType")
        ks.key_type = get_key_type(ev);
    });
    if (ks.attribute_name.empty()) unexpected("a key schema element without AttributeName");
    keys.push_back(std::move(ks));
  }
  if (keys.empty() || keys[0].key_type != KeyType::Hash ||
      (keys.size() == 2 && keys[1].key_type != KeyType::Range)) {
    unexpected("a key schema that is not HASH [RANGE]");
  }
  return keys;
}

ProvisionedThroughput get_throughput(od::value v) {
  ProvisionedThroughput t;
  for_each_member(v, [&](std::string_view k, od::value val) {
    if (k == "ReadCapacityUnits")
      t.read_capacity_units = get_count(val);
    else if (k == "WriteCapacityUnits")
      t.write_capacity_units = get_count(val);
  });
  return t;
}

Projection get_projection(od::value v) {
  Projection p;
  for_each_member(v, [&](std::string_view k, od::value val) {
    if (k == "ProjectionType") {
      p.projection_type = get_string(val);
    } else if (k == "NonKeyAttributes") {
      for (auto e : val.get_array()) {
        if (p.non_key_attributes.size() == kMaxIndexes) unexpected("too many NonKeyAttributes");
        p.non_key_attributes.push_back(get_string(e.value()));
      }
    }
  });
  return p;
}

std::vector<SecondaryIndexDescription> get_indexes(od::value v) {
  std::vector<SecondaryIndexDescription> out;
  for (auto e : v.get_array()) {
    if (out.size() == kMaxIndexes) unexpected("too many indexes");
    SecondaryIndexDescription i;
    bool has_keys = false;
    for_each_member(e.value(), [&](std::string_view k, od::value val) {
      if (k == "IndexName") {
        i.index_name = get_string(val);
      } else if (k == "IndexArn") {
        i.index_arn = get_string(val);
      } else if (k == "KeySchema") {
        i.key_schema = get_key_schema(val);
        has_keys = true;
      } else if (k == "Projection") {
        i.projection = get_projection(val);
      } else if (k == "IndexStatus") {
        i.index_status = get_string(val);
      } else if (k == "Backfilling") {
        i.backfilling = val.get_bool();
      } else if (k == "ProvisionedThroughput") {
        i.provisioned_throughput = get_throughput(val);
      } else if (k == "ItemCount") {
        i.item_count = get_count(val);
      } else if (k == "IndexSizeBytes") {
        i.index_size_bytes = get_count(val);
      }
    });
    if (i.index_name.empty() || !has_keys) unexpected("an index without a name or key schema");
    out.push_back(std::move(i));
  }
  return out;
}

ScalarType get_scalar_type(od::value v) {
  const std::string type = get_string(v);
  if (type == "S") return ScalarType::String;
  if (type == "N") return ScalarType::Number;
  if (type == "B") return ScalarType::Binary;
  unexpected("unknown AttributeType");
}

TableDescription get_table_description(od::value v) {
  TableDescription t;
  for_each_member(v, [&](std::string_view k, od::value val) {
    if (k == "TableName") {
      t.table_name = get_string(val);
    } else if (k == "TableArn") {
      t.table_arn = get_string(val);
    } else if (k == "TableStatus") {
      t.table_status = get_string(val);
    } else if (k == "ItemCount") {
      t.item_count = get_count(val);
    } else if (k == "TableSizeBytes") {
      t.table_size_bytes = get_count(val);
    } else if (k == "CreationDateTime") {
      t.creation_date_time = val.get_double();
    } else if (k == "BillingModeSummary") {
      for_each_member(val, [&](std::string_view bk, od::value bv) {
        if (bk == "BillingMode") t.billing_mode = get_string(bv);
      });
    } else if (k == "ProvisionedThroughput") {
      t.provisioned_throughput = get_throughput(val);
    } else if (k == "KeySchema") {
      t.key_schema = get_key_schema(val);
    } else if (k == "GlobalSecondaryIndexes") {
      t.global_secondary_indexes = get_indexes(val);
    } else if (k == "LocalSecondaryIndexes") {
      t.local_secondary_indexes = get_indexes(val);
    } else if (k == "AttributeDefinitions") {
      for (auto e : val.get_array()) {
        if (t.attribute_definitions.size() == kMaxIndexes) unexpected("too many attributes");
        AttributeDefinition ad;
        for_each_member(e.value(), [&](std::string_view ek, od::value ev) {
          if (ek == "AttributeName")
            ad.attribute_name = get_string(ev);
          else if (ek == "AttributeType")
            ad.attribute_type = get_scalar_type(ev);
        });
        t.attribute_definitions.push_back(std::move(ad));
      }
    }
  });
  return t;
}

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
    if (!r.attribute_definitions.empty()) write_attribute_definitions(w, out, r.attribute_definitions);
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
