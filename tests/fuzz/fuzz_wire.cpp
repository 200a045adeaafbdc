// libFuzzer target: the wire-JSON decoder. Any input either decodes or throws a
// dynamodb_mapping::Error; what decodes must survive an encode/decode round trip unchanged.
#include <cstdint>
#include <string_view>

#include "dynamodb_mapping/json.hpp"

namespace ddb = dynamodb_mapping;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const ddb::Value v = ddb::value_from_wire_json(text);
    if (!(ddb::value_from_wire_json(ddb::to_wire_json(v)) == v)) __builtin_trap();
  } catch (const ddb::Error&) {
  }
  try {
    const ddb::Item item = ddb::item_from_wire_json(text);
    if (!(ddb::item_from_wire_json(ddb::to_wire_json(item)) == item)) __builtin_trap();
  } catch (const ddb::Error&) {
  }
  return 0;
}
