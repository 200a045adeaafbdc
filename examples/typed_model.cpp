// Typed models: your own structs in a table, declared once with DDBMAP_FIELDS and reached through
// mapping.as<Order>(); what an item that does not fit looks like; and a transaction cancellation
// that names the action that failed. Needs a DynamoDB (or DynamoDB Local) endpoint from the
// standard chain, as quickstart does (scripts/demo.sh sets AWS_ENDPOINT_URL_DYNAMODB).
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "dynamodb_mapping/dynamodb_mapping.hpp"
#include "dynamodb_mapping/typed.hpp"

namespace ddb = dynamodb_mapping;

namespace shop {

struct Line {
  std::string sku;
  std::int32_t quantity = 0;
  ddb::Number price;  // exact decimal: "19.99" stays "19.99"
};
DDBMAP_FIELDS(Line, sku, quantity, price)

struct Order {
  std::string id;  // the table's partition key
  std::string customer;
  std::vector<Line> lines;
  std::optional<std::string> note;  // left out of the item when empty
};
DDBMAP_FIELDS(Order, id, customer, lines, note)

}  // namespace shop

int main() try {
  ddb::Client client;
  ddb::CreateTableRequest create;
  create.table_name = "orders";
  create.key_schema = {{"id", ddb::KeyType::Hash}};
  create.attribute_definitions = {{"id", ddb::ScalarType::String}};
  client.create_table(create);

  ddb::DynamoDBMapping mapping{"orders", client};
  auto orders = mapping.as<shop::Order>();

  // The key comes from the value's own `id` (or give it: orders.insert_or_assign("o-1", order)).
  orders.insert_or_assign({"o-1", "ada", {{"pen", 2, ddb::Number("1.25")}}, std::nullopt});
  orders.insert({"o-2", "bob", {{"ink", 1, ddb::Number("19.99")}}, "gift wrap"});

  const shop::Order o = orders.at("o-2");  // GetItem, decoded
  std::cout << o.customer << " pays " << o.lines[0].price.text() << '\n';
  for (const auto& [key, order] : orders) {  // a paged Scan, each item decoded
    std::cout << key << ": " << order.lines.size() << " line(s)\n";
  }

  // An item written by someone else that does not fit Order: the error names the path.
  mapping["o-3"] = {{"customer", "eve"}, {"lines", ddb::List{ddb::Map{{"sku", "cap"}}}}};
  try {
    (void)orders.at("o-3");
  } catch (const ddb::ModelError& e) {
    std::cout << "o-3 does not fit: " << e.path() << ": " << e.problem() << '\n';
  }

  // A transaction whose second action fails its condition, asking for the stored item.
  try {
    mapping.transaction()
        .put("o-4", orders.to_item({"o-4", "fay", {}, std::nullopt}))
        .put("o-1", orders.to_item({"o-1", "mallory", {}, std::nullopt}),
             {.condition = ddb::Condition::not_exists("id")}, ddb::OnConditionFailure::ReturnItem)
        .commit();
  } catch (const ddb::TransactionCanceledError& e) {
    std::cout << e.what() << '\n';
    for (std::size_t i : e.failed()) {
      const ddb::CancellationReason& r = e.reasons()[i];
      if (r.item)
        std::cout << "it belongs to " << ddb::model_from<shop::Order>(*r.item).customer << '\n';
    }
  }

  client.delete_table("orders");
  return EXIT_SUCCESS;
} catch (const std::exception& e) {
  std::cerr << "typed_model failed: " << e.what() << '\n';
  return EXIT_FAILURE;
}
