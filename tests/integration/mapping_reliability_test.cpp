// DynamoDBMapping when things go wrong or are unusual: number, binary and sort-key types,
// optimistic locking in transactions, views iterated twice, a server that loops its page tokens,
// strips key attributes or refuses part of a batch, and threads that cannot be started. Every
// loop here is bounded: a proxy that misbehaves stops doing so after a fixed number of requests.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "dynamodb_mapping/json.hpp"
#include "dynamodb_mapping/mapping.hpp"
#include "dynamodb_mapping/validate.hpp"
#include "mapping/page_source.hpp"
#include "support/http_server.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::Action;
using ddbtest::HttpReply;
using ddbtest::HttpRequest;

namespace {

class ReliabilityTest : public ddbtest::ClientServerTest {
 protected:
  // A proxy in front of the server. `before` sees each request (operation from X-Amz-Target,
  // body parsed) and may answer it itself; otherwise it goes to the server, and `edit` may
  // change the server's reply.
  using Edit = std::function<void(const std::string& operation, const ddb::Value& request,
                                  HttpReply& reply)>;
  using Before = std::function<std::optional<HttpReply>(
      const std::string& operation, const HttpRequest& raw, const ddb::Value& request)>;
  ddb::Client through_proxy(Edit edit, int max_attempts = 3, Before before = nullptr) {
    edit_ = std::move(edit);
    before_ = std::move(before);
    proxy_ = std::make_unique<ddbtest::TestHttpServer>([this](const HttpRequest& r) {
      const auto t = r.headers.find("x-amz-target");
      const std::string op = t == r.headers.end() ? "" : t->second.substr(t->second.find('.') + 1);
      const ddb::Value request = ddb::value_from_plain_json(r.body);
      if (before_) {
        if (auto mine = before_(op, r, request)) return Action::respond(*mine);
      }
      HttpReply reply = ddbtest::forward(endpoint_, r);
      if (edit_ && reply.status == 200) {
        const std::string original = reply.body;
        edit_(op, request, reply);
        if (reply.body != original) drop_checksum(reply);
      }
      return Action::respond(reply);
    });
    ddb::ClientConfig c = ddbtest::local_config(proxy_->url());
    c.max_attempts = max_attempts;
    c.retry_base_delay = std::chrono::milliseconds(1);
    c.throttling_base_delay = std::chrono::milliseconds(1);
    return ddb::Client(c);
  }

  // Sends `raw` to the server with another body.
  HttpReply forward_with_body(const HttpRequest& raw, const ddb::Value& body) {
    HttpRequest r = raw;
    r.body = ddb::to_plain_json(body);
    HttpReply reply = ddbtest::forward(endpoint_, r);
    drop_checksum(reply);
    return reply;
  }

  static HttpReply aws_error(int status, const std::string& code) {
    return {status,
            {{"Content-Type", "application/x-amz-json-1.0"}},
            R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + code +
                R"(","message":"injected by the test proxy"})"};
  }

  static void drop_checksum(HttpReply& reply) {
    reply.headers.erase(std::remove_if(reply.headers.begin(), reply.headers.end(),
                                       [](const auto& h) { return h.first == "x-amz-crc32"; }),
                        reply.headers.end());
  }

  static ddb::Value body_of(const HttpReply& reply) {
    return ddb::value_from_plain_json(reply.body);
  }
  static void set_body(HttpReply& reply, const ddb::Value& body) {
    reply.body = ddb::to_plain_json(body);
  }

  static void fill(ddb::DynamoDBMapping& m, int n, const std::string& prefix = "k") {
    std::vector<std::pair<ddb::Key, ddb::Item>> rows;
    for (int i = 0; i < n; ++i) rows.push_back({prefix + std::to_string(i), {{"i", i}}});
    m.update(rows);
  }

  std::unique_ptr<ddbtest::TestHttpServer> proxy_;
  Edit edit_;
  Before before_;
};

// Sets the mapping layer's thread budget for the scope of one test.
struct ThreadBudget {
  explicit ThreadBudget(int n) { ddb::detail::thread_budget_for_testing = n; }
  ~ThreadBudget() { ddb::detail::thread_budget_for_testing = -1; }
};

template <class R>
std::multiset<std::string> pks(const R& results) {
  std::multiset<std::string> out;
  for (const ddb::Item& item : results) out.insert(item.at("pk").as_string());
  return out;
}

std::multiset<std::string> expected_pks(int n, const std::string& prefix = "k") {
  std::multiset<std::string> out;
  for (int i = 0; i < n; ++i) out.insert(prefix + std::to_string(i));
  return out;
}

}  // namespace

// ---- key types ----

TEST_F(ReliabilityTest, QueryWithoutSortConditionOnEverySortKeyType) {
  using T = ddb::ScalarType;
  for (T sort_type : {T::String, T::Number, T::Binary}) {
    ddbtest::ScopedTable table(client(), "qtypes", true, T::String, sort_type);
    ddb::DynamoDBMapping m{table.name(), client()};
    const auto sort_value = [&](int i) {
      return sort_type == T::String   ? ddb::Value("s" + std::to_string(i))
             : sort_type == T::Number ? ddb::Value(i)
                                      : ddb::Value(ddb::Binary{std::uint8_t(i)});
    };
    for (int i = 1; i <= 3; ++i) m[{"user", sort_value(i)}] = {{"i", i}};
    m[{"other", sort_value(1)}] = {{"i", 9}};
    std::vector<int> got;
    for (const ddb::Item& item : m.query("user")) got.push_back(item.at("i").as<int>());
    EXPECT_EQ(got, (std::vector<int>{1, 2, 3})) << static_cast<int>(sort_type);
    // The partition value is still checked against its own type.
    EXPECT_THROW(m.query(7), ddb::ValidationError);
  }
}

TEST_F(ReliabilityTest, BatchKeysCompareAsDynamoDBComparesThem) {
  ddbtest::ScopedTable table(client(), "nident", false, ddb::ScalarType::Number);
  ddb::DynamoDBMapping m{table.name(), client()};
  // 1, 1.0, 1E0 and 01 are one DynamoDB number: one key, the last write wins. Sent as separate
  // keys, DynamoDB refuses the whole batch ("duplicate keys").
  m.update(std::vector<std::pair<ddb::Key, ddb::Item>>{{ddb::Number("1"), {{"v", "a"}}},
                                                       {ddb::Number("1.0"), {{"v", "b"}}},
                                                       {ddb::Number("1E0"), {{"v", "c"}}},
                                                       {ddb::Number("01"), {{"v", "d"}}},
                                                       {ddb::Number("2"), {{"v", "two"}}}});
  EXPECT_EQ(m.count(), 2u);
  EXPECT_EQ(m.at(1).at("v"), ddb::Value("d"));
  // get_many finds the item stored under 1 whatever spelling asks for it.
  const auto got = m.get_many({ddb::Number("1.0"), ddb::Number("10E-1"), 2, 3});
  ASSERT_EQ(got.size(), 4u);
  ASSERT_TRUE(got[0].has_value());
  EXPECT_EQ(got[0]->at("v"), ddb::Value("d"));
  ASSERT_TRUE(got[1].has_value());
  EXPECT_EQ(got[1]->at("v"), ddb::Value("d"));
  ASSERT_TRUE(got[2].has_value());
  EXPECT_EQ(got[2]->at("v"), ddb::Value("two"));
  EXPECT_FALSE(got[3].has_value());

  // Binary keys compare by their bytes (this part held before too: it guards the new
  // comparison, which must not mistake a prefix or a zero byte for the same key).
  ddbtest::ScopedTable binary_table(client(), "bident", false, ddb::ScalarType::Binary);
  ddb::DynamoDBMapping b{binary_table.name(), client()};
  const ddb::Binary one{0x01}, one_zero{0x01, 0x00}, zero{0x00};
  b.update(std::vector<std::pair<ddb::Key, ddb::Item>>{{one, {{"v", 1}}},
                                                       {one_zero, {{"v", 2}}},
                                                       {zero, {{"v", 3}}},
                                                       {ddb::Binary{0x01}, {{"v", 4}}}});
  EXPECT_EQ(b.count(), 3u);
  const auto bytes = b.get_many({one_zero, one, zero, ddb::Binary{0x02}});
  ASSERT_EQ(bytes.size(), 4u);
  ASSERT_TRUE(bytes[0] && bytes[1] && bytes[2]);
  EXPECT_EQ(bytes[0]->at("v"), ddb::Value(2));
  EXPECT_EQ(bytes[1]->at("v"), ddb::Value(4));
  EXPECT_EQ(bytes[2]->at("v"), ddb::Value(3));
  EXPECT_FALSE(bytes[3].has_value());
}

// ---- validation ----

TEST_F(ReliabilityTest, EmptyNestedAttributeNameIsRefusedAsTheServerDoes) {
  ddbtest::ScopedTable table(client(), "emptyname");
  const ddb::Item bad{{"pk", "x"}, {"a", ddb::Map{{"b", ddb::List{ddb::Map{{"", 1}}}}}}};
  try {
    ddb::validate_item(bad);
    FAIL() << "accepted";
  } catch (const ddb::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("a.b[0]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(ddb::validate_value(ddb::Map{{"", 1}}), ddb::ValidationError);
  // In a batch it would make the server refuse every write of the batch: refused before any.
  ddb::Client counting(ddbtest::local_config(endpoint_));
  ddb::DynamoDBMapping m{table.name(), counting};
  (void)m.key_names();
  const auto before = counting.stats().requests;
  EXPECT_THROW(m.update(std::vector<std::pair<ddb::Key, ddb::Item>>{
                   {"good", {{"v", 1}}}, {"bad", {{"a", ddb::Map{{"", 1}}}}}}),
               ddb::ValidationError);
  EXPECT_EQ(counting.stats().requests, before);
  // The check matches the server: DynamoDB Local refuses the item too (dynalite accepts it).
  if (ddbtest::engine() == "dynamodb-local") {
    ddb::PutItemRequest p;
    p.table_name = table.name();
    p.item = bad;
    EXPECT_THROW(client().put_item(p), ddb::ValidationError);
  }
}

// ---- transactions ----

TEST_F(ReliabilityTest, TransactionsDoOptimisticLockingAsSingleWritesDo) {
  if (ddbtest::engine() == "dynalite") GTEST_SKIP() << "dynalite has no transactions";
  ddbtest::ScopedTable table(client(), "txnver");
  ddb::MappingOptions options;
  options.version_attribute = "version";
  ddb::DynamoDBMapping m{table.name(), client(), options};
  // A put without a version creates: version 1, refused when the item exists.
  m.transaction().put("doc", {{"text", "first"}}).commit();
  EXPECT_EQ(m.at("doc").at("version"), ddb::Value(1));
  EXPECT_THROW(m.transaction().put("doc", {{"text", "blind"}}).commit(),
               ddb::TransactionCanceledError);
  // A put carrying the stored version succeeds and writes the next one; a stale one is refused.
  m.transaction().put("doc", {{"text", "second"}, {"version", 1}}).commit();
  EXPECT_EQ(m.at("doc"), (ddb::Item{{"pk", "doc"}, {"text", "second"}, {"version", 2}}));
  EXPECT_THROW(m.transaction().put("doc", {{"text", "stale"}, {"version", 1}}).commit(),
               ddb::TransactionCanceledError);
  EXPECT_EQ(m.at("doc").at("text"), ddb::Value("second"));
  // The single-item put agrees with what the transaction wrote.
  m.insert_or_assign("doc", {{"text", "third"}, {"version", 2}});
  EXPECT_EQ(m.at("doc").at("version"), ddb::Value(3));
  // modify bumps the version as modify_item does; it cannot set it itself.
  m.transaction().modify("doc", {{"text", "fourth"}}).commit();
  EXPECT_EQ(m.at("doc").at("version"), ddb::Value(4));
  EXPECT_THROW((void)m.transaction().modify("doc", {{"version", 9}}), ddb::ValidationError);
  EXPECT_THROW((void)m.transaction().modify("doc", {{"pk", "other"}}), ddb::ValidationError);
  // erase as the single erase: only the caller's condition.
  m.transaction().erase("doc").commit();
  EXPECT_FALSE(m.contains("doc"));
  // One item twice in a transaction is refused before sending (1 and 1.0 are one key).
  EXPECT_THROW(m.transaction().put("a", {}).erase("a").commit(), ddb::ValidationError);
}

// ---- iteration ----

TEST_F(ReliabilityTest, ResultsCanBeIteratedAgainAndSendNothingBeforeBegin) {
  ddbtest::ScopedTable table(client(), "again", true);
  ddb::Client counting(ddbtest::local_config(endpoint_));
  ddb::DynamoDBMapping m{table.name(), counting};
  std::vector<std::pair<ddb::Key, ddb::Item>> rows;
  for (int i = 0; i < 30; ++i) rows.push_back({ddb::Key("p", "s" + std::to_string(i)), {}});
  m.update(rows);
  ddb::ScanOptions small;
  small.page_size = 7;
  ddb::ScanOptions parallel = small;
  parallel.segments = 3;
  const auto before = counting.stats().requests;
  const auto keys = m.keys(small);
  const auto values = m.values(small);
  const auto items = m.items(small);
  const auto scanned = m.scan(parallel);
  const auto queried = m.query("p");
  // Nothing is sent, and no parallel-scan thread started, before begin().
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(counting.stats().requests, before);
  for (int pass = 0; pass < 2; ++pass) {
    EXPECT_EQ(std::ranges::distance(keys.begin(), keys.end()), 30) << pass;
    EXPECT_EQ(std::ranges::distance(values.begin(), values.end()), 30) << pass;
    EXPECT_EQ(std::ranges::distance(items.begin(), items.end()), 30) << pass;
    EXPECT_EQ(pks(scanned).size(), 30u) << pass;
    EXPECT_EQ(std::ranges::distance(queried.begin(), queried.end()), 30) << pass;
  }
  // Each begin() is a new walk, which sees the table as it is then.
  m[{"p", "new"}] = {};
  EXPECT_EQ(std::ranges::distance(values.begin(), values.end()), 31);
  // The iterators of one begin() share their position (input iterators).
  auto it = values.begin();
  auto copy = it;
  ++it;
  EXPECT_EQ(&*it, &*copy);
}

// ---- pagination ----

namespace {
// Scan and Query replies whose LastEvaluatedKey is replaced, for at most `limit` requests (so
// that code which does not notice still ends). `cycle`: the first token comes back after the
// second (a loop of two), else each request's own ExclusiveStartKey comes back (a loop of one).
// A walk of a single page gets a token made up here (not for a segment of a parallel scan, where
// it might not belong).
struct LoopingTokens {
  bool cycle = false;
  int limit = 40;
  std::mutex mutex;
  int requests = 0;
  std::optional<ddb::Value> first;

  static ddb::Value token(const char* sk) {
    return ddb::Map{{"pk", ddb::Map{{"S", "p"}}}, {"sk", ddb::Map{{"S", sk}}}};
  }

  void operator()(const std::string& op, const ddb::Value& request, HttpReply& reply) {
    if (op != "Scan" && op != "Query") return;
    std::lock_guard lock(mutex);
    ddb::Value body = ddb::value_from_plain_json(reply.body);
    auto& out = body.as_map();
    const auto& in = request.as_map();
    const auto start = in.find("ExclusiveStartKey");
    const bool segment = in.count("Segment") > 0;
    if (++requests > limit) {
      out.erase("LastEvaluatedKey");  // give up looping: the walk ends
    } else if (start == in.end()) {
      if (!out.count("LastEvaluatedKey") && !segment) out["LastEvaluatedKey"] = token("s3");
      if (!first && out.count("LastEvaluatedKey")) first = out.at("LastEvaluatedKey");
    } else if (!cycle) {
      out["LastEvaluatedKey"] = start->second;
    } else if (first && start->second == *first) {
      if (!out.count("LastEvaluatedKey")) out["LastEvaluatedKey"] = token("s7");
    } else if (first) {
      out["LastEvaluatedKey"] = *first;
    }
    reply.body = ddb::to_plain_json(body);
  }
};

bool repeated_token(const ddb::ProtocolError& e) {
  return e.code() == "RepeatedPageToken";
}
}  // namespace

TEST_F(ReliabilityTest, RepeatedPageTokensEndEveryWalk) {
  ddbtest::ScopedTable table(client(), "loops", true);
  {
    ddb::DynamoDBMapping direct{table.name(), client()};
    std::vector<std::pair<ddb::Key, ddb::Item>> rows;
    for (int i = 0; i < 20; ++i) rows.push_back({ddb::Key("p", "s" + std::to_string(i)), {}});
    direct.update(rows);
  }
  for (const bool cycle : {false, true}) {
    auto loops = std::make_shared<LoopingTokens>();
    loops->cycle = cycle;
    ddb::Client c = through_proxy([loops](const std::string& op, const ddb::Value& request,
                                          HttpReply& reply) { (*loops)(op, request, reply); });
    ddb::DynamoDBMapping m{table.name(), c};
    const auto reset = [&] {
      std::lock_guard lock(loops->mutex);
      loops->requests = 0;
      loops->first.reset();
    };
    const auto expect_loop_found = [&](const char* what, auto&& walk) {
      reset();
      try {
        walk();
        ADD_FAILURE() << what << " (cycle " << cycle << "): the repeated token went unnoticed";
      } catch (const ddb::ProtocolError& e) {
        EXPECT_TRUE(repeated_token(e)) << what << ": " << e.what();
      }
    };
    for (const bool prefetch : {true, false}) {
      ddb::ScanOptions o;
      o.page_size = 2;
      o.prefetch = prefetch;
      expect_loop_found("values()", [&] { (void)pks(m.values(o)); });
    }
    expect_loop_found("query()", [&] {
      ddb::QueryOptions q;
      q.page_size = 2;
      (void)pks(m.query("p", std::nullopt, q));
    });
    if (!cycle) {  // the cycle proxy follows one walk; segments are several at once
      ddb::ScanOptions o;
      o.page_size = 2;
      o.segments = 2;
      expect_loop_found("parallel scan", [&] { (void)pks(m.values(o)); });
    }
    ddb::ScanRequest r;
    r.table_name = table.name();
    r.limit = 2;
    expect_loop_found("ScanPages", [&] {
      ddb::ScanPages pages(c, r);
      while (pages.next()) {
      }
    });
    // count() and clear() walk whole pages of up to 1 MB: small pages need a Limit, which
    // they do not take, so a table of one page each is looped by the proxy on the second.
    expect_loop_found("count()", [&] { (void)m.count(); });
    expect_loop_found("clear()", [&] { m.clear(); });
  }
}

// ---- batches: exact accounts, missing key attributes ----

namespace {
ddb::Value strip_keys(const ddb::Value& items_or_requests) {
  // Removes "pk" from every item of a list, wherever it sits (an item, or a PutRequest's Item,
  // or a DeleteRequest's Key).
  ddb::List out;
  for (ddb::Value v : items_or_requests.as_list()) {
    auto& m = v.as_map();
    m.erase("pk");
    for (const char* request : {"PutRequest", "DeleteRequest"}) {
      if (m.count(request)) {
        for (auto& [name, inner] : m.at(request).as_map()) inner.as_map().erase("pk");
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}
}  // namespace

TEST_F(ReliabilityTest, BatchAnswersWithoutKeyAttributesAreProtocolErrors) {
  ddbtest::ScopedTable table(client(), "nokeys");
  // Several chunks, so that worker threads meet the bad answers, not only the caller's thread.
  ddb::DynamoDBMapping direct{table.name(), client()};
  fill(direct, 250);
  std::vector<ddb::Key> keys;
  for (int i = 0; i < 250; ++i) keys.push_back("k" + std::to_string(i));
  ddb::MappingOptions options;
  options.batch_max_rounds = 2;
  options.batch_concurrency = 3;
  const auto expect_missing_keys = [&](const char* what, auto&& call) {
    try {
      call();
      ADD_FAILURE() << what << ": no exception";
    } catch (const ddb::ProtocolError& e) {
      EXPECT_EQ(e.code(), "MissingKeyAttributes") << what << ": " << e.what();
    }
  };
  {  // BatchGetItem Responses without the key
    ddb::DynamoDBMapping m{
        table.name(), through_proxy([](const std::string& op, const ddb::Value&, HttpReply& reply) {
          if (op != "BatchGetItem") return;
          ddb::Value body = body_of(reply);
          for (auto& [t, items] : body.as_map().at("Responses").as_map()) {
            items = strip_keys(items);
          }
          set_body(reply, body);
        }),
        options};
    expect_missing_keys("Responses", [&] { (void)m.get_many(keys); });
  }
  {  // BatchGetItem UnprocessedKeys without the key
    ddb::DynamoDBMapping m{
        table.name(),
        through_proxy([](const std::string& op, const ddb::Value& request, HttpReply& reply) {
          if (op != "BatchGetItem") return;
          ddb::Value unprocessed = request.as_map().at("RequestItems");
          for (auto& [t, ka] : unprocessed.as_map()) {
            ka.as_map().at("Keys") = strip_keys(ka.as_map().at("Keys"));
          }
          set_body(reply, ddb::Map{{"Responses", ddb::Map{}}, {"UnprocessedKeys", unprocessed}});
        }),
        options};
    expect_missing_keys("UnprocessedKeys", [&] { (void)m.get_many(keys); });
  }
  {  // BatchWriteItem UnprocessedItems without the key
    ddb::DynamoDBMapping m{
        table.name(),
        through_proxy([](const std::string& op, const ddb::Value& request, HttpReply& reply) {
          if (op != "BatchWriteItem") return;
          ddb::Value unprocessed = request.as_map().at("RequestItems");
          for (auto& [t, writes] : unprocessed.as_map()) {
            writes = strip_keys(writes);
          }
          set_body(reply, ddb::Map{{"UnprocessedItems", unprocessed}});
        }),
        options};
    expect_missing_keys("UnprocessedItems", [&] { fill(m, 100, "w"); });
    expect_missing_keys("UnprocessedItems of clear()", [&] { m.clear(); });
  }
}

TEST_F(ReliabilityTest, BatchErrorCountsAreExact) {
  ddbtest::ScopedTable table(client(), "exact");
  // BatchWriteItem requests, in the order one worker sends them (batch_concurrency 1):
  // 0 goes through; 1 gets a 500 (it may have been applied: unknown); 2 writes its first 12
  // writes and returns the other 13 unprocessed, and 3 (their retry) returns them unprocessed
  // again (certainly not written); 4 is throttled (refused: certainly not written). Only what
  // goes through reaches the server.
  std::atomic<int> n{0};
  auto c =
      through_proxy(nullptr, /*max_attempts=*/1,
                    [&](const std::string& op, const HttpRequest& raw,
                        const ddb::Value& request) -> std::optional<HttpReply> {
                      if (op != "BatchWriteItem") return std::nullopt;
                      const int k = n++;
                      if (k == 1) return aws_error(500, "InternalServerError");
                      if (k == 4) return aws_error(400, "ThrottlingException");
                      if (k != 2 && k != 3) return std::nullopt;
                      ddb::Value unprocessed = request.as_map().at("RequestItems");
                      HttpReply reply{200, {{"Content-Type", "application/x-amz-json-1.0"}}, ""};
                      if (k == 2) {
                        ddb::Value head = unprocessed;
                        auto& first = head.as_map().begin()->second.as_list();
                        first.resize(12);
                        reply = forward_with_body(raw, ddb::Map{{"RequestItems", head}});
                        auto& rest = unprocessed.as_map().begin()->second.as_list();
                        rest.erase(rest.begin(), rest.begin() + 12);
                      }
                      set_body(reply, ddb::Map{{"UnprocessedItems", unprocessed}});
                      return reply;
                    });
  ddb::MappingOptions options;
  options.batch_concurrency = 1;
  options.batch_max_rounds = 2;
  ddb::DynamoDBMapping m{table.name(), c, options};
  std::vector<std::pair<ddb::Key, ddb::Item>> rows;
  for (int i = 0; i < 100; ++i) rows.push_back({"k" + std::to_string(i), {{"i", i}}});
  rows.push_back({"k99", {{"i", 99}}});  // a duplicate, counted once
  std::set<std::string> failed, unknown;
  try {
    m.update(rows);
    FAIL() << "no exception";
  } catch (const ddb::BatchError& e) {
    EXPECT_EQ(e.succeeded(), 25u + 12u);
    EXPECT_EQ(e.failed().size(), 13u + 25u);
    EXPECT_EQ(e.unknown().size(), 25u);
    EXPECT_EQ(e.keys().size(), 13u + 25u + 25u);
    EXPECT_EQ(e.total(), 100u);
    const std::string what = e.what();
    EXPECT_NE(what.find("63 of 100 writes to " + table.name() +
                        " did not complete (37 done, 38 certainly not done, 25 of unknown "
                        "outcome"),
              std::string::npos)
        << what;
    for (const auto& k : e.failed()) failed.insert(k.partition.as_string());
    for (const auto& k : e.unknown()) unknown.insert(k.partition.as_string());
  }
  EXPECT_EQ(n.load(), 5);
  // The unknown ones are those of request 1.
  std::set<std::string> want;
  for (int i = 25; i < 50; ++i) want.insert("k" + std::to_string(i));
  EXPECT_EQ(unknown, want);
  // What the table holds is exactly what the error counts as done.
  ddb::DynamoDBMapping direct{table.name(), client()};
  std::set<std::string> stored;
  for (const auto& k : direct.keys()) stored.insert(k.partition.as_string());
  EXPECT_EQ(stored.size(), 37u);
  for (const auto& k : stored) EXPECT_FALSE(failed.count(k) || unknown.count(k)) << k;
  EXPECT_EQ(stored.size() + failed.size() + unknown.size(), 100u);

  // Reads: the second BatchGetItem is throttled; its 50 keys are not read, none is unknown.
  ddbtest::ScopedTable readable(client(), "exactread");
  ddb::DynamoDBMapping filler{readable.name(), client()};
  fill(filler, 150);
  std::atomic<int> gets{0};
  auto rc = through_proxy(nullptr, 1,
                          [&](const std::string& op, const HttpRequest&,
                              const ddb::Value&) -> std::optional<HttpReply> {
                            if (op == "BatchGetItem" && gets++ == 1)
                              return aws_error(400, "ThrottlingException");
                            return std::nullopt;
                          });
  ddb::DynamoDBMapping r{readable.name(), rc, options};
  std::vector<ddb::Key> keys;
  for (int i = 0; i < 150; ++i) keys.push_back("k" + std::to_string(i));
  try {
    (void)r.get_many(keys);
    FAIL() << "no exception";
  } catch (const ddb::BatchError& e) {
    EXPECT_EQ(e.succeeded(), 100u);
    EXPECT_EQ(e.failed().size(), 50u);
    EXPECT_TRUE(e.unknown().empty());
    EXPECT_NE(std::string(e.what()).find("50 of 150 reads from"), std::string::npos) << e.what();
  }
}

// ---- threads that cannot be started ----

TEST_F(ReliabilityTest, FewerThreadsThanWantedStillDoEverythingOnce) {
  ddbtest::ScopedTable table(client(), "nothreads");
  ddb::MappingOptions options;
  options.batch_concurrency = 4;
  ddb::DynamoDBMapping m{table.name(), client(), options};
  // Each operation wants more threads than the budget lets it start (and uses it all up).
  const auto budget_used_up = [] { return ddb::detail::thread_budget_for_testing.load() == 0; };
  for (const int budget : {0, 1, 2}) {
    std::vector<std::pair<ddb::Key, ddb::Item>> rows;
    std::vector<ddb::Key> keys;
    for (int i = 0; i < 300; ++i) {
      rows.push_back({"k" + std::to_string(i), {{"b", budget}}});
      keys.push_back("k" + std::to_string(i));
    }
    {  // Batches: the calling thread does the work the others could not.
      ThreadBudget limit(budget);
      m.update(rows);
      EXPECT_TRUE(budget_used_up()) << budget;
    }
    {
      ThreadBudget limit(budget);
      const auto got = m.get_many(keys);
      EXPECT_TRUE(budget_used_up()) << budget;
      EXPECT_EQ(std::count_if(got.begin(), got.end(),
                              [&](const auto& item) { return item && item->at("b") == budget; }),
                300)
          << budget;
    }
    {  // A parallel scan of more segments than threads: every item exactly once.
      ThreadBudget limit(budget);
      ddb::ScanOptions parallel;
      parallel.segments = 5;
      parallel.page_size = 16;
      EXPECT_EQ(pks(m.values(parallel)), expected_pks(300)) << budget;
      EXPECT_TRUE(budget_used_up()) << budget;
    }
    {  // The sequential scan without (or soon without) its prefetch thread.
      ThreadBudget limit(budget);
      ddb::ScanOptions sequential;
      sequential.page_size = 16;
      EXPECT_EQ(pks(m.values(sequential)), expected_pks(300)) << budget;
      EXPECT_TRUE(budget_used_up()) << budget;
    }
  }
  ThreadBudget none(0);
  m.clear();
  EXPECT_TRUE(m.empty());
}
