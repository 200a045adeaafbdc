// ddbmap sql, end to end against the test server (PartiQL: DynamoDB Local only).
#include <sstream>

#include "dynamodb_mapping/json.hpp"
#include "dynamodb_mapping/mapping.hpp"
#include "integration/cli_fixture.hpp"

namespace ddb = dynamodb_mapping;

namespace {

class CliSqlTest : public ddbtest::CliTest {};

std::vector<ddb::Item> lines(const std::string& out) {
  std::vector<ddb::Item> v;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) v.push_back(ddb::item_from_plain_json(line));
  return v;
}

}  // namespace

TEST_F(CliSqlTest, RunsStatementsWithParameters) {
  if (ddbtest::engine() == "dynalite") {
    GTEST_SKIP() << "dynalite does not implement ExecuteStatement (PartiQL)";
  }
  ddbtest::ScopedTable table(client(), "cli_sql", true);
  ddb::DynamoDBMapping m(table.name(), client());
  for (int i = 0; i < 7; ++i) m[ddb::Key("u", "s" + std::to_string(i))] = {{"n", i}};
  m[ddb::Key("other", "s0")] = {{"n", 100}};
  const std::string select =
      ddbtest::shell_quote("SELECT * FROM \"" + table.name() + "\" WHERE pk = ?");

  // With TABLE (through the mapping), pages of 2: every item of the partition, once.
  auto r = ddbmap("sql " + table.name() + " " + select + " --param '\"u\"' --page-size 2");
  ASSERT_EQ(r.status, 0) << r.err;
  auto items = lines(r.out);
  ASSERT_EQ(items.size(), 7u) << r.out;
  for (int i = 0; i < 7; ++i) EXPECT_EQ(items[i].at("sk"), ddb::Value("s" + std::to_string(i)));

  // Without TABLE (the client's pages), and --limit.
  r = ddbmap("sql " + select + " --param '\"u\"' --page-size 3 --limit 4");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(lines(r.out).size(), 4u);

  // A write, then its effect.
  r = ddbmap("sql " +
             ddbtest::shell_quote("INSERT INTO \"" + table.name() +
                                  "\" VALUE {'pk': ?, 'sk': ?, "
                                  "'n': ?}") +
             " --param '\"new\"' --param '\"x\"' --param 42");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out.empty());
  EXPECT_EQ(m.at(ddb::Key("new", "x")).at("n"), ddb::Value(42));
  // The same INSERT again: a condition failure (exit 3), the item unchanged.
  r = ddbmap("sql " + table.name() + " " +
             ddbtest::shell_quote("INSERT INTO \"" + table.name() +
                                  "\" VALUE {'pk': 'new', 'sk': 'x', 'n': 1}"));
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_NE(r.err.find("DuplicateItem"), std::string::npos) << r.err;
  EXPECT_EQ(m.at(ddb::Key("new", "x")).at("n"), ddb::Value(42));
}

TEST_F(CliSqlTest, BadInputIsRefusedBeforeAnythingIsSent) {
  // No server at all: a refusal before sending is the only way to exit 2 here.
  for (const char* args :
       {"''", "t ''", "'SELECT * FROM t WHERE pk = ?' --param '{'",
        "'SELECT * FROM t WHERE pk = ?' --param '{\"S\":1}' --wire", "t 'SELECT 1' extra"}) {
    const auto r = shell(std::string("$DDBMAP --endpoint-url http://127.0.0.1:1 sql ") + args +
                         " --connect-timeout 0.2");
    EXPECT_EQ(r.status, 2) << args << ": " << r.err;
  }
}
