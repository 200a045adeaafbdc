// TableSpec: the checks DynamoDB would make, made before sending, and the CreateTableRequest.
#include "mapping/table_spec.hpp"

#include <set>

#include "dynamodb_mapping/tables.hpp"
#include "error_text.hpp"

namespace dynamodb_mapping {

namespace detail {

namespace {

constexpr std::size_t kMaxLocalIndexes = 5;
constexpr std::size_t kMaxGlobalIndexes = 20;
constexpr std::size_t kMaxTags = 50;
constexpr std::size_t kMaxNonKeyAttributes = 100;

[[noreturn]] void refuse(const std::string& what) {
  throw ValidationError(what);
}

std::string quoted(const std::string& name) {
  return "\"" + printable_text(name, 256) + "\"";
}

void check_attribute_name(const std::string& name, const std::string& what) {
  if (name.empty() || name.size() > 255) {
    refuse(what + " " + quoted(name) + ": an attribute name has 1 to 255 bytes");
  }
}

void check_capacity(const ProvisionedThroughput& t, const std::string& what) {
  if (t.read_capacity_units < 1 || t.write_capacity_units < 1) {
    refuse(what + ": read and write capacity units must be 1 or more");
  }
}

void check_projection(const Projection& p, const std::string& what) {
  if (p.projection_type == "INCLUDE") {
    if (p.non_key_attributes.empty() || p.non_key_attributes.size() > kMaxNonKeyAttributes) {
      refuse(what + ": an INCLUDE projection names 1 to 100 non-key attributes");
    }
    for (const auto& a : p.non_key_attributes) check_attribute_name(a, what + ": attribute");
  } else if (p.projection_type == "ALL" || p.projection_type == "KEYS_ONLY") {
    if (!p.non_key_attributes.empty()) {
      refuse(what + ": only an INCLUDE projection names non-key attributes");
    }
  } else {
    refuse(what + ": projection type " + quoted(p.projection_type) +
           " is not ALL, KEYS_ONLY or INCLUDE");
  }
}

// Each key attribute has one type across the table and its indexes (AttributeDefinitions).
void add_definition(std::vector<AttributeDefinition>& defs, const KeyAttribute& k,
                    const std::string& what) {
  check_attribute_name(k.name, what);
  for (const auto& d : defs) {
    if (d.attribute_name != k.name) continue;
    if (d.attribute_type != k.type) {
      refuse(what + " " + quoted(k.name) + " has another type elsewhere in the table");
    }
    return;
  }
  defs.push_back({k.name, k.type});
}

}  // namespace

void check_table_or_index_name(const std::string& name, const char* what) {
  bool ok = name.size() >= 3 && name.size() <= 255;
  for (char c : name) {
    ok = ok && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '_' || c == '-' || c == '.');
  }
  if (!ok) {
    refuse(std::string(what) + " " + quoted(name) +
           ": a name has 3 to 255 characters of a-z, A-Z, 0-9, '_', '-' and '.'");
  }
}

void check_global_index(const IndexSpec& index, bool provisioned,
                        std::vector<AttributeDefinition>& defs) {
  check_table_or_index_name(index.name, "index");
  const std::string what = "index " + quoted(index.name);
  add_definition(defs, index.partition_key, what + ": partition key");
  if (index.sort_key) add_definition(defs, *index.sort_key, what + ": sort key");
  check_projection(index.projection, what);
  if (index.capacity && !provisioned) {
    refuse(what + ": an index of an on-demand table has no capacities of its own");
  }
  if (index.capacity) check_capacity(*index.capacity, what);
}

std::vector<KeySchemaElement> key_schema_of(const KeyAttribute& partition,
                                            const std::optional<KeyAttribute>& sort) {
  std::vector<KeySchemaElement> ks{{partition.name, KeyType::Hash}};
  if (sort) ks.push_back({sort->name, KeyType::Range});
  return ks;
}

GlobalSecondaryIndex global_index_request(const IndexSpec& index,
                                          const std::optional<ProvisionedThroughput>& table) {
  GlobalSecondaryIndex g;
  g.index_name = index.name;
  g.key_schema = key_schema_of(index.partition_key, index.sort_key);
  g.projection = index.projection;
  if (table) g.provisioned_throughput = index.capacity ? *index.capacity : *table;
  return g;
}

}  // namespace detail

void validate_table_spec(const TableSpec& spec) {
  using detail::quoted;
  using detail::refuse;
  detail::check_table_or_index_name(spec.name, "table");
  std::vector<AttributeDefinition> defs;
  detail::add_definition(defs, spec.partition_key, "partition key");
  if (spec.sort_key) {
    if (spec.sort_key->name == spec.partition_key.name) {
      refuse("the sort key cannot be the partition key");
    }
    detail::add_definition(defs, *spec.sort_key, "sort key");
  }
  if (spec.provisioned) detail::check_capacity(*spec.provisioned, "table");
  if (spec.global_indexes.size() > detail::kMaxGlobalIndexes) {
    refuse("a table has at most 20 global secondary indexes");
  }
  if (spec.local_indexes.size() > detail::kMaxLocalIndexes) {
    refuse("a table has at most 5 local secondary indexes");
  }
  std::set<std::string> names;
  for (const auto& g : spec.global_indexes) {
    detail::check_global_index(g, spec.provisioned.has_value(), defs);
    if (!names.insert(g.name).second) refuse("two indexes named " + quoted(g.name));
  }
  for (const auto& l : spec.local_indexes) {
    detail::check_table_or_index_name(l.name, "index");
    const std::string what = "local index " + quoted(l.name);
    if (!names.insert(l.name).second) refuse("two indexes named " + quoted(l.name));
    if (!spec.sort_key) refuse(what + ": only a table with a sort key can have local indexes");
    if (!(l.partition_key == spec.partition_key)) {
      refuse(what + ": its partition key must be the table's (name and type)");
    }
    if (!l.sort_key) refuse(what + ": a local index needs a sort key");
    detail::add_definition(defs, *l.sort_key, what + ": sort key");
    detail::check_projection(l.projection, what);
    if (l.capacity) refuse(what + ": a local index has no capacities of its own");
  }
  if (!spec.ttl_attribute.empty()) {
    detail::check_attribute_name(spec.ttl_attribute, "time to live attribute");
  }
  if (spec.tags.size() > detail::kMaxTags) refuse("a table has at most 50 tags");
  for (const auto& [key, value] : spec.tags) {
    if (key.empty() || key.size() > 128 || value.size() > 256) {
      refuse("tag " + quoted(key) + ": keys have 1 to 128 characters, values up to 256");
    }
  }
}

CreateTableRequest create_table_request(const TableSpec& spec) {
  validate_table_spec(spec);
  CreateTableRequest r;
  r.table_name = spec.name;
  r.key_schema = detail::key_schema_of(spec.partition_key, spec.sort_key);
  std::vector<AttributeDefinition>& defs = r.attribute_definitions;
  detail::add_definition(defs, spec.partition_key, "partition key");
  if (spec.sort_key) detail::add_definition(defs, *spec.sort_key, "sort key");
  if (spec.provisioned) {
    r.read_capacity_units = spec.provisioned->read_capacity_units;
    r.write_capacity_units = spec.provisioned->write_capacity_units;
  }
  for (const auto& g : spec.global_indexes) {
    detail::add_definition(defs, g.partition_key, "index key");
    if (g.sort_key) detail::add_definition(defs, *g.sort_key, "index key");
    r.global_secondary_indexes.push_back(detail::global_index_request(g, spec.provisioned));
  }
  for (const auto& l : spec.local_indexes) {
    detail::add_definition(defs, *l.sort_key, "index key");
    LocalSecondaryIndex li;
    li.index_name = l.name;
    li.key_schema = detail::key_schema_of(l.partition_key, l.sort_key);
    li.projection = l.projection;
    r.local_secondary_indexes.push_back(std::move(li));
  }
  r.tags = spec.tags;
  return r;
}

}  // namespace dynamodb_mapping
