// ddbmap --consumed-capacity: the totals on stderr once the command is over, whatever its outcome,
// equal to what the same request sent raw with ReturnConsumedCapacity reports; nothing without it.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <charconv>

#include "dynamodb_mapping/dynamodb_mapping.hpp"
#include "integration/cli_fixture.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;

using ddbtest::CliRun;
using ddbtest::CliTest;
using ddbtest::contains;

namespace {

// CapacityUnits of the raw answer, as ddbmap prints numbers (the shortest form: 1, 0.5).
std::string units_of(const std::string& answer) {
  simdjson::dom::parser parser;
  double d = -1;
  EXPECT_FALSE(parser.parse(answer)["ConsumedCapacity"]["CapacityUnits"].get_double().get(d))
      << answer;
  char buf[32];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, d).ptr);
}

}  // namespace

TEST_F(CliTest, ConsumedCapacityIsPrintedAfterAnyCommand) {
  ddbtest::ScopedTable table(client(), "cli_cap");
  const std::string t = table.name();
  const std::string prefix = "ddbmap: consumed capacity: table " + t + ": ";

  // Without the flag: nothing on stderr.
  CliRun r = ddbmap("put " + t + " a '{\"v\":\"x\"}'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");

  // A put: the write units of the same put sent raw (the item is replaced by the same one).
  r = ddbmap("--consumed-capacity put " + t + " a '{\"v\":\"x\"}'");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string w = units_of(client().call(
      "PutItem",
      R"({"TableName":")" + t +
          R"(","Item":{"pk":{"S":"a"},"v":{"S":"x"}},"ReturnConsumedCapacity":"INDEXES"})"));
  EXPECT_EQ(r.err, prefix + w + " units (read 0, write " + w + ") in 1 request\n");

  // A get that finds nothing (exit 1) still reports; the flag may follow the subcommand.
  r = ddbmap("get " + t + " nope --consumed-capacity");
  EXPECT_EQ(r.status, 1);
  const std::string g = units_of(client().call(
      "GetItem", R"({"TableName":")" + t +
                     R"(","Key":{"pk":{"S":"nope"}},"ReturnConsumedCapacity":"INDEXES"})"));
  EXPECT_TRUE(contains(r.err, prefix + g + " units (read " + g + ", write 0) in 1 request\n"))
      << r.err;

  // An export: its Scan's read units.
  r = ddbmap("--consumed-capacity export " + t + " " + (dir_ / "out.jsonl").string());
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string s = units_of(
      client().call("Scan", R"({"TableName":")" + t + R"(","ReturnConsumedCapacity":"INDEXES"})"));
  EXPECT_TRUE(contains(r.err, prefix + s + " units (read " + s + ", write 0) in 1 request\n"))
      << r.err;

  // An import of 30 lines: two BatchWriteItem requests (25 + 5).
  std::string lines;
  for (int i = 0; i < 30; ++i) lines += "{\"pk\":\"i" + std::to_string(i) + "\"}\n";
  const auto file = write("in.jsonl", lines);
  r = ddbmap("--consumed-capacity import " + t + " " + file.string());
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, " in 2 requests\n")) << r.err;
  EXPECT_TRUE(contains(r.err, prefix)) << r.err;
}
