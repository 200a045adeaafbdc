// Quickstart: what dynamodb_mapping offers so far. The container (DynamoDBMapping) and the
// client arrive in later releases; today the library holds DynamoDB's data model: Value, Item,
// exact Numbers, sets, and the wire and plain JSON forms, with DynamoDB's limits checked locally.
#include <cstdlib>
#include <iostream>

#include "dynamodb_mapping/dynamodb_mapping.hpp"

namespace ddb = dynamodb_mapping;

int main() {
  // An item reads like the Python original's dict literal.
  ddb::Item item{{"description", "foo"},
                 {"price", 123},
                 {"tags", ddb::StringSet{"new", "sale"}},
                 {"dimensions", ddb::Map{{"w", 3}, {"h", ddb::Number("4.25")}}},
                 {"history", ddb::List{"created", nullptr, true}}};
  std::cout << "item (plain JSON):  " << item << '\n';
  std::cout << "item (wire JSON):   " << ddb::to_wire_json(item) << '\n';
  std::cout << "size by DynamoDB's rules: " << ddb::item_size(item) << " bytes\n";

  // Numbers keep their exact decimal text: 38 digits survive, no rounding through double.
  const ddb::Number exact("12345678901234567890123456789012345678");
  std::cout << "exact number: " << exact.text() << '\n';
  std::cout << "price as int: " << item.at("price").as<int>() << '\n';

  // Plain JSON in, typed wire JSON out, as an import would do.
  const ddb::Item imported = ddb::item_from_plain_json(R"({"id":"a1","score":99.5,"ok":true})");
  std::cout << "imported: " << ddb::to_wire_json(imported) << '\n';

  // Everything DynamoDB would refuse is refused here first, with a typed error.
  try {
    ddb::validate_item({{"tags", ddb::StringSet{}}});
  } catch (const ddb::ValidationError& e) {
    std::cout << "refused before any request: " << e.what() << '\n';
  }
  try {
    ddb::Number too_big("1e200");
  } catch (const ddb::ValidationError& e) {
    std::cout << "refused before any request: " << e.what() << '\n';
  }

  if (const char* endpoint = std::getenv("AWS_ENDPOINT_URL_DYNAMODB")) {
    std::cout << "local DynamoDB for the container examples: " << endpoint << '\n';
  }
  return EXIT_SUCCESS;
}
