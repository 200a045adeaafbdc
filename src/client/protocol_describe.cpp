// DescribeTable's, CreateTable's, UpdateTable's and DeleteTable's answer: the table description
// with its indexes, read defensively (a malformed or oversized answer is a DecodeError).
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

}  // namespace

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

}  // namespace dynamodb_mapping::detail
