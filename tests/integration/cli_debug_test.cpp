// ddbmap --debug: one line per request attempt on stderr, standard output unchanged; retries
// shown through the fault proxy; no secret (secret key, session token, signature) in the lines.
#include <gtest/gtest.h>

#include <mutex>

#include "integration/cli_fixture.hpp"
#include "support/fault_proxy.hpp"

namespace ddb = dynamodb_mapping;

using ddbtest::Action;
using ddbtest::CliRun;
using ddbtest::CliTest;
using ddbtest::contains;
using ddbtest::HttpRequest;

namespace {

constexpr const char* kPrefix = "ddbmap: debug: ";

// The debug lines of `err` about `operation`.
std::vector<std::string> debug_lines(const std::string& err, const std::string& operation) {
  std::vector<std::string> found;
  for (const std::string& line : ddbtest::lines_of(err)) {
    if (line.rfind(kPrefix + operation + " ", 0) == 0) found.push_back(line);
  }
  return found;
}

// Whether every line of `err` is a debug line (a command that succeeded prints nothing else).
bool only_debug_lines(const std::string& err) {
  for (const std::string& line : ddbtest::lines_of(err)) {
    if (line.rfind(kPrefix, 0) != 0) return false;
  }
  return !err.empty() && err.back() == '\n';
}

// A 500 with a request id of its own.
ddbtest::HttpReply server_error() {
  return {500,
          {{"Content-Type", "application/x-amz-json-1.0"}, {"x-amzn-RequestId", "PROXY-500"}},
          R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"x"})"};
}

}  // namespace

TEST_F(CliTest, DebugPrintsOneLinePerAttemptAndLeavesStdoutAlone) {
  ddbtest::ScopedTable table(client(), "cli_debug");
  const std::string t = table.name();

  CliRun r = ddbmap("--debug put " + t + " a '{\"v\":\"x\"}'");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_TRUE(only_debug_lines(r.err)) << r.err;
  auto puts = debug_lines(r.err, "PutItem");
  ASSERT_EQ(puts.size(), 1u) << r.err;
  EXPECT_TRUE(contains(puts[0], "PutItem table=" + t + " attempt=1 status=200 ")) << puts[0];
  EXPECT_TRUE(contains(puts[0], "ms sent=")) << puts[0];
  // PutItem answers "{}" when asked for nothing back.
  EXPECT_TRUE(contains(puts[0], "B received=2B id=")) << puts[0];
  EXPECT_EQ(puts[0].substr(puts[0].size() - 5), " done") << puts[0];

  // The same get with and without --debug (the option may follow the subcommand): the same
  // standard output; the debug lines only on stderr.
  const CliRun plain = ddbmap("get " + t + " a");
  ASSERT_EQ(plain.status, 0) << plain.err;
  EXPECT_EQ(plain.err, "");
  r = ddbmap("get " + t + " a --debug");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, plain.out);
  EXPECT_TRUE(only_debug_lines(r.err)) << r.err;
  const auto gets = debug_lines(r.err, "GetItem");
  ASSERT_EQ(gets.size(), 1u) << r.err;
  EXPECT_TRUE(contains(gets[0], "GetItem table=" + t + " attempt=1 status=200 ")) << gets[0];
  EXPECT_FALSE(contains(gets[0], "error=")) << gets[0];

  // A refusal is one line with its error code; the exit code is unchanged (3).
  r = ddbmap("--debug put --new " + t + " a '{\"v\":\"y\"}'");
  EXPECT_EQ(r.status, 3) << r.err;
  puts = debug_lines(r.err, "PutItem");
  ASSERT_EQ(puts.size(), 1u) << r.err;
  EXPECT_TRUE(contains(puts[0], "status=400 error=ConditionalCheckFailedException ")) << puts[0];
  EXPECT_TRUE(contains(r.err, "condition")) << "the error message is still printed: " << r.err;
}

TEST_F(CliTest, DebugShowsRetries) {
  ddbtest::ScopedTable table(client(), "cli_debug_retry");
  const std::string t = table.name();
  ddbtest::FaultProxy proxy(endpoint_);
  // A put: a write is never re-sent by libcurl itself, so each fault is an attempt of ours. The
  // reset comes after the server applied the put: the attempt may have been applied.
  proxy.next("PutItem", [&](const HttpRequest& r) {
    ddbtest::forward(proxy.upstream(), r);
    return Action::reset();
  });
  proxy.next("PutItem", [](const HttpRequest&) { return Action::respond(server_error()); });
  const CliRun r = shell("$DDBMAP --debug put " + t + " k '{\"v\":1}'", proxy.url());
  EXPECT_EQ(r.status, 0) << r.err;  // an unconditional put is sent again
  EXPECT_TRUE(only_debug_lines(r.err)) << r.err;
  const auto puts = debug_lines(r.err, "PutItem");
  ASSERT_EQ(puts.size(), 3u) << r.err;
  EXPECT_TRUE(contains(puts[0], "attempt=1 status=0 error=ConnectionError ")) << puts[0];
  EXPECT_TRUE(contains(puts[0], " may-have-been-applied retry-in=")) << puts[0];
  EXPECT_TRUE(contains(puts[1], "attempt=2 status=500 error=InternalServerError ")) << puts[1];
  EXPECT_TRUE(contains(puts[1], " id=PROXY-500 may-have-been-applied retry-in=")) << puts[1];
  EXPECT_TRUE(contains(puts[2], "attempt=3 status=200 ")) << puts[2];
  EXPECT_EQ(puts[2].substr(puts[2].size() - 5), " done") << puts[2];

  // Attempts that run out: the last line says so, and the exit code is the network one (5).
  proxy.always("GetItem", [](const HttpRequest&) { return Action::reset(); });
  const CliRun failed = shell("$DDBMAP --debug get " + t + " k", proxy.url());
  EXPECT_EQ(failed.status, 5) << failed.err;
  const auto gets = debug_lines(failed.err, "GetItem");
  ASSERT_FALSE(gets.empty()) << failed.err;
  EXPECT_TRUE(contains(gets.back(), "error=ConnectionError ")) << gets.back();
  EXPECT_EQ(gets.back().substr(gets.back().size() - 9), " gives-up") << gets.back();
}

TEST_F(CliTest, DebugLinesHoldNoSecret) {
  ddbtest::ScopedTable table(client(), "cli_debug_secret");
  const std::string t = table.name();
  const std::string access_key = "AKIACLIDEBUGTESTKEY1";
  const std::string secret = "CLIDEBUGzzSECRETzzwJalrXUtnFEMI/K7MDENGbPx";
  const std::string token = "CLIDEBUGzzTOKENzzFQoGZXIvYXdzEBYaDNgZ2Vfz";
  ddbtest::FaultProxy proxy(endpoint_);
  std::mutex mutex;
  std::vector<std::string> signatures;
  bool failed_once = false;
  proxy.all([&](const HttpRequest& r) {
    {
      std::lock_guard lock(mutex);
      const std::string& auth = r.headers.at("authorization");
      signatures.push_back(auth.substr(auth.find("Signature=") + 10));
      if (!failed_once && ddbtest::target_operation(r) == "PutItem") {
        failed_once = true;
        return Action::respond(server_error());
      }
    }
    return Action::respond(ddbtest::forward(proxy.upstream(), r));
  });
  // The environment of env_prefix(), with these credentials instead.
  const std::string env = "env AWS_ACCESS_KEY_ID=" + access_key +
                          " AWS_SECRET_ACCESS_KEY=" + ddbtest::shell_quote(secret) +
                          " AWS_SESSION_TOKEN=" + token +
                          " AWS_REGION=us-east-1 AWS_CONFIG_FILE=/nonexistent "
                          "AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_ENDPOINT_URL_DYNAMODB=" +
                          proxy.url() + " " DDBMAP_CLI_PATH;
  const CliRun r = shell(env + " --debug put " + t + " s '{\"v\":1}' && " + env + " --debug get " +
                         t + " s && " + env + " --debug put --new " + t + " s '{\"v\":2}'");
  EXPECT_EQ(r.status, 3) << r.err;
  EXPECT_EQ(r.out, "{\"pk\":\"s\",\"v\":1}\n");
  std::lock_guard lock(mutex);
  ASSERT_GE(signatures.size(), 5u) << "every request was signed and seen: " << r.err;
  EXPECT_EQ(debug_lines(r.err, "PutItem").size(), 3u) << r.err;  // a 500, its retry, the refusal
  EXPECT_FALSE(contains(r.err, secret)) << r.err;
  EXPECT_FALSE(contains(r.err, token)) << r.err;
  EXPECT_FALSE(contains(r.err, access_key)) << r.err;
  EXPECT_FALSE(contains(r.err, "Signature=")) << r.err;
  for (const std::string& signature : signatures) {
    ASSERT_GE(signature.size(), 64u);
    EXPECT_FALSE(contains(r.err, signature)) << r.err;
  }
}
