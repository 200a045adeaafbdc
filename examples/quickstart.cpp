// Quickstart: the Python dynamodb-mapping README, line by line, in C++ — then a few things the
// C++ container adds. scripts/demo.sh runs it against a DynamoDB Local it starts; the table is
// created (and deleted) here so that the example needs nothing else.
#include <cstdlib>
#include <iostream>

#include "dynamodb_mapping/dynamodb_mapping.hpp"

namespace ddb = dynamodb_mapping;

int main() try {
  // Credentials, region and endpoint come from the standard AWS chain (demo.sh sets
  // AWS_ENDPOINT_URL_DYNAMODB to the local server).
  ddb::Client client;
  ddb::CreateTableRequest create;
  create.table_name = "my_table";
  create.key_schema = {{"id", ddb::KeyType::Hash}};
  create.attribute_definitions = {{"id", ddb::ScalarType::String}};
  client.create_table(create);

  // from dynamodb_mapping import DynamoDBMapping
  // mapping = DynamoDBMapping(table_name="my_table")
  ddb::DynamoDBMapping mapping{"my_table", client};

  // # Create or modify an item:
  // mapping["my_item"] = {"description": "foo", "price": 123}
  // mapping["my_item"]["price"] = 456
  mapping["my_item"] = {{"description", "foo"}, {"price", 123}};  // PutItem
  mapping["my_item"]["price"] = 456;                              // UpdateItem SET price = :v

  // # Iterate over all items:
  // for key, value in mapping.items():
  //     print(key, value)
  for (const auto& [key, value] : mapping.items()) {  // lazy, paged Scan
    std::cout << key << ' ' << value << '\n';
  }

  // # Get a single item:
  // print(mapping["my_item"])
  std::cout << mapping["my_item"] << '\n';  // GetItem

  // # Number of items in table:
  // print(len(mapping))
  std::cout << mapping.size() << " (estimate), " << mapping.count() << " (exact)\n";

  // # Delete an item:
  // del mapping["my_item"]
  mapping.del_item("my_item");  // one conditional DeleteItem; KeyError if it was not there

  // ---- beyond the Python original ----
  std::cout << std::boolalpha << "contains after delete: " << mapping.contains("my_item") << '\n';
  try {
    (void)mapping.at("my_item");
  } catch (const ddb::KeyError& e) {
    std::cout << "KeyError: " << e.what() << '\n';
  }
  std::cout << "insert: " << mapping.insert("a", {{"n", 1}})            // only if absent
            << ", again: " << mapping.insert("a", {{"n", 2}}) << '\n';  // false: it exists
  mapping.modify_item("a", {{"n", 10}, {"note", "changed"}});           // one UpdateItem
  mapping.modify_item("a", {{"note", ddb::remove}});                    // REMOVE

  std::vector<std::pair<ddb::Key, ddb::Item>> batch;
  for (int i = 0; i < 100; ++i) batch.push_back({"item-" + std::to_string(i), {{"n", i}}});
  mapping.update(batch);  // BatchWriteItem, 25 at a time, several in flight

  ddb::ScanOptions big_ones;
  big_ones.filter = ddb::Condition{"#n >= :min", {{"#n", "n"}}, {{":min", 95}}};
  std::cout << "n >= 95:";
  for (const ddb::Item& item : mapping.scan(big_ones)) std::cout << ' ' << item.at("n");
  std::cout << '\n';

  const auto some = mapping.get_many({"item-1", "item-2", "missing"});  // BatchGetItem
  std::cout << "get_many found " << (some[0] && some[1] && !some[2] ? "2 of 3" : "?") << '\n';
  std::cout << "count: " << mapping.count() << '\n';  // Select=COUNT scan
  mapping.clear();
  std::cout << "after clear: " << mapping.count() << '\n';

  // Everything DynamoDB would refuse is refused before any request, with a typed error.
  try {
    mapping[42] = {{"n", 1}};  // the key is a String
  } catch (const ddb::ValidationError& e) {
    std::cout << "refused: " << e.what() << '\n';
  }

  client.delete_table("my_table");
  return EXIT_SUCCESS;
} catch (const std::exception& e) {
  std::cerr << "quickstart failed: " << e.what() << '\n';
  return EXIT_FAILURE;
}
