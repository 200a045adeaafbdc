// The CLI's key syntax and progress line, without a server.
#include <gtest/gtest.h>

#include "key_text.hpp"
#include "progress.hpp"

namespace ddb = dynamodb_mapping;
using ddbmap::parse_key;

namespace {
const std::vector<ddb::AttributeDefinition> kSimple{{"id", ddb::ScalarType::String}};
const std::vector<ddb::AttributeDefinition> kNumber{{"id", ddb::ScalarType::Number}};
const std::vector<ddb::AttributeDefinition> kComposite{{"pk", ddb::ScalarType::String},
                                                       {"sk", ddb::ScalarType::Number}};
}  // namespace

TEST(KeyText, SimpleKeysAreTakenAsTheyAre) {
  EXPECT_EQ(parse_key("a,b\\c", kSimple), ddb::Key("a,b\\c"));
  EXPECT_EQ(parse_key("42", kNumber), ddb::Key(42));
  EXPECT_EQ(parse_key("42", kNumber, /*number_key=*/true), ddb::Key(42));
  EXPECT_THROW(parse_key("x", kNumber), ddb::ValidationError);
  EXPECT_THROW(parse_key("42", kSimple, /*number_key=*/true), ddb::ValidationError);
  EXPECT_EQ(parse_key("AAE=", {{"b", ddb::ScalarType::Binary}}), ddb::Key(ddb::Binary{0, 1}));
  EXPECT_THROW(parse_key("not base64", {{"b", ddb::ScalarType::Binary}}), ddb::ValidationError);
}

TEST(KeyText, CompositeKeysSplitAtTheFirstUnescapedComma) {
  EXPECT_EQ(parse_key("user,7", kComposite), ddb::Key("user", 7));
  EXPECT_EQ(parse_key("a\\,b,1.5", kComposite), ddb::Key("a,b", ddb::Number("1.5")));
  EXPECT_EQ(parse_key("a\\\\,2", kComposite), ddb::Key("a\\", 2));
  EXPECT_THROW(parse_key("only", kComposite), ddb::ValidationError);
  // Only the first unescaped comma splits: later ones belong to the sort key.
  EXPECT_EQ(parse_key("a,b,c", {{"p", ddb::ScalarType::String}, {"s", ddb::ScalarType::String}}),
            ddb::Key("a", "b,c"));
  EXPECT_EQ(parse_key("a,b\\,c", {{"p", ddb::ScalarType::String}, {"s", ddb::ScalarType::String}}),
            ddb::Key("a", "b,c"));
  EXPECT_THROW(parse_key("a\\x,1", kComposite), ddb::ValidationError);
  EXPECT_THROW(parse_key("a,", kComposite), ddb::ValidationError);  // "" is not a number
}

TEST(Progress, LineShowsCountRateAndEta) {
  EXPECT_EQ(ddbmap::Progress::render("import", 25000, 50, 100, 10.0),
            "import [############............] 50% 25,000 items, 2,500 items/s, ETA 0:10, 0:10 "
            "elapsed");
  EXPECT_EQ(ddbmap::Progress::render("export", 1234567, 0, std::nullopt, 3725.0),
            "export 1,234,567 items, 331 items/s, 1:02:05 elapsed");
}
