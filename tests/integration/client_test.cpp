// The typed Client against a real DynamoDB-compatible server.
#include "dynamodb_mapping/client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "support/http_server.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;

namespace {

class ClientTest : public ddbtest::ClientServerTest {
 protected:
  void put(const std::string& table, ddb::Item item) {
    ddb::PutItemRequest r;
    r.table_name = table;
    r.item = std::move(item);
    client().put_item(r);
  }
  std::optional<ddb::Item> get(const std::string& table, const std::string& pk) {
    ddb::GetItemRequest r;
    r.table_name = table;
    r.key = {{"pk", pk}};
    r.consistent_read = true;
    return client().get_item(r).item;
  }
};

}  // namespace

TEST_F(ClientTest, DescribeReportsTheKeySchema) {
  ddbtest::ScopedTable table(client(), "describe", /*with_sort_key=*/true);
  const ddb::TableDescription d = client().describe_table(table.name());
  EXPECT_EQ(d.table_name, table.name());
  EXPECT_EQ(d.table_status, "ACTIVE");
  ASSERT_EQ(d.key_schema.size(), 2u);
  EXPECT_EQ(d.key_schema[0], (ddb::KeySchemaElement{"pk", ddb::KeyType::Hash}));
  EXPECT_EQ(d.key_schema[1], (ddb::KeySchemaElement{"sk", ddb::KeyType::Range}));
  const auto tables = client().list_tables().table_names;
  EXPECT_NE(std::find(tables.begin(), tables.end(), table.name()), tables.end());
}

TEST_F(ClientTest, PutGetUpdateDelete) {
  ddbtest::ScopedTable table(client(), "crud");
  put(table.name(), {{"pk", "a"}, {"n", 1}, {"name", "x"}});
  EXPECT_EQ(get(table.name(), "a"), (ddb::Item{{"pk", "a"}, {"n", 1}, {"name", "x"}}));
  EXPECT_EQ(get(table.name(), "missing"), std::nullopt);

  ddb::UpdateItemRequest u;
  u.table_name = table.name();
  u.key = {{"pk", "a"}};
  u.update_expression = "SET #n = #n + :one, #name = :v REMOVE #gone";
  u.expression_attribute_names = {{"#n", "n"}, {"#name", "name"}, {"#gone", "gone"}};
  u.expression_attribute_values = {{":one", 1}, {":v", "y"}};
  u.return_values = ddb::ReturnValues::AllNew;
  const auto updated = client().update_item(u);
  EXPECT_EQ(updated.attributes, (ddb::Item{{"pk", "a"}, {"n", 2}, {"name", "y"}}));

  ddb::DeleteItemRequest d;
  d.table_name = table.name();
  d.key = {{"pk", "a"}};
  d.return_values = ddb::ReturnValues::AllOld;
  EXPECT_EQ(client().delete_item(d).attributes, updated.attributes);
  EXPECT_EQ(get(table.name(), "a"), std::nullopt);
}

TEST_F(ClientTest, ConditionalCheckFailureIsTyped) {
  ddbtest::ScopedTable table(client(), "cond");
  put(table.name(), {{"pk", "a"}, {"v", 1}});
  ddb::PutItemRequest r;
  r.table_name = table.name();
  r.item = {{"pk", "a"}, {"v", 2}};
  r.condition_expression = "attribute_not_exists(pk)";
  try {
    client().put_item(r);
    FAIL() << "no exception";
  } catch (const ddb::ConditionalCheckFailedError& e) {
    EXPECT_EQ(e.code(), "ConditionalCheckFailedException");
    EXPECT_EQ(e.http_status(), 400);
    EXPECT_EQ(e.item(), nullptr);
  }
  EXPECT_EQ(get(table.name(), "a")->at("v"), ddb::Value(1));  // unchanged
}

TEST_F(ClientTest, ServiceErrorsAreTypedAndNotRetried) {
  ddb::GetItemRequest r;
  r.table_name = "no_such_table_anywhere";
  r.key = {{"pk", "a"}};
  EXPECT_THROW(client().get_item(r), ddb::ResourceNotFoundError);

  ddbtest::ScopedTable table(client(), "errors");
  ddb::UpdateItemRequest u;
  u.table_name = table.name();
  u.key = {{"pk", "a"}};
  u.update_expression = "SET = nonsense";
  const auto before = client().stats();
  try {
    client().update_item(u);
    FAIL() << "no exception";
  } catch (const ddb::ValidationError& e) {
    EXPECT_EQ(e.http_status(), 400);
    EXPECT_FALSE(e.message().empty());
  }
  EXPECT_EQ(client().stats().requests - before.requests, 1u);  // no retry of a 4xx
  EXPECT_EQ(client().stats().retries, before.retries);
}

TEST_F(ClientTest, QueryAndScanPageThroughEverything) {
  ddbtest::ScopedTable table(client(), "pages", /*with_sort_key=*/true);
  for (int i = 0; i < 35; ++i) {
    char sk[8];
    std::snprintf(sk, sizeof sk, "%03d", i);
    put(table.name(), {{"pk", i % 2 ? "odd" : "even"}, {"sk", sk}, {"i", i}});
  }
  ddb::QueryRequest q;
  q.table_name = table.name();
  q.key_condition_expression = "pk = :p";
  q.expression_attribute_values = {{":p", "odd"}};
  q.projection_expression = "#i";  // the projection must hold on every page
  q.expression_attribute_names = {{"#i", "i"}};
  q.limit = 5;
  ddb::QueryPages pages(client(), q);
  std::vector<int> seen;
  int page_count = 0;
  while (auto page = pages.next()) {
    ++page_count;
    for (const auto& item : page->items) {
      EXPECT_EQ(item.size(), 1u) << "projection lost on page " << page_count;
      seen.push_back(item.at("i").as<int>());
    }
  }
  std::vector<int> expected;
  for (int i = 1; i < 35; i += 2) expected.push_back(i);
  EXPECT_EQ(seen, expected);  // in sort-key order
  EXPECT_GE(page_count, 4);

  ddb::ScanRequest s;
  s.table_name = table.name();
  s.limit = 10;
  ddb::ScanPages scan(client(), s);
  std::size_t total = 0;
  while (auto page = scan.next()) total += page->items.size();
  EXPECT_EQ(total, 35u);

  s.select = ddb::Select::Count;
  s.limit.reset();
  const ddb::Page counted = client().scan(s);
  EXPECT_EQ(counted.count, 35);
  EXPECT_TRUE(counted.items.empty());
}

TEST_F(ClientTest, BatchWriteAndBatchGet) {
  ddbtest::ScopedTable table(client(), "batch");
  ddb::BatchWriteItemRequest w;
  for (int i = 0; i < 25; ++i) {
    w.request_items[table.name()].push_back(
        ddb::WriteRequest::put({{"pk", "k" + std::to_string(i)}, {"i", i}}));
  }
  EXPECT_TRUE(client().batch_write_item(w).unprocessed_items.empty());

  ddb::BatchGetItemRequest g;
  for (int i = 0; i < 30; i += 3)
    g.request_items[table.name()].keys.push_back({{"pk", "k" + std::to_string(i)}});
  const auto got = client().batch_get_item(g);
  EXPECT_TRUE(got.unprocessed_keys.empty());
  ASSERT_EQ(got.responses.count(table.name()), 1u);
  EXPECT_EQ(got.responses.at(table.name()).size(), 9u);  // k0..k24 step 3; k27 does not exist
}

TEST_F(ClientTest, TransactionsAndTheirCancellationReasons) {
  if (ddbtest::engine() == "dynalite") GTEST_SKIP() << "dynalite has no transactions";
  ddbtest::ScopedTable table(client(), "txn");
  put(table.name(), {{"pk", "a"}, {"v", 1}});
  ddb::TransactWriteItemsRequest t;
  t.items.push_back(ddb::TransactWriteItem::put(table.name(), {{"pk", "b"}, {"v", 2}}));
  auto check = ddb::TransactWriteItem::condition_check(table.name(), {{"pk", "a"}}, "v = :two");
  check.expression_attribute_values = {{":two", 2}};
  check.return_item_on_condition_failure = true;
  t.items.push_back(check);
  try {
    client().transact_write_items(t);
    FAIL() << "no exception";
  } catch (const ddb::TransactionCanceledError& e) {
    ASSERT_EQ(e.reasons().size(), 2u);
    EXPECT_EQ(e.reasons()[0].code, "None");
    EXPECT_EQ(e.reasons()[1].code, "ConditionalCheckFailed");
    ASSERT_NE(e.reasons()[1].item, nullptr);
    EXPECT_EQ(e.reasons()[1].item->at("v"), ddb::Value(1));
  }
  EXPECT_EQ(get(table.name(), "b"), std::nullopt);  // nothing of the transaction applied

  t.items.pop_back();
  client().transact_write_items(t);
  const auto both =
      client().transact_get_items({ddb::TransactGetItem::get(table.name(), {{"pk", "a"}}),
                                   ddb::TransactGetItem::get(table.name(), {{"pk", "b"}}),
                                   ddb::TransactGetItem::get(table.name(), {{"pk", "zz"}})});
  ASSERT_EQ(both.items.size(), 3u);
  EXPECT_EQ(both.items[0]->at("v"), ddb::Value(1));
  EXPECT_EQ(both.items[1]->at("v"), ddb::Value(2));
  EXPECT_FALSE(both.items[2].has_value());
}

TEST_F(ClientTest, TimeToLive) {
  if (ddbtest::engine() == "dynalite") GTEST_SKIP() << "dynalite has no TTL";
  ddbtest::ScopedTable table(client(), "ttl");
  const auto spec = client().update_time_to_live(table.name(), {"expires", true});
  EXPECT_EQ(spec.attribute_name, "expires");
  EXPECT_TRUE(spec.enabled);
}

TEST_F(ClientTest, SequentialCallsReuseOneConnection) {
  ddbtest::ScopedTable table(client(), "keepalive");
  ddb::Client fresh(ddbtest::local_config(endpoint_));
  for (int i = 0; i < 20; ++i) {
    ddb::GetItemRequest r;
    r.table_name = table.name();
    r.key = {{"pk", "x"}};
    fresh.get_item(r);
  }
  EXPECT_EQ(fresh.stats().requests, 20u);
  EXPECT_EQ(fresh.stats().connections, 1u);
}

TEST_F(ClientTest, OneClientFromManyThreads) {
  ddbtest::ScopedTable table(client(), "threads");
  ddb::Client shared(ddbtest::local_config(endpoint_));
  constexpr int kThreads = 8, kPerThread = 40;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string pk = "t" + std::to_string(t) + "-" + std::to_string(i);
        try {
          ddb::PutItemRequest p;
          p.table_name = table.name();
          p.item = {{"pk", pk}, {"i", i}};
          shared.put_item(p);
          ddb::GetItemRequest g;
          g.table_name = table.name();
          g.key = {{"pk", pk}};
          g.consistent_read = true;
          if (shared.get_item(g).item != p.item) ++failures;
        } catch (const ddb::Error&) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(shared.stats().requests, 2u * kThreads * kPerThread);
  EXPECT_LE(shared.stats().connections, static_cast<std::uint64_t>(kThreads));
  ddb::ScanRequest s;
  s.table_name = table.name();
  s.select = ddb::Select::Count;
  EXPECT_EQ(client().scan(s).count, kThreads * kPerThread);
}

TEST_F(ClientTest, HonoursTheProxyFromTheEnvironment) {
  // A proxy that answers ListTables itself proves the request went through it.
  ddbtest::TestHttpServer proxy([](const ddbtest::HttpRequest& r) {
    const bool absolute_form = r.target.rfind("http://", 0) == 0;
    return ddbtest::Action::respond(
        {absolute_form ? 200 : 400, {}, R"({"TableNames":["seen-through-proxy"]})"});
  });
  std::map<std::string, std::string> saved;
  for (const char* name : {"http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY"}) {
    if (const char* v = std::getenv(name)) saved[name] = v;
    ::unsetenv(name);
  }
  ::setenv("http_proxy", proxy.url().c_str(), 1);
  ddb::ClientConfig c = ddbtest::local_config("http://dynamodb.invalid:8000");
  c.allow_insecure_http = true;  // plain http:// to a host that is not this machine
  const auto tables = ddb::Client(c).list_tables().table_names;
  ::unsetenv("http_proxy");
  for (const auto& [k, v] : saved) ::setenv(k.c_str(), v.c_str(), 1);
  EXPECT_EQ(tables, std::vector<std::string>{"seen-through-proxy"});
  EXPECT_EQ(proxy.requests(), 1);
}
