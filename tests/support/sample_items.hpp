// Items used by several tests: one attribute of every DynamoDB type, including the edge values
// the Value model must carry exactly.
#pragma once

#include <cstdint>

#include "dynamodb_mapping/value.hpp"

namespace ddbtest {

namespace ddb = dynamodb_mapping;

/// Every byte value 0..255, in order.
inline ddb::Binary all_bytes() {
  ddb::Binary b;
  for (int i = 0; i < 256; ++i) b.bytes.push_back(static_cast<std::uint8_t>(i));
  return b;
}

/// One attribute of every type. Must equal tests/data/every_type.wire.json (with pk "every-type").
inline ddb::Item every_type_item(const std::string& pk) {
  return ddb::Item{
      {"pk", pk},
      {"null", nullptr},
      {"yes", true},
      {"no", false},
      {"int", -42},
      {"digits38", ddb::Number("12345678901234567890123456789012345678")},
      {"tiny", ddb::Number("1E-130")},
      {"huge", ddb::Number("9.9999999999999999999999999999999999999E+125")},
      {"fraction", ddb::Number("-0.5")},
      {"text", "h\xC3\xA9llo \"quoted\" \\ \n\t \xE2\x82\xAC \xF0\x9F\x98\x80"},
      {"empty", ""},
      {"bytes", all_bytes()},
      {"strings", ddb::StringSet{"a", "b", "\xC3\xA9"}},
      {"numbers", ddb::NumberSet{ddb::Number(1), ddb::Number("2.5"), ddb::Number("-1E-130")}},
      {"blobs", ddb::BinarySet{ddb::Binary{0x00}, ddb::Binary{0xFF, 0x01}}},
      {"list", ddb::List{"x", 1, true, nullptr, ddb::List{}, ddb::Map{{"k", "v"}}}},
      {"map", ddb::Map{{"nested", ddb::Map{{"deep", ddb::List{ddb::Number("3.14")}}}},
                       {"name", "reserved word as a key"}}},
      {"emptymap", ddb::Map{}},
  };
}

}  // namespace ddbtest
