// Runs a test with a clean AWS environment: every AWS_* variable unset and HOME pointing at an
// empty temporary directory, so nothing of the machine's own configuration leaks in. Everything
// is restored afterwards.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

extern char** environ;

namespace ddbtest {

class CleanAwsEnv : public ::testing::Test {
 protected:
  void SetUp() override {
    for (char** e = environ; *e; ++e) {
      const std::string entry(*e);
      const auto eq = entry.find('=');
      const std::string name = entry.substr(0, eq);
      if (name.rfind("AWS_", 0) == 0 || name == "HOME") saved_[name] = entry.substr(eq + 1);
    }
    for (const auto& [name, value] : saved_) ::unsetenv(name.c_str());
    home_ = std::filesystem::path(::testing::TempDir()) /
            ("home_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(home_ / ".aws");
    set("HOME", home_.string());
    // Never reach the real instance metadata address from a test.
    set("AWS_EC2_METADATA_DISABLED", "true");
  }
  void TearDown() override {
    for (char** e = environ; *e; ++e) {
      const std::string entry(*e);
      const std::string name = entry.substr(0, entry.find('='));
      if (name.rfind("AWS_", 0) == 0) unset_later_.push_back(name);
    }
    for (const auto& name : unset_later_) ::unsetenv(name.c_str());
    for (const auto& [name, value] : saved_) ::setenv(name.c_str(), value.c_str(), 1);
    std::filesystem::remove_all(home_);
  }

  static void set(const std::string& name, const std::string& value) {
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  static void unset(const std::string& name) { ::unsetenv(name.c_str()); }

  /// Writes `content` to HOME/.aws/<name> and returns the path.
  std::string write_aws_file(const std::string& name, const std::string& content) {
    const auto path = home_ / ".aws" / name;
    std::ofstream(path) << content;
    return path.string();
  }
  std::filesystem::path home_;

 private:
  std::map<std::string, std::string> saved_;
  std::vector<std::string> unset_later_;
  static inline int counter_ = 0;
};

}  // namespace ddbtest
