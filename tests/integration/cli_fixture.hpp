// What the ddbmap end-to-end tests share: a temporary directory per test, and running the
// binary against the test server with a clean AWS environment.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "support/awscli.hpp"
#include "support/test_client.hpp"

namespace ddbtest {

namespace fs = std::filesystem;

struct CliRun {
  int status = -1;
  std::string out, err;
};

inline std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class CliTest : public ddbtest::ClientServerTest {
 protected:
  void SetUp() override {
    ClientServerTest::SetUp();
    if (HasFatalFailure()) return;
    dir_ = fs::path(::testing::TempDir()) /
           ("cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string env_prefix(const std::string& endpoint = "") const {
    return "env AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1 "
           "AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent "
           "AWS_ENDPOINT_URL_DYNAMODB=" +
           (endpoint.empty() ? endpoint_ : endpoint) + " ";
  }

  // Runs ddbmap with `args` (already shell-quoted where needed); stdout and stderr are pipes.
  CliRun ddbmap(const std::string& args, const std::string& stdin_file = "") {
    const fs::path out = dir_ / "out", err = dir_ / "err";
    std::string cmd =
        env_prefix() + DDBMAP_CLI_PATH " " + args + " >" + out.string() + " 2>" + err.string();
    if (!stdin_file.empty()) cmd += " <" + stdin_file;
    const int raw = std::system(cmd.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_file(out), read_file(err)};
  }

  // Runs `script` with sh; DDBMAP stands for the binary with the test's environment.
  CliRun shell(const std::string& script, const std::string& endpoint = "") {
    const fs::path out = dir_ / "out", err = dir_ / "err";
    const std::string cmd = "DDBMAP=" + shell_quote(env_prefix(endpoint) + DDBMAP_CLI_PATH) +
                            "; export DDBMAP; sh -c " + shell_quote(script) + " >" + out.string() +
                            " 2>" + err.string();
    const int raw = std::system(cmd.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, read_file(out), read_file(err)};
  }

  fs::path write(const std::string& name, const std::string& content) {
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

  fs::path dir_;
  static inline int counter_ = 0;
};

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

}  // namespace ddbtest
