#include <gtest/gtest.h>

#include "dynamodb_mapping/json.hpp"
#include "support/sample_items.hpp"

namespace ddb = dynamodb_mapping;

TEST(PlainJson, ReadsTheDocumentClientShape) {
  const ddb::Item item = ddb::item_from_plain_json(
      R"({"id":"a","price":12.50,"big":12345678901234567890123456789012345678,
          "ok":true,"none":null,"tags":["x",1],"dims":{"w":3}})");
  const ddb::Item expected{{"id", "a"},
                           {"price", ddb::Number("12.50")},
                           {"big", ddb::Number("12345678901234567890123456789012345678")},
                           {"ok", true},
                           {"none", nullptr},
                           {"tags", ddb::List{"x", 1}},
                           {"dims", ddb::Map{{"w", 3}}}};
  EXPECT_EQ(item, expected);
  // The exact decimal text survives, not a double's rendering of it.
  EXPECT_EQ(item.at("price").as_number().text(), "12.50");
  EXPECT_EQ(item.at("big").as_number().text(), "12345678901234567890123456789012345678");
}

TEST(PlainJson, ScalarDocuments) {
  EXPECT_EQ(ddb::value_from_plain_json("1E-130"), ddb::Value(ddb::Number("1E-130")));
  EXPECT_EQ(ddb::value_from_plain_json(" \"s\" "), ddb::Value("s"));
  EXPECT_EQ(ddb::value_from_plain_json("false"), ddb::Value(false));
  EXPECT_EQ(ddb::value_from_plain_json("null"), ddb::Value(nullptr));
  EXPECT_EQ(ddb::value_from_plain_json("-7 "), ddb::Value(-7));
}

TEST(PlainJson, WritesSetsAsArraysAndBinaryAsBase64) {
  EXPECT_EQ(ddb::to_plain_json(ddb::Value(ddb::NumberSet{1, 2})), "[1,2]");
  EXPECT_EQ(ddb::to_plain_json(ddb::Value(ddb::StringSet{"a"})), R"(["a"])");
  EXPECT_EQ(ddb::to_plain_json(ddb::Value(ddb::Binary{0xFF})), R"("/w==")");
  EXPECT_EQ(ddb::to_plain_json(ddb::Value(ddb::BinarySet{ddb::Binary{0xFF}})), R"(["/w=="])");
}

TEST(PlainJson, RoundTripsTheTypesItCanRepresent) {
  const ddb::Item item{{"s", "h\xC3\xA9llo\n"},
                       {"n", ddb::Number("-1.5E-3")},
                       {"b", true},
                       {"z", nullptr},
                       {"l", ddb::List{1, ddb::List{}}},
                       {"m", ddb::Map{{"k", ddb::Map{}}}}};
  EXPECT_EQ(ddb::item_from_plain_json(ddb::to_plain_json(item)), item);
}

TEST(PlainJson, BadInput) {
  for (const char* json : {"", "{", R"({"a":})", R"({"a":1,})", "[1,2", "tru", "nul", "01", "1.",
                           ".5", "+1", "1e", "-", R"({"a":1} x)", R"({"a":1,"a":2})", "\"\xFF\""}) {
    EXPECT_THROW(ddb::value_from_plain_json(json), ddb::DecodeError) << json;
  }
  EXPECT_THROW(ddb::item_from_plain_json("[1]"), ddb::DecodeError);
  EXPECT_THROW(ddb::item_from_plain_json("1"), ddb::DecodeError);
  // Well-formed JSON, but a number DynamoDB cannot store: the user's input is invalid.
  EXPECT_THROW(ddb::item_from_plain_json(R"({"x":1e200})"), ddb::ValidationError);
  EXPECT_THROW(ddb::item_from_plain_json(R"({"x":1234567890123456789012345678901234567890})"),
               ddb::ValidationError);
}

TEST(PlainJson, DeepNestingIsRefusedNotACrash) {
  // Found by fuzzing: a document nested a few thousand levels deep with a bad number at the
  // bottom exhausted the stack. Depth is now bounded before decoding.
  const std::string deep = std::string(5000, '[') + "1e999" + std::string(5000, ']');
  EXPECT_THROW(ddb::value_from_plain_json(deep), ddb::DecodeError);
  const std::string deep_wire = [] {
    std::string s;
    for (int i = 0; i < 3000; ++i) s += R"({"L":[)";
    s += R"({"N":"x"})";
    for (int i = 0; i < 3000; ++i) s += "]}";
    return s;
  }();
  EXPECT_THROW(ddb::value_from_wire_json(deep_wire), ddb::DecodeError);
  // DynamoDB's own limit, 32 levels, is far inside the bound.
  std::string ok = std::string(40, '[') + "1" + std::string(40, ']');
  EXPECT_NO_THROW(ddb::value_from_plain_json(ok));
}
