// What the benchmark programs share: the item shape of every comparison and a fresh table.
#pragma once

#include <cstdio>
#include <string>

#include "dynamodb_mapping/dynamodb_mapping.hpp"

namespace bench {

namespace ddb = dynamodb_mapping;

/// Item number i of the fixed shape every client in the comparison writes: five attributes,
/// about 200 bytes (bench/peers/ build the same).
inline ddb::Item make_item(long i) {
  char pk[24];
  std::snprintf(pk, sizeof pk, "item-%06ld", i);
  return {{"pk", pk},
          {"name", "name of item " + std::to_string(i) + " " + std::string(60, 'n')},
          {"price", ddb::Number(std::to_string(i) + ".25")},
          {"tags", ddb::StringSet{"alpha", "beta", "gamma"}},
          {"description", std::string(70, 'd')}};
}

/// Creates an empty on-demand table with a string partition key "pk", replacing any old one.
inline void fresh_table(const ddb::Client& client, const std::string& name) {
  try {
    client.delete_table(name);
  } catch (const ddb::ResourceNotFoundError&) {
  }
  ddb::CreateTableRequest r;
  r.table_name = name;
  r.key_schema = {{"pk", ddb::KeyType::Hash}};
  r.attribute_definitions = {{"pk", ddb::ScalarType::String}};
  client.create_table(r);
}

}  // namespace bench
