// ddbmap behind a fake server on 127.0.0.1 that forwards to the test server and misbehaves on
// purpose: refused and lost batch writes (exact counts, exit 4 and 7, resuming), slow answers
// (--read-timeout), a table that stays CREATING; plus the exit-code table in --help.
#include <chrono>
#include <regex>

#include "dynamodb_mapping/dynamodb_mapping.hpp"
#include "integration/cli_fixture.hpp"
#include "support/http_server.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::CliRun;
using ddbtest::CliTest;
using ddbtest::contains;
using ddbtest::HttpReply;
using ddbtest::HttpRequest;

namespace {

bool is(const HttpRequest& r, const std::string& operation) {
  const auto it = r.headers.find("x-amz-target");
  return it != r.headers.end() && it->second == "DynamoDB_20120810." + operation;
}

std::string server_items(int n) {
  std::string lines;
  for (int i = 0; i < n; ++i) lines += "{\"pk\":\"k" + std::to_string(i) + "\"}\n";
  return lines;
}

std::uint64_t number_after(const std::string& text, const std::string& pattern) {
  std::smatch m;
  if (!std::regex_search(text, m, std::regex(pattern))) return ~std::uint64_t{0};
  return std::stoull(m[1]);
}

}  // namespace

// Findings 4 and 10: a batch refused by the server: exit 4, exact counts, how to resume.
TEST_F(CliTest, ARefusedBatchGivesExactCountsAndTheLineToResumeFrom) {
  ddbtest::ScopedTable table(client(), "cli_partial");
  const std::string upstream = endpoint_;
  ddbtest::TestHttpServer fake([&](const HttpRequest& r) {
    if (is(r, "BatchWriteItem") && contains(r.body, "\"k7\"")) {
      HttpReply refusal;
      refusal.status = 400;
      refusal.body = R"({"__type":"com.amazonaws#ValidationException","message":"refused"})";
      return ddbtest::Action::respond(refusal);
    }
    return ddbtest::Action::respond(ddbtest::forward(upstream, r));
  });
  const auto file = write("in.jsonl", server_items(30));
  CliRun r = shell("$DDBMAP import " + table.name() + " " + file.string(), fake.url());
  EXPECT_EQ(r.status, 4) << r.err;
  const auto written = number_after(r.err, R"((\d+) items written;)");
  const auto failed = number_after(r.err, R"((\d+) items were certainly not written)");
  EXPECT_EQ(written + failed, 30u) << r.err;
  EXPECT_GT(failed, 0u) << r.err;
  EXPECT_TRUE(contains(r.err, "0 may or may not have been")) << r.err;
  ddb::DynamoDBMapping m{table.name(), client()};
  EXPECT_EQ(m.count(), written);
  ASSERT_TRUE(contains(r.err, "--start-line 1")) << r.err;
  r = ddbmap("import " + table.name() + " " + file.string() + " --start-line 1");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(m.count(), 30u);
  // --start-line skips the lines before it.
  ddbtest::ScopedTable other(client(), "cli_resume");
  r = ddbmap("import " + other.name() + " " + file.string() + " --start-line 21");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(ddb::DynamoDBMapping(other.name(), client()).count(), 10u);
}

// AmbiguousOutcomeError has its own code: the write was applied, the answer lost.
TEST_F(CliTest, LostAnswersAreOutcomeUnknownExit7) {
  ddbtest::ScopedTable table(client(), "cli_lost");
  const std::string upstream = endpoint_;
  ddbtest::TestHttpServer fake([&](const HttpRequest& r) {
    if (is(r, "PutItem") || (is(r, "BatchWriteItem") && contains(r.body, "\"k7\""))) {
      ddbtest::forward(upstream, r);    // applied...
      return ddbtest::Action::reset();  // ...and the answer lost
    }
    return ddbtest::Action::respond(ddbtest::forward(upstream, r));
  });
  CliRun r = shell("$DDBMAP put " + table.name() + " a '{}'", fake.url());
  EXPECT_EQ(r.status, 7) << r.err;
  EXPECT_TRUE(contains(r.err, "outcome unknown")) << r.err;
  r = shell("$DDBMAP import " + table.name() + " " + write("in.jsonl", server_items(30)).string(),
            fake.url());
  EXPECT_EQ(r.status, 7) << r.err;
  const auto written = number_after(r.err, R"((\d+) items written;)");
  const auto unknown = number_after(r.err, R"(and (\d+) may or may not have been)");
  EXPECT_EQ(written + unknown, 30u) << r.err;
  EXPECT_GT(unknown, 0u) << r.err;
}

// Finding 7: --read-timeout (and its environment variable) bound a stalled answer: well before
// the default 10 s.
TEST_F(CliTest, ReadTimeoutBoundsAStalledAnswer) {
  ddbtest::TestHttpServer slow([](const HttpRequest&) {
    ddbtest::Action a = ddbtest::Action::respond({});
    a.delay = std::chrono::milliseconds(30000);
    return a;
  });
  for (const char* how :
       {"$DDBMAP --read-timeout 1 --connect-timeout 2", "env DDBMAP_READ_TIMEOUT=1 $DDBMAP"}) {
    const auto start = std::chrono::steady_clock::now();
    const CliRun r = shell(std::string("AWS_MAX_ATTEMPTS=1 ") + how + " get tab a", slow.url());
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(r.status, 5) << how << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "network")) << r.err;
    std::cerr << how << ": " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
              << " ms\n";
    EXPECT_LT(took, std::chrono::milliseconds(12000))
        << how << " " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  }
}

// Finding 7: a slow answer that keeps moving is not cut off by a short --read-timeout.
TEST_F(CliTest, ASlowButMovingAnswerIsNotCutOff) {
  ddbtest::ScopedTable table(client(), "cli_trickle");
  ddb::DynamoDBMapping m{table.name(), client()};
  m["a"] = ddb::Item{{"text", std::string(100, 'x')}};
  const std::string upstream = endpoint_;
  ddbtest::TestHttpServer trickle([&](const HttpRequest& r) {
    HttpReply reply = ddbtest::forward(upstream, r);
    if (!is(r, "Scan")) return ddbtest::Action::respond(reply);
    // About 200 bytes, one every 10 ms: 2 s in all, longer than the read timeout.
    ddbtest::Action a = ddbtest::Action::with(ddbtest::Action::Kind::Trickle, reply);
    a.trickle_interval = std::chrono::milliseconds(10);
    return a;
  });
  const CliRun r = shell("$DDBMAP --read-timeout 1 export " + table.name() + " -", trickle.url());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.out, std::string(100, 'x'))) << r.out;
}

// Finding 11: --ca-bundle reaches the client (a missing bundle is named).
TEST_F(CliTest, CaBundleOptionIsUsed) {
  // The bundle is read for https endpoints only; nothing listens on port 1.
  const CliRun r = ddbmap("--endpoint-url https://127.0.0.1:1 --ca-bundle " +
                          (dir_ / "missing-ca.pem").string() + " get tab a");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "missing-ca.pem")) << r.err;
  EXPECT_FALSE(contains(r.err, "not expected")) << r.err;
}

// Finding 8: create-table waits for ACTIVE, bounded, and fails if it does not get there.
TEST_F(CliTest, CreateTableWaitsForActive) {
  const std::string upstream = endpoint_;
  ddbtest::TestHttpServer stuck([&](const HttpRequest& r) {
    HttpReply reply = ddbtest::forward(upstream, r);
    if (is(r, "DescribeTable")) {
      for (auto at = reply.body.find("\"ACTIVE\""); at != std::string::npos;
           at = reply.body.find("\"ACTIVE\"")) {
        reply.body.replace(at, 8, "\"CREATING\"");
      }
      std::erase_if(reply.headers, [](const auto& h) {
        std::string name = h.first;
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return name == "x-amz-crc32";
      });
    }
    return ddbtest::Action::respond(reply);
  });
  const std::string t1 = ddbtest::unique_table_name("cli_ct1"), t2 = t1 + "_b", t3 = t1 + "_c";
  const auto start = std::chrono::steady_clock::now();
  CliRun r = shell("timeout 60 $DDBMAP create-table " + t1 + " --wait-timeout 2", stuck.url());
  EXPECT_EQ(r.status, 6) << r.err;
  EXPECT_TRUE(contains(r.err, "still CREATING after 2 s")) << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
  r = shell("timeout 60 $DDBMAP create-table " + t2 + " --no-wait", stuck.url());
  EXPECT_EQ(r.status, 0) << r.err;
  r = ddbmap("create-table " + t3 + " --partition-key id:N");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(client().describe_table(t3).table_status, "ACTIVE");
  for (const auto& t : {t1, t2, t3}) EXPECT_EQ(ddbmap("delete-table " + t).status, 0) << t;
}

// Finding 4: one table of exit codes, in --help.
TEST_F(CliTest, HelpHasTheExitCodeTable) {
  const CliRun r = ddbmap("--help");
  EXPECT_EQ(r.status, 0);
  for (const char* line :
       {"0    ok", "1    not found", "2    usage", "3    condition failed", "4    partial failure",
        "5    network", "6    DynamoDB refused", "7    outcome unknown", "8    local I/O error",
        "130  interrupted", "141  standard output closed"}) {
    EXPECT_TRUE(contains(r.out, line)) << line << "\n" << r.out;
  }
}

// Exit 3: a condition that was false.
TEST_F(CliTest, PutNewOnAnExistingItemIsConditionFailed) {
  ddbtest::ScopedTable table(client(), "cli_cond");
  EXPECT_EQ(ddbmap("put " + table.name() + " a '{\"v\":1}' --new").status, 0);
  const CliRun r = ddbmap("put " + table.name() + " a '{\"v\":2}' --new");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_TRUE(contains(r.err, "condition failed")) << r.err;
  EXPECT_EQ(ddb::DynamoDBMapping(table.name(), client()).at("a").at("v"), ddb::Value(1));
}
