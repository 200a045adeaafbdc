// tables.hpp against both engines: create with indexes and TTL and describe it back, deletes that
// wait, capacity and global index changes, waiters that time out, malformed answers, lost answers.
#include "dynamodb_mapping/tables.hpp"

#include <gtest/gtest.h>

#include "support/fault_proxy.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::Action;
using ddbtest::HttpRequest;
using ddbtest::Loss;

namespace {

class TablesTest : public ddbtest::ClientServerTest {
 protected:
  void SetUp() override {
    ClientServerTest::SetUp();
    if (HasFatalFailure()) return;
    proxy_.emplace(endpoint_);
  }
  void TearDown() override {
    proxy_.reset();
    for (const auto& t : created_) {
      try {
        (void)client().delete_table(t);
      } catch (const ddb::Error&) {
        // already gone, or the server is stopped after the run anyway
      }
    }
  }

  // A spec with a fresh name (deleted after the test if still there).
  ddb::TableSpec spec(const std::string& stem) {
    ddb::TableSpec s;
    s.name = ddbtest::unique_table_name(stem);
    s.partition_key = {"pk", ddb::ScalarType::String};
    created_.push_back(s.name);
    return s;
  }
  static ddb::WaitOptions quick(std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
    ddb::WaitOptions w;
    w.timeout = timeout;
    w.first_delay = std::chrono::milliseconds(5);
    w.max_delay = std::chrono::milliseconds(50);
    return w;
  }
  bool dynalite() const { return ddbtest::engine() == "dynalite"; }

  std::optional<ddbtest::FaultProxy> proxy_;
  std::vector<std::string> created_;
};

// DescribeTable answers through the proxy with every "ACTIVE" turned into "CREATING".
Action stuck_creating(const HttpRequest& r, const std::string& upstream) {
  ddbtest::HttpReply reply = ddbtest::forward(upstream, r);
  for (auto at = reply.body.find("\"ACTIVE\""); at != std::string::npos;
       at = reply.body.find("\"ACTIVE\"")) {
    reply.body.replace(at, 8, "\"CREATING\"");
  }
  std::erase_if(reply.headers, [](const auto& h) {
    std::string name = h.first;
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name == "x-amz-crc32" || name == "content-length";
  });
  return Action::respond(reply);
}

TEST_F(TablesTest, CreateWithIndexesAndTtlDescribesItBack) {
  ddb::TableSpec s = spec("tables_full");
  s.sort_key = ddb::KeyAttribute{"sk", ddb::ScalarType::Number};
  ddb::IndexSpec by_email;
  by_email.name = "by_email";
  by_email.partition_key = {"email", ddb::ScalarType::String};
  ddb::IndexSpec by_team;
  by_team.name = "by_team";
  by_team.partition_key = {"team", ddb::ScalarType::String};
  by_team.sort_key = ddb::KeyAttribute{"score", ddb::ScalarType::Number};
  by_team.projection = {"INCLUDE", {"name"}};
  s.global_indexes = {by_email, by_team};
  ddb::IndexSpec by_date;
  by_date.name = "by_date";
  by_date.partition_key = s.partition_key;
  by_date.sort_key = ddb::KeyAttribute{"date", ddb::ScalarType::Binary};
  by_date.projection = {"KEYS_ONLY", {}};
  s.local_indexes = {by_date};
  s.tags = {{"team", "tests"}};
  if (!dynalite()) s.ttl_attribute = "expires";  // dynalite has no UpdateTimeToLive

  const ddb::TableDescription created = ddb::create_table(client(), s, quick());
  EXPECT_EQ(created.table_status, "ACTIVE");

  const ddb::TableInfo info = ddb::describe_table_and_ttl(client(), s.name);
  const ddb::TableDescription& d = info.table;
  EXPECT_EQ(d.table_name, s.name);
  EXPECT_EQ(d.table_status, "ACTIVE");
  EXPECT_EQ(d.billing_mode, "PAY_PER_REQUEST");
  EXPECT_EQ(d.key_schema, (std::vector<ddb::KeySchemaElement>{{"pk", ddb::KeyType::Hash},
                                                              {"sk", ddb::KeyType::Range}}));
  EXPECT_EQ(d.attribute_type("score"), ddb::ScalarType::Number);
  EXPECT_EQ(d.attribute_type("date"), ddb::ScalarType::Binary);
  ASSERT_EQ(d.global_secondary_indexes.size(), 2u);
  ASSERT_EQ(d.local_secondary_indexes.size(), 1u);
  const ddb::SecondaryIndexDescription* team = d.find_index("by_team");
  ASSERT_NE(team, nullptr);
  EXPECT_EQ(team->partition_key(), "team");
  EXPECT_EQ(team->sort_key(), "score");
  EXPECT_EQ(team->projection, (ddb::Projection{"INCLUDE", {"name"}}));
  EXPECT_EQ(team->index_status, "ACTIVE");
  const ddb::SecondaryIndexDescription* email = d.find_index("by_email");
  ASSERT_NE(email, nullptr);
  EXPECT_EQ(email->projection.projection_type, "ALL");
  EXPECT_FALSE(email->sort_key());
  const ddb::SecondaryIndexDescription* date = d.find_index("by_date");
  ASSERT_NE(date, nullptr);
  EXPECT_EQ(date->partition_key(), "pk");
  EXPECT_EQ(date->sort_key(), "date");
  EXPECT_EQ(date->projection.projection_type, "KEYS_ONLY");
  EXPECT_TRUE(date->index_status.empty());  // local indexes have no status of their own
  ASSERT_TRUE(info.time_to_live);
  if (dynalite()) {
    EXPECT_EQ(info.time_to_live->time_to_live_status, "DISABLED");
  } else {
    EXPECT_EQ(info.time_to_live->time_to_live_status, "ENABLED");
    EXPECT_EQ(info.time_to_live->attribute_name, "expires");
  }
  const auto names = ddb::list_all_tables(client());
  EXPECT_NE(std::find(names.begin(), names.end(), s.name), names.end());

  // An existing table is refused as such, without waiting.
  EXPECT_THROW((void)ddb::create_table(client(), s, quick()), ddb::ResourceInUseError);
}

TEST_F(TablesTest, DeleteWaitsUntilTheTableIsGone) {
  const ddb::TableSpec s = spec("tables_delete");
  (void)ddb::create_table(client(), s, quick());
  ddb::delete_table(client(), s.name, quick());
  EXPECT_THROW((void)client().describe_table(s.name), ddb::ResourceNotFoundError);
  const auto names = ddb::list_all_tables(client());
  EXPECT_EQ(std::find(names.begin(), names.end(), s.name), names.end());
  // A table that is not there is not reported as deleted.
  EXPECT_THROW(ddb::delete_table(client(), s.name, quick()), ddb::ResourceNotFoundError);
}

TEST_F(TablesTest, CapacityChanges) {
  ddb::TableSpec s = spec("tables_cap");
  s.provisioned = ddb::ProvisionedThroughput{2, 3};
  ddb::IndexSpec g;
  g.name = "by_x";
  g.partition_key = {"x", ddb::ScalarType::String};
  s.global_indexes = {g};
  const auto created = ddb::create_table(client(), s, quick());
  EXPECT_EQ(created.provisioned_throughput, (ddb::ProvisionedThroughput{2, 3}));
  ASSERT_NE(created.find_index("by_x"), nullptr);
  EXPECT_EQ(created.find_index("by_x")->provisioned_throughput, (ddb::ProvisionedThroughput{2, 3}));

  // The answer lost after the change was applied: the retry is refused (nothing to change), and
  // describing the table settles it.
  proxy_->lose_next("UpdateTable", Loss::Reset);
  auto d =
      ddb::update_capacity(proxy_->client(), s.name, ddb::ProvisionedThroughput{5, 6}, quick());
  EXPECT_EQ(d.provisioned_throughput, (ddb::ProvisionedThroughput{5, 6}));
  EXPECT_EQ(d.find_index("by_x")->provisioned_throughput, (ddb::ProvisionedThroughput{5, 6}));
  // The same capacities again change nothing: one DescribeTable, no UpdateTable.
  const auto before = client().stats().requests;
  (void)ddb::update_capacity(client(), s.name, ddb::ProvisionedThroughput{5, 6}, quick());
  EXPECT_EQ(client().stats().requests, before + 1);

  d = ddb::update_capacity(client(), s.name, std::nullopt, quick());
  EXPECT_EQ(d.billing_mode, "PAY_PER_REQUEST");
  // Back to provisioned: the index gets the capacities too (DynamoDB requires it).
  d = ddb::update_capacity(client(), s.name, ddb::ProvisionedThroughput{1, 2}, quick());
  EXPECT_EQ(d.billing_mode, "PROVISIONED");
  EXPECT_EQ(d.provisioned_throughput, (ddb::ProvisionedThroughput{1, 2}));
  ASSERT_NE(d.find_index("by_x"), nullptr);
  EXPECT_EQ(d.find_index("by_x")->provisioned_throughput, (ddb::ProvisionedThroughput{1, 2}));
}

TEST_F(TablesTest, GlobalIndexesAddedAndRemoved) {
  if (dynalite()) {
    GTEST_SKIP() << "dynalite answers UpdateTable's index Create but never adds the index";
  }
  ddb::TableSpec s = spec("tables_gsi");
  s.provisioned = ddb::ProvisionedThroughput{2, 3};
  ddb::IndexSpec g;
  g.name = "by_x";
  g.partition_key = {"x", ddb::ScalarType::String};
  s.global_indexes = {g};
  (void)ddb::create_table(client(), s, quick());
  ddb::TableDescription d;
  // A global index added (its answer lost on the way back: settled by describing) and removed.
  ddb::IndexSpec added;
  added.name = "by_y";
  added.partition_key = {"y", ddb::ScalarType::Number};
  added.sort_key = ddb::KeyAttribute{"x", ddb::ScalarType::String};
  added.projection = {"KEYS_ONLY", {}};
  const ddb::Client proxied = proxy_->client();
  proxy_->lose_next("UpdateTable", Loss::Reset);
  d = ddb::add_global_index(proxied, s.name, added, quick());
  const ddb::SecondaryIndexDescription* y = d.find_index("by_y");
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(y->index_status, "ACTIVE");
  EXPECT_EQ(y->partition_key(), "y");
  EXPECT_EQ(d.attribute_type("y"), ddb::ScalarType::Number);
  // An index key whose type differs from the table's definition: refused after the one
  // DescribeTable that tells, without an UpdateTable.
  ddb::IndexSpec clash = added;
  clash.name = "by_clash";
  clash.partition_key = {"y", ddb::ScalarType::String};
  const auto before = client().stats().requests;
  EXPECT_THROW((void)ddb::add_global_index(client(), s.name, clash, quick()), ddb::ValidationError);
  EXPECT_EQ(client().stats().requests, before + 1);

  proxy_->lose_next("UpdateTable", Loss::Reset);
  d = ddb::remove_global_index(proxied, s.name, "by_y", quick());
  EXPECT_EQ(d.find_index("by_y"), nullptr);
  EXPECT_NE(d.find_index("by_x"), nullptr);
  EXPECT_THROW((void)ddb::remove_global_index(client(), s.name, "by_none", quick()), ddb::Error);
}

TEST_F(TablesTest, AGlobalIndexAddedToAnOnDemandTable) {
  if (dynalite()) {
    GTEST_SKIP() << "dynalite never adds an index through UpdateTable (and asks for "
                    "ProvisionedThroughput on an on-demand table, which DynamoDB refuses)";
  }
  const ddb::TableSpec s = spec("tables_od_gsi");
  (void)ddb::create_table(client(), s, quick());
  ddb::IndexSpec g;
  g.name = "by_z";
  g.partition_key = {"z", ddb::ScalarType::String};
  const auto d = ddb::add_global_index(client(), s.name, g, quick());
  ASSERT_NE(d.find_index("by_z"), nullptr);
  EXPECT_FALSE(d.find_index("by_z")->provisioned_throughput &&
               d.find_index("by_z")->provisioned_throughput->read_capacity_units > 0);
}

TEST_F(TablesTest, WaitersStopAtTheTimeoutWithATypedError) {
  const std::string upstream = proxy_->upstream();
  proxy_->always("DescribeTable",
                 [&](const HttpRequest& r) { return stuck_creating(r, upstream); });
  const ddb::TableSpec s = spec("tables_stuck");
  try {
    (void)ddb::create_table(proxy_->client(), s, quick(std::chrono::milliseconds(300)));
    FAIL() << "no exception";
  } catch (const ddb::WaitTimeoutError& e) {
    EXPECT_EQ(e.table(), s.name);
    EXPECT_EQ(e.awaited(), "table ACTIVE");
    EXPECT_EQ(e.last_status(), "CREATING");
    EXPECT_EQ(e.timeout(), std::chrono::milliseconds(300));
    EXPECT_NE(std::string(e.what()).find("still CREATING after 300 ms"), std::string::npos)
        << e.what();
  }
  // The table was created all the same: nothing is undone.
  EXPECT_EQ(client().describe_table(s.name).table_name, s.name);

  // should_stop ends a wait early with CancelledError; on_poll sees each status.
  ddb::WaitOptions w = quick();
  std::vector<std::string> seen;
  w.on_poll = [&](const std::string& status, std::chrono::milliseconds) { seen.push_back(status); };
  w.should_stop = [&] { return seen.size() >= 2; };
  EXPECT_THROW((void)ddb::wait_until_active(proxy_->client(), s.name, w), ddb::CancelledError);
  EXPECT_EQ(seen, (std::vector<std::string>{"CREATING", "CREATING"}));
}

TEST_F(TablesTest, MalformedDescribeTableAnswersAreDecodeErrors) {
  const ddb::TableSpec s = spec("tables_bad_answer");
  (void)ddb::create_table(client(), s, quick());
  const ddb::Client proxied = proxy_->client();
  for (const char* body :
       {R"({"Table":{"TableName":"t","KeySchema":[{"AttributeName":"pk","KeyType":"DIAGONAL"}]}})",
        R"({"Table":{"TableStatus":"ACTIVE","GlobalSecondaryIndexes":[{"IndexName":"g"}]}})",
        R"({"Table":{"ItemCount":-3}})", R"({"Table":)", "<html>busy</html>"}) {
    proxy_->next("DescribeTable", [body](const HttpRequest&) {
      return Action::respond({200, {}, body});
    });
    EXPECT_THROW((void)ddb::wait_until_active(proxied, s.name, quick()), ddb::DecodeError) << body;
  }
  EXPECT_EQ(ddb::wait_until_active(proxied, s.name, quick()).table_status, "ACTIVE");
}

TEST_F(TablesTest, ALostCreateTableAnswerIsSettledByDescribingTheTable) {
  const ddb::Client proxied = proxy_->client();
  ddb::TableSpec s = spec("tables_lost");
  s.sort_key = ddb::KeyAttribute{"sk", ddb::ScalarType::Number};
  // Applied, answer lost: the retry's ResourceInUse is this call's own doing.
  proxy_->lose_next("CreateTable", Loss::Reset);
  if (!dynalite()) {
    // And the same for turning TTL on: its retry is refused (already on), describing settles it.
    s.ttl_attribute = "expires";
    proxy_->lose_next("UpdateTimeToLive", Loss::Reset);
  }
  EXPECT_EQ(ddb::create_table(proxied, s, quick()).table_status, "ACTIVE");
  if (!dynalite()) {
    const auto ttl = client().describe_time_to_live(s.name);
    EXPECT_EQ(ttl.time_to_live_status, "ENABLED");
    EXPECT_EQ(ttl.attribute_name, "expires");
  }
  // The same for the delete: the retry's ResourceNotFound means done.
  proxy_->lose_next("DeleteTable", Loss::Reset);
  ddb::delete_table(proxied, s.name, quick());
  EXPECT_THROW((void)client().describe_table(s.name), ddb::ResourceNotFoundError);

  // A doubtful attempt, then a table found with another key schema: not ours, refused as in use.
  const ddb::TableSpec other = spec("tables_other");
  (void)ddb::create_table(client(), other, quick());
  ddb::TableSpec mine = other;
  mine.partition_key.type = ddb::ScalarType::Number;
  const auto refuse_with_500 = [](const HttpRequest&) {
    return Action::respond(
        {500, {}, R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError"})"});
  };
  proxy_->next("CreateTable", refuse_with_500);  // not forwarded: the retry meets the other table
  EXPECT_THROW((void)ddb::create_table(proxied, mine, quick()), ddb::ResourceInUseError);

  // Doubtful attempts only and no table at all: the outcome stays unknown, and says so.
  const ddb::TableSpec never = spec("tables_never");
  for (int i = 0; i < 4; ++i) proxy_->next("CreateTable", refuse_with_500);
  EXPECT_THROW((void)ddb::create_table(proxied, never, quick()), ddb::AmbiguousOutcomeError);
  EXPECT_THROW((void)client().describe_table(never.name), ddb::ResourceNotFoundError);
}

TEST_F(TablesTest, ListAllTablesFollowsPagesAndStopsOnARepeatedToken) {
  int calls = 0;
  proxy_->always("ListTables", [&](const HttpRequest& r) {
    ++calls;
    const bool first = r.body.find("ExclusiveStartTableName") == std::string::npos;
    return Action::respond({200,
                            {},
                            first ? R"({"TableNames":["a1","b2"],"LastEvaluatedTableName":"b2"})"
                                  : R"({"TableNames":["c3"]})"});
  });
  EXPECT_EQ(ddb::list_all_tables(proxy_->client()), (std::vector<std::string>{"a1", "b2", "c3"}));
  EXPECT_EQ(calls, 2);
  proxy_->always("ListTables", [](const HttpRequest&) {
    return Action::respond({200, {}, R"({"TableNames":["a1"],"LastEvaluatedTableName":"a1"})"});
  });
  try {
    (void)ddb::list_all_tables(proxy_->client());
    FAIL() << "no exception";
  } catch (const ddb::ProtocolError& e) {
    EXPECT_EQ(e.code(), "RepeatedPageToken");
  }
}

}  // namespace
