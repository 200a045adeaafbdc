// Every Error out of a Client call names the operation and, when the request concerns one table,
// that table; errors built from other errors keep the request ids the server gave. Against the
// test server, with a proxy on 127.0.0.1 where an answer has to be lost or broken.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <utility>

#include "dynamodb_mapping/client.hpp"
#include "support/fault_proxy.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::Action;
using ddbtest::HttpReply;
using ddbtest::HttpRequest;

namespace {

// Runs `call`, which must throw an Error, and checks the context that error carries.
void expect_context(const std::function<void()>& call, const std::string& operation,
                    const std::string& table) {
  try {
    call();
    ADD_FAILURE() << operation << ": no exception";
  } catch (const ddb::Error& e) {
    EXPECT_EQ(e.operation(), operation) << e.what();
    EXPECT_EQ(e.table(), table) << operation << ": " << e.what();
  }
}

class ClientErrorContext : public ddbtest::ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    direct_.emplace(ddbtest::local_config(endpoint_));
    table_.emplace(*direct_, "errctx");
    missing_ = ddbtest::unique_table_name("errctx_missing");
    proxy_.emplace(endpoint_);
  }
  void TearDown() override {
    proxy_.reset();
    table_.reset();
    direct_.reset();
  }

  // Every request of `op` that reaches the proxy gets `fault`; others pass.
  void on(const std::string& op, ddbtest::FaultProxy::Fault fault) {
    proxy_->always(op, std::move(fault));
  }

  static ddb::ClientConfig quick(ddb::ClientConfig c, int max_attempts) {
    c.max_attempts = max_attempts;
    c.retry_base_delay = std::chrono::milliseconds(1);
    c.throttling_base_delay = std::chrono::milliseconds(1);
    return c;
  }
  ddb::Client proxied(int max_attempts = 3) const { return proxy_->client(max_attempts); }
  ddb::Client& direct() { return *direct_; }
  const std::string& table() const { return table_->name(); }

  std::optional<ddb::Client> direct_;
  std::optional<ddbtest::ScopedTable> table_;
  std::string missing_;
  std::optional<ddbtest::FaultProxy> proxy_;
};

}  // namespace

TEST_F(ClientErrorContext, AServiceErrorNamesTheOperationTheTableAndTheRequest) {
  ddb::GetItemRequest g;
  g.table_name = missing_;
  g.key = {{"pk", "a"}};
  try {
    direct().get_item(g);
    FAIL() << "no exception";
  } catch (const ddb::ResourceNotFoundError& e) {
    EXPECT_EQ(e.operation(), "GetItem");
    EXPECT_EQ(e.table(), missing_);
    EXPECT_EQ(e.http_status(), 400);
    EXPECT_FALSE(e.request_id().empty());
  }

  // Every typed call that names one table, on a table that does not exist.
  auto& c = direct();
  expect_context(
      [&] {
        ddb::PutItemRequest r;
        r.table_name = missing_;
        r.item = {{"pk", "a"}};
        c.put_item(r);
      },
      "PutItem", missing_);
  expect_context(
      [&] {
        ddb::UpdateItemRequest r;
        r.table_name = missing_;
        r.key = {{"pk", "a"}};
        r.update_expression = "SET v = :v";
        r.expression_attribute_values = {{":v", 1}};
        c.update_item(r);
      },
      "UpdateItem", missing_);
  expect_context(
      [&] {
        ddb::DeleteItemRequest r;
        r.table_name = missing_;
        r.key = {{"pk", "a"}};
        c.delete_item(r);
      },
      "DeleteItem", missing_);
  expect_context(
      [&] {
        ddb::QueryRequest r;
        r.table_name = missing_;
        r.key_condition_expression = "pk = :p";
        r.expression_attribute_values = {{":p", "a"}};
        c.query(r);
      },
      "Query", missing_);
  expect_context(
      [&] {
        ddb::ScanRequest r;
        r.table_name = missing_;
        ddb::ScanPages(c, r).next();
      },
      "Scan", missing_);
  expect_context([&] { c.describe_table(missing_); }, "DescribeTable", missing_);
  expect_context([&] { c.delete_table(missing_); }, "DeleteTable", missing_);
  // dynalite has no TTL: its refusal of the operation names it as well.
  expect_context(
      [&] {
        c.update_time_to_live(missing_, {"expires", true});
      },
      "UpdateTimeToLive", missing_);
  expect_context(
      [&] {
        ddb::CreateTableRequest r;
        r.table_name = table();  // exists: ResourceInUseException
        r.key_schema = {{"pk", ddb::KeyType::Hash}};
        r.attribute_definitions = {{"pk", ddb::ScalarType::String}};
        c.create_table(r);
      },
      "CreateTable", table());
  // A refusal of the request itself (an update expression that does not parse).
  expect_context(
      [&] {
        ddb::UpdateItemRequest r;
        r.table_name = table();
        r.key = {{"pk", "a"}};
        r.update_expression = "SET = nonsense";
        c.update_item(r);
      },
      "UpdateItem", table());
}

TEST_F(ClientErrorContext, BatchesAndTransactionsNameTheTableWhenThereIsOne) {
  auto& c = direct();
  const std::string other = ddbtest::unique_table_name("errctx_other");
  expect_context(
      [&] {
        ddb::BatchWriteItemRequest r;
        r.request_items[missing_].push_back(ddb::WriteRequest::put({{"pk", "a"}}));
        r.request_items[missing_].push_back(ddb::WriteRequest::del({{"pk", "b"}}));
        c.batch_write_item(r);
      },
      "BatchWriteItem", missing_);
  expect_context(
      [&] {
        ddb::BatchGetItemRequest r;
        r.request_items[missing_].keys.push_back({{"pk", "a"}});
        c.batch_get_item(r);
      },
      "BatchGetItem", missing_);
  expect_context(
      [&] {
        ddb::BatchGetItemRequest r;
        r.request_items[missing_].keys.push_back({{"pk", "a"}});
        r.request_items[other].keys.push_back({{"pk", "a"}});
        c.batch_get_item(r);
      },
      "BatchGetItem", "");
  // dynalite has no transactions: its refusal of the operation names it as well.
  expect_context(
      [&] {
        c.transact_get_items({ddb::TransactGetItem::get(missing_, {{"pk", "a"}}),
                              ddb::TransactGetItem::get(missing_, {{"pk", "b"}})});
      },
      "TransactGetItems", missing_);
  expect_context(
      [&] {
        ddb::TransactWriteItemsRequest r;
        r.items.push_back(ddb::TransactWriteItem::put(missing_, {{"pk", "a"}}));
        r.items.push_back(ddb::TransactWriteItem::del(other, {{"pk", "a"}}));
        c.transact_write_items(r);
      },
      "TransactWriteItems", "");
}

TEST_F(ClientErrorContext, RawCallsNameTheOperationTheyWereGiven) {
  // Limit 0 is refused by the server (the least is 1).
  expect_context([&] { direct().call("ListTables", R"({"Limit":0})"); }, "ListTables", "");
  ddb::ListTablesRequest r;
  r.limit = 0;
  expect_context([&] { direct().list_tables(r); }, "ListTables", "");
}

TEST_F(ClientErrorContext, ErrorsFoundBeforeSendingNameTheCall) {
  // Stopped before the first attempt: nothing was sent.
  ddb::ClientConfig stopped = ddbtest::local_config(endpoint_);
  stopped.should_stop = [] { return true; };
  ddb::PutItemRequest p;
  p.table_name = table();
  p.item = {{"pk", "never"}};
  try {
    ddb::Client(stopped).put_item(p);
    FAIL() << "no exception";
  } catch (const ddb::CancelledError& e) {
    EXPECT_FALSE(e.request_sent());
    EXPECT_EQ(e.operation(), "PutItem");
    EXPECT_EQ(e.table(), table());
  }

  // No credentials to sign with.
  class NoCredentials : public ddb::CredentialsProvider {
   public:
    ddb::Credentials get() override { throw ddb::CredentialsError("none here"); }
  };
  ddb::ClientConfig unsigned_config = ddbtest::local_config(endpoint_);
  unsigned_config.credentials.reset();
  unsigned_config.credentials_provider = std::make_shared<NoCredentials>();
  try {
    ddb::Client(unsigned_config).describe_table(table());
    FAIL() << "no exception";
  } catch (const ddb::CredentialsError& e) {
    EXPECT_EQ(e.operation(), "DescribeTable");
    EXPECT_EQ(e.table(), table());
  }
}

TEST_F(ClientErrorContext, ANetworkErrorNamesTheOperation) {
  // A port where nothing listens any more: the connection is refused.
  std::string closed;
  {
    ddbtest::TestHttpServer gone([](const HttpRequest&) { return Action::reset(); });
    closed = gone.url();
  }
  ddb::Client client(quick(ddbtest::local_config(closed), 2));
  ddb::GetItemRequest g;
  g.table_name = table();
  g.key = {{"pk", "a"}};
  try {
    client.get_item(g);
    FAIL() << "no exception";
  } catch (const ddb::NetworkError& e) {
    EXPECT_FALSE(e.request_sent());
    EXPECT_EQ(e.operation(), "GetItem");
    EXPECT_EQ(e.table(), table());
  }
  expect_context([&] { client.call("ListTables", "{}"); }, "ListTables", "");
}

TEST_F(ClientErrorContext, AnUnreadableAnswerNamesTheOperation) {
  on("GetItem", [](const HttpRequest&) {
    return Action::respond({200, {{"Content-Type", "text/html"}}, "<html>welcome</html>"});
  });
  ddb::GetItemRequest g;
  g.table_name = table();
  g.key = {{"pk", "a"}};
  auto client = proxied();
  try {
    client.get_item(g);
    FAIL() << "no exception";
  } catch (const ddb::DecodeError& e) {
    EXPECT_EQ(e.operation(), "GetItem");
    EXPECT_EQ(e.table(), table());
  }

  // A page token handed out twice: the walk stops with ProtocolError.
  on("Scan", [](const HttpRequest&) {
    return Action::respond(
        {200,
         {{"Content-Type", "application/x-amz-json-1.0"}},
         R"({"Items":[],"Count":0,"ScannedCount":0,"LastEvaluatedKey":{"pk":{"S":"same"}}})"});
  });
  ddb::ScanRequest s;
  s.table_name = table();
  ddb::ScanPages pages(client, s);
  ASSERT_TRUE(pages.next().has_value());
  try {
    pages.next();
    FAIL() << "no exception";
  } catch (const ddb::ProtocolError& e) {
    EXPECT_EQ(e.code(), "RepeatedPageToken");
    EXPECT_EQ(e.operation(), "Scan");
    EXPECT_EQ(e.table(), table());
  }
}

TEST_F(ClientErrorContext, AnAmbiguousOutcomeNamesTheWriteAndItsTable) {
  // The server applies every put; the client never hears back.
  on("PutItem", [this](const HttpRequest& r) {
    ddbtest::forward(endpoint_, r);
    return Action::reset();
  });
  ddb::PutItemRequest p;
  p.table_name = table();
  p.item = {{"pk", "lost"}};
  try {
    proxied(2).put_item(p);
    FAIL() << "no exception";
  } catch (const ddb::AmbiguousOutcomeError& e) {
    EXPECT_EQ(e.operation(), "PutItem");
    EXPECT_EQ(e.table(), table());
    ASSERT_TRUE(e.cause());
    try {
      std::rethrow_exception(e.cause());
    } catch (const ddb::NetworkError& cause) {
      EXPECT_EQ(cause.operation(), "PutItem");
      EXPECT_EQ(cause.table(), table());
    }
  }
}

TEST_F(ClientErrorContext, AnAmbiguousOutcomeKeepsTheRequestIds) {
  // The first delete is applied but answered with a 500; the retry's condition then fails because
  // of it. The 500's request id (the attempt that may have been applied) is in the message, the
  // refusal's in the cause.
  std::atomic<bool> first{true};
  on("DeleteItem", [&](const HttpRequest& r) {
    HttpReply reply = ddbtest::forward(endpoint_, r);
    if (!first.exchange(false)) return Action::respond(reply);
    return Action::respond(
        {500,
         {{"Content-Type", "application/x-amz-json-1.0"}, {"x-amzn-RequestId", "LOST-ATTEMPT-1"}},
         R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"x"})"});
  });
  ddb::PutItemRequest p;
  p.table_name = table();
  p.item = {{"pk", "doomed"}};
  direct().put_item(p);
  ddb::DeleteItemRequest d;
  d.table_name = table();
  d.key = {{"pk", "doomed"}};
  d.condition_expression = "attribute_exists(pk)";
  try {
    proxied().delete_item(d);
    FAIL() << "no exception";
  } catch (const ddb::AmbiguousOutcomeError& e) {
    EXPECT_NE(std::string(e.what()).find("LOST-ATTEMPT-1"), std::string::npos) << e.what();
    ASSERT_TRUE(e.cause());
    try {
      std::rethrow_exception(e.cause());
    } catch (const ddb::ConditionalCheckFailedError& cause) {
      EXPECT_FALSE(cause.request_id().empty());
    }
  }

  // A conditional put returning the old item, whose lost attempt made its own condition false:
  // the put landed but the old item is unknown. The refusal that proved it stays the cause.
  on("PutItem", [this](const HttpRequest& r) {
    on("PutItem", nullptr);  // only the first is lost
    ddbtest::forward(endpoint_, r);
    return Action::reset();
  });
  ddb::PutItemRequest put;
  put.table_name = table();
  put.item = {{"pk", "fresh"}, {"v", 1}};
  put.condition_expression = "attribute_not_exists(pk)";
  put.return_values = ddb::ReturnValues::AllOld;
  try {
    proxied().put_item(put);
    FAIL() << "no exception";
  } catch (const ddb::AmbiguousOutcomeError& e) {
    EXPECT_EQ(e.operation(), "PutItem");
    ASSERT_TRUE(e.cause()) << e.what();
    try {
      std::rethrow_exception(e.cause());
    } catch (const ddb::ConditionalCheckFailedError& cause) {
      EXPECT_EQ(cause.http_status(), 400);
      EXPECT_FALSE(cause.request_id().empty());
    }
  }
}
