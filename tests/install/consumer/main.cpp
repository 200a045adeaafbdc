#include <dynamodb_mapping/dynamodb_mapping.hpp>
#include <iostream>

int main() {
  const dynamodb_mapping::Item item{{"id", "a"}, {"n", 1}};
  const std::string wire = dynamodb_mapping::to_wire_json(item);
  std::cout << wire << '\n';
  return dynamodb_mapping::item_from_wire_json(wire) == item ? 0 : 1;
}
