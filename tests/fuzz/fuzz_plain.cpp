// libFuzzer target: the plain-JSON reader behind `ddbmap import`. Any input either parses or
// throws a dynamodb_mapping::Error; what parses must survive a write/read round trip unchanged.
#include <cstdint>
#include <string_view>

#include "dynamodb_mapping/json.hpp"
#include "dynamodb_mapping/validate.hpp"

namespace ddb = dynamodb_mapping;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const ddb::Value v = ddb::value_from_plain_json(text);
    if (!(ddb::value_from_plain_json(ddb::to_plain_json(v)) == v)) __builtin_trap();
    ddb::validate_value(v);
  } catch (const ddb::Error&) {
  }
  try {
    const ddb::Item item = ddb::item_from_plain_json(text);
    ddb::validate_item(item);
    (void)ddb::item_size(item);
  } catch (const ddb::Error&) {
  }
  return 0;
}
