// Consumed capacity (ClientConfig::track_consumed_capacity) against both engines: the totals of
// every data-plane call add up to what the same requests, sent raw with
// ReturnConsumedCapacity=INDEXES, say they consumed; per index; reset; 16 threads; nothing asked
// when off; and through the fault proxy, answers whose ConsumedCapacity is absent, malformed or
// huge never make a good write look failed and are counted as unreadable.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "dynamodb_mapping/mapping.hpp"
#include "support/fault_proxy.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;

namespace {

// What the raw answers said, summed: the totals the tracked client must arrive at.
struct Expected {
  ddb::CapacityUnits units, table;
  std::map<std::string, double> gsi, lsi;
  std::uint64_t requests = 0;
};

double number(simdjson::dom::element e) {
  double d = 0;
  if (e.get_double().get(d)) ADD_FAILURE() << "not a number: " << e;
  return d;
}

// Adds the ConsumedCapacity of a raw answer (object or array) for table `table` into `x`;
// `read`: the operation only reads. The engines report CapacityUnits only (no read/write
// split): checked here, so that a split reported one day is noticed.
void add_answer(Expected& x, const std::string& table, const std::string& answer, bool read) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_FALSE(parser.parse(answer).get(doc)) << answer;
  simdjson::dom::element cc;
  ASSERT_FALSE(doc["ConsumedCapacity"].get(cc)) << "no ConsumedCapacity in " << answer;
  std::vector<simdjson::dom::element> entries;
  if (cc.is_array()) {
    for (auto e : cc.get_array()) entries.push_back(e);
  } else {
    entries.push_back(cc);
  }
  bool counted = false;
  for (auto e : entries) {
    std::string_view name;
    ASSERT_FALSE(e["TableName"].get_string().get(name));
    if (name != table) continue;
    ASSERT_TRUE(e["ReadCapacityUnits"].error() && e["WriteCapacityUnits"].error()) << answer;
    const double total = number(e["CapacityUnits"]);
    x.units.total += total;
    (read ? x.units.read : x.units.write) += total;
    const double own = number(e["Table"]["CapacityUnits"]);
    x.table.total += own;
    (read ? x.table.read : x.table.write) += own;
    simdjson::dom::object indexes;
    if (!e["GlobalSecondaryIndexes"].get_object().get(indexes)) {
      for (auto [k, v] : indexes) x.gsi[std::string(k)] += number(v["CapacityUnits"]);
    }
    if (!e["LocalSecondaryIndexes"].get_object().get(indexes)) {
      for (auto [k, v] : indexes) x.lsi[std::string(k)] += number(v["CapacityUnits"]);
    }
    counted = true;
  }
  if (counted) ++x.requests;
}

// The totals of `t` are what the raw answers in `x` said.
void expect_totals(const ddb::TableCapacity& t, const Expected& x) {
  EXPECT_EQ(t.units, x.units);
  EXPECT_EQ(t.table, x.table);
  EXPECT_EQ(t.requests, x.requests);
  EXPECT_EQ(t.unreadable_answers, 0u);
  EXPECT_EQ(t.global_secondary_indexes.size(), x.gsi.size());
  EXPECT_EQ(t.local_secondary_indexes.size(), x.lsi.size());
  for (const auto& [name, units] : x.gsi) {
    ASSERT_TRUE(t.global_secondary_indexes.contains(name)) << name;
    EXPECT_EQ(t.global_secondary_indexes.at(name).total, units) << name;
  }
  for (const auto& [name, units] : x.lsi) {
    ASSERT_TRUE(t.local_secondary_indexes.contains(name)) << name;
    EXPECT_EQ(t.local_secondary_indexes.at(name).total, units) << name;
  }
}

std::string with_rcc(const std::string& body) {
  return body.substr(0, body.size() - 1) + R"(,"ReturnConsumedCapacity":"INDEXES"})";
}

class CapacityTest : public ddbtest::ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    direct_.emplace(ddbtest::local_config(endpoint_));
    auto c = ddbtest::local_config(endpoint_);
    c.track_consumed_capacity = true;
    tracked_.emplace(c);
  }

  // A raw call through the untracked client, with ReturnConsumedCapacity=INDEXES added; its
  // answer's capacity for `table` goes into `x`.
  void raw(Expected& x, const std::string& table, const std::string& op, const std::string& body,
           bool read) {
    const std::string answer = direct_->call(op, with_rcc(body));
    add_answer(x, table, answer, read);
  }

  void put_direct(const std::string& table, ddb::Item item) {
    ddb::PutItemRequest p;
    p.table_name = table;
    p.item = std::move(item);
    (void)direct_->put_item(p);
  }

  std::optional<ddb::Client> direct_, tracked_;
};

const std::string kPayload(1500, 'x');  // two write units' worth: 1 KB would hide rounding

}  // namespace

TEST_F(CapacityTest, SingleItemCallsAddUpToWhatTheAnswersSaid) {
  ddbtest::ScopedTable table(*direct_, "cap_single");
  const std::string& t = table.name();
  const std::string key = R"({"pk":{"S":"a"}})";
  const std::string item = R"({"pk":{"S":"a"},"v":{"S":")" + kPayload + R"("}})";
  const std::string tn = R"({"TableName":")" + t + R"(",)";
  Expected x;

  ddb::PutItemRequest put;
  put.table_name = t;
  put.item = {{"pk", "a"}, {"v", kPayload}};
  (void)tracked_->put_item(put);
  raw(x, t, "PutItem", tn + R"("Item":)" + item + "}", false);  // the same item again

  ddb::GetItemRequest get;
  get.table_name = t;
  get.key = {{"pk", "a"}};
  (void)tracked_->get_item(get);
  raw(x, t, "GetItem", tn + R"("Key":)" + key + "}", true);
  get.consistent_read = true;
  (void)tracked_->get_item(get);
  raw(x, t, "GetItem", tn + R"("Key":)" + key + R"(,"ConsistentRead":true})", true);

  ddb::UpdateItemRequest update;
  update.table_name = t;
  update.key = {{"pk", "a"}};
  update.update_expression = "SET w = :w";
  update.expression_attribute_values = {{":w", 1}};
  (void)tracked_->update_item(update);
  raw(x, t, "UpdateItem",
      tn + R"("Key":)" + key +
          R"(,"UpdateExpression":"SET w = :w","ExpressionAttributeValues":{":w":{"N":"1"}}})",
      false);

  ddb::QueryRequest query;
  query.table_name = t;
  query.key_condition_expression = "pk = :p";
  query.expression_attribute_values = {{":p", "a"}};
  (void)tracked_->query(query);
  raw(x, t, "Query",
      tn + R"("KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}})",
      true);

  ddb::ScanRequest scan;
  scan.table_name = t;
  (void)tracked_->scan(scan);
  raw(x, t, "Scan", tn.substr(0, tn.size() - 1) + "}", true);

  ddb::DeleteItemRequest del;
  del.table_name = t;
  del.key = {{"pk", "a"}};
  (void)tracked_->delete_item(del);
  put_direct(t, {{"pk", "a"}, {"v", kPayload}, {"w", 1}});  // as it was before the delete
  raw(x, t, "DeleteItem", tn + R"("Key":)" + key + "}", false);

  ASSERT_EQ(x.requests, 7u);
  EXPECT_GT(x.units.read, 0);
  EXPECT_GT(x.units.write, 0);
  expect_totals(tracked_->consumed_capacity(t), x);
  EXPECT_EQ(tracked_->consumed_capacity().answers, 7u);
  EXPECT_EQ(tracked_->consumed_capacity().unreadable_answers, 0u);
  // A mapping on the table through the same client sees the same totals.
  EXPECT_EQ(ddb::DynamoDBMapping(t, *tracked_).consumed_capacity(), tracked_->consumed_capacity(t));
}

TEST_F(CapacityTest, BatchesScansQueriesAndTransactionsThroughTheMapping) {
  ddbtest::ScopedTable table(*direct_, "cap_bulk", true);
  const std::string& t = table.name();
  ddb::DynamoDBMapping m(t, *tracked_);
  (void)m.key_names();  // the DescribeTable, which is not a data-plane call
  EXPECT_EQ(tracked_->consumed_capacity(), ddb::CapacityTotals{});

  Expected x;
  std::vector<std::pair<ddb::Key, ddb::Item>> pairs;
  std::vector<ddb::Key> keys;
  std::string batch[2];  // the raw BatchWriteItem bodies: 25 and 5 puts
  std::string raw_keys;
  for (int i = 0; i < 30; ++i) {
    const std::string sk = std::to_string(100 + i);
    pairs.emplace_back(ddb::Key{"p", sk}, ddb::Item{{"v", kPayload}});
    keys.push_back(ddb::Key{"p", sk});
    std::string& b = batch[i < 25 ? 0 : 1];
    b += std::string(b.empty() ? "" : ",") +
         R"({"PutRequest":{"Item":{"pk":{"S":"p"},"sk":{"S":")" + sk + R"("},"v":{"S":")" +
         kPayload + R"("}}}})";
    raw_keys +=
        std::string(raw_keys.empty() ? "" : ",") + R"({"pk":{"S":"p"},"sk":{"S":")" + sk + R"("}})";
  }
  m.update(pairs);  // BatchWriteItem: 25 + 5
  for (const auto& b : batch) {
    raw(x, t, "BatchWriteItem", R"({"RequestItems":{")" + t + R"(":[)" + b + "]}}", false);
  }
  (void)m.get_many(keys);  // one BatchGetItem
  raw(x, t, "BatchGetItem", R"({"RequestItems":{")" + t + R"(":{"Keys":[)" + raw_keys + "]}}}",
      true);

  std::size_t n = 0;
  for (const auto& item : m.values()) n += item.size() > 0;  // Scan pages
  EXPECT_EQ(n, 30u);
  EXPECT_EQ(m.count(), 30u);  // Select=COUNT Scan pages
  n = 0;
  for (const auto& item : m.query("p")) n += item.size() > 0;  // Query pages
  EXPECT_EQ(n, 30u);
  const std::string tn = R"({"TableName":")" + t + R"(")";
  // The raw walks, page by page as the mapping went.
  auto walk = [&](const std::string& op, const std::string& extra) {
    std::string start;
    for (int page = 0; page < 100; ++page) {
      const std::string answer = direct_->call(op, with_rcc(tn + extra + start + "}"));
      add_answer(x, t, answer, true);
      simdjson::dom::parser parser;
      simdjson::dom::element doc = parser.parse(answer);
      simdjson::dom::element last;
      if (doc["LastEvaluatedKey"].get(last)) return;
      start = R"(,"ExclusiveStartKey":)" + simdjson::minify(last);
    }
    ADD_FAILURE() << "no end to the pages";
  };
  walk("Scan", "");
  walk("Scan", R"(,"Select":"COUNT")");
  walk("Query",
       R"(,"KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"p"}})");

  if (ddbtest::engine() == "dynalite") {
    expect_totals(m.consumed_capacity(), x);
    GTEST_SKIP() << "dynalite has no transactions; batches, scans and queries checked";
  }
  m.transaction()
      .put(ddb::Key{"p", "100"}, {{"v", kPayload}})
      .put(ddb::Key{"p", "101"}, {{"v", kPayload}})
      .commit();
  raw(x, t, "TransactWriteItems",
      R"({"TransactItems":[{"Put":{"TableName":")" + t +
          R"(","Item":{"pk":{"S":"p"},"sk":{"S":"100"},"v":{"S":")" + kPayload +
          R"("}}}},{"Put":{"TableName":")" + t +
          R"(","Item":{"pk":{"S":"p"},"sk":{"S":"101"},"v":{"S":")" + kPayload + R"("}}}}]})",
      false);
  (void)m.get_transactionally({ddb::Key{"p", "100"}, ddb::Key{"p", "102"}});
  raw(x, t, "TransactGetItems",
      R"({"TransactItems":[{"Get":{"TableName":")" + t +
          R"(","Key":{"pk":{"S":"p"},"sk":{"S":"100"}}}},{"Get":{"TableName":")" + t +
          R"(","Key":{"pk":{"S":"p"},"sk":{"S":"102"}}}}]})",
      true);
  expect_totals(m.consumed_capacity(), x);
}

// A table with a GSI and an LSI, made by a raw CreateTable: writes and queries report each
// index's part, and the totals keep them apart.
TEST_F(CapacityTest, PerIndexTotalsForQueriesOnAGlobalAndALocalIndex) {
  const std::string t = ddbtest::unique_table_name("cap_idx");
  (void)direct_->call(
      "CreateTable",
      R"({"TableName":")" + t +
          R"(","BillingMode":"PAY_PER_REQUEST",)"
          R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],)"
          R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"S"},)"
          R"({"AttributeName":"g","AttributeType":"S"},{"AttributeName":"l","AttributeType":"S"}],)"
          R"("GlobalSecondaryIndexes":[{"IndexName":"by_g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}],)"
          R"("LocalSecondaryIndexes":[{"IndexName":"by_l","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"l","KeyType":"RANGE"}],"Projection":{"ProjectionType":"ALL"}}]})");
  struct Drop {
    ddb::Client c;
    std::string t;
    ~Drop() {
      try {
        (void)c.delete_table(t);
      } catch (const ddb::Error&) {
      }
    }
  } drop{*direct_, t};
  for (int i = 0; i < 200 && direct_->describe_table(t).table_status != "ACTIVE"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  Expected x;
  const std::string item =
      R"({"pk":{"S":"a"},"sk":{"S":"1"},"g":{"S":"G"},"l":{"S":"L"},"v":{"S":")" + kPayload +
      R"("}})";
  ddb::PutItemRequest put;
  put.table_name = t;
  put.item = {{"pk", "a"}, {"sk", "1"}, {"g", "G"}, {"l", "L"}, {"v", kPayload}};
  // Both puts replace the same item: a new item and a replaced one may cost an index differently.
  put_direct(t, put.item);
  (void)tracked_->put_item(put);
  raw(x, t, "PutItem", R"({"TableName":")" + t + R"(","Item":)" + item + "}", false);

  ddb::QueryRequest q;
  q.table_name = t;
  q.index_name = "by_g";
  q.key_condition_expression = "g = :g";
  q.expression_attribute_values = {{":g", "G"}};
  EXPECT_EQ(tracked_->query(q).items.size(), 1u);
  raw(x, t, "Query",
      R"({"TableName":")" + t +
          R"(","IndexName":"by_g","KeyConditionExpression":"g = :g","ExpressionAttributeValues":{":g":{"S":"G"}}})",
      true);
  q.index_name = "by_l";
  q.key_condition_expression = "pk = :p AND l = :l";
  q.expression_attribute_values = {{":p", "a"}, {":l", "L"}};
  EXPECT_EQ(tracked_->query(q).items.size(), 1u);
  raw(x, t, "Query",
      R"({"TableName":")" + t +
          R"(","IndexName":"by_l","KeyConditionExpression":"pk = :p AND l = :l","ExpressionAttributeValues":{":p":{"S":"a"},":l":{"S":"L"}}})",
      true);

  ASSERT_TRUE(x.gsi.contains("by_g"));
  ASSERT_TRUE(x.lsi.contains("by_l"));
  EXPECT_GT(x.gsi["by_g"], 0);
  EXPECT_GT(x.lsi["by_l"], 0);
  const ddb::TableCapacity totals = tracked_->consumed_capacity(t);
  expect_totals(totals, x);
  // The queries read the indexes, not the table: their read units are in the indexes' parts.
  EXPECT_GT(totals.global_secondary_indexes.at("by_g").read, 0);
  EXPECT_GT(totals.local_secondary_indexes.at("by_l").read, 0);
}

TEST_F(CapacityTest, ResetClearsOneTableOrAll) {
  ddbtest::ScopedTable a(*direct_, "cap_reset_a"), b(*direct_, "cap_reset_b");
  ddb::MappingOptions o;
  o.key_schema = {{"pk", ddb::KeyType::Hash}};
  o.key_attribute_types = {{"pk", ddb::ScalarType::String}};
  ddb::DynamoDBMapping ma(a.name(), *tracked_, o), ma2(a.name(), *tracked_, o),
      mb(b.name(), *tracked_, o);
  ma["k"] = ddb::Item{{"v", 1}};
  mb["k"] = ddb::Item{{"v", 1}};
  EXPECT_EQ(ma.consumed_capacity().requests, 1u);
  EXPECT_EQ(ma2.consumed_capacity(), ma.consumed_capacity());  // shared per client and table
  const ddb::TableCapacity b_before = mb.consumed_capacity();
  EXPECT_EQ(b_before.requests, 1u);

  ma2.reset_consumed_capacity();
  EXPECT_EQ(ma.consumed_capacity(), ddb::TableCapacity{});
  EXPECT_EQ(mb.consumed_capacity(), b_before);
  ma["k"] = ddb::Item{{"v", 2}};
  EXPECT_EQ(ma.consumed_capacity().requests, 1u);
  EXPECT_EQ(tracked_->consumed_capacity().answers, 3u);

  tracked_->reset_consumed_capacity();
  EXPECT_EQ(tracked_->consumed_capacity(), ddb::CapacityTotals{});
  EXPECT_EQ(mb.consumed_capacity(), ddb::TableCapacity{});
}

TEST_F(CapacityTest, SixteenThreadsAreCountedExactly) {
  ddbtest::ScopedTable table(*direct_, "cap_threads");
  const std::string& t = table.name();
  put_direct(t, {{"pk", "a"}, {"v", kPayload}});
  Expected one_get, one_put;
  raw(one_get, t, "GetItem", R"({"TableName":")" + t + R"(","Key":{"pk":{"S":"a"}}})", true);
  raw(one_put, t, "PutItem",
      R"({"TableName":")" + t + R"(","Item":{"pk":{"S":"a"},"v":{"S":")" + kPayload + R"("}}})",
      false);

  constexpr int kThreads = 16, kEach = 25;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      try {
        for (int j = 0; j < kEach; ++j) {
          ddb::GetItemRequest g;
          g.table_name = t;
          g.key = {{"pk", "a"}};
          (void)tracked_->get_item(g);
          ddb::PutItemRequest p;
          p.table_name = t;
          p.item = {{"pk", "a"}, {"v", kPayload}};
          (void)tracked_->put_item(p);
        }
      } catch (...) {
        ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(failures.load(), 0);
  const ddb::TableCapacity totals = tracked_->consumed_capacity(t);
  constexpr int kEachKind = kThreads * kEach;
  EXPECT_EQ(totals.requests, 2u * kEachKind);
  EXPECT_EQ(totals.units.read, kEachKind * one_get.units.read);
  EXPECT_EQ(totals.units.write, kEachKind * one_put.units.write);
  EXPECT_EQ(totals.units.total, kEachKind * (one_get.units.total + one_put.units.total));
  EXPECT_EQ(tracked_->consumed_capacity().answers, 2u * kEachKind);
}

namespace {

// The bodies of the requests that passed the proxy, by operation.
struct Recorder {
  std::mutex mutex;
  std::vector<std::pair<std::string, std::string>> seen;
  ddbtest::FaultProxy::Fault forwarding(const std::string& upstream) {
    return [this, upstream](const ddbtest::HttpRequest& r) {
      {
        std::lock_guard lock(mutex);
        seen.emplace_back(ddbtest::target_operation(r), r.body);
      }
      return ddbtest::Action::respond(ddbtest::forward(upstream, r));
    };
  }
};

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_F(CapacityTest, OffAsksNothingAndOnAsksOnlyTheDataPlane) {
  ddbtest::ScopedTable table(*direct_, "cap_off");
  ddbtest::FaultProxy proxy(endpoint_);
  Recorder rec;
  proxy.all(rec.forwarding(endpoint_));
  auto exercise = [&](const ddb::Client& c) {
    ddb::DynamoDBMapping m(table.name(), c);
    m["a"] = ddb::Item{{"v", 1}};
    (void)m.find("a");
    m.update(std::vector<std::pair<ddb::Key, ddb::Item>>{{"b", {{"v", 2}}}});
    (void)m.get_many({"a", "b"});
    EXPECT_EQ(m.count(), 2u);
    EXPECT_EQ(m.erase("b"), 1u);
  };

  const ddb::Client off = proxy.client();
  exercise(off);
  EXPECT_EQ(off.consumed_capacity(), ddb::CapacityTotals{});
  {
    std::lock_guard lock(rec.mutex);
    ASSERT_GE(rec.seen.size(), 7u);  // DescribeTable and six data-plane calls
    for (const auto& [op, body] : rec.seen) {
      EXPECT_EQ(body.find("ReturnConsumedCapacity"), std::string::npos) << op << ": " << body;
    }
    rec.seen.clear();
  }

  auto config = proxy.config();
  config.track_consumed_capacity = true;
  const ddb::Client on(config);
  exercise(on);
  std::lock_guard lock(rec.mutex);
  ASSERT_GE(rec.seen.size(), 7u);
  for (const auto& [op, body] : rec.seen) {
    const bool data = op != "DescribeTable";
    EXPECT_EQ(occurrences(body, R"("ReturnConsumedCapacity":"INDEXES")"), data ? 1u : 0u)
        << op << ": " << body;
  }
  EXPECT_EQ(on.consumed_capacity().answers, rec.seen.size() - 1);
}

TEST_F(CapacityTest, AnOddCapacityInAGoodAnswerIsNotCountedAndTheWriteStands) {
  ddbtest::ScopedTable table(*direct_, "cap_odd");
  const std::string& t = table.name();
  ddbtest::FaultProxy proxy(endpoint_);
  std::string many = R"({"ConsumedCapacity":[)";
  for (int i = 0; i < 101; ++i) {
    many += std::string(i ? "," : "") + R"({"TableName":")" + t + R"(","CapacityUnits":1})";
  }
  many += "]}";
  const std::string odd[] = {
      "{}",  // absent
      R"({"ConsumedCapacity":null})",
      R"({"ConsumedCapacity":{"TableName":")" + t + R"(","CapacityUnits":"1"}})",
      R"({"ConsumedCapacity":{"TableName":")" + t + R"(","CapacityUnits":-1}})",
      R"({"ConsumedCapacity":{"TableName":")" + t + R"(","CapacityUnits":1e300}})",
      R"({"ConsumedCapacity":{"TableName":"\u001b[2J","CapacityUnits":1}})",
      many,
  };
  auto config = proxy.config();
  config.track_consumed_capacity = true;
  const ddb::Client c(config);
  std::uint64_t n = 0;
  for (const std::string& body : odd) {
    // The server applies the put; its answer is replaced by a 200 with this body.
    proxy.next("PutItem", [&](const ddbtest::HttpRequest& r) {
      ddbtest::HttpReply reply = ddbtest::forward(endpoint_, r);
      EXPECT_EQ(reply.status, 200);
      reply.headers.clear();  // the x-amz-crc32 of the real body
      reply.body = body;
      return ddbtest::Action::respond(reply);
    });
    ddb::PutItemRequest p;
    p.table_name = t;
    p.item = {{"pk", "k" + std::to_string(n)}, {"v", 1}};
    EXPECT_NO_THROW((void)c.put_item(p)) << body.substr(0, 100);
    ++n;
    ddb::GetItemRequest g;
    g.table_name = t;
    g.key = {{"pk", "k" + std::to_string(n - 1)}};
    g.consistent_read = true;
    EXPECT_TRUE(direct_->get_item(g).item.has_value()) << "the put was applied";
    const ddb::CapacityTotals totals = c.consumed_capacity();
    EXPECT_EQ(totals.unreadable_answers, n) << body.substr(0, 100);
    EXPECT_EQ(totals.answers, 0u);
    EXPECT_EQ(c.consumed_capacity(t).unreadable_answers, n);
    EXPECT_EQ(c.consumed_capacity(t).units, ddb::CapacityUnits{});
  }
  EXPECT_EQ(c.consumed_capacity().tables.size(), 1u);  // the odd name was not taken

  // A read whose answer's capacity is negative: the item is still returned.
  proxy.next("GetItem", [&](const ddbtest::HttpRequest& r) {
    ddbtest::HttpReply reply = ddbtest::forward(endpoint_, r);
    const auto at = reply.body.find(R"("CapacityUnits":)");
    EXPECT_NE(at, std::string::npos) << reply.body;
    if (at != std::string::npos) reply.body.insert(at + 16, "-");
    reply.headers.clear();
    return ddbtest::Action::respond(reply);
  });
  ddb::GetItemRequest g;
  g.table_name = t;
  g.key = {{"pk", "k0"}};
  const auto got = c.get_item(g).item;
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->at("v"), ddb::Value(1));
  EXPECT_EQ(c.consumed_capacity().unreadable_answers, n + 1);
  EXPECT_EQ(c.consumed_capacity(t).units, ddb::CapacityUnits{});
}

// A put whose first answer is lost is sent again: the retry's answer counts (one request), the
// lost attempt reported nothing.
TEST_F(CapacityTest, ALostAnswerIsNotCountedItsRetryIs) {
  ddbtest::ScopedTable table(*direct_, "cap_lost");
  const std::string& t = table.name();
  ddbtest::FaultProxy proxy(endpoint_);
  auto config = proxy.config();
  config.track_consumed_capacity = true;
  const ddb::Client c(config);
  proxy.lose_next("PutItem", ddbtest::Loss::Reset);
  ddb::PutItemRequest p;
  p.table_name = t;
  p.item = {{"pk", "a"}, {"v", kPayload}};
  (void)c.put_item(p);
  EXPECT_EQ(c.stats().requests, 2u);
  Expected x;
  raw(x, t, "PutItem",
      R"({"TableName":")" + t + R"(","Item":{"pk":{"S":"a"},"v":{"S":")" + kPayload + R"("}}})",
      false);
  expect_totals(c.consumed_capacity(t), x);
}
