// ddbmap update and query, end to end against the test server.
#include "dynamodb_mapping/json.hpp"
#include "dynamodb_mapping/mapping.hpp"
#include "dynamodb_mapping/tables.hpp"
#include "integration/cli_fixture.hpp"

namespace ddb = dynamodb_mapping;

namespace {

class CliDataTest : public ddbtest::CliTest {};

}  // namespace

TEST_F(CliDataTest, UpdateChangesAnItemAtomically) {
  ddbtest::ScopedTable table(client(), "cli_update");
  ddb::DynamoDBMapping m(table.name(), client());
  m["k"] = {{"n", 1}, {"tags", ddb::StringSet{"a", "b"}}, {"doc", ddb::Map{{"x", 1}}}};
  auto r = ddbmap("update " + table.name() +
                  " k --set doc.x=2 --set 'doc.y=\"new\"' --add n=4 --delete 'tags=[\"a\"]' "
                  "--append 'log=[1,2]' --remove gone --if 'n = 1' --if 'tags contains \"a\"'");
  ASSERT_EQ(r.status, 0) << r.err;
  const ddb::Item expected{{"pk", "k"},
                           {"n", 5},
                           {"tags", ddb::StringSet{"b"}},
                           {"doc", ddb::Map{{"x", 2}, {"y", "new"}}},
                           {"log", ddb::List{1, 2}}};
  // Plain JSON prints a set as an array.
  ddb::Item printed = expected;
  printed["tags"] = ddb::List{"b"};
  EXPECT_EQ(ddb::item_from_plain_json(r.out), printed) << r.out;
  EXPECT_EQ(m.at("k", {.consistent_read = true}), expected);

  // A failed condition: exit 3, nothing changed.
  r = ddbmap("update " + table.name() + " k --set n=0 --if 'n < 5'");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_EQ(m.at("k", {.consistent_read = true}).at("n"), ddb::Value(5));
  // --must-exist on an absent item: exit 1, nothing created.
  r = ddbmap("update " + table.name() + " absent --set n=0 --must-exist");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_FALSE(m.contains("absent", {.consistent_read = true}));
  // Without it, UpdateItem creates the item.
  r = ddbmap("update " + table.name() + " fresh --add n=1");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(m.at("fresh", {.consistent_read = true}), (ddb::Item{{"pk", "fresh"}, {"n", 1}}));
}

TEST_F(CliDataTest, BadUpdatesAreRefusedBeforeAnythingIsSent) {
  // No server at all: a refusal before sending is the only way to exit 2 here.
  for (const char* args :
       {"t k", "t k --set a", "t k --set 'a..b=1'", "t k --set 'a={'", "t k --add 'm.n=1'",
        "t k --set a=1 --remove a", "t k --set a=1 --if 'a ~ 1'"}) {
    const auto r = shell(std::string("$DDBMAP --endpoint-url http://127.0.0.1:1 update ") + args +
                         " --connect-timeout 0.2");
    EXPECT_EQ(r.status, 2) << args << ": " << r.err;
  }
}

TEST_F(CliDataTest, QueryPrintsOnePartition) {
  ddbtest::ScopedTable table(client(), "cli_query", true, ddb::ScalarType::String,
                             ddb::ScalarType::Number);
  ddb::DynamoDBMapping m(table.name(), client());
  for (int i = 0; i < 12; ++i) m[ddb::Key("u", i)] = {{"n", i}, {"odd", i % 2 == 1}};
  m[ddb::Key("other", 1)] = {{"n", 100}};
  auto sks = [](const std::string& out) {
    std::vector<int> v;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
      v.push_back(ddb::item_from_plain_json(line).at("sk").as<int>());
    }
    return v;
  };
  auto r = ddbmap("query " + table.name() + " u --sort 'between 3 7'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(sks(r.out), (std::vector<int>{3, 4, 5, 6, 7}));
  r = ddbmap("query " + table.name() + " u --sort '>= 8' --reverse --limit 3");
  EXPECT_EQ(sks(r.out), (std::vector<int>{11, 10, 9}));
  r = ddbmap("query " + table.name() + " u --filter 'odd = true' --filter 'n < 6'");
  EXPECT_EQ(sks(r.out), (std::vector<int>{1, 3, 5}));
  r = ddbmap("query " + table.name() + " u --sort '= 2' --attributes odd");
  EXPECT_EQ(ddb::item_from_plain_json(r.out), (ddb::Item{{"pk", "u"}, {"sk", 2}, {"odd", false}}));
  // A sort value that is not a number for a Number sort key: refused, exit 2.
  r = ddbmap("query " + table.name() + " u --sort '< x'");
  EXPECT_EQ(r.status, 2) << r.err;
}

TEST_F(CliDataTest, QueryByAnIndexUsesTheIndexKey) {
  const std::string name = ddbtest::unique_table_name("cli_qindex");
  ddb::TableSpec spec;
  spec.name = name;
  spec.partition_key = {"pk", ddb::ScalarType::String};
  ddb::IndexSpec ix;
  ix.name = "by_group";
  ix.partition_key = {"group", ddb::ScalarType::Number};
  ix.sort_key = ddb::KeyAttribute{"rank", ddb::ScalarType::Number};
  spec.global_indexes.push_back(ix);
  ddb::create_table(client(), spec, {.timeout = std::chrono::seconds(60)});
  ddb::DynamoDBMapping m(name, client());
  for (int i = 0; i < 6; ++i) m["k" + std::to_string(i)] = {{"group", i % 2}, {"rank", i}};
  // The partition and the sort values are Numbers: the index's key types, not the table's.
  auto r = ddbmap("query " + name + " 1 --index by_group --sort '>= 3'");
  EXPECT_EQ(r.status, 0) << r.err;
  std::vector<std::string> pks;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) {
    pks.push_back(ddb::item_from_plain_json(line).at("pk").as_string());
  }
  EXPECT_EQ(pks, (std::vector<std::string>{"k3", "k5"}));
  r = ddbmap("query " + name + " one --index by_group");
  EXPECT_EQ(r.status, 2) << "a partition value that is not a Number: " << r.err;
  (void)client().delete_table(name);
}
