// Keys: the table's key schema (read once), the checks every key goes through, and KeyError.
#include <ostream>
#include <sstream>

#include "dynamodb_mapping/validate.hpp"
#include "mapping/expressions.hpp"
#include "mapping/state.hpp"

namespace dynamodb_mapping {

std::ostream& operator<<(std::ostream& os, const Key& key) {
  if (!key.sort) return os << key.partition;
  return os << '[' << key.partition << ',' << *key.sort << ']';
}

KeyError::KeyError(const std::string& operation, const std::string& table, const Key& key,
                   int http_status, std::string request_id)
    : Error("KeyError", "no item with key " + detail::describe(key) + " in table " + table,
            http_status, std::move(request_id)),
      key_(key) {
  detail::set_error_context(*this, operation, table);
}

namespace detail {

std::string describe(const Key& key) {
  std::ostringstream s;
  s << key;
  std::string text = s.str();
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  return text;
}

const char* type_tag(ScalarType t) {
  return t == ScalarType::String ? "S" : t == ScalarType::Number ? "N" : "B";
}

bool has_type(const Value& v, ScalarType t) {
  return (t == ScalarType::String && v.is_string()) || (t == ScalarType::Number && v.is_number()) ||
         (t == ScalarType::Binary && v.is_binary());
}

const KeySchema& MappingState::schema() const {
  std::lock_guard lock(schema_mutex_);
  if (schema_loaded_) return schema_;
  std::vector<KeySchemaElement> keys = options.key_schema;
  std::vector<AttributeDefinition> types = options.key_attribute_types;
  if (keys.empty()) {
    const TableDescription d = client.describe_table(table_name);
    keys = d.key_schema;
    types = d.attribute_definitions;
  }
  KeySchema s;
  for (const auto& k : keys)
    (k.key_type == KeyType::Hash ? s.partition : s.sort) = k.attribute_name;
  if (s.partition.empty()) throw ValidationError("table " + table_name + " has no partition key");
  for (const auto& t : types) {
    if (t.attribute_name == s.partition) s.partition_type = t.attribute_type;
    if (t.attribute_name == s.sort) s.sort_type = t.attribute_type;
  }
  schema_ = std::move(s);
  schema_loaded_ = true;
  return schema_;
}

const IndexSchema& MappingState::index(const std::string& name) const {
  std::lock_guard lock(index_mutex_);
  if (!indexes_loaded_) {
    const TableDescription d = client.describe_table(table_name);
    std::vector<IndexSchema> found;
    for (const auto* list : {&d.global_secondary_indexes, &d.local_secondary_indexes}) {
      for (const SecondaryIndexDescription& ix : *list) {
        IndexSchema i;
        i.name = ix.index_name;
        i.global = list == &d.global_secondary_indexes;
        i.projection = ix.projection;
        i.key.partition = ix.partition_key();
        i.key.sort = ix.sort_key().value_or("");
        // DescribeTable's AttributeDefinitions type every key attribute of the table and its
        // indexes; an answer without the type is not one to query by.
        const auto partition_type = d.attribute_type(i.key.partition);
        const auto sort_type = i.key.sort.empty() ? std::optional<ScalarType>(ScalarType::String)
                                                  : d.attribute_type(i.key.sort);
        if (i.key.partition.empty() || !partition_type || !sort_type) {
          DecodeError e("DescribeTable gave index " + i.name + " without typed key attributes");
          set_error_context(e, "DescribeTable", table_name);
          throw e;
        }
        i.key.partition_type = *partition_type;
        i.key.sort_type = *sort_type;
        found.push_back(std::move(i));
      }
    }
    indexes_ = std::move(found);
    indexes_loaded_ = true;
  }
  for (const IndexSchema& i : indexes_) {
    if (i.name == name) return i;
  }
  std::string known;
  for (const IndexSchema& i : indexes_) known += (known.empty() ? "" : ", ") + i.name;
  ValidationError e("table " + table_name + " has no index \"" + name + "\"" +
                    (known.empty() ? " (it has none)" : " (it has: " + known + ")"));
  set_error_context(e, {}, table_name);
  throw e;
}

std::vector<std::string> MappingState::key_names() const {
  const KeySchema& s = schema();
  if (s.sort.empty()) return {s.partition};
  return {s.partition, s.sort};
}

Item MappingState::key_attributes(const Key& key) const {
  try {
    return checked_key_attributes(key);
  } catch (Error& e) {
    set_error_context(e, {}, table_name);  // what is refused names the table it was meant for
    throw;
  }
}

Item MappingState::checked_key_attributes(const Key& key) const {
  const KeySchema& s = schema();
  auto check = [&](const Value& v, const std::string& name, ScalarType type, std::size_t max) {
    if (!has_type(v, type)) {
      throw ValidationError("key attribute \"" + name + "\" of table " + table_name +
                            " is of type " + type_tag(type) + ", but the key given is of type " +
                            std::string(v.type_tag()));
    }
    validate_value(v);
    const std::size_t size = v.is_string()   ? v.as_string().size()
                             : v.is_binary() ? v.as_binary().size()
                                             : 1;
    if (size == 0) throw ValidationError("key attribute \"" + name + "\" must not be empty");
    if (size > max) {
      throw ValidationError("key attribute \"" + name + "\" is " + std::to_string(size) +
                            " bytes; DynamoDB allows " + std::to_string(max));
    }
  };
  if (s.sort.empty() && key.sort) {
    throw ValidationError("table " + table_name + " has only a partition key (\"" + s.partition +
                          "\"), but the key given has a sort value");
  }
  if (!s.sort.empty() && !key.sort) {
    throw ValidationError("table " + table_name + " has a partition key (\"" + s.partition +
                          "\") and a sort key (\"" + s.sort +
                          "\"): give both, as {partition, sort}");
  }
  // Key size limits: Developer Guide, "Service, account, and table quotas" (2048 and 1024 bytes).
  check(key.partition, s.partition, s.partition_type, 2048);
  Item item{{s.partition, key.partition}};
  if (key.sort) {
    check(*key.sort, s.sort, s.sort_type, 1024);
    item.emplace(s.sort, *key.sort);
  }
  return item;
}

Item MappingState::full_item(const Key& key, Item item) const {
  for (auto& [name, v] : key_attributes(key)) {
    const auto it = item.find(name);
    if (it != item.end() && !(it->second == v)) {
      ValidationError e("the item's key attribute \"" + name + "\" differs from the key given");
      set_error_context(e, {}, table_name);
      throw e;
    }
    item.insert_or_assign(name, std::move(v));
  }
  try {
    validate_item(item);
  } catch (Error& e) {
    set_error_context(e, {}, table_name);
    throw;
  }
  return item;
}

Key MappingState::key_of(const Item& item) const {
  const KeySchema& s = schema();
  const auto p = item.find(s.partition);
  if (p == item.end())
    throw DecodeError("an item of table " + table_name + " has no partition key");
  if (s.sort.empty()) return Key(p->second);
  const auto k = item.find(s.sort);
  if (k == item.end()) throw DecodeError("an item of table " + table_name + " has no sort key");
  return Key(p->second, k->second);
}

std::string MappingState::projection_with_keys(std::vector<std::string> attributes,
                                               AttributeNames& names) const {
  for (auto& name : key_names()) attributes.push_back(std::move(name));
  return projection_expression(attributes, names);
}

}  // namespace detail
}  // namespace dynamodb_mapping
