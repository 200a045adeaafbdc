// Expression rendering without a server: conditions merged with their placeholders,
// projections, update expressions, optimistic locking and key conditions.
#include "mapping/expressions.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <sstream>

#include "dynamodb_mapping/error.hpp"

namespace {

namespace ddb = dynamodb_mapping;
namespace detail = dynamodb_mapping::detail;

// The expression as DynamoDB reads it: every placeholder replaced by its name, or by its value as
// plain JSON.
std::string resolve(const std::string& text, const ddb::AttributeNames& names,
                    const ddb::Item& values) {
  std::string out;
  std::set<std::string> used;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] != '#' && text[i] != ':') {
      out += text[i++];
      continue;
    }
    std::size_t j = i + 1;
    while (j < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[j])) || text[j] == '_')) {
      ++j;
    }
    const std::string ph = text.substr(i, j - i);
    used.insert(ph);
    if (ph[0] == '#') {
      out += names.at(ph);
    } else {
      std::ostringstream v;
      v << values.at(ph);
      out += v.str();
    }
    i = j;
  }
  // DynamoDB refuses a placeholder the expression does not use.
  for (const auto& [ph, name] : names)
    EXPECT_TRUE(used.count(ph)) << ph << " (" << name << ") unused";
  for (const auto& [ph, v] : values) EXPECT_TRUE(used.count(ph)) << ph << " unused";
  return out;
}
std::string resolved(const detail::Expression& e) {
  return resolve(e.text, e.names, e.values);
}
std::string resolved(const ddb::Condition& c) {
  return resolve(c.expression, c.names, c.values);
}

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
  const detail::Expression u = detail::render_update(detail::changes_update(changes));
  // Changes are in name order: a, b, name, z.
  EXPECT_EQ(resolved(u), "SET a = 1, name = \"x\" REMOVE b, z");
  EXPECT_EQ(resolved(detail::render_update(detail::changes_update({{"gone", ddb::remove}}))),
            "REMOVE gone");
}

TEST(Expressions, AVersionedUpdateBumpsTheVersionFromZero) {
  const detail::Expression u = detail::render_update(detail::changes_update({{"a", 1}}), "version");
  EXPECT_EQ(resolved(u), "SET a = 1, version = if_not_exists(version, 0) + 1");
  // Only REMOVE changes: the version still gets its SET clause, before the REMOVE.
  EXPECT_EQ(resolved(detail::render_update(detail::changes_update({{"a", ddb::remove}}), "v")),
            "SET v = if_not_exists(v, 0) + 1 REMOVE a");
  // The version is the mapping's to keep.
  EXPECT_THROW(detail::render_update(ddb::Update().set("v", 3), "v"), ddb::ValidationError);
  EXPECT_THROW(detail::render_update(ddb::Update().remove(ddb::Path("v")["x"]), "v"),
               ddb::ValidationError);
}

TEST(Expressions, BadChangesAreRefusedBeforeSending) {
  EXPECT_THROW((void)detail::changes_update({{"", 1}}), ddb::ValidationError);
  EXPECT_THROW(detail::render_update(detail::changes_update({{"s", ddb::Value(ddb::StringSet{})}})),
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
  EXPECT_EQ(resolved(ddb::Condition::exists("size")), "attribute_exists(size)");
  EXPECT_EQ(resolved(ddb::Condition::not_exists("a")), "attribute_not_exists(a)");
  EXPECT_EQ(resolved(ddb::Condition::equals("name", "x")), "name = \"x\"");
  // Built conditions combine: two factories used to share one placeholder and could not.
  EXPECT_EQ(resolved(ddb::Condition::exists("a") && ddb::Condition::equals("b", 2)),
            "(attribute_exists(a)) AND (b = 2)");
}

TEST(Expressions, PathsNameEveryStepByPlaceholder) {
  ddb::AttributeNames names;
  const ddb::Path p = ddb::Path("order")["the lines"][3]["size"];
  const std::string text = detail::path_expression(p, names);
  EXPECT_EQ(resolve(text, names, {}), "order.the lines[3].size");
  EXPECT_EQ(names.size(), 3u);
  EXPECT_EQ(p.to_string(), "order.the lines[3].size");
  // A literal 0 is the first element, not a null name.
  EXPECT_EQ(ddb::Path("l")[0].to_string(), "l[0]");
  // Dots are part of a name: one placeholder, not a path.
  ddb::AttributeNames dotted;
  EXPECT_EQ(resolve(detail::path_expression("a.b", dotted), dotted, {}), "a.b");
  EXPECT_EQ(dotted.size(), 1u);
  // The same name always gets the same placeholder; another name another one.
  ddb::AttributeNames twice;
  EXPECT_EQ(detail::path_expression("x", twice), detail::path_expression("x", twice));
  EXPECT_NE(detail::path_expression("x", twice), detail::path_expression("y", twice));
  ddb::AttributeNames bad;
  EXPECT_THROW(detail::path_expression(ddb::Path("l")[-1], bad), ddb::ValidationError);
  EXPECT_THROW(detail::path_expression(ddb::Path(""), bad), ddb::ValidationError);
  EXPECT_THROW(detail::path_expression(ddb::Path("m")[""], bad), ddb::ValidationError);
}

TEST(Expressions, TheConditionBuilderCoversTheGrammar) {
  using ddb::Path;
  EXPECT_EQ(resolved(Path("n") == 1), "n = 1");
  EXPECT_EQ(resolved(Path("n") != 1), "n <> 1");
  EXPECT_EQ(resolved(Path("n") < 1), "n < 1");
  EXPECT_EQ(resolved(Path("n") <= 1), "n <= 1");
  EXPECT_EQ(resolved(Path("n") > 1), "n > 1");
  EXPECT_EQ(resolved(Path("n") >= 1), "n >= 1");
  EXPECT_EQ(resolved(ddb::size(Path("tags")) > 2), "size(tags) > 2");
  EXPECT_EQ(resolved(ddb::compare(Path("a"), ddb::Comparison::Lt, Path("b"))), "a < b");
  EXPECT_EQ(resolved(ddb::between(Path("n"), 1, 9)), "n BETWEEN 1 AND 9");
  EXPECT_EQ(resolved(ddb::in(Path("s"), {"a", "b"})), "s IN (\"a\", \"b\")");
  EXPECT_EQ(resolved(ddb::attribute_type(Path("m")["x"], ddb::Value::Type::StringSet)),
            "attribute_type(m.x, \"SS\")");
  EXPECT_EQ(resolved(ddb::begins_with(Path("s"), "ab")), "begins_with(s, \"ab\")");
  EXPECT_EQ(resolved(ddb::contains(Path("tags"), "red")), "contains(tags, \"red\")");
  EXPECT_EQ(resolved(!(Path("a") == 1) || ddb::attribute_not_exists("a")),
            "(NOT (a = 1)) OR (attribute_not_exists(a))");
  // An empty side of AND is no condition; of OR or NOT it is a mistake.
  EXPECT_EQ(resolved(ddb::Condition{} && (Path("a") == 1)), "a = 1");
  EXPECT_THROW((void)(ddb::Condition{} || (Path("a") == 1)), ddb::ValidationError);
  EXPECT_THROW((void)!ddb::Condition{}, ddb::ValidationError);
  // IN takes 1 to 100 values (DynamoDB's limit).
  EXPECT_THROW((void)ddb::in(Path("s"), {}), ddb::ValidationError);
  EXPECT_THROW((void)ddb::in(Path("s"), std::vector<ddb::Value>(101, 1)), ddb::ValidationError);
  // Values are checked as DynamoDB checks them.
  EXPECT_THROW((void)(Path("s") == ddb::Value(ddb::StringSet{})), ddb::ValidationError);
  // A hand-written condition combines too, unless a placeholder would mean two things.
  const ddb::Condition mine{"#n > :min", {{"#n", "price"}}, {{":min", 10}}};
  EXPECT_EQ(resolved(mine && (Path("price") < 99)), "(price > 10) AND (price < 99)");
  EXPECT_THROW((void)(mine && ddb::Condition{"#n = :x", {{"#n", "other"}}, {{":x", 1}}}),
               ddb::ValidationError);
}

TEST(Expressions, UpdatesRenderEveryAction) {
  using ddb::Path;
  const ddb::Update u = ddb::Update()
                            .set("a", 1)
                            .set_if_not_exists(Path("m")["first"], "x")
                            .increment(Path("m")["count"], 2)
                            .append("log", ddb::List{"e"})
                            .prepend("queue", ddb::List{"q"})
                            .remove(Path("l")[0])
                            .add("n", 5)
                            .delete_from("tags", ddb::StringSet{"old"});
  EXPECT_EQ(resolved(detail::render_update(u)),
            "SET a = 1, m.first = if_not_exists(m.first, \"x\"), m.count = "
            "if_not_exists(m.count, 0) + 2, log = list_append(if_not_exists(log, []), [\"e\"]), "
            "queue = list_append([\"q\"], if_not_exists(queue, [])) REMOVE l[0] ADD n 5 DELETE "
            "tags [\"old\"]");
  EXPECT_FALSE(u.idempotent());
  EXPECT_TRUE(
      ddb::Update().set("a", 1).remove("b").delete_from("s", ddb::StringSet{"x"}).idempotent());
  EXPECT_FALSE(ddb::Update().increment("n").idempotent());
  EXPECT_FALSE(ddb::Update().append("l", ddb::List{1}).idempotent());
}

TEST(Expressions, BadUpdatesAreRefusedBeforeSending) {
  using ddb::Path;
  auto refused = [](const ddb::Update& u) {
    EXPECT_THROW(detail::render_update(u), ddb::ValidationError);
  };
  refused(ddb::Update());                                     // nothing to do
  refused(ddb::Update().set("a", 1).remove("a"));             // the same path twice
  refused(ddb::Update().set("a", 1).set(Path("a")["b"], 2));  // overlapping paths
  refused(ddb::Update().set(Path("a")[1], 1).remove(Path("a")[1]));
  refused(ddb::Update().add(Path("m")["n"], 1));                  // ADD below the top level
  refused(ddb::Update().add("s", "text"));                        // ADD a String
  refused(ddb::Update().delete_from("s", 1));                     // DELETE a Number
  refused(ddb::Update().append("l", "x"));                        // append a non-List
  refused(ddb::Update().increment("n", "x"));                     // increment by a String
  refused(ddb::Update().set("s", ddb::Value(ddb::StringSet{})));  // an empty set
  refused(ddb::Update().set(Path("l")[-2], 1));                   // a negative index
  // Siblings do not overlap.
  EXPECT_NO_THROW(
      detail::render_update(ddb::Update().set(Path("a")["b"], 1).set(Path("a")["c"], 2)));
  EXPECT_NO_THROW(detail::render_update(ddb::Update().set(Path("a")[0], 1).set(Path("a")[1], 2)));
}

}  // namespace
