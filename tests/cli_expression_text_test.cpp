// ddbmap's command-line paths, conditions and sort conditions, without a server: what each text
// means (compared with the same thing built in C++) and the texts refused.
#include <gtest/gtest.h>

#include "errors.hpp"
#include "expression_text.hpp"

namespace {

namespace ddb = dynamodb_mapping;
using ddb::Path;

void expect_same(const ddb::Condition& a, const ddb::Condition& b) {
  EXPECT_EQ(a.expression, b.expression);
  EXPECT_EQ(a.names, b.names);
  EXPECT_EQ(a.values, b.values);
}

TEST(CliExpressionText, Paths) {
  EXPECT_TRUE(ddbmap::parse_path("a").same_as(Path("a")));
  EXPECT_TRUE(ddbmap::parse_path("a.b[3].c").same_as(Path("a")["b"][3]["c"]));
  EXPECT_TRUE(ddbmap::parse_path("l[0][12]").same_as(Path("l")[0][12]));
  // Escapes keep dots, brackets, equals signs and spaces inside names.
  EXPECT_TRUE(ddbmap::parse_path("a\\.b.c\\[d\\=e\\ f\\\\").same_as(Path("a.b")["c[d=e f\\"]));
  for (const char* bad :
       {"", ".a", "a.", "a..b", "[1]", "a[", "a[x]", "a[-1]", "a[]", "a\\", "a[1234567890]"}) {
    EXPECT_THROW(ddbmap::parse_path(bad), ddbmap::InputError) << bad;
  }
}

TEST(CliExpressionText, Assignments) {
  const auto [path, json] = ddbmap::split_assignment("a\\=b.c={\"x\": \"=\"}");
  EXPECT_TRUE(path.same_as(Path("a=b")["c"]));
  EXPECT_EQ(json, "{\"x\": \"=\"}");
  EXPECT_THROW(ddbmap::split_assignment("no-equals"), ddbmap::InputError);
  // Arrays become sets only where a set is meant, and only when all elements share a type.
  EXPECT_EQ(ddbmap::parse_value("[\"a\",\"b\"]", false, "x", true),
            ddb::Value(ddb::StringSet{"a", "b"}));
  EXPECT_EQ(ddbmap::parse_value("[1,2]", false, "x", true), ddb::Value(ddb::NumberSet{1, 2}));
  EXPECT_EQ(ddbmap::parse_value("[1,\"a\"]", false, "x", true), ddb::Value(ddb::List{1, "a"}));
  EXPECT_EQ(ddbmap::parse_value("[1,2]", false, "x"), ddb::Value(ddb::List{1, 2}));
  EXPECT_THROW(ddbmap::parse_value("{", false, "x"), ddbmap::InputError);
}

TEST(CliExpressionText, Conditions) {
  expect_same(ddbmap::parse_condition("n < 3", false), Path("n") < 3);
  expect_same(ddbmap::parse_condition("  n   >=   3 ", false), Path("n") >= 3);
  expect_same(ddbmap::parse_condition("n != 3", false), Path("n") != 3);
  expect_same(ddbmap::parse_condition("a.b[1] = \"x y\"", false), Path("a")["b"][1] == "x y");
  expect_same(ddbmap::parse_condition("n between [1, 9]", false), ddb::between("n", 1, 9));
  expect_same(ddbmap::parse_condition("s in [\"a\"]", false), ddb::in("s", {"a"}));
  expect_same(ddbmap::parse_condition("s begins_with \"ab\"", false), ddb::begins_with("s", "ab"));
  expect_same(ddbmap::parse_condition("t contains 1", false), ddb::contains("t", 1));
  expect_same(ddbmap::parse_condition("t exists", false), ddb::attribute_exists("t"));
  expect_same(ddbmap::parse_condition("t not_exists", false), ddb::attribute_not_exists("t"));
  expect_same(ddbmap::parse_condition("t type SS", false),
              ddb::attribute_type("t", ddb::Value::Type::StringSet));
  expect_same(ddbmap::parse_condition("n = {\"N\": \"3\"}", true), Path("n") == 3);
  for (const char* bad : {"", "n", "n <", "n ~ 3", "n between [1]", "n in []", "n in 3",
                          "t exists 1", "t type X", "n = {", "a..b = 1"}) {
    EXPECT_THROW(ddbmap::parse_condition(bad, false), ddbmap::InputError) << bad;
  }
}

TEST(CliExpressionText, SortConditions) {
  const ddb::AttributeDefinition text{"sk", ddb::ScalarType::String};
  const ddb::AttributeDefinition number{"sk", ddb::ScalarType::Number};
  using Op = ddb::SortCondition::Op;
  auto check = [](const ddb::SortCondition& s, Op op, const ddb::Value& v,
                  const ddb::Value& upper = {}) {
    EXPECT_EQ(s.op, op);
    EXPECT_EQ(s.value, v);
    EXPECT_EQ(s.upper, upper);
  };
  check(ddbmap::parse_sort("= a b", text), Op::Eq, "a b");
  check(ddbmap::parse_sort("< 5", number), Op::Lt, 5);
  check(ddbmap::parse_sort("<= 5", number), Op::Le, 5);
  check(ddbmap::parse_sort("> 5", number), Op::Gt, 5);
  check(ddbmap::parse_sort(">= 5", number), Op::Ge, 5);
  check(ddbmap::parse_sort("begins_with 2026-", text), Op::BeginsWith, "2026-");
  check(ddbmap::parse_sort("between 1 9", number), Op::Between, 1, 9);
  for (const char* bad : {"", "=", "between 1", "~ 1", "< x"}) {
    EXPECT_THROW(ddbmap::parse_sort(bad, number), ddbmap::InputError) << bad;
  }
}

}  // namespace
