// Runs Debian's awscli (/usr/bin/aws, never a pyenv shim) against the test server: the
// independent reference client our codec is checked against.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ddbtest {

struct CommandResult {
  int status = -1;
  std::string out;
  std::string err;
};

inline std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) {
    if (c == '\'')
      q += "'\\''";
    else
      q += c;
  }
  return q + "'";
}

/// Runs `aws dynamodb <args>` with dummy credentials and no user configuration.
inline CommandResult aws_dynamodb(const std::string& endpoint,
                                  const std::vector<std::string>& args) {
  const std::string err_file = ::testing::TempDir() + "aws_stderr_" + std::to_string(::getpid());
  std::string cmd =
      "env -u AWS_PROFILE AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test "
      "AWS_DEFAULT_REGION=us-east-1 "
      "AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_PAGER= "
      "/usr/bin/aws dynamodb";
  for (const auto& a : args) cmd += " " + shell_quote(a);
  cmd += " --endpoint-url " + shell_quote(endpoint) + " --output json 2>" + shell_quote(err_file);
  CommandResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int raw = ::pclose(p);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  std::ifstream e(err_file);
  std::ostringstream es;
  es << e.rdbuf();
  r.err = es.str();
  std::remove(err_file.c_str());
  return r;
}

}  // namespace ddbtest
