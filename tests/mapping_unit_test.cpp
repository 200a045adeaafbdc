// The container without a server: lifetimes of what a mapping hands out, the error tree, input
// refused before sending, and a transaction that is never committed. The client points at a
// closed port, so anything that does reach the network fails with NetworkError.
#include <gtest/gtest.h>

#include "dynamodb_mapping/dynamodb_mapping.hpp"

namespace {

namespace ddb = dynamodb_mapping;

ddb::ClientConfig closed_port() {
  ddb::ClientConfig c;
  c.region = "us-east-1";
  c.endpoint_url = "http://127.0.0.1:1";  // nothing listens on port 1
  c.credentials = ddb::Credentials{"AKIDEXAMPLE", "secret", "", {}};
  c.max_attempts = 1;
  c.connect_timeout = std::chrono::milliseconds(500);
  return c;
}

ddb::MappingOptions known_schema() {
  ddb::MappingOptions o;
  o.key_schema = {{"pk", ddb::KeyType::Hash}};
  o.key_attribute_types = {{"pk", ddb::ScalarType::String}};
  return o;
}

ddb::DynamoDBMapping temporary() {
  return ddb::DynamoDBMapping("table", closed_port(), known_schema());
}

TEST(MappingUnit, WhatAMappingHandsOutOutlivesIt) {
  // Each of these was made from a mapping that is gone by the next line; using them must be
  // safe (AddressSanitizer checks it) and reach the client, which fails to connect.
  auto items = temporary().items();
  auto keys = temporary().keys();
  auto values = temporary().values();
  auto query = temporary().query("p");
  auto ref = temporary()["k"];
  auto attribute = temporary()["k"]["a"];
  EXPECT_THROW((void)items.begin(), ddb::NetworkError);
  EXPECT_THROW((void)keys.begin(), ddb::NetworkError);
  EXPECT_THROW((void)values.begin(), ddb::NetworkError);
  EXPECT_THROW((void)query.begin(), ddb::NetworkError);
  EXPECT_THROW((void)ref.get(), ddb::NetworkError);
  EXPECT_THROW((ref = ddb::Item{{"a", 1}}), ddb::NetworkError);
  EXPECT_THROW((void)attribute.get(), ddb::NetworkError);
  auto tx = temporary().transaction();
  tx.put("k", {{"a", 1}});
  EXPECT_EQ(tx.size(), 1u);
  EXPECT_THROW(tx.commit(), ddb::NetworkError);
}

TEST(MappingUnit, CopiesAreHandlesOnOneState) {
  const ddb::DynamoDBMapping a = temporary();
  ddb::DynamoDBMapping b = a;
  ddb::DynamoDBMapping c = std::move(b);  // moving copies: b stays usable
  EXPECT_EQ(&a.client(), &b.client());
  EXPECT_EQ(&a.client(), &c.client());
  EXPECT_EQ(b.table_name(), "table");
  EXPECT_EQ(c.key_names(), std::vector<std::string>{"pk"});
}

TEST(MappingUnit, EveryErrorIsAnError) {
  ddb::DynamoDBMapping m = temporary();
  // Refused before sending: the wrong key type, a sort value the table lacks.
  try {
    (void)m.contains(42);
    ADD_FAILURE() << "no ValidationError";
  } catch (const ddb::Error& e) {
    EXPECT_EQ(e.kind(), ddb::ErrorKind::Validation);
    EXPECT_EQ(e.table(), "table");
    EXPECT_EQ(e.operation(), "");  // refused before any DynamoDB call
  }
  try {
    m.set_item("k", {{"pk", "other"}});
    ADD_FAILURE() << "no ValidationError";
  } catch (const ddb::ValidationError& e) {
    EXPECT_EQ(e.table(), "table");
  }
  EXPECT_THROW((void)m.find({"a", "b"}), ddb::ValidationError);
  // Not found and missing attributes are Errors too, with their kinds.
  const ddb::KeyError k("GetItem", "table", ddb::Key("x"));
  const ddb::Error& as_error = k;
  EXPECT_EQ(as_error.kind(), ddb::ErrorKind::KeyNotFound);
  EXPECT_EQ(as_error.operation(), "GetItem");
  EXPECT_EQ(as_error.table(), "table");
  EXPECT_EQ(as_error.message(), "no item with key \"x\" in table table");
  const ddb::Value map = ddb::Map{{"a", 1}};
  try {
    (void)map.at("b");
    ADD_FAILURE() << "no AttributeError";
  } catch (const ddb::Error& e) {
    EXPECT_EQ(e.kind(), ddb::ErrorKind::AttributeNotFound);
  }
  const ddb::BatchError b("writes to table", 1, {ddb::Key("a")}, {}, "x");
  EXPECT_EQ(static_cast<const ddb::Error&>(b).kind(), ddb::ErrorKind::Batch);
}

TEST(MappingUnit, ATransactionIsCheckedBeforeSending) {
  ddb::Transaction tx = temporary().transaction();
  EXPECT_THROW(tx.put(42, {}), ddb::ValidationError);
  EXPECT_EQ(tx.size(), 0u);
  tx.put("a", {}).erase("b");
  EXPECT_EQ(tx.size(), 2u);
  tx.abandon();
  EXPECT_EQ(tx.size(), 0u);
  // Committing nothing is refused, and sends nothing.
  EXPECT_THROW(tx.commit(), ddb::ValidationError);
  ddb::Transaction twice = temporary().transaction();
  twice.put("a", {}).erase("a");
  EXPECT_THROW(twice.commit(), ddb::ValidationError);  // one item twice; counts as committed
  // Nothing can be added to a committed or a moved-from transaction.
  EXPECT_THROW(twice.put("c", {}), ddb::ValidationError);
  ddb::Transaction moved = std::move(twice);
  EXPECT_THROW(twice.put("c", {}), ddb::ValidationError);  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(twice.size(), 0u);
}

TEST(MappingUnitDeathTest, ATransactionNeverCommittedAbortsInADebugBuild) {
#ifndef DDBMAP_CHECK_TRANSACTIONS
  GTEST_SKIP() << "the check is in Debug builds of the library only";
#else
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        ddb::Transaction tx = temporary().transaction();
        tx.put("k", {{"a", 1}});
      },
      "destroyed without commit\\(\\) or abandon\\(\\)");
  // Abandoned, or unwound by an exception: no abort.
  {
    ddb::Transaction tx = temporary().transaction();
    tx.put("k", {{"a", 1}});
    tx.abandon();
  }
  EXPECT_THROW(
      {
        ddb::Transaction tx = temporary().transaction();
        tx.put("k", {{"a", 1}});
        tx.put(42, {});  // refused: the exception unwinds through tx's destructor
      },
      ddb::ValidationError);
#endif
}

}  // namespace
