// Where the integration tests find the DynamoDB-compatible server that CTest started for them
// (tests/CMakeLists.txt: a fixture per engine runs scripts/local-dynamodb.sh).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace ddbtest {

/// A line of a file the server script wrote into DDBMAP_TEST_STATE_DIR, or "".
inline std::string state_file(const char* name) {
  const char* dir = std::getenv("DDBMAP_TEST_STATE_DIR");
  if (!dir || !*dir) return {};
  std::ifstream in(std::string(dir) + "/" + name);
  std::string line;
  std::getline(in, line);
  return line;
}

/// "dynamodb-local" or "dynalite" (DDBMAP_TEST_ENGINE overrides): tests skip what an engine
/// does not support.
inline std::string engine() {
  if (const char* e = std::getenv("DDBMAP_TEST_ENGINE"); e && *e) return e;
  const std::string from_file = state_file("engine");
  return from_file.empty() ? "dynamodb-local" : from_file;
}

/// The endpoint URL, from DDBMAP_TEST_ENDPOINT or the file DDBMAP_TEST_STATE_DIR/endpoint.
/// Empty when neither is set (the caller fails the test with a hint).
inline std::string endpoint() {
  if (const char* e = std::getenv("DDBMAP_TEST_ENDPOINT"); e && *e) return e;
  return state_file("endpoint");
}

/// A base fixture for tests that need the server: fails (never skips) when there is none, so a
/// broken harness cannot pass silently.
class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    endpoint_ = endpoint();
    ASSERT_FALSE(endpoint_.empty())
        << "no test server: run through ctest, or start one with scripts/local-dynamodb.sh start "
           "and export DDBMAP_TEST_ENDPOINT=<the printed URL>";
  }
  std::string endpoint_;
};

/// A table name unique to this process and call, so tests never see each other's data.
inline std::string unique_table_name(const std::string& stem) {
  static int counter = 0;
  return "ddbmap_test_" + stem + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

}  // namespace ddbtest
