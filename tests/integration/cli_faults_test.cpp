// ddbmap under faults: read errors, huge lines, full disks, broken pipes, signals while waiting,
// a fake server in front of the test server (lost answers, refusals, slow answers, a table that
// never becomes ACTIVE), hostile text; and one test per exit code. Every fault is made inside the
// test's directory or on 127.0.0.1; every wait is bounded.
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <regex>
#include <thread>

#include "dynamodb_mapping/dynamodb_mapping.hpp"
#include "integration/cli_fixture.hpp"
#include "support/http_server.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::CliRun;
using ddbtest::CliTest;
using ddbtest::contains;
using ddbtest::read_file;
namespace fs = std::filesystem;

namespace {

std::string items(int n, const std::string& stem = "k") {
  std::string lines;
  for (int i = 0; i < n; ++i) lines += "{\"pk\":\"" + stem + std::to_string(i) + "\",\"i\":1}\n";
  return lines;
}

// A child process running ddbmap, to be signalled; its stdin is `stdin_fd` (-1: /dev/null).
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& dir, int stdin_fd = -1) {
    err_ = dir / "child_err";
    pid_ = ::fork();
    if (pid_ == 0) {
      const int in = stdin_fd >= 0 ? stdin_fd : ::open("/dev/null", O_RDONLY);
      ::dup2(in, 0);
      const int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(err, 2);
      ::dup2(err, 1);
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !done_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  void signal(int signo) { ::kill(pid_, signo); }
  // The exit status, or -1 if it has not ended within `timeout` (then it is killed).
  int wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        done_ = true;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }
  std::string err() const { return read_file(err_); }

 private:
  pid_t pid_ = -1;
  bool done_ = false;
  fs::path err_;
};

class CliFaultTest : public CliTest {
 protected:
  std::vector<std::string> argv(const std::vector<std::string>& args, std::string endpoint = "") {
    std::vector<std::string> v{
        "/usr/bin/env",
        "AWS_ACCESS_KEY_ID=test",
        "AWS_SECRET_ACCESS_KEY=test",
        "AWS_REGION=us-east-1",
        "AWS_CONFIG_FILE=/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE=/nonexistent",
        "AWS_ENDPOINT_URL_DYNAMODB=" + (endpoint.empty() ? endpoint_ : endpoint),
        DDBMAP_CLI_PATH};
    v.insert(v.end(), args.begin(), args.end());
    return v;
  }
};

}  // namespace

// Finding 1: a read error is not the end of the input.
TEST_F(CliFaultTest, ADirectoryAsInputIsAReadErrorNotAnEmptyFile) {
  ddbtest::ScopedTable table(client(), "cli_dir");
  fs::create_directories(dir_ / "adir");
  const CliRun r = ddbmap("import " + table.name() + " " + (dir_ / "adir").string());
  EXPECT_EQ(r.status, 8) << r.err;
  EXPECT_TRUE(contains(r.err, "adir at line 1: Is a directory")) << r.err;
  EXPECT_TRUE(contains(r.err, "0 items written")) << r.err;
  EXPECT_TRUE(contains(r.err, "--start-line 1")) << r.err;
}

// Finding 1: a line longer than any item is refused by number, without being held in memory
// (under ulimit -v, a 1 GiB line cannot be buffered).
TEST_F(CliFaultTest, AHugeLineIsAnErrorNamingItUnderAMemoryLimit) {
  ddbtest::ScopedTable table(client(), "cli_huge");
  const fs::path file = dir_ / "huge.jsonl";
  {
    std::ofstream out(file, std::ios::binary);
    out << "{\"pk\":\"a\"}\n";
  }
  // Line 2: 1 GiB of zero bytes (a hole, so it costs no disk), then line 3.
  ASSERT_EQ(::truncate(file.c_str(), (off_t{1} << 30) + 11), 0);
  std::ofstream(file, std::ios::binary | std::ios::app) << "\n{\"pk\":\"c\"}\n";
  // AddressSanitizer reserves terabytes of address space, so no limit can be set under it.
#if defined(__SANITIZE_ADDRESS__)
  const std::string limit;
#else
  const std::string limit = "ulimit -v 700000; ";
#endif
  const std::string run = limit + "exec $DDBMAP import " + table.name() + " " + file.string();
  CliRun r = shell(run);
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_TRUE(contains(r.err, "huge.jsonl:2: line over 8 MiB")) << r.err;
  EXPECT_TRUE(contains(r.err, "1 items from the lines before it were written")) << r.err;
  r = shell(run + " --skip-bad");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "imported 2 items, skipped 1 bad lines")) << r.err;
  ddb::DynamoDBMapping m{table.name(), client()};
  EXPECT_EQ(m.count(), 2u);
}

// Finding 3: every write checked, at once.
TEST_F(CliFaultTest, WritingToAFullDeviceFails) {
  ddbtest::ScopedTable table(client(), "cli_full");
  ddb::DynamoDBMapping m{table.name(), client()};
  std::vector<std::pair<ddb::Key, ddb::Item>> many;
  for (int i = 0; i < 2000; ++i) many.push_back({"k" + std::to_string(i), {{"i", i}}});
  m.update(many);
  for (const std::string& cmd :
       {"get " + table.name() + " k1", "len " + table.name(), "ls " + table.name(),
        "scan " + table.name() + " --keys-only", "export " + table.name() + " -"}) {
    const CliRun r = shell("$DDBMAP " + cmd + " >/dev/full");
    EXPECT_EQ(r.status, 8) << cmd << ": " << r.err;
    EXPECT_TRUE(contains(r.err, "cannot write standard output: No space left on device"))
        << cmd << ": " << r.err;
  }
  const CliRun r = ddbmap("export " + table.name() + " /dev/full");
  EXPECT_EQ(r.status, 8) << r.err;
  EXPECT_TRUE(contains(r.err, "cannot write /dev/full: No space left on device")) << r.err;
}

// Finding 3: a reader that goes away ends ls quietly, as for standard tools (141 = 128+SIGPIPE).
TEST_F(CliFaultTest, ABrokenPipeEndsQuietly) {
  ddbtest::ScopedTable table(client(), "cli_pipe");
  ddb::DynamoDBMapping m{table.name(), client()};
  std::vector<std::pair<ddb::Key, ddb::Item>> many;
  // More than the 64 KiB ddbmap buffers, and than a pipe holds: a write after head is gone.
  for (int i = 0; i < 8000; ++i) many.push_back({"k" + std::to_string(i), {{"i", i}}});
  m.update(many);
  // bash reports the status of the first command of the pipe in PIPESTATUS.
  const CliRun r =
      shell("bash -c '$DDBMAP ls " + table.name() + " 2>" + (dir_ / "ls_err").string() +
            " | head -1 >/dev/null; echo ${PIPESTATUS[0]}'");
  EXPECT_EQ(r.out, "141\n") << r.err;
  EXPECT_EQ(read_file(dir_ / "ls_err"), "");
}

// Finding 2: a failed export leaves the old file as it was, and no temporary file behind.
TEST_F(CliFaultTest, AFailedExportLeavesTheOldFileUntouched) {
  const fs::path out = write("keep.jsonl", "{\"old\":1}\n");
  CliRun r = ddbmap("export no_such_table_here " + out.string());
  EXPECT_EQ(r.status, 6) << r.err;
  EXPECT_EQ(read_file(out), "{\"old\":1}\n");
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_FALSE(contains(e.path().filename().string(), "ddbmap-")) << e.path();
  }
  // A successful one replaces it, with the old file's permissions.
  ddbtest::ScopedTable table(client(), "cli_keep");
  ddb::DynamoDBMapping m{table.name(), client()};
  m["a"] = ddb::Item{{"v", 1}};
  fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write);
  r = ddbmap("export " + table.name() + " " + out.string());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(out), "{\"pk\":\"a\",\"v\":1}\n");
  EXPECT_EQ(fs::status(out).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
}

// Findings 2 and 3: an export that cannot be written whole (here a file size limit, EFBIG, as
// a full disk would give ENOSPC) stops at once and leaves the old file as it was.
TEST_F(CliFaultTest, AnExportThatRunsOutOfSpaceKeepsTheOldFile) {
  ddbtest::ScopedTable table(client(), "cli_efbig");
  ddb::DynamoDBMapping m{table.name(), client()};
  std::vector<std::pair<ddb::Key, ddb::Item>> many;
  for (int i = 0; i < 4000; ++i) many.push_back({"k" + std::to_string(i), {{"i", i}}});
  m.update(many);
  const fs::path out = write("old.jsonl", "{\"old\":1}\n");
  // SIGXFSZ ignored (inherited through exec): writes past the limit fail with EFBIG.
  const CliRun r =
      shell("trap '' XFSZ; ulimit -f 40; exec $DDBMAP export " + table.name() + " " + out.string());
  EXPECT_EQ(r.status, 8) << r.err;
  EXPECT_TRUE(contains(r.err, "cannot write " + out.string() + ": File too large")) << r.err;
  EXPECT_EQ(read_file(out), "{\"old\":1}\n");
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_FALSE(contains(e.path().filename().string(), "ddbmap-")) << e.path();
  }
}

// Finding 2: an interrupted export is incomplete: the old file stays, the temporary one goes.
TEST_F(CliFaultTest, AnInterruptedExportKeepsTheOldFile) {
  ddbtest::ScopedTable table(client(), "cli_exp_int");
  ddb::DynamoDBMapping m{table.name(), client()};
  m["a"] = ddb::Item{{"v", 1}};
  const std::string upstream = endpoint_;
  ddbtest::TestHttpServer slow([&](const ddbtest::HttpRequest& r) {
    ddbtest::Action a = ddbtest::Action::respond(ddbtest::forward(upstream, r));
    if (contains(r.body, "ExclusiveStartKey") || contains(r.body, "TableName")) {
      a.delay = std::chrono::milliseconds(2000);
    }
    return a;
  });
  const fs::path out = write("old.jsonl", "{\"old\":1}\n");
  Child c(argv({"export", table.name(), out.string()}, slow.url()), dir_);
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  c.signal(SIGTERM);
  EXPECT_EQ(c.wait(std::chrono::seconds(20)), 130) << c.err();
  EXPECT_TRUE(contains(c.err(), "left as it was")) << c.err();
  EXPECT_EQ(read_file(out), "{\"old\":1}\n");
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_FALSE(contains(e.path().filename().string(), "ddbmap-")) << e.path();
  }
  // A second signal ends it at once (killed by the signal), and still removes the temporary file.
  Child again(argv({"export", table.name(), out.string()}, slow.url()), dir_);
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  again.signal(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  again.signal(SIGTERM);
  EXPECT_EQ(again.wait(std::chrono::seconds(5)), 128 + SIGTERM) << again.err();
  EXPECT_EQ(read_file(out), "{\"old\":1}\n");
  for (const auto& e : fs::directory_iterator(dir_)) {
    EXPECT_FALSE(contains(e.path().filename().string(), "ddbmap-")) << e.path();
  }
}

// Finding 5: a signal is honoured while import waits on a FIFO nobody writes to, or an idle pipe.
TEST_F(CliFaultTest, SignalsAreHonouredWhileWaitingForInput) {
  ddbtest::ScopedTable table(client(), "cli_sig");
  const fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  {
    Child c(argv({"import", table.name(), fifo.string()}), dir_);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    c.signal(SIGTERM);
    EXPECT_EQ(c.wait(std::chrono::seconds(5)), 130) << c.err();
    EXPECT_TRUE(contains(c.err(), "interrupted after line 0: 0 items written")) << c.err();
  }
  // Standard input is a pipe with lines already written, then nothing: SIGINT.
  int p[2];
  ASSERT_EQ(::pipe(p), 0);
  const std::string lines = items(3);
  ASSERT_EQ(::write(p[1], lines.data(), lines.size()), static_cast<ssize_t>(lines.size()));
  {
    Child c(argv({"import", table.name(), "-"}), dir_, p[0]);
    // Signal it once it has drained the pipe (it has read the three lines and waits for more),
    // not after a guessed time from its start, which a loaded machine may not honour (bounded:
    // 60 s), and a moment more for it to take the lines in.
    int unread = 1;
    for (int i = 0; i < 600 && ::ioctl(p[0], FIONREAD, &unread) == 0 && unread > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_EQ(unread, 0) << "the import never read its input";
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    c.signal(SIGINT);
    EXPECT_EQ(c.wait(std::chrono::seconds(5)), 130) << c.err();
    EXPECT_TRUE(contains(c.err(), "interrupted after line 3: 3 items written")) << c.err();
    EXPECT_TRUE(contains(c.err(), "--start-line 4")) << c.err();
  }
  ::close(p[0]);
  ::close(p[1]);
  ddb::DynamoDBMapping m{table.name(), client()};
  EXPECT_EQ(m.count(), 3u);
}

// Finding 5: a signal during slow writes is seen between rounds of requests, within about a
// second, and the counts are exact.
TEST_F(CliFaultTest, SignalsAreHonouredBetweenSlowWrites) {
  ddbtest::ScopedTable table(client(), "cli_slow");
  const std::string upstream = endpoint_;
  ddbtest::TestHttpServer slow([&](const ddbtest::HttpRequest& r) {
    ddbtest::Action a = ddbtest::Action::respond(ddbtest::forward(upstream, r));
    if (contains(r.body, "RequestItems")) a.delay = std::chrono::milliseconds(1000);
    return a;
  });
  const fs::path file = write("in.jsonl", items(3000));
  Child c(argv({"import", table.name(), file.string()}, slow.url()), dir_);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  c.signal(SIGINT);
  const auto signalled = std::chrono::steady_clock::now();
  EXPECT_EQ(c.wait(std::chrono::seconds(20)), 130) << c.err();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::milliseconds(2500));
  std::smatch m;
  const std::string err = c.err();
  ddb::DynamoDBMapping mapping{table.name(), client()};
  if (std::regex_search(err, m,
                        std::regex(R"(interrupted after line (\d+): (\d+) items written.*)"
                                   R"(--start-line (\d+))"))) {
    // The round in flight finished within the grace second: every count is exact.
    EXPECT_EQ(std::stoul(m[1]), std::stoul(m[2]));
    EXPECT_EQ(std::stoul(m[3]), std::stoul(m[1]) + 1);
    EXPECT_EQ(mapping.count(), std::stoul(m[2]));
  } else {
    // On a slow machine the round in flight outlasts the grace second and is cut off: its
    // writes are reported as of unknown outcome, never as done or failed, and the table holds
    // the ones reported written plus at most the unknown ones.
    ASSERT_TRUE(std::regex_search(
        err, m,
        std::regex(R"(stopped at line \d+ of [^:]*: (\d+) items written; of lines \d+ to \d+, )"
                   R"(0 items were certainly not written and (\d+) may or may not have been)"
                   R"([\s\S]*--start-line (\d+))")))
        << err;
    const std::size_t written = std::stoul(m[1]), unknown = std::stoul(m[2]);
    EXPECT_EQ(std::stoul(m[3]), written + 1);
    const std::size_t stored = mapping.count();
    EXPECT_GE(stored, written);
    EXPECT_LE(stored, written + unknown);
  }
}

// A signal while the library itself waits (here for an answer that does not come; the same
// holds for a retry back-off) is heard there too, through ClientConfig::should_stop, instead of
// after the read timeout. The batch in flight may have landed: its items are counted as unknown.
TEST_F(CliFaultTest, SignalsAreHonouredWhileTheLibraryWaits) {
  ddbtest::ScopedTable table(client(), "cli_wait");
  const std::string upstream = endpoint_;
  ddbtest::TestHttpServer stuck([&](const ddbtest::HttpRequest& r) {
    ddbtest::Action a = ddbtest::Action::respond(ddbtest::forward(upstream, r));
    if (contains(r.body, "RequestItems")) a.delay = std::chrono::milliseconds(30000);
    return a;
  });
  const fs::path file = write("in.jsonl", items(50));
  Child c(argv({"import", table.name(), file.string()}, stuck.url()), dir_);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  c.signal(SIGINT);
  const auto signalled = std::chrono::steady_clock::now();
  EXPECT_EQ(c.wait(std::chrono::seconds(40)), 130) << c.err();
  EXPECT_LT(std::chrono::steady_clock::now() - signalled, std::chrono::milliseconds(2500))
      << c.err();
  EXPECT_TRUE(contains(c.err(), "may or may not have been")) << c.err();
}

// Finding 9: bad input gets one message with file, line and attribute path; a BOM is accepted.
TEST_F(CliFaultTest, BadInputMessagesNameFileLineAndPath) {
  ddbtest::ScopedTable table(client(), "cli_input");
  const std::string t = table.name();
  CliRun r =
      ddbmap("import " + t + " " + write("bom.jsonl", "\xEF\xBB\xBF{\"pk\":\"a\"}\n").string());
  EXPECT_EQ(r.status, 0) << r.err;
  const std::vector<std::pair<std::string, std::string>> cases{
      {"{\"pk\":\"a\"}\n{\"pk\":\"b\"} x\n", "trailing.jsonl:2: "},
      {"{\"pk\":{\"S\":\"b\"},\"m\":{\"M\":{\"bin\":{\"B\":\"!!\"}}}}\n", "wire.jsonl:1: "},
      {"{\"pk\":\"a\",\"pk\":\"b\"}\n", "dup.jsonl:1: "},
  };
  for (const auto& [content, where] : cases) {
    const std::string name = where.substr(0, where.find(':'));
    r = ddbmap("import " + t + " " + write(name, content).string() +
               (name == "wire.jsonl" ? " --wire" : ""));
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_TRUE(contains(r.err, where)) << where << ": " << r.err;
  }
  EXPECT_TRUE(contains(r.err, "pk")) << r.err;  // the duplicated name
  r = ddbmap("import " + t + " " + (dir_ / "wire.jsonl").string() + " --wire");
  EXPECT_TRUE(contains(r.err, "m.bin")) << r.err;  // the attribute path
  r = ddbmap("ls " + t + " --limit lots");
  EXPECT_EQ(r.status, 2);
  EXPECT_TRUE(contains(r.err, "--limit")) << r.err;
  // --skip-bad: an item DynamoDB would refuse (an empty nested name) is skipped by its number.
  r = ddbmap(
      "import " + t + " --skip-bad " +
      write("skip.jsonl", "{\"pk\":\"s1\"}\n{\"pk\":\"s2\",\"m\":{\"\":1}}\n{\"pk\":\"s3\"}\n")
          .string());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(contains(r.err, "line 2 skipped")) << r.err;
  ddb::DynamoDBMapping m{t, client()};
  EXPECT_TRUE(m.contains("s3"));
  EXPECT_FALSE(m.contains("s2"));
}

// Finding 6: text from the user or a server is escaped and capped before it reaches a terminal.
TEST_F(CliFaultTest, HostileTextIsEscapedAndCapped) {
  ddbtest::ScopedTable table(client(), "cli_text");
  CliRun r = ddbmap("get " + table.name() + " \"$(printf 'a\\033]0;owned\\007')\"");
  EXPECT_EQ(r.status, 1);
  EXPECT_FALSE(contains(r.err, "\x1b")) << r.err;
  EXPECT_TRUE(contains(r.err, "\\x1B]0;owned\\x07")) << r.err;
  ddbtest::TestHttpServer fake([](const ddbtest::HttpRequest&) {
    ddbtest::HttpReply reply;
    reply.status = 400;
    reply.body = "{\"__type\":\"com.amazonaws#ValidationException\",\"message\":\"\\u001b[2J" +
                 std::string(200000, 'x') + "\"}";
    return ddbtest::Action::respond(reply);
  });
  r = shell("$DDBMAP get " + table.name() + " a", fake.url());
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_FALSE(contains(r.err, "\x1b")) << r.err;
  EXPECT_LT(r.err.size(), 4000u);
}
