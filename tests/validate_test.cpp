#include "dynamodb_mapping/validate.hpp"

#include <gtest/gtest.h>

#include "support/sample_items.hpp"

namespace ddb = dynamodb_mapping;

namespace {
// A value with `levels` Lists/Maps nested inside each other (alternating).
ddb::Value nested(int levels) {
  ddb::Value v = "leaf";
  for (int i = 0; i < levels; ++i) {
    v = (i % 2 == 0) ? ddb::Value(ddb::List{v}) : ddb::Value(ddb::Map{{"m", v}});
  }
  return v;
}

std::string message_of(const ddb::Item& item) {
  try {
    ddb::validate_item(item);
  } catch (const ddb::ValidationError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST(Validate, AcceptsEveryTypeSample) {
  EXPECT_NO_THROW(ddb::validate_item(ddbtest::every_type_item("k")));
}

TEST(Validate, RejectsEmptySets) {
  EXPECT_THROW(ddb::validate_item({{"s", ddb::StringSet{}}}), ddb::ValidationError);
  EXPECT_THROW(ddb::validate_item({{"s", ddb::NumberSet{}}}), ddb::ValidationError);
  EXPECT_THROW(ddb::validate_item({{"s", ddb::BinarySet{}}}), ddb::ValidationError);
  EXPECT_THROW(ddb::validate_item({{"l", ddb::List{ddb::Map{{"s", ddb::StringSet{}}}}}}),
               ddb::ValidationError);
  EXPECT_EQ(
      message_of({{"l", ddb::List{1, ddb::Map{{"s", ddb::NumberSet{}}}}}}),
      "ValidationException: attribute l[1].s: empty number set (DynamoDB rejects empty sets)");
}

TEST(Validate, NestingDepth32IsTheLimit) {
  // Depth counts the item as level 1: 31 containers make depth 32, 32 containers depth 33.
  EXPECT_NO_THROW(ddb::validate_item({{"a", nested(31)}}));
  EXPECT_NO_THROW(ddb::validate_value(nested(31)));
  EXPECT_THROW(ddb::validate_item({{"a", nested(32)}}), ddb::ValidationError);
  EXPECT_THROW(ddb::validate_value(nested(32)), ddb::ValidationError);
  EXPECT_THROW(ddb::validate_value(nested(40)), ddb::ValidationError);
  EXPECT_NE(message_of({{"a", nested(32)}}).find("deeper than 32"), std::string::npos);
}

TEST(Validate, RejectsInvalidUtf8Everywhere) {
  const std::string bad = "ok\xC3\x28";  // 0xC3 must be followed by a continuation byte
  EXPECT_THROW(ddb::validate_item({{"s", bad}}), ddb::ValidationError);
  EXPECT_THROW(ddb::validate_item({{bad, "v"}}), ddb::ValidationError);
  EXPECT_THROW(ddb::validate_item({{"ss", ddb::StringSet{"a", bad}}}), ddb::ValidationError);
  EXPECT_THROW(ddb::validate_item({{"m", ddb::Map{{bad, 1}}}}), ddb::ValidationError);
  EXPECT_THROW(ddb::validate_item({{"l", ddb::List{bad}}}), ddb::ValidationError);
  EXPECT_THROW(ddb::validate_item({{"s", std::string("\xED\xA0\x80")}}), ddb::ValidationError);
  EXPECT_THROW(ddb::validate_item({{"s", std::string("\xF8\x88\x80\x80\x80")}}),
               ddb::ValidationError);
  // Binary may hold any bytes.
  EXPECT_NO_THROW(ddb::validate_item({{"b", ddb::Binary::from_string(bad)}}));
  // The message stays valid text: the bad byte is shown escaped.
  const std::string message = message_of({{"m", ddb::Map{{bad, ""}}}});
  EXPECT_NE(message.find("m.ok\\xc3("), std::string::npos) << message;
  EXPECT_EQ(message.find('\xC3'), std::string::npos) << message;
}

TEST(Validate, RejectsEmptyAttributeName) {
  EXPECT_THROW(ddb::validate_item({{"", 1}}), ddb::ValidationError);
}

TEST(Validate, ItemSizeFollowsTheDocumentedRules) {
  EXPECT_EQ(ddb::item_size({{"ab", "xyz"}}), 2u + 3u);
  EXPECT_EQ(ddb::item_size({{"n", ddb::Number("12345")}}), 1u + 3u + 1u);  // 5 digits: 3 + 1
  EXPECT_EQ(ddb::item_size({{"n", ddb::Number("1.2000")}}),
            1u + 1u + 1u);  // trailing zeros trimmed
  EXPECT_EQ(ddb::item_size({{"z", nullptr}, {"t", true}}), 2u + 2u);
  EXPECT_EQ(ddb::item_size({{"b", ddb::Binary{1, 2, 3}}}), 4u);
  EXPECT_EQ(ddb::item_size({{"l", ddb::List{"ab", 1}}}), 1u + 3u + (1u + 2u) + (1u + 2u));
  EXPECT_EQ(ddb::item_size({{"m", ddb::Map{{"k", "v"}}}}), 1u + 3u + (1u + 1u + 1u));
  EXPECT_EQ(ddb::item_size({{"ss", ddb::StringSet{"a", "bc"}}}), 2u + 3u);
  EXPECT_EQ(ddb::item_size({{"\xC3\xA9", "\xE2\x82\xAC"}}), 2u + 3u);  // UTF-8 bytes
}

TEST(Validate, FourHundredKilobytesIsTheLimit) {
  // Name "k" (1 byte) + a string: exactly 409,600 bytes is allowed, one more is not.
  EXPECT_EQ(ddb::item_size({{"k", std::string(ddb::kMaxItemBytes - 1, 'x')}}), 409600u);
  EXPECT_NO_THROW(ddb::validate_item({{"k", std::string(ddb::kMaxItemBytes - 1, 'x')}}));
  EXPECT_THROW(ddb::validate_item({{"k", std::string(ddb::kMaxItemBytes, 'x')}}),
               ddb::ValidationError);
  EXPECT_NE(message_of({{"k", std::string(ddb::kMaxItemBytes, 'x')}}).find("409601 bytes"),
            std::string::npos);
}
