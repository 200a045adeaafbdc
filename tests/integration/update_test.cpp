// The data API against a real server: update_item and its builder, the atomic proxies
// (`m[k]["n"] += 1`, `.insert(x)`, nested paths), and built conditions on writes, scans and
// queries. Lost and malformed answers through the fault proxy.
#include <gtest/gtest.h>

#include <set>

#include "dynamodb_mapping/mapping.hpp"
#include "support/fault_proxy.hpp"
#include "support/local_server.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;
using ddb::Path;
using ddb::Update;
using ddbtest::HttpRequest;
using ddbtest::Loss;

namespace {

class UpdateTest : public ddbtest::ClientServerTest {
 protected:
  void SetUp() override {
    ClientServerTest::SetUp();
    if (HasFatalFailure()) return;
    table_.emplace(client(), "update");
    proxy_.emplace(endpoint_);
  }
  void TearDown() override {
    proxy_.reset();
    table_.reset();
  }

  static ddb::MappingOptions schema(ddb::MappingOptions o = {}) {
    o.key_schema = {{"pk", ddb::KeyType::Hash}};
    o.key_attribute_types = {{"pk", ddb::ScalarType::String}};
    return o;
  }
  ddb::DynamoDBMapping mapping(ddb::MappingOptions o = {}) {
    return ddb::DynamoDBMapping(table_->name(), client(), schema(std::move(o)));
  }
  ddb::DynamoDBMapping proxied(ddb::MappingOptions o = {}, int attempts = 4) {
    return ddb::DynamoDBMapping(table_->name(), proxy_->client(attempts), schema(std::move(o)));
  }
  // The stored item, read by another client (consistent).
  std::optional<ddb::Item> stored(const std::string& pk) {
    return mapping().find(pk, {.consistent_read = true});
  }

  std::optional<ddbtest::ScopedTable> table_;
  std::optional<ddbtest::FaultProxy> proxy_;
};

}  // namespace

TEST_F(UpdateTest, EveryActionInOneUpdateItem) {
  auto m = mapping();
  m["o"] = {{"log", ddb::List{"b"}},
            {"queue", ddb::List{"y"}},
            {"m", ddb::Map{{"keep", 1}, {"first", "old"}}},
            {"tags", ddb::StringSet{"old", "keep"}},
            {"l", ddb::List{1, 2, 3}},
            {"gone", true}};
  const std::uint64_t before = m.client().stats().requests;
  const ddb::Item after = m.update_item("o", Update()
                                                 .set("state", "paid")
                                                 .set_if_not_exists(Path("m")["first"], "new")
                                                 .set_if_not_exists(Path("m")["second"], "new")
                                                 .increment(Path("m")["count"], 2)
                                                 .append("log", ddb::List{"c"})
                                                 .prepend("queue", ddb::List{"x"})
                                                 .remove("gone")
                                                 .remove(Path("l")[0])
                                                 .add("n", 5)
                                                 .add("more", ddb::NumberSet{1})
                                                 .delete_from("tags", ddb::StringSet{"old"}));
  EXPECT_EQ(m.client().stats().requests - before, 1u) << "one UpdateItem";
  const ddb::Item expected{
      {"pk", "o"},
      {"state", "paid"},
      {"m", ddb::Map{{"keep", 1}, {"first", "old"}, {"second", "new"}, {"count", 2}}},
      {"log", ddb::List{"b", "c"}},
      {"queue", ddb::List{"x", "y"}},
      {"l", ddb::List{2, 3}},
      {"n", 5},
      {"more", ddb::NumberSet{1}},
      {"tags", ddb::StringSet{"keep"}}};
  EXPECT_EQ(after, expected);
  EXPECT_EQ(stored("o"), expected);
}

TEST_F(UpdateTest, ReturnValuesAndCreation) {
  auto m = mapping();
  // UpdateItem creates a missing item, as DynamoDB does; list appends start from [].
  EXPECT_EQ(m.update_item("new", Update().append("l", ddb::List{1}).increment("n")),
            (ddb::Item{{"pk", "new"}, {"l", ddb::List{1}}, {"n", 1}}));
  using RV = ddb::ReturnValues;
  EXPECT_EQ(m.update_item("new", Update().set("a", 1), {.returns = RV::None}), ddb::Item{});
  EXPECT_EQ(m.update_item("new", Update().set("a", 2), {.returns = RV::UpdatedOld}),
            (ddb::Item{{"a", 1}}));
  EXPECT_EQ(m.update_item("new", Update().set("a", 3), {.returns = RV::UpdatedNew}),
            (ddb::Item{{"a", 3}}));
  EXPECT_EQ(m.update_item("new", Update().remove("a"), {.returns = RV::AllOld}).at("a"),
            ddb::Value(3));
  // must_exist: KeyError, and nothing created.
  EXPECT_THROW(m.update_item("absent", Update().set("a", 1), {.must_exist = true}), ddb::KeyError);
  EXPECT_FALSE(stored("absent"));
}

TEST_F(UpdateTest, ConditionsDecideAndReturnTheItemWhenAsked) {
  auto m = mapping();
  m["c"] = {{"state", "open"}, {"n", 1}};
  const ddb::Condition open = Path("state") == "open";
  m.update_item("c", Update().set("state", "closed"), {.condition = open});
  EXPECT_EQ(stored("c")->at("state"), ddb::Value("closed"));
  try {
    (void)m.update_item("c", Update().set("state", "closed"),
                        {.condition = open, .return_item_on_condition_failure = true});
    ADD_FAILURE() << "the condition should fail";
  } catch (const ddb::ConditionalCheckFailedError& e) {
    if (ddbtest::engine() == "dynalite") {
      EXPECT_EQ(e.item(), nullptr);  // dynalite has no ReturnValuesOnConditionCheckFailure
    } else {
      ASSERT_NE(e.item(), nullptr);
      EXPECT_EQ(*e.item(), (ddb::Item{{"pk", "c"}, {"state", "closed"}, {"n", 1}}));
    }
  }
  // must_exist with a failing condition of the caller's: the item exists, so the condition's
  // failure, not a KeyError (on both engines: without the item in the refusal, a read tells).
  EXPECT_THROW(m.update_item("c", Update().set("x", 1), {.condition = open, .must_exist = true}),
               ddb::ConditionalCheckFailedError);
  EXPECT_THROW(m.update_item("none", Update().set("x", 1), {.condition = open, .must_exist = true}),
               ddb::KeyError);
  // Puts and deletes take built conditions and return the item on failure too.
  try {
    m.set_item(
        "c", {{"v", 1}},
        {.condition = ddb::between(Path("n"), 5, 9), .return_item_on_condition_failure = true});
    ADD_FAILURE() << "the condition should fail";
  } catch (const ddb::ConditionalCheckFailedError& e) {
    if (ddbtest::engine() != "dynalite") {
      ASSERT_NE(e.item(), nullptr);
      EXPECT_EQ(e.item()->at("n"), ddb::Value(1));
    }
  }
  EXPECT_THROW(m.erase("c", {.condition = ddb::in(Path("state"), {"open", "new"})}),
               ddb::ConditionalCheckFailedError);
  EXPECT_EQ(m.erase("c", {.condition = ddb::in(Path("state"), {"open", "closed"}) &&
                                       ddb::attribute_type("n", ddb::Value::Type::Number)}),
            1u);
}

TEST_F(UpdateTest, TheProxiesAreAtomicUpdates) {
  auto m = mapping();
  m["p"] = {{"count", 1}, {"doc", ddb::Map{{"inner", ddb::Map{{"x", 1}}}, {"l", ddb::List{"a"}}}}};
  const ddb::Client& c = m.client();
  std::uint64_t before = c.stats().requests;
  m["p"]["count"] += 41;
  EXPECT_EQ(c.stats().requests - before, 1u) << "one UpdateItem, no read";
  m["p"]["count"] -= 2;
  EXPECT_EQ(stored("p")->at("count"), ddb::Value(40));
  m["p"]["fresh"] += 3;  // ADD starts from 0
  EXPECT_EQ(stored("p")->at("fresh"), ddb::Value(3));

  m["p"]["tags"].insert("red");
  m["p"]["tags"].insert(ddb::StringSet{"green", "blue"});
  m["p"]["tags"].erase("green");
  EXPECT_EQ(stored("p")->at("tags"), ddb::Value(ddb::StringSet{"blue", "red"}));

  m["p"]["doc"]["inner"]["y"] = "nested";
  m["p"]["doc"]["inner"]["x"] += 1;  // nested: SET arithmetic
  m["p"]["doc"]["l"].push_back("b");
  m["p"]["doc"]["l"][0] = "A";
  EXPECT_EQ(stored("p")->at("doc"),
            ddb::Value(ddb::Map{{"inner", ddb::Map{{"x", 2}, {"y", "nested"}}},
                                {"l", ddb::List{"A", "b"}}}));
  before = c.stats().requests;
  EXPECT_EQ(m["p"]["doc"]["inner"]["y"].get(), ddb::Value("nested"));
  EXPECT_EQ(m["p"]["doc"]["l"][1].get(), ddb::Value("b"));
  EXPECT_EQ(c.stats().requests - before, 2u) << "one GetItem each";
  EXPECT_THROW((void)m["p"]["doc"]["inner"]["zz"].get(), ddb::AttributeError);
  EXPECT_EQ(m["p"]["pk"].get(), ddb::Value("p"));

  m["p"]["doc"]["inner"].remove();
  m["p"].erase(Path("doc")["l"][0]);
  EXPECT_EQ(stored("p")->at("doc"), ddb::Value(ddb::Map{{"l", ddb::List{"b"}}}));

  // On an absent item every proxy write is a KeyError, and nothing is created.
  EXPECT_THROW(m["none"]["count"] += 1, ddb::KeyError);
  EXPECT_THROW(m["none"]["tags"].insert("x"), ddb::KeyError);
  EXPECT_THROW(m["none"]["doc"]["a"] = 1, ddb::KeyError);
  EXPECT_FALSE(stored("none"));
}

TEST_F(UpdateTest, NamesThatAreNotIdentifiersJustWork) {
  auto m = mapping();
  m["n"] = {{"size", 1}};
  // Reserved words, dots, brackets, spaces and non-ASCII are names, never syntax.
  for (const std::string name :
       {"size", "name", "a.b", "x[0]", "with space", "h\xc3\xa9", "#x", ":v"}) {
    m["n"][name] = name;
    EXPECT_EQ(m["n"][name].get(), ddb::Value(name)) << name;
  }
  EXPECT_EQ(stored("n")->at("a.b"), ddb::Value("a.b"));
  EXPECT_EQ(m.values({.filter = Path("a.b") == "a.b" && ddb::begins_with("with space", "with")})
                .begin()
                ->at("size"),
            ddb::Value("size"));
}

TEST_F(UpdateTest, BuiltConditionsFilterScansAndQueries) {
  ddbtest::ScopedTable sorted(client(), "update_q", true);
  ddb::MappingOptions o;
  o.key_schema = {{"pk", ddb::KeyType::Hash}, {"sk", ddb::KeyType::Range}};
  o.key_attribute_types = {{"pk", ddb::ScalarType::String}, {"sk", ddb::ScalarType::String}};
  ddb::DynamoDBMapping m(sorted.name(), client(), o);
  for (int i = 0; i < 10; ++i) {
    m[ddb::Key("u", "d" + std::to_string(i))] = {{"n", i},
                                                 {"tags", ddb::StringSet{i % 2 ? "odd" : "even"}}};
  }
  std::set<int> seen;
  for (const ddb::Item& item :
       m.values({.filter = Path("n") >= 3 && ddb::contains("tags", "odd")})) {
    seen.insert(item.at("n").as<int>());
  }
  EXPECT_EQ(seen, (std::set<int>{3, 5, 7, 9}));
  seen.clear();
  for (const ddb::Item& item :
       m.query("u", ddb::SortCondition::between("d2", "d8"),
               {.filter = !(Path("n") == 4) && ddb::size(Path("tags")) == 1, .descending = true})) {
    seen.insert(item.at("n").as<int>());
  }
  EXPECT_EQ(seen, (std::set<int>{2, 3, 5, 6, 7, 8}));
}

TEST_F(UpdateTest, VersionAttributeAppliesToUpdates) {
  auto m = mapping({.version_attribute = "version"});
  m["v"] = {{"a", 1}};
  EXPECT_EQ(stored("v")->at("version"), ddb::Value(1));
  m["v"]["a"] += 1;
  (void)m.update_item("v", Update().set("b", 2));
  EXPECT_EQ(stored("v")->at("version"), ddb::Value(3));
  // The version is the mapping's: an update of it is refused before sending.
  const std::uint64_t before = m.client().stats().requests;
  EXPECT_THROW(m.update_item("v", Update().set("version", 9)), ddb::ValidationError);
  EXPECT_EQ(m.client().stats().requests, before);
}

TEST_F(UpdateTest, BadUpdatesAreRefusedBeforeSending) {
  auto m = mapping();
  const std::uint64_t before = m.client().stats().requests;
  EXPECT_THROW(m.update_item("k", Update().set("pk", "other")), ddb::ValidationError);
  EXPECT_THROW(m.update_item("k", Update().set("a", 1).remove("a")), ddb::ValidationError);
  EXPECT_THROW(m.update_item("k", Update()), ddb::ValidationError);
  EXPECT_THROW(m.update_item("k", Update().add(Path("m")["n"], 1)), ddb::ValidationError);
  EXPECT_THROW(m["k"]["n"] += "one", ddb::ValidationError);
  EXPECT_THROW(m["k"]["tags"].insert(ddb::List{}), ddb::ValidationError);
  EXPECT_THROW(m["k"]["l"][-1] = 1, ddb::ValidationError);
  EXPECT_THROW(m["k"][""] = 1, ddb::ValidationError);
  EXPECT_THROW(m.update_item(ddb::Key(1), Update().set("a", 1)), ddb::ValidationError);
  EXPECT_EQ(m.client().stats().requests, before) << "nothing sent";
}

TEST_F(UpdateTest, AnAddWhoseAnswerIsLostIsNeverAppliedTwice) {
  for (Loss loss : ddbtest::kLosses) {
    const std::string key = std::string("add-") + ddbtest::name(loss);
    mapping()[key] = {{"count", 0}};
    auto m = proxied();
    // += (ADD), a nested increment and a list append: none may be sent again.
    proxy_->lose_next("UpdateItem", loss);
    EXPECT_THROW(m[key]["count"] += 1, ddb::AmbiguousOutcomeError) << ddbtest::name(loss);
    proxy_->lose_next("UpdateItem", loss);
    EXPECT_THROW(m.update_item(key, Update().append("l", ddb::List{1})), ddb::AmbiguousOutcomeError)
        << ddbtest::name(loss);
    EXPECT_EQ(stored(key), (ddb::Item{{"pk", key}, {"count", 1}, {"l", ddb::List{1}}}))
        << ddbtest::name(loss) << ": each applied once, not twice";
    EXPECT_EQ(m.client().stats().requests, 2u) << ddbtest::name(loss) << ": no retry";
    // An idempotent update is retried, and succeeds.
    proxy_->lose_next("UpdateItem", loss);
    EXPECT_EQ(m.update_item(key, Update().set("s", "x").remove("l")).at("s"), ddb::Value("x"))
        << ddbtest::name(loss);
  }
}

TEST_F(UpdateTest, AMalformedAnswerToAnAddIsAnAmbiguousOutcome) {
  mapping()["bad"] = {{"count", 0}};
  auto m = proxied();
  proxy_->next("UpdateItem", [this](const HttpRequest& r) {
    ddbtest::forward(proxy_->upstream(), r);
    return ddbtest::Action::respond({200, {}, R"({"Attributes": {"count": {"N": )"});
  });
  EXPECT_THROW(m["bad"]["count"] += 1, ddb::AmbiguousOutcomeError);
  EXPECT_EQ(stored("bad")->at("count"), ddb::Value(1));
}

TEST_F(UpdateTest, TransactionsTakeUpdatesAndBuiltConditions) {
  auto m = mapping();
  // Refused before sending, on any engine.
  const std::uint64_t before = m.client().stats().requests;
  EXPECT_THROW((void)m.transaction().update("a", Update().set("pk", "x")), ddb::ValidationError);
  EXPECT_THROW((void)m.transaction().update("a", Update().set("n", 1).remove("n")),
               ddb::ValidationError);
  EXPECT_EQ(m.client().stats().requests, before);
  if (ddbtest::engine() == "dynalite") GTEST_SKIP() << "dynalite has no transactions";
  m["a"] = {{"n", 1}};
  m["b"] = {{"state", "open"}};
  m.transaction()
      .update("a", Update().increment("n", 2).add("tags", ddb::StringSet{"x"}))
      .check("b", Path("state") == "open" && ddb::attribute_not_exists("closed_at"))
      .commit();
  EXPECT_EQ(stored("a"), (ddb::Item{{"pk", "a"}, {"n", 3}, {"tags", ddb::StringSet{"x"}}}));
  // A failing built condition cancels every action.
  EXPECT_THROW(m.transaction()
                   .update("a", Update().increment("n"))
                   .check("b", Path("state") == "closed")
                   .commit(),
               ddb::TransactionCanceledError);
  EXPECT_EQ(stored("a")->at("n"), ddb::Value(3));
}
