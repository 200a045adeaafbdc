// ddbmap end to end: commands and exit codes, JSON Lines import/export round trips with awscli,
// malformed lines, and — through a real terminal (tmux) — the progress bar and Ctrl-C.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "dynamodb_mapping/dynamodb_mapping.hpp"
#include "integration/cli_fixture.hpp"
#include "support/awscli.hpp"
#include "support/http_server.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;
namespace fs = std::filesystem;

using ddbtest::CliRun;
using ddbtest::CliTest;
using ddbtest::lines_of;
using ddbtest::read_file;

TEST_F(CliTest, CommandsAndExitCodes) {
  ddbtest::ScopedTable table(client(), "cli");
  const std::string t = table.name();
  EXPECT_EQ(ddbmap("put " + t + " a '{\"n\":1,\"name\":\"x\"}'").status, 0);
  CliRun r = ddbmap("get " + t + " a");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "{\"n\":1,\"name\":\"x\",\"pk\":\"a\"}\n");
  EXPECT_EQ(ddbmap("get " + t + " nope").status, 1);
  EXPECT_EQ(ddbmap("set " + t + " a n '[1, {\"deep\": true}]'").status, 0);
  EXPECT_EQ(
      ddbmap("get " + t + " a --wire").out,
      "{\"n\":{\"L\":[{\"N\":\"1\"},{\"M\":{\"deep\":{\"BOOL\":true}}}]},\"name\":{\"S\":\"x\"},"
      "\"pk\":{\"S\":\"a\"}}\n");
  EXPECT_EQ(ddbmap("set " + t + " nope n 1").status, 1);  // only existing items
  EXPECT_EQ(ddbmap("put " + t + " b '{\"tags\":{\"SS\":[\"p\",\"q\"]}}' --wire").status, 0);
  EXPECT_EQ(ddbmap("len " + t + " --exact").out, "2\n");
  const auto keys = lines_of(ddbmap("ls " + t + " --keys-only").out);
  EXPECT_EQ(std::set<std::string>(keys.begin(), keys.end()),
            (std::set<std::string>{"{\"pk\":\"a\"}", "{\"pk\":\"b\"}"}));
  EXPECT_EQ(lines_of(ddbmap("ls " + t + " --limit 1").out).size(), 1u);
  EXPECT_EQ(ddbmap("del " + t + " a").status, 0);
  EXPECT_EQ(ddbmap("del " + t + " a").status, 1);

  // Usage and invalid input: 2, before any request.
  EXPECT_EQ(ddbmap("get").status, 2);
  EXPECT_EQ(ddbmap("frobnicate " + t).status, 2);
  EXPECT_EQ(ddbmap("put " + t + " a '{not json'").status, 2);
  EXPECT_EQ(ddbmap("put " + t + " a '{\"s\":{\"SS\":[]}}' --wire").status, 2);  // empty set
  // DynamoDB refused: 6, with code and message.
  r = ddbmap("get no_such_table_here a");
  EXPECT_EQ(r.status, 6);
  EXPECT_NE(r.err.find("ResourceNotFoundException"), std::string::npos) << r.err;
  // Network: 5.
  r = ddbmap("--endpoint-url http://127.0.0.1:1 get " + t + " a");
  EXPECT_EQ(r.status, 5);
  EXPECT_NE(r.err.find("network"), std::string::npos) << r.err;
  // Help is complete: every subcommand is listed, and each has its own help.
  r = ddbmap("--help");
  EXPECT_EQ(r.status, 0);
  for (const char* sub : {"get", "put", "set", "del", "ls", "len", "import", "export",
                          "create-table", "delete-table"}) {
    EXPECT_NE(r.out.find(sub), std::string::npos) << sub;
    EXPECT_EQ(ddbmap(std::string(sub) + " --help").status, 0) << sub;
  }
}

TEST_F(CliTest, CompositeAndNumberKeys) {
  ddbtest::ScopedTable composite(client(), "cli_c", true);
  ddbtest::ScopedTable numeric(client(), "cli_n", false, ddb::ScalarType::Number);
  EXPECT_EQ(ddbmap("put " + composite.name() + " 'user\\,1,2026\\\\x' '{\"v\":1}'").status, 0);
  ddb::DynamoDBMapping c{composite.name(), client()};
  EXPECT_EQ(c.at({"user,1", "2026\\x"}).at("v"), ddb::Value(1));
  EXPECT_EQ(ddbmap("get " + composite.name() + " user,1").status, 1);  // "user" / "1"
  EXPECT_EQ(ddbmap("get " + composite.name() + " onlyone").status, 2);

  EXPECT_EQ(ddbmap("put " + numeric.name() + " 42 '{\"v\":1}' --number-key").status, 0);
  EXPECT_EQ(ddbmap("get " + numeric.name() + " 42.0").status, 0);  // the same number
  EXPECT_EQ(ddbmap("get " + numeric.name() + " forty-two").status, 2);
  EXPECT_EQ(ddbmap("get " + composite.name() + " x,y --number-key").status, 2);
}

TEST_F(CliTest, ImportByUsReadBackByAwsCliScan) {
  ddbtest::ScopedTable table(client(), "cli_import");
  std::string lines;
  for (int i = 0; i < 300; ++i) {
    lines += "{\"pk\":\"k" + std::to_string(i) + "\",\"i\":" + std::to_string(i) +
             ",\"f\":1.25,\"ok\":true,\"l\":[\"a\",null],\"m\":{\"x\":\"y\"}}\n";
    if (i == 100) lines += "\n";  // blank lines are skipped
  }
  const auto file = write("in.jsonl", lines);
  const CliRun r = ddbmap("import " + table.name() + " " + file.string());
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("imported 300 items"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("items/s"), std::string::npos) << "a progress bar on a pipe";

  const auto scan = ddbtest::aws_dynamodb(endpoint_, {"scan", "--table-name", table.name()});
  ASSERT_EQ(scan.status, 0) << scan.err;
  const ddb::Value doc = ddb::value_from_plain_json(scan.out);
  std::size_t compared = 0;
  for (const ddb::Value& wire_item : doc.at("Items").as_list()) {
    const ddb::Item item = ddb::item_from_wire_json(ddb::to_plain_json(wire_item));
    const int i = item.at("i").as<int>();
    EXPECT_EQ(item,
              ddb::item_from_plain_json(lines_of(lines)[static_cast<std::size_t>(i + (i > 100))]));
    ++compared;
  }
  EXPECT_EQ(compared, 300u);
}

TEST_F(CliTest, AwsCliWritesWeExport) {
  ddbtest::ScopedTable table(client(), "cli_export");
  std::map<std::string, std::string> written;  // pk -> wire item as awscli was given it
  for (int batch = 0; batch < 2; ++batch) {    // batch-write-item takes 25 at a time
    std::string requests;
    for (int i = batch * 20; i < batch * 20 + 20; ++i) {
      const std::string pk = "k" + std::to_string(i);
      written[pk] = "{\"pk\":{\"S\":\"" + pk + "\"},\"n\":{\"N\":\"" + std::to_string(i) +
                    ".5\"},\"b\":{\"B\":\"AAEC\"},\"ss\":{\"SS\":[\"x\",\"y\"]}}";
      requests += (requests.empty() ? "" : ",") + std::string("{\"PutRequest\":{\"Item\":") +
                  written[pk] + "}}";
    }
    const auto r = ddbtest::aws_dynamodb(
        endpoint_,
        {"batch-write-item", "--request-items", "{\"" + table.name() + "\":[" + requests + "]}"});
    ASSERT_EQ(r.status, 0) << r.err;
  }
  const auto out_file = dir_ / "out.jsonl";
  CliRun r = ddbmap("export " + table.name() + " " + out_file.string() + " --wire");
  EXPECT_EQ(r.status, 0) << r.err;
  std::size_t n = 0;
  for (const auto& line : lines_of(read_file(out_file))) {
    const ddb::Item item = ddb::item_from_wire_json(line);
    EXPECT_EQ(item, ddb::item_from_wire_json(written.at(item.at("pk").as_string())));
    ++n;
  }
  EXPECT_EQ(n, 40u);
  // To standard output on a pipe: the data and nothing else.
  r = ddbmap("export " + table.name() + " - --segments 3");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(lines_of(r.out).size(), 40u);
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, MalformedLineStopsOrIsSkipped) {
  ddbtest::ScopedTable table(client(), "cli_bad");
  const auto file = write("bad.jsonl",
                          "{\"pk\":\"a\"}\n{\"pk\":\"b\"}\n{\"pk\":\"c\",oops}\n{\"pk\":\"d\"}\n"
                          "{\"nokey\":1}\n{\"pk\":\"e\"}\n");
  CliRun r = ddbmap("import " + table.name() + " " + file.string());
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("line 3"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 items from the lines before it were written"), std::string::npos)
      << r.err;
  ddb::DynamoDBMapping m{table.name(), client()};
  EXPECT_EQ(m.count(), 2u);
  EXPECT_FALSE(m.contains("d"));  // nothing after the bad line

  r = ddbmap("import " + table.name() + " - --skip-bad", file.string());  // from stdin
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.err.find("line 3 skipped"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 5 skipped"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("imported 4 items, skipped 2 bad lines"), std::string::npos) << r.err;
  EXPECT_EQ(m.count(), 4u);
}

// Through a real terminal: tmux runs ddbmap, capture-pane reads the screen, send-keys types.
class CliTerminalTest : public CliTest {
 protected:
  void SetUp() override {
    CliTest::SetUp();
    if (HasFatalFailure()) return;
    if (ddbtest::engine() != "dynamodb-local") GTEST_SKIP() << "terminal tests run on one engine";
  }
  void TearDown() override {
    for (const auto& socket : sockets_) {
      std::system(("tmux -L " + socket + " kill-server 2>/dev/null").c_str());
    }
    CliTest::TearDown();
  }

  // Runs ddbmap in a new terminal (a tmux server of its own: a server being shut down cannot
  // take the next session with it).
  void start(const std::string& args) {
    socket_ = "ddbmap_test_" + std::to_string(::getpid()) + "_" + std::to_string(sockets_.size());
    sockets_.push_back(socket_);
    const std::string inner =
        env_prefix() + DDBMAP_CLI_PATH " " + args + "; echo EXIT=$?; sleep 600";
    const std::string cmd =
        "tmux -L " + socket_ + " new-session -d -s t -x 160 -y 20 " + ddbtest::shell_quote(inner);
    ASSERT_EQ(std::system(cmd.c_str()), 0);
  }
  std::string screen() {
    FILE* p = ::popen(("tmux -L " + socket_ + " capture-pane -p -t t").c_str(), "r");
    std::string s;
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) s.append(buf, n);
    ::pclose(p);
    return s;
  }
  // Polls the screen until `pattern` matches (bounded: 180 s), returning the screen.
  std::string wait_for(const std::regex& pattern) {
    for (int i = 0; i < 1800; ++i) {
      const std::string s = screen();
      if (std::regex_search(s, pattern)) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "screen never matched; last screen:\n" << screen();
    return {};
  }

  fs::path big_file(int items) {
    std::string lines;
    lines.reserve(static_cast<std::size_t>(items) * 90);
    for (int i = 0; i < items; ++i) {
      lines += "{\"pk\":\"item-" + std::to_string(i) + "\",\"i\":" + std::to_string(i) +
               ",\"name\":\"" + std::string(40, 'n') + "\"}\n";
    }
    return write("big.jsonl", lines);
  }

  std::string socket_;
  std::vector<std::string> sockets_;
};

TEST_F(CliTerminalTest, ProgressBarWithRateAndEtaOnATerminal) {
  ddbtest::ScopedTable table(client(), "cli_tty");
  const auto file = big_file(25000);
  start("import " + table.name() + " " + file.string());
  const std::string during =
      wait_for(std::regex(R"(import \[[#.]+\] \d+% [\d,]+ items, [\d,]+ items/s, ETA \d+:\d\d)"));
  EXPECT_FALSE(during.empty());
  const std::string done = wait_for(std::regex("EXIT=\\d+"));
  EXPECT_NE(done.find("EXIT=0"), std::string::npos) << done;
  EXPECT_NE(done.find("100% 25,000 items"), std::string::npos) << done;
  EXPECT_NE(done.find("imported 25000 items"), std::string::npos) << done;
  ddb::DynamoDBMapping m{table.name(), client()};
  EXPECT_EQ(m.count(), 25000u);

  // Export of the same 25,000 to a file shows the bar too, and the file has every item.
  const auto out = dir_ / "export.jsonl";
  start("export " + table.name() + " " + out.string());
  const std::string exported = wait_for(std::regex("EXIT=\\d+"));
  EXPECT_NE(exported.find("EXIT=0"), std::string::npos) << exported;
  EXPECT_NE(exported.find("items/s"), std::string::npos) << exported;
  EXPECT_EQ(lines_of(read_file(out)).size(), 25000u);
}

TEST_F(CliTerminalTest, CtrlCStopsCleanlyAndReportsWhatWasWritten) {
  ddbtest::ScopedTable table(client(), "cli_int");
  const auto file = big_file(100000);
  start("import " + table.name() + " " + file.string());
  wait_for(std::regex(R"([1-9][\d,]* items, )"));  // some progress first
  ASSERT_EQ(std::system(("tmux -L " + socket_ + " send-keys -t t C-c").c_str()), 0);
  const std::string s = wait_for(std::regex("EXIT=\\d+"));
  EXPECT_NE(s.find("EXIT=130"), std::string::npos) << s;
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(s, m, std::regex(R"(interrupted after line (\d+): (\d+) items written)")))
      << s;
  const std::size_t written = std::stoul(m[2]);
  EXPECT_LT(written, 100000u);
  EXPECT_GT(written, 0u);
  ddb::DynamoDBMapping mapping{table.name(), client()};
  EXPECT_EQ(mapping.count(), written);  // exactly what was reported, nothing half-done
}

TEST_F(CliTerminalTest, CreateTableShowsWhatItWaitsFor) {
  const std::string upstream = endpoint_;
  // DescribeTable says CREATING for ever (the checksum header goes with the edited body).
  ddbtest::TestHttpServer stuck([&](const ddbtest::HttpRequest& r) {
    ddbtest::HttpReply reply = ddbtest::forward(upstream, r);
    if (r.headers.count("x-amz-target") &&
        r.headers.at("x-amz-target") == "DynamoDB_20120810.DescribeTable") {
      for (auto at = reply.body.find("\"ACTIVE\""); at != std::string::npos;
           at = reply.body.find("\"ACTIVE\"")) {
        reply.body.replace(at, 8, "\"CREATING\"");
      }
      std::erase_if(reply.headers, [](const auto& h) {
        return h.first == "x-amz-crc32" || h.first == "X-Amz-Crc32";
      });
    }
    return ddbtest::Action::respond(reply);
  });
  const std::string t = ddbtest::unique_table_name("cli_tty_ct");
  start("--endpoint-url " + stuck.url() + " create-table " + t + " --wait-timeout 3");
  const std::string during =
      wait_for(std::regex("waiting for " + t + R"( to be ACTIVE \(CREATING, \d+ s\))"));
  EXPECT_FALSE(during.empty());
  const std::string done = wait_for(std::regex("EXIT=\\d+"));
  EXPECT_NE(done.find("EXIT=6"), std::string::npos) << done;
  EXPECT_NE(done.find("still CREATING after 3 s"), std::string::npos) << done;
  client().delete_table(t);
}
