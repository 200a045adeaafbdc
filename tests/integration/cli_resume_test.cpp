// ddbmap export/import --resume, killed mid-way with SIGKILL. "Mid-way" is made deterministic
// without timing: a proxy in front of the server holds the Nth Scan or BatchWriteItem request
// until the test has killed the process, then the command is run again with the same state file
// and the result is checked against the table (export) or the file (import).
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>

#include "dynamodb_mapping/dynamodb_mapping.hpp"
#include "integration/cli_fixture.hpp"
#include "support/fault_proxy.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::CliTest;
using ddbtest::contains;
using ddbtest::read_file;
namespace fs = std::filesystem;

namespace {

// Holds the `nth` request of an operation (the ones before it pass) until release().
class Hold {
 public:
  Hold(ddbtest::FaultProxy& proxy, const std::string& op, int nth) {
    proxy.always(op, [this, &proxy, nth](const ddbtest::HttpRequest& r) {
      if (++seen_ != nth) return ddbtest::Action::respond(ddbtest::forward(proxy.upstream(), r));
      std::unique_lock lock(mutex_);
      held_ = true;
      changed_.notify_all();
      changed_.wait_for(lock, std::chrono::seconds(120), [&] { return released_; });
      return ddbtest::Action::reset();
    });
  }
  // Whether the request was held within the bound.
  bool wait_held() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(120), [&] { return held_; });
  }
  void release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::atomic<int> seen_{0};
  std::mutex mutex_;
  std::condition_variable changed_;
  bool held_ = false, released_ = false;
};

class CliResumeTest : public CliTest {
 protected:
  // Starts ddbmap with `args` against `endpoint`; output to the test's directory.
  pid_t start(const std::vector<std::string>& args, const std::string& endpoint) {
    std::vector<std::string> v{"/usr/bin/env",
                               "AWS_ACCESS_KEY_ID=test",
                               "AWS_SECRET_ACCESS_KEY=test",
                               "AWS_REGION=us-east-1",
                               "AWS_CONFIG_FILE=/nonexistent",
                               "AWS_SHARED_CREDENTIALS_FILE=/nonexistent",
                               "AWS_ENDPOINT_URL_DYNAMODB=" + endpoint,
                               DDBMAP_CLI_PATH};
    v.insert(v.end(), args.begin(), args.end());
    const std::string err = (dir_ / "child_err").string();
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int in = ::open("/dev/null", O_RDONLY);
      const int out = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(in, 0);
      ::dup2(out, 1);
      ::dup2(out, 2);
      std::vector<char*> argv;
      for (auto& a : v) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    return pid;
  }
  // SIGKILL and reap.
  static int kill_now(pid_t pid) {
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    return status;
  }
  static ddb::Item state_of(const fs::path& p) { return ddb::item_from_plain_json(read_file(p)); }
};

std::string quoted(const fs::path& p) {
  return "'" + p.string() + "'";
}

TEST_F(CliResumeTest, AnExportKilledMidwayResumesToExactlyTheTable) {
  for (int segments : {1, 3}) {
    ddbtest::ScopedTable table(client(), "exp_kill");
    ddb::DynamoDBMapping m{table.name(), client()};
    std::vector<std::pair<ddb::Key, ddb::Item>> entries;
    std::set<std::string> all;
    for (int i = 0; i < 3000; ++i) {
      entries.emplace_back("k" + std::to_string(i), ddb::Item{{"i", i}});
      all.insert("k" + std::to_string(i));
    }
    m.update(std::move(entries));
    const fs::path out = dir_ / "out.jsonl", state = dir_ / "export.state";
    const fs::path partial = dir_ / ".out.jsonl.ddbmap-partial";
    {
      ddbtest::FaultProxy proxy(endpoint_);
      Hold hold(proxy, "Scan", 26);  // 25 pages of 100 (some per segment) pass: >= 2000 lines
      const pid_t pid = start({"export", table.name(), out.string(), "--page-size", "100",
                               "--segments", std::to_string(segments), "--resume", state.string()},
                              proxy.url());
      const bool held = hold.wait_held();
      const int status = kill_now(pid);
      hold.release();
      ASSERT_TRUE(held) << read_file(dir_ / "child_err");
      ASSERT_TRUE(WIFSIGNALED(status)) << read_file(dir_ / "child_err");
    }
    ASSERT_TRUE(fs::exists(state)) << read_file(dir_ / "child_err");
    EXPECT_FALSE(fs::exists(out)) << "an incomplete export replaced FILE";
    const ddb::Item saved = state_of(state);
    const auto lines = saved.at("lines").as<std::uint64_t>();
    EXPECT_GE(lines, 1000u);
    EXPECT_LT(lines, 3000u);
    // The state counts the lines of the partial file up to its recorded size.
    const std::string part = read_file(partial);
    const auto bytes = saved.at("bytes").as<std::uint64_t>();
    ASSERT_GE(part.size(), bytes);
    EXPECT_EQ(static_cast<std::uint64_t>(
                  std::count(part.begin(), part.begin() + static_cast<long>(bytes), '\n')),
              lines);
    // A line half written when the process died must not survive the resume.
    std::ofstream(partial, std::ios::app) << "{\"pk\":\"torn";
    const auto run = ddbmap("export " + table.name() + " " + quoted(out) + " --segments " +
                            std::to_string(segments) + " --resume " + quoted(state));
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_TRUE(contains(run.err, "resuming after " + std::to_string(lines) + " items")) << run.err;
    EXPECT_FALSE(fs::exists(state));
    EXPECT_FALSE(fs::exists(partial));
    std::multiset<std::string> keys;
    for (const auto& line : ddbtest::lines_of(read_file(out))) {
      keys.insert(ddb::item_from_plain_json(line).at("pk").as_string());
    }
    EXPECT_EQ(keys.size(), 3000u) << "segments " << segments;
    EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()), all) << "segments " << segments;
    fs::remove(out);
  }
}

// SIGTERM while a page request is held: the export saves the token of its last line and exits
// 130; the next run continues from there.
TEST_F(CliResumeTest, AnInterruptedExportSavesItsPlaceAndResumes) {
  ddbtest::ScopedTable table(client(), "exp_int");
  ddb::DynamoDBMapping m{table.name(), client()};
  std::vector<std::pair<ddb::Key, ddb::Item>> entries;
  for (int i = 0; i < 500; ++i) entries.emplace_back("k" + std::to_string(i), ddb::Item{{"i", i}});
  m.update(std::move(entries));
  const fs::path out = dir_ / "out.jsonl", state = dir_ / "export.state";
  {
    ddbtest::FaultProxy proxy(endpoint_);
    Hold hold(proxy, "Scan", 4);  // 3 pages of 50 pass, fewer than the first checkpoint
    const pid_t pid = start(
        {"export", table.name(), out.string(), "--page-size", "50", "--resume", state.string()},
        proxy.url());
    const bool held = hold.wait_held();
    ::kill(pid, SIGTERM);
    int status = 0;
    ::waitpid(pid, &status, 0);
    hold.release();
    ASSERT_TRUE(held);
    ASSERT_TRUE(WIFEXITED(status)) << read_file(dir_ / "child_err");
    EXPECT_EQ(WEXITSTATUS(status), 130) << read_file(dir_ / "child_err");
    EXPECT_TRUE(contains(read_file(dir_ / "child_err"), "--resume"))
        << read_file(dir_ / "child_err");
  }
  ASSERT_TRUE(fs::exists(state));
  const auto lines = state_of(state).at("lines").as<std::uint64_t>();
  EXPECT_GE(lines, 100u);  // at least the two pages before the prefetched one
  EXPECT_LE(lines, 150u);
  const auto run =
      ddbmap("export " + table.name() + " " + quoted(out) + " --resume " + quoted(state));
  ASSERT_EQ(run.status, 0) << run.err;
  std::set<std::string> keys;
  std::size_t n = 0;
  for (const auto& line : ddbtest::lines_of(read_file(out))) {
    keys.insert(ddb::item_from_plain_json(line).at("pk").as_string());
    ++n;
  }
  EXPECT_EQ(n, 500u);
  EXPECT_EQ(keys.size(), 500u);
}

TEST_F(CliResumeTest, AnImportKilledMidwayResumesToExactlyTheFile) {
  ddbtest::ScopedTable table(client(), "imp_kill");
  std::string text;
  for (int i = 0; i < 1000; ++i) {
    text += "{\"pk\":\"k" + std::to_string(i) + "\",\"i\":" + std::to_string(i) + "}\n";
  }
  const fs::path in = write("in.jsonl", text), state = dir_ / "import.state";
  {
    ddbtest::FaultProxy proxy(endpoint_);
    // Each block of 100 lines is 4 BatchWriteItem requests: the 9th is in the third block.
    Hold hold(proxy, "BatchWriteItem", 9);
    const pid_t pid =
        start({"import", table.name(), in.string(), "--resume", state.string()}, proxy.url());
    const bool held = hold.wait_held();
    const int status = kill_now(pid);
    hold.release();
    ASSERT_TRUE(held) << read_file(dir_ / "child_err");
    ASSERT_TRUE(WIFSIGNALED(status));
  }
  ASSERT_TRUE(fs::exists(state));
  EXPECT_EQ(state_of(state).at("line").as<std::uint64_t>(), 200u);
  const auto run =
      ddbmap("import " + table.name() + " " + quoted(in) + " --resume " + quoted(state));
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(contains(run.err, "resuming after line 200")) << run.err;
  EXPECT_TRUE(contains(run.err, "imported 800 items")) << run.err;
  EXPECT_FALSE(fs::exists(state));
  ddb::DynamoDBMapping m{table.name(), client()};
  std::set<std::string> found;
  for (const auto& item : m.values()) {
    const std::string k = item.at("pk").as_string();
    EXPECT_EQ("k" + std::to_string(item.at("i").as<int>()), k);
    found.insert(k);
  }
  EXPECT_EQ(found.size(), 1000u);
}

// A batch refused in the middle of the file: the state holds the end of the longest prefix of
// lines all written, which stops before the first line of the refused request; the next run
// starts there and the table ends up exactly the file.
TEST_F(CliResumeTest, AFailedBatchAcknowledgesTheLongestWrittenPrefix) {
  ddbtest::ScopedTable table(client(), "imp_fail");
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text += "{\"pk\":\"k" + std::to_string(i) + "\",\"i\":" + std::to_string(i) + "}\n";
  }
  const fs::path in = write("in.jsonl", text), state = dir_ / "import.state";
  {
    ddbtest::FaultProxy proxy(endpoint_);
    // The request carrying line 131 (k130) is refused, with nothing applied.
    proxy.always("BatchWriteItem", [&proxy](const ddbtest::HttpRequest& r) {
      if (contains(r.body, "\"k130\"")) {
        return ddbtest::Action::respond(
            {400,
             {},
             R"({"__type":"com.amazon.coral.validate#ValidationException","message":"no"})"});
      }
      return ddbtest::Action::respond(ddbtest::forward(proxy.upstream(), r));
    });
    const auto run =
        shell("$DDBMAP import " + table.name() + " " + quoted(in) + " --resume " + quoted(state),
              proxy.url());
    EXPECT_EQ(run.status, 4) << run.err;
    EXPECT_TRUE(contains(run.err, "--resume")) << run.err;
  }
  ASSERT_TRUE(fs::exists(state));
  const auto acked = state_of(state).at("line").as<std::uint64_t>();
  EXPECT_GE(acked, 100u);
  EXPECT_LT(acked, 131u);
  ddb::DynamoDBMapping m{table.name(), client()};
  for (std::uint64_t line = 1; line <= acked; ++line) {
    EXPECT_TRUE(m.contains("k" + std::to_string(line - 1))) << "line " << line;
  }
  EXPECT_FALSE(m.contains("k130"));
  const auto run =
      ddbmap("import " + table.name() + " " + quoted(in) + " --resume " + quoted(state));
  ASSERT_EQ(run.status, 0) << run.err;
  EXPECT_TRUE(contains(run.err, "resuming after line " + std::to_string(acked))) << run.err;
  EXPECT_TRUE(contains(run.err, "imported " + std::to_string(300 - acked) + " items")) << run.err;
  EXPECT_EQ(m.count(), 300u);
}

TEST_F(CliResumeTest, AStateOfAnotherRunIsRefused) {
  ddbtest::ScopedTable table(client(), "state_other");
  const fs::path in = write("in.jsonl", "{\"pk\":\"a\"}\n"), state = dir_ / "s.state";
  std::ofstream(state) << R"({"kind":"ddbmap import state 1","table":"another","file":"x",)"
                       << R"("format":"plain","line":3})" << '\n';
  auto run = ddbmap("import " + table.name() + " " + quoted(in) + " --resume " + quoted(state));
  EXPECT_EQ(run.status, 2) << run.err;
  EXPECT_TRUE(contains(run.err, "another run")) << run.err;
  std::ofstream(state, std::ios::trunc) << "not json\n";
  run = ddbmap("export " + table.name() + " " + quoted(dir_ / "o.jsonl") + " --resume " +
               quoted(state));
  EXPECT_EQ(run.status, 2) << run.err;
  run = ddbmap("export " + table.name() + " - --resume " + quoted(dir_ / "x.state"));
  EXPECT_EQ(run.status, 2) << run.err;
}

}  // namespace
