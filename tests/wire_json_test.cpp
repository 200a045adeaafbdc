#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "dynamodb_mapping/json.hpp"
#include "support/sample_items.hpp"

namespace ddb = dynamodb_mapping;

namespace {
std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}
}  // namespace

TEST(WireJson, EveryTypeRoundTrips) {
  const ddb::Item item = ddbtest::every_type_item("every-type");
  for (const auto& [name, v] : item) {
    const std::string json = ddb::to_wire_json(v);
    EXPECT_EQ(ddb::value_from_wire_json(json), v) << name << ": " << json;
  }
  EXPECT_EQ(ddb::item_from_wire_json(ddb::to_wire_json(item)), item);
}

TEST(WireJson, ExactNumbersRoundTripAsText) {
  for (const char* text : {"12345678901234567890123456789012345678", "1E-130",
                           "9.9999999999999999999999999999999999999E+125", "-0.000001"}) {
    const ddb::Value back = ddb::value_from_wire_json(ddb::to_wire_json(ddb::Number(text)));
    EXPECT_EQ(back.as_number().text(), text);
  }
}

TEST(WireJson, BinaryWithEveryByteRoundTripsViaBase64) {
  const ddb::Binary bytes = ddbtest::all_bytes();
  const std::string json = ddb::to_wire_json(bytes);
  EXPECT_EQ(json.find('\0'), std::string::npos);
  EXPECT_EQ(ddb::value_from_wire_json(json).as_binary(), bytes);
  // Every length modulo 3, including empty, to exercise the padding.
  for (std::size_t n = 0; n < 8; ++n) {
    ddb::Binary b;
    for (std::size_t i = 0; i < n; ++i) b.bytes.push_back(static_cast<std::uint8_t>(0xF0 + i));
    EXPECT_EQ(ddb::base64_decode(ddb::base64_encode(b)), b) << n;
  }
}

TEST(WireJson, MatchesTheHandWrittenFixture) {
  const std::string fixture = read_file(DDBMAP_TEST_DATA_DIR "/every_type.wire.json");
  ASSERT_FALSE(fixture.empty());
  EXPECT_EQ(ddb::item_from_wire_json(fixture), ddbtest::every_type_item("every-type"));
}

TEST(WireJson, WritesTheDocumentedShape) {
  EXPECT_EQ(ddb::to_wire_json(ddb::Item{{"a", 1}, {"b", "x\"y"}, {"c", nullptr}}),
            R"({"a":{"N":"1"},"b":{"S":"x\"y"},"c":{"NULL":true}})");
  EXPECT_EQ(ddb::to_wire_json(ddb::Value(ddb::List{true, ddb::Binary{0xFF}})),
            R"({"L":[{"BOOL":true},{"B":"/w=="}]})");
  EXPECT_EQ(ddb::to_wire_json(ddb::Value("\x01")), R"({"S":"\u0001"})");
}

TEST(WireJson, MalformedInputIsATypedError) {
  const char* bad[] = {
      "",                        // empty
      R"({"S":"abc")",           // truncated
      R"({"S":"abc)",            // truncated inside a string
      R"({"M":{"a":{"S":"x"})",  // truncated nested
      R"({"X":"abc"})",          // unknown tag
      R"({})",                   // no tag
      R"({"S":"a","N":"1"})",    // two tags
      R"({"S":1})",              // wrong JSON type for S
      R"({"N":1})",              // N must be a string
      R"({"N":"abc"})",          // N not a number
      R"({"N":"1e200"})",        // out of range
      R"({"N":"NaN"})",
      R"({"N":"123456789012345678901234567890123456789"})",
      R"({"B":"not base64!"})",
      R"({"B":"QQ="})",  // bad padding / length
      R"({"BOOL":"true"})",
      R"({"NULL":false})",
      R"({"SS":"a"})",          // set not an array
      R"({"SS":["a","a"]})",    // duplicate member
      R"({"NS":["1","1.0"]})",  // duplicate by value
      R"({"NS":[1]})",
      R"({"L":{"S":"x"}})",
      R"({"M":[]})",
      R"({"M":{"a":{"S":"x"},"a":{"S":"y"}}})",  // duplicate name
      R"([])",
      R"("S")",
      R"({"S":"x"} trailing)",
      "{\"S\":\"\xC3\x28\"}",  // invalid UTF-8
      R"({"S":"\ud800"})",     // lone surrogate escape
  };
  for (const char* json : bad) {
    EXPECT_THROW(ddb::value_from_wire_json(json), ddb::DecodeError) << json;
  }
  EXPECT_THROW(ddb::item_from_wire_json(R"({"a":{"S":"x"})"), ddb::DecodeError);
  EXPECT_THROW(ddb::item_from_wire_json(R"([{"S":"x"}])"), ddb::DecodeError);
  EXPECT_THROW(ddb::item_from_wire_json(R"({"a":"x"})"), ddb::DecodeError);
}

TEST(WireJson, ErrorsNameTheAttributePath) {
  try {
    ddb::item_from_wire_json(R"({"outer":{"M":{"inner":{"L":[{"S":"ok"},{"N":"bad"}]}}}})");
    FAIL();
  } catch (const ddb::DecodeError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("DecodeError: attribute outer.inner[1]: ", 0), 0u)
        << e.what();
  }
}

TEST(WireJson, EveryTruncationOfAValidItemIsRejectedCleanly) {
  const std::string json = ddb::to_wire_json(ddbtest::every_type_item("k"));
  for (std::size_t n = 0; n < json.size(); ++n) {
    EXPECT_THROW(ddb::item_from_wire_json(std::string_view(json).substr(0, n)), ddb::DecodeError)
        << n;
  }
}

TEST(WireJson, Base64DecodeIsStrict) {
  EXPECT_EQ(ddb::base64_decode("").size(), 0u);
  EXPECT_EQ(ddb::base64_decode("QQ=="), ddb::Binary{'A'});
  for (const char* bad :
       {"Q", "QQ=", "Q===", "QQ==QQ==", "QQ\n=", "Q Q=", "QQ-_", "====", "QQ=A"}) {
    EXPECT_THROW(ddb::base64_decode(bad), ddb::DecodeError) << bad;
  }
}

TEST(WireJson, TextFromTheInputIsEscapedInErrorMessages) {
  // An attribute name and a number text with an escape sequence: the message must not carry the
  // raw ESC byte (it would drive the terminal that prints it), and a long name is cut.
  try {
    ddb::item_from_wire_json(R"({")" + std::string("a\\u001b[2J") + std::string(1000, 'n') +
                             R"(":{"N":"1\u001b[31mx"}})");
    FAIL() << "no exception";
  } catch (const ddb::Error& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\x1b'), std::string::npos) << what;
    EXPECT_NE(what.find("\\x1b"), std::string::npos) << what;
    EXPECT_LT(what.size(), 600u) << what;
  }
}
