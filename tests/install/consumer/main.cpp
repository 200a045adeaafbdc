// A program outside the project, built against the installed library (and, in a shared build,
// linked to libdynamodb_mapping.so): it touches each part of the exported API that needs no
// server, and catches an exception the library throws by its class.
#include <dynamodb_mapping/dynamodb_mapping.hpp>
#include <iostream>

namespace ddb = dynamodb_mapping;

int main() {
  const ddb::Item item{{"id", "a"},
                       {"n", 1},
                       {"price", ddb::Number("12.50")},
                       {"tags", ddb::StringSet{"x", "y"}},
                       {"sizes", ddb::NumberSet{1, 2.5}},
                       {"blobs", ddb::BinarySet{ddb::Binary::from_string("b")}},
                       {"nested", ddb::Map{{"list", ddb::List{true, nullptr}}}}};
  const std::string wire = ddb::to_wire_json(item);
  std::cout << wire << '\n';
  if (ddb::item_from_wire_json(wire) != item) return 1;
  if (ddb::item_from_plain_json(ddb::to_plain_json(item)).at("price").as<double>() != 12.5) {
    return 1;
  }
  ddb::validate_item(item);
  if (ddb::item_size(item) == 0 || item.at("n").as<int>() != 1) return 1;
  if (ddb::base64_decode(ddb::base64_encode(ddb::Binary::from_string("xyz"))) !=
      ddb::Binary::from_string("xyz")) {
    return 1;
  }

  // Thrown inside the library, caught here by class: the type information is shared.
  try {
    (void)ddb::item_from_wire_json("{");
    return 1;
  } catch (const ddb::DecodeError& e) {
    if (e.kind() != ddb::ErrorKind::Decode) return 1;
  }
  try {
    (void)item.at("id").as_number();
    return 1;
  } catch (const ddb::Error& e) {
    if (e.kind() != ddb::ErrorKind::Type) return 1;
  }

  // A Client sends nothing until it is called.
  ddb::ClientConfig config;
  config.region = "us-east-1";
  config.endpoint_url = "http://127.0.0.1:1";
  config.credentials = ddb::Credentials{"AKIDEXAMPLE", "secret", "", std::nullopt};
  const ddb::Client client(config);
  std::cout << *config.credentials << ' ' << client.region() << '\n';
  return client.region() == "us-east-1" ? 0 : 1;
}
