// Expression rendering without a server: conditions merged with their placeholders,
// projections, update expressions, optimistic locking and key conditions.
#include "mapping/expressions.hpp"

#include <gtest/gtest.h>

#include "dynamodb_mapping/error.hpp"

namespace {

namespace ddb = dynamodb_mapping;
namespace detail = dynamodb_mapping::detail;

TEST(Expressions, MergingIntoNothingIsTheConditionItself) {
  std::string e;
  ddb::AttributeNames names;
  ddb::Item values;
  detail::merge_condition(e, names, values, {"#n > :min", {{"#n", "price"}}, {{":min", 10}}});
  EXPECT_EQ(e, "#n > :min");
  EXPECT_EQ(names, (ddb::AttributeNames{{"#n", "price"}}));
  EXPECT_EQ(values, (ddb::Item{{":min", 10}}));
}

TEST(Expressions, MergingParenthesisesBothSides) {
  std::string e = "a OR b";
  ddb::AttributeNames names{{"#n", "price"}};
  ddb::Item values;
  // The same placeholder with the same meaning is fine.
  detail::merge_condition(e, names, values, {"c OR #n = :v", {{"#n", "price"}}, {{":v", 1}}});
  EXPECT_EQ(e, "(a OR b) AND (c OR #n = :v)");
  // An empty condition changes nothing.
  detail::merge_condition(e, names, values, {});
  EXPECT_EQ(e, "(a OR b) AND (c OR #n = :v)");
}

TEST(Expressions, APlaceholderWithTwoMeaningsIsRefused) {
  std::string e = "#n = :v";
  ddb::AttributeNames names{{"#n", "price"}};
  ddb::Item values{{":v", 1}};
  EXPECT_THROW(detail::merge_condition(e, names, values, {"#n > :w", {{"#n", "cost"}}, {}}),
               ddb::ValidationError);
  EXPECT_THROW(detail::merge_condition(e, names, values, {":v > #m", {{"#m", "m"}}, {{":v", 2}}}),
               ddb::ValidationError);
  // Numbers compare as DynamoDB compares them: 1 and 1.0 are one value, no conflict.
  EXPECT_NO_THROW(
      detail::merge_condition(e, names, values, {":v = #n", {}, {{":v", ddb::Number("1.0")}}}));
}

TEST(Expressions, ProjectionsUsePlaceholdersForEveryNameAndDropRepeats) {
  ddb::AttributeNames names;
  // Reserved words, dots and odd characters are names, never paths or keywords.
  const std::string p =
      detail::projection_expression({"name", "a.b", "size", "name", "x y[0]"}, names);
  EXPECT_EQ(p, "#_p0, #_p1, #_p2, #_p3");
  EXPECT_EQ(names, (ddb::AttributeNames{
                       {"#_p0", "name"}, {"#_p1", "a.b"}, {"#_p2", "size"}, {"#_p3", "x y[0]"}}));
  ddb::AttributeNames none;
  EXPECT_EQ(detail::projection_expression({}, none), "");
  EXPECT_TRUE(none.empty());
}

TEST(Expressions, ChangesBecomeOneSetAndOneRemoveClause) {
  const ddb::Changes changes{{"b", ddb::remove}, {"a", 1}, {"name", "x"}, {"z", ddb::remove}};
  const detail::Expression u = detail::update_from_changes(changes);
  // Changes are in name order: a, b, name, z.
  EXPECT_EQ(u.text, "SET #_a0 = :_v0, #_a2 = :_v2 REMOVE #_a1, #_a3");
  EXPECT_EQ(u.names,
            (ddb::AttributeNames{{"#_a0", "a"}, {"#_a1", "b"}, {"#_a2", "name"}, {"#_a3", "z"}}));
  EXPECT_EQ(u.values, (ddb::Item{{":_v0", 1}, {":_v2", "x"}}));
  EXPECT_EQ(detail::update_from_changes({{"gone", ddb::remove}}).text, "REMOVE #_a0");
}

TEST(Expressions, AVersionedUpdateBumpsTheVersionFromZero) {
  const detail::Expression u = detail::update_from_changes({{"a", 1}}, "version");
  EXPECT_EQ(u.text, "SET #_a0 = :_v0, #_ver = if_not_exists(#_ver, :_zero) + :_one");
  EXPECT_EQ(u.names.at("#_ver"), "version");
  EXPECT_EQ(u.values.at(":_zero"), ddb::Value(0));
  EXPECT_EQ(u.values.at(":_one"), ddb::Value(1));
  // Only REMOVE changes: the version still gets its SET clause, before the REMOVE.
  EXPECT_EQ(detail::update_from_changes({{"a", ddb::remove}}, "v").text,
            "SET #_ver = if_not_exists(#_ver, :_zero) + :_one REMOVE #_a0");
}

TEST(Expressions, BadChangesAreRefusedBeforeSending) {
  EXPECT_THROW(detail::update_from_changes({{"", 1}}), ddb::ValidationError);
  EXPECT_THROW(detail::update_from_changes({{"s", ddb::Value(ddb::StringSet{})}}),
               ddb::ValidationError);
}

TEST(Expressions, VersionedPuts) {
  ddb::Item fresh{{"pk", "k"}};
  const ddb::Condition c = detail::versioned_put(fresh, "version");
  EXPECT_EQ(c.expression, "attribute_not_exists(#_ver)");
  EXPECT_EQ(c.names, (ddb::AttributeNames{{"#_ver", "version"}}));
  EXPECT_TRUE(c.values.empty());
  EXPECT_EQ(fresh.at("version"), ddb::Value(1));

  ddb::Item known{{"pk", "k"}, {"version", 4}};
  const ddb::Condition d = detail::versioned_put(known, "version");
  EXPECT_EQ(d.expression, "#_ver = :_ver");
  EXPECT_EQ(d.values, (ddb::Item{{":_ver", 4}}));
  EXPECT_EQ(known.at("version"), ddb::Value(5));

  ddb::Item wrong{{"version", "four"}};
  EXPECT_THROW(detail::versioned_put(wrong, "version"), ddb::TypeError);
}

TEST(Expressions, KeyConditions) {
  using S = ddb::SortCondition;
  auto render = [](std::optional<S> s) {
    return detail::key_condition("user", "u1", "date", s).text;
  };
  EXPECT_EQ(render(std::nullopt), "#_pk = :_pk");
  EXPECT_EQ(render(S::eq(1)), "#_pk = :_pk AND #_sk = :_sk");
  EXPECT_EQ(render(S::lt(1)), "#_pk = :_pk AND #_sk < :_sk");
  EXPECT_EQ(render(S::le(1)), "#_pk = :_pk AND #_sk <= :_sk");
  EXPECT_EQ(render(S::gt(1)), "#_pk = :_pk AND #_sk > :_sk");
  EXPECT_EQ(render(S::ge(1)), "#_pk = :_pk AND #_sk >= :_sk");
  EXPECT_EQ(render(S::begins_with("2026")), "#_pk = :_pk AND begins_with(#_sk, :_sk)");
  const detail::Expression b = detail::key_condition("user", "u1", "date", S::between(1, 9));
  EXPECT_EQ(b.text, "#_pk = :_pk AND #_sk BETWEEN :_sk AND :_hi");
  EXPECT_EQ(b.names, (ddb::AttributeNames{{"#_pk", "user"}, {"#_sk", "date"}}));
  EXPECT_EQ(b.values, (ddb::Item{{":_pk", "u1"}, {":_sk", 1}, {":_hi", 9}}));
}

TEST(Expressions, ConditionFactories) {
  EXPECT_EQ(ddb::Condition::exists("size").expression, "attribute_exists(#_c)");
  EXPECT_EQ(ddb::Condition::exists("size").names.at("#_c"), "size");
  EXPECT_EQ(ddb::Condition::not_exists("a").expression, "attribute_not_exists(#_c)");
  const ddb::Condition e = ddb::Condition::equals("name", "x");
  EXPECT_EQ(e.expression, "#_c = :_c");
  EXPECT_EQ(e.values.at(":_c"), ddb::Value("x"));
}

}  // namespace
