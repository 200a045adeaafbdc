// A Client for the test server, and a table that lives as long as one test.
#pragma once

#include <chrono>
#include <optional>
#include <thread>

#include "dynamodb_mapping/client.hpp"
#include "support/local_server.hpp"

namespace ddbtest {

namespace ddb = dynamodb_mapping;

inline ddb::ClientConfig local_config(const std::string& endpoint) {
  ddb::ClientConfig c;
  c.endpoint_url = endpoint;
  c.region = "us-east-1";
  c.credentials = ddb::Credentials{"test", "test", "", {}};
  return c;
}

/// A test with the server and a Client for it.
class ClientServerTest : public ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    client_.emplace(local_config(endpoint_));
  }
  ddb::Client& client() { return *client_; }

 private:
  std::optional<ddb::Client> client_;
};

/// Creates a table (string partition key "pk", optional string sort key "sk") and deletes it
/// when destroyed.
class ScopedTable {
 public:
  ScopedTable(ddb::Client client, const std::string& stem, bool with_sort_key = false,
              ddb::ScalarType partition_type = ddb::ScalarType::String,
              ddb::ScalarType sort_type = ddb::ScalarType::String)
      : client_(std::move(client)), name_(unique_table_name(stem)) {
    ddb::CreateTableRequest r;
    r.table_name = name_;
    r.key_schema.push_back({"pk", ddb::KeyType::Hash});
    r.attribute_definitions.push_back({"pk", partition_type});
    if (with_sort_key) {
      r.key_schema.push_back({"sk", ddb::KeyType::Range});
      r.attribute_definitions.push_back({"sk", sort_type});
    }
    client_.create_table(r);
    // Bounded wait for ACTIVE (both local servers get there within milliseconds).
    for (int i = 0; i < 200 && client_.describe_table(name_).table_status != "ACTIVE"; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  ~ScopedTable() {
    try {
      client_.delete_table(name_);
    } catch (const ddb::Error&) {
      // Best effort: the server is stopped after the run anyway.
    }
  }
  ScopedTable(const ScopedTable&) = delete;
  ScopedTable& operator=(const ScopedTable&) = delete;
  const std::string& name() const { return name_; }

 private:
  ddb::Client client_;
  std::string name_;
};

}  // namespace ddbtest
