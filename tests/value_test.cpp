#include "dynamodb_mapping/value.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace ddb = dynamodb_mapping;

TEST(Value, ConstructsFromNaturalCppValues) {
  EXPECT_EQ(ddb::Value().type(), ddb::Value::Type::Null);
  EXPECT_EQ(ddb::Value(nullptr).type(), ddb::Value::Type::Null);
  EXPECT_EQ(ddb::Value(true).type(), ddb::Value::Type::Bool);
  EXPECT_EQ(ddb::Value(42).type(), ddb::Value::Type::Number);
  EXPECT_EQ(ddb::Value(42u).type(), ddb::Value::Type::Number);
  EXPECT_EQ(ddb::Value(1.5).type(), ddb::Value::Type::Number);
  EXPECT_EQ(ddb::Value("text").type(), ddb::Value::Type::String);  // not Bool
  EXPECT_EQ(ddb::Value(std::string("s")).type(), ddb::Value::Type::String);
  EXPECT_EQ(ddb::Value(std::string_view("s")).type(), ddb::Value::Type::String);
  EXPECT_EQ(ddb::Value(ddb::Binary{1, 2}).type(), ddb::Value::Type::Binary);
  EXPECT_EQ(ddb::Value(ddb::StringSet{"a"}).type(), ddb::Value::Type::StringSet);
  EXPECT_EQ(ddb::Value(ddb::NumberSet{1, 2}).type(), ddb::Value::Type::NumberSet);
  EXPECT_EQ(ddb::Value(ddb::BinarySet{ddb::Binary{1}}).type(), ddb::Value::Type::BinarySet);
  EXPECT_EQ(ddb::Value(ddb::List{1, "a"}).type(), ddb::Value::Type::List);
  EXPECT_EQ(ddb::Value(ddb::Map{{"a", 1}}).type(), ddb::Value::Type::Map);
  EXPECT_EQ(ddb::Value(ddb::Map{{"a", 1}}).type_tag(), "M");
}

TEST(Value, ItemInitializerListReadsNaturally) {
  const ddb::Item item{{"description", "foo"}, {"price", 123}, {"tags", ddb::StringSet{"x"}}};
  EXPECT_EQ(item.at("description").as_string(), "foo");
  EXPECT_EQ(item.at("price").as<int>(), 123);
  EXPECT_TRUE(item.at("tags").as_string_set().contains("x"));
}

TEST(Value, TypedAccessThrowsTypeErrorOnMismatch) {
  const ddb::Value v("text");
  EXPECT_THROW((void)v.as_number(), ddb::TypeError);
  EXPECT_THROW((void)v.as_bool(), ddb::TypeError);
  EXPECT_THROW((void)v.as<int>(), ddb::TypeError);
  EXPECT_THROW((void)v.as_map(), ddb::TypeError);
  try {
    (void)v.as_list();
    FAIL();
  } catch (const ddb::TypeError& e) {
    EXPECT_STREQ(e.what(), "TypeError: value of type S read as L");
  }
}

TEST(Value, NestedLookup) {
  const ddb::Value v = ddb::Map{{"a", ddb::List{10, ddb::Map{{"b", "deep"}}}}};
  EXPECT_EQ(v.at("a").at(1).at("b").as_string(), "deep");
  EXPECT_EQ(v.at("a").at(0).as<long>(), 10);
  EXPECT_THROW((void)v.at("missing"), ddb::AttributeError);
  EXPECT_THROW((void)v.at("a").at(5), ddb::AttributeError);
}

TEST(Value, EqualityComparesContent) {
  EXPECT_EQ(ddb::Value(ddb::Number("1.0")), ddb::Value(1));
  EXPECT_NE(ddb::Value("1"), ddb::Value(1));
  EXPECT_NE(ddb::Value(ddb::List{1, 2}), ddb::Value(ddb::List{2, 1}));  // lists keep order
  EXPECT_EQ(ddb::Value(ddb::StringSet{"a", "b"}),
            ddb::Value(ddb::StringSet{"b", "a"}));  // sets don't
  EXPECT_EQ(ddb::Value(ddb::NumberSet{1, ddb::Number("2.50")}),
            ddb::Value(ddb::NumberSet{ddb::Number("2.5"), 1}));
  EXPECT_NE(ddb::Value(ddb::StringSet{"a"}), ddb::Value(ddb::StringSet{"a", "b"}));
}

TEST(Set, RefusesDuplicates) {
  EXPECT_THROW((ddb::StringSet{"a", "b", "a"}), ddb::ValidationError);
  EXPECT_THROW((ddb::NumberSet{ddb::Number("1"), ddb::Number("1.0")}), ddb::ValidationError);
  EXPECT_THROW((ddb::BinarySet{ddb::Binary{1}, ddb::Binary{1}}), ddb::ValidationError);
  ddb::StringSet s{"a"};
  EXPECT_FALSE(s.insert("a"));
  EXPECT_TRUE(s.insert("b"));
  EXPECT_EQ(s.size(), 2u);
  EXPECT_TRUE(s.erase("a"));
  EXPECT_FALSE(s.erase("a"));
  EXPECT_EQ(s.members(), std::vector<std::string>{"b"});
}

TEST(Value, PrintsPlainJson) {
  std::ostringstream os;
  os << ddb::Item{{"a", 1}, {"b", ddb::List{"x", nullptr, false}}};
  EXPECT_EQ(os.str(), R"({"a":1,"b":["x",null,false]})");
}
