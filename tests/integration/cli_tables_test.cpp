// ddbmap's table subcommands end to end: tables, describe (text and --json), create-table with
// indexes, TTL and capacities, delete-table that waits; bad arguments refused with exit 2.
#include <gtest/gtest.h>

#include <algorithm>

#include "cli_fixture.hpp"
#include "dynamodb_mapping/dynamodb_mapping.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::CliRun;
using ddbtest::CliTest;

namespace {

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(CliTest, TablesDescribeCreateAndDeleteTable) {
  const std::string t = ddbtest::unique_table_name("cli_tables");
  const bool dynalite = ddbtest::engine() == "dynalite";
  std::string create = "create-table " + t +
                       " --key id:S --sort ts:N --gsi by_email:email:S --gsi by_team:team:S:score:N"
                       " --wait-timeout 30";
  if (!dynalite) create += " --ttl expires";  // dynalite has no UpdateTimeToLive
  CliRun r = ddbmap(create);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(client().describe_table(t).table_status, "ACTIVE");

  r = ddbmap("tables");
  EXPECT_EQ(r.status, 0) << r.err;
  const auto names = ddbtest::lines_of(r.out);
  EXPECT_NE(std::find(names.begin(), names.end(), t), names.end()) << r.out;

  r = ddbmap("describe " + t);
  EXPECT_EQ(r.status, 0) << r.err;
  for (const std::string& line :
       {"Table:          " + t, std::string("Status:         ACTIVE"),
        std::string("Key:            id (S, partition), ts (N, sort)"),
        std::string("Billing:        PAY_PER_REQUEST"),
        std::string("Global index:   by_email: email (S, partition) [ALL] ACTIVE"),
        std::string("Global index:   by_team: team (S, partition), score (N, sort) [ALL] ACTIVE"),
        std::string(dynalite ? "Time to live:   DISABLED" : "Time to live:   ENABLED (expires)")}) {
    EXPECT_TRUE(has(r.out, line)) << line << "\n" << r.out;
  }

  r = ddbmap("describe " + t + " --json");
  EXPECT_EQ(r.status, 0) << r.err;
  const ddb::Item j = ddb::item_from_plain_json(r.out);
  EXPECT_EQ(j.at("TableName"), ddb::Value(t));
  EXPECT_EQ(j.at("TableStatus"), ddb::Value("ACTIVE"));
  const auto& keys = j.at("KeySchema").as_list();
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[1].as_map().at("AttributeName"), ddb::Value("ts"));
  EXPECT_EQ(keys[1].as_map().at("AttributeType"), ddb::Value("N"));
  const auto& gsis = j.at("GlobalSecondaryIndexes").as_list();
  ASSERT_EQ(gsis.size(), 2u);
  std::vector<std::string> gsi_names;
  for (const auto& g : gsis) gsi_names.push_back(g.as_map().at("IndexName").as_string());
  std::sort(gsi_names.begin(), gsi_names.end());
  EXPECT_EQ(gsi_names, (std::vector<std::string>{"by_email", "by_team"}));
  if (!dynalite) {
    EXPECT_EQ(j.at("TimeToLive").as_map().at("AttributeName"), ddb::Value("expires"));
  }

  r = ddbmap("delete-table " + t + " --wait-timeout 30");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_THROW((void)client().describe_table(t), ddb::ResourceNotFoundError);
  r = ddbmap("describe " + t);
  EXPECT_EQ(r.status, 6) << r.err;
  r = ddbmap("delete-table " + t);
  EXPECT_EQ(r.status, 6) << r.err;
}

TEST_F(CliTest, CreateTableProvisioned) {
  const std::string t = ddbtest::unique_table_name("cli_prov");
  CliRun r = ddbmap("create-table " + t + " --key id:N --provisioned 2,3 --gsi by_x:x:B");
  ASSERT_EQ(r.status, 0) << r.err;
  r = ddbmap("describe " + t);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(has(r.out, "Billing:        PROVISIONED (read 2, write 3)")) << r.out;
  EXPECT_TRUE(has(r.out, "by_x: x (B, partition) [ALL] ACTIVE, read 2 write 3")) << r.out;
  EXPECT_EQ(ddbmap("delete-table " + t).status, 0);
}

TEST_F(CliTest, CreateTableRefusesBadArgumentsBeforeSending) {
  const std::string t = ddbtest::unique_table_name("cli_bad");
  for (const char* args :
       {"--gsi by_x", "--gsi by_x:x:Q", "--gsi by_x:x:S:y", "--key id:Z", "--provisioned 0,1",
        "--provisioned 2", "--provisioned a,b", "--gsi x:x:S", "--ttl exp --no-wait"}) {
    const CliRun r = ddbmap("create-table " + t + " " + std::string(args));
    EXPECT_EQ(r.status, 2) << args << ": " << r.err;
  }
  EXPECT_EQ(ddbmap("create-table ab").status, 2);  // a name DynamoDB refuses
  EXPECT_THROW((void)client().describe_table(t), ddb::ResourceNotFoundError);
  const CliRun help = ddbmap("--help");
  EXPECT_TRUE(has(help.out, "tables")) << help.out;
  EXPECT_TRUE(has(help.out, "describe")) << help.out;
}

}  // namespace
