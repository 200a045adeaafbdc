// DynamoDBMapping, the container, against a real DynamoDB-compatible server.
#include "dynamodb_mapping/mapping.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <ranges>
#include <set>
#include <thread>

#include "dynamodb_mapping/json.hpp"
#include "dynamodb_mapping/validate.hpp"
#include "support/awscli.hpp"
#include "support/http_server.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;

namespace {

class MappingTest : public ddbtest::ClientServerTest {
 protected:
  // Requests the client sent since the last call.
  std::uint64_t requests_since(const ddb::Client& c) {
    const std::uint64_t now = c.stats().requests;
    const std::uint64_t delta = now - last_requests_;
    last_requests_ = now;
    return delta;
  }

  std::uint64_t last_requests_ = 0;
};

// The item under `pk` as awscli reads it, decoded by our codec.
ddb::Item read_with_awscli(const std::string& endpoint, const std::string& table,
                           const std::string& pk) {
  const auto r = ddbtest::aws_dynamodb(
      endpoint, {"get-item", "--table-name", table, "--consistent-read", "--key",
                 R"({"pk":{"S":")" + pk + R"("}})", "--query", "Item"});
  EXPECT_EQ(r.status, 0) << r.err;
  return ddb::item_from_wire_json(r.out);
}

}  // namespace

TEST_F(MappingTest, ThePythonReadmeLineByLine) {
  ddbtest::ScopedTable table(client(), "readme");
  ddb::DynamoDBMapping mapping{table.name(), client()};

  mapping["my_item"] = {{"description", "foo"}, {"price", 123}};
  mapping["my_item"]["price"] = 456;
  // The attribute update persisted: an independent client reads it back.
  const ddb::Item stored = read_with_awscli(endpoint_, table.name(), "my_item");
  EXPECT_EQ(stored, (ddb::Item{{"pk", "my_item"}, {"description", "foo"}, {"price", 456}}));

  int seen = 0;
  for (const auto& [key, value] : mapping) {
    EXPECT_EQ(key, ddb::Key("my_item"));
    EXPECT_EQ(value, stored);
    ++seen;
  }
  EXPECT_EQ(seen, 1);
  EXPECT_EQ(mapping.at("my_item"), stored);
  EXPECT_EQ(ddb::Item(mapping["my_item"]), stored);
  EXPECT_LE(mapping.size(), 1u);  // an estimate: DynamoDB Local may lag, dynalite is exact
  mapping.del_item("my_item");
  EXPECT_FALSE(mapping.contains("my_item"));
}

TEST_F(MappingTest, ConstructionSendsNothingAndReadsTheSchemaOnce) {
  ddbtest::ScopedTable table(client(), "schema");
  ddb::Client fresh(ddbtest::local_config(endpoint_));
  ddb::DynamoDBMapping mapping{table.name(), fresh};
  EXPECT_EQ(requests_since(fresh), 0u);
  mapping["a"] = {{"v", 1}};
  EXPECT_EQ(requests_since(fresh), 2u);  // DescribeTable once, then PutItem
  mapping["b"] = {{"v", 2}};
  (void)mapping.at("a");
  (void)mapping.find("zz");
  EXPECT_EQ(requests_since(fresh), 3u);
  EXPECT_EQ(mapping.key_names(), std::vector<std::string>{"pk"});
}

TEST_F(MappingTest, EveryWayToConstruct) {
  ddbtest::ScopedTable table(client(), "construct");
  {
    ddb::DynamoDBMapping with_config{table.name(), ddbtest::local_config(endpoint_)};
    with_config["x"] = {{"v", 1}};
  }
  {
    ddb::MappingOptions options;
    options.key_schema = {{"pk", ddb::KeyType::Hash}};
    options.key_attribute_types = {{"pk", ddb::ScalarType::String}};
    ddb::Client fresh(ddbtest::local_config(endpoint_));
    ddb::DynamoDBMapping known{table.name(), fresh, options};
    EXPECT_EQ(known.at("x").at("v"), ddb::Value(1));
    EXPECT_EQ(fresh.stats().requests, 1u);  // no DescribeTable
  }
  // Explicit credentials and region, endpoint from the environment; then the default chain.
  const char* saved = std::getenv("AWS_ENDPOINT_URL_DYNAMODB");
  const std::string saved_value = saved ? saved : "";
  ::setenv("AWS_ENDPOINT_URL_DYNAMODB", endpoint_.c_str(), 1);
  {
    auto explicit_keys =
        ddb::DynamoDBMapping::with_credentials(table.name(), "AKIDLOCAL", "secret", "eu-west-1");
    EXPECT_EQ(explicit_keys.client().region(), "eu-west-1");
    EXPECT_EQ(explicit_keys.at("x").at("v"), ddb::Value(1));
  }
  {
    ::setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    ::setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
    ::setenv("AWS_REGION", "us-east-1", 1);
    ddb::DynamoDBMapping from_chain{table.name()};
    EXPECT_EQ(from_chain.at("x").at("v"), ddb::Value(1));
    ::unsetenv("AWS_ACCESS_KEY_ID");
    ::unsetenv("AWS_SECRET_ACCESS_KEY");
    ::unsetenv("AWS_REGION");
  }
  if (saved) {
    ::setenv("AWS_ENDPOINT_URL_DYNAMODB", saved_value.c_str(), 1);
  } else {
    ::unsetenv("AWS_ENDPOINT_URL_DYNAMODB");
  }
}

TEST_F(MappingTest, WrongKeysAreRefusedBeforeAnyRequest) {
  ddbtest::ScopedTable simple(client(), "keys_s");
  ddbtest::ScopedTable composite(client(), "keys_c", true);
  ddbtest::ScopedTable numeric(client(), "keys_n", false, ddb::ScalarType::Number);
  ddb::DynamoDBMapping s{simple.name(), client()}, c{composite.name(), client()},
      n{numeric.name(), client()};
  (void)s.key_names(), (void)c.key_names(), (void)n.key_names();  // schemas loaded
  requests_since(client());

  EXPECT_THROW(s.at(ddb::Key("a", "b")), ddb::ValidationError);  // simple table, composite key
  EXPECT_THROW(c.at("a"), ddb::ValidationError);                 // composite table, one value
  EXPECT_THROW(s.at(1), ddb::ValidationError);                   // number for a string key
  EXPECT_THROW(n.at("1"), ddb::ValidationError);                 // string for a number key
  EXPECT_THROW(s.at(ddb::Binary{1}), ddb::ValidationError);
  EXPECT_THROW(s.at(""), ddb::ValidationError);  // empty key string
  EXPECT_THROW(s.at(std::string(2049, 'k')), ddb::ValidationError);
  EXPECT_THROW(s.at(ddb::List{"a"}), ddb::ValidationError);
  EXPECT_THROW((s["a"] = ddb::Item{{"pk", "other"}}), ddb::ValidationError);  // conflicting key
  EXPECT_THROW((s["a"] = ddb::Item{{"bad", ddb::StringSet{}}}), ddb::ValidationError);
  EXPECT_THROW(s.insert_or_assign("a", ddb::Item{{"big", std::string(ddb::kMaxItemBytes, 'x')}}),
               ddb::ValidationError);
  EXPECT_THROW(s.modify_item("a", {{"pk", 1}}), ddb::ValidationError);  // key attribute
  EXPECT_THROW(s.modify_item("a", {}), ddb::ValidationError);
  EXPECT_THROW(c.query("p", ddb::SortCondition::eq(5)), ddb::ValidationError);  // sk is a string
  EXPECT_THROW(s.update(std::vector<std::pair<ddb::Key, ddb::Item>>{{"ok", {}}, {1, {}}}),
               ddb::ValidationError);
  EXPECT_EQ(requests_since(client()), 0u);
  EXPECT_FALSE(s.contains("ok"));  // update validated everything before writing anything
}

TEST_F(MappingTest, MissingItems) {
  ddbtest::ScopedTable table(client(), "missing");
  ddb::DynamoDBMapping m{table.name(), client()};
  EXPECT_THROW((void)m.at("nope"), ddb::KeyError);
  // One error tree: "not found" is an Error like every other, with its kind and context.
  EXPECT_THROW((void)m.at("nope"), ddb::Error);
  EXPECT_EQ(m.find("nope"), std::nullopt);
  EXPECT_EQ(m.get("nope"), std::nullopt);
  EXPECT_THROW((void)ddb::Item(m["nope"]), ddb::KeyError);
  // Setting an attribute of a missing item is a KeyError, and creates nothing.
  EXPECT_THROW(m["nope"]["a"] = 1, ddb::KeyError);
  EXPECT_THROW(m["nope"].erase("a"), ddb::KeyError);
  EXPECT_FALSE(m.contains("nope", {.consistent_read = true}));
  try {
    (void)m.at("nope");
    ADD_FAILURE() << "no KeyError";
  } catch (const ddb::Error& e) {
    EXPECT_EQ(e.kind(), ddb::ErrorKind::KeyNotFound);
    EXPECT_EQ(e.code(), "KeyError");
    EXPECT_EQ(e.operation(), "GetItem");
    EXPECT_EQ(e.table(), table.name());
    EXPECT_EQ(dynamic_cast<const ddb::KeyError&>(e).key(), ddb::Key("nope"));
    EXPECT_NE(std::string(e.what()).find("\"nope\""), std::string::npos) << e.what();
  }
  try {
    m["nope"]["a"] = 1;
    ADD_FAILURE() << "no KeyError";
  } catch (const ddb::KeyError& e) {
    // Rethrown from the refused UpdateItem: its request id is kept.
    EXPECT_EQ(e.operation(), "UpdateItem");
    EXPECT_FALSE(e.request_id().empty());
    EXPECT_EQ(e.http_status(), 400);
  }
  m["here"] = {{"a", 1}};
  EXPECT_THROW((void)ddb::Value(m["here"]["b"]), ddb::AttributeError);
  try {
    (void)ddb::Value(m["here"]["b"]);
  } catch (const ddb::Error& e) {
    EXPECT_EQ(e.kind(), ddb::ErrorKind::AttributeNotFound);
    EXPECT_EQ(e.table(), table.name());
  }
  EXPECT_EQ(ddb::Value(m["here"]["a"]), ddb::Value(1));
}

TEST_F(MappingTest, Modifiers) {
  ddbtest::ScopedTable table(client(), "modifiers");
  ddb::DynamoDBMapping m{table.name(), client()};
  EXPECT_TRUE(m.insert("k", {{"v", 1}}));
  EXPECT_FALSE(m.insert("k", {{"v", 2}}));  // only if absent
  EXPECT_EQ(m.at("k").at("v"), ddb::Value(1));
  EXPECT_FALSE(m.insert_or_assign("k", {{"v", 3}}));  // replaced
  EXPECT_TRUE(m.insert_or_assign("k2", {{"v", 4}}));  // inserted
  EXPECT_EQ(m.at("k"), (ddb::Item{{"pk", "k"}, {"v", 3}}));
  EXPECT_EQ(m.erase("k2"), 1u);
  EXPECT_EQ(m.erase("k2"), 0u);
  EXPECT_EQ(m.pop("k"), (ddb::Item{{"pk", "k"}, {"v", 3}}));
  EXPECT_THROW((void)m.pop("k"), ddb::KeyError);
  EXPECT_THROW(m.del_item("k"), ddb::KeyError);
  try {
    m.del_item("k");
  } catch (const ddb::KeyError& e) {
    // Decided by DynamoDB's refusal, whose status and request id the KeyError keeps.
    EXPECT_EQ(e.operation(), "DeleteItem");
    EXPECT_EQ(e.http_status(), 400);
    EXPECT_FALSE(e.request_id().empty());
  }
  EXPECT_NO_THROW(m.del_item("k", {.must_exist = false}));
  m.set_item("s", {{"v", 5}});
  m.put_item("p", {{"v", 6}});
  EXPECT_EQ(m.get_item("s").at("v"), ddb::Value(5));
  EXPECT_EQ(m.get_item("p").at("v"), ddb::Value(6));
}

TEST_F(MappingTest, ModifyItemAndReservedWords) {
  ddbtest::ScopedTable table(client(), "modify");
  ddb::DynamoDBMapping m{table.name(), client()};
  // name, size, count and status are DynamoDB reserved words: placeholders make them work.
  m["x"] = {{"name", "a"}, {"size", 1}, {"count", 2}, {"status", "old"}};
  const ddb::Item after =
      m.modify_item("x", {{"size", 10}, {"status", ddb::remove}, {"new", true}});
  EXPECT_EQ(after,
            (ddb::Item{{"pk", "x"}, {"name", "a"}, {"size", 10}, {"count", 2}, {"new", true}}));
  m["x"]["name"] = "b";
  m["x"].erase("count");
  EXPECT_EQ(m.at("x"), (ddb::Item{{"pk", "x"}, {"name", "b"}, {"size", 10}, {"new", true}}));
  // modify_item creates a missing item, as UpdateItem does.
  EXPECT_EQ(m.modify_item("fresh", {{"v", 1}}), (ddb::Item{{"pk", "fresh"}, {"v", 1}}));
  ddb::ReadOptions projection;
  projection.projection = {"name"};
  EXPECT_EQ(m.at("x", projection), (ddb::Item{{"pk", "x"}, {"name", "b"}}));
}

TEST_F(MappingTest, NumberBinaryAndCompositeKeys) {
  ddbtest::ScopedTable numeric(client(), "nkey", false, ddb::ScalarType::Number);
  ddb::DynamoDBMapping n{numeric.name(), client()};
  n[42] = {{"v", "forty-two"}};
  n[ddb::Number("12345678901234567890123456789012345678")] = {{"v", "big"}};
  EXPECT_EQ(n.at(42).at("v"), ddb::Value("forty-two"));
  EXPECT_EQ(n.at(ddb::Number("42.0")).at("v"), ddb::Value("forty-two"));  // same number
  EXPECT_EQ(n.at(ddb::Number("12345678901234567890123456789012345678")).at("v"), ddb::Value("big"));

  ddbtest::ScopedTable binary(client(), "bkey", false, ddb::ScalarType::Binary);
  ddb::DynamoDBMapping b{binary.name(), client()};
  const ddb::Binary id{0x00, 0xFF, 0x10};
  b[id] = {{"v", 1}};
  EXPECT_EQ(b.at(id).at("v"), ddb::Value(1));
  std::vector<ddb::Key> keys;
  for (const ddb::Key& k : b.keys()) keys.push_back(k);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0], ddb::Key(id));

  ddbtest::ScopedTable composite(client(), "ckey", true, ddb::ScalarType::String,
                                 ddb::ScalarType::Number);
  ddb::DynamoDBMapping c{composite.name(), client()};
  c[{"user", 1}] = {{"v", "a"}};
  c[{"user", 2}] = {{"v", "b"}};
  EXPECT_EQ(c.at({"user", 2}), (ddb::Item{{"pk", "user"}, {"sk", 2}, {"v", "b"}}));
  EXPECT_THROW(c.at({"user", 3}), ddb::KeyError);
  std::set<std::string> printed;
  for (const auto& [key, item] : c) {
    std::ostringstream s;
    s << key;
    printed.insert(s.str());
  }
  EXPECT_EQ(printed, (std::set<std::string>{R"(["user",1])", R"(["user",2])"}));
}

TEST_F(MappingTest, QueryWithSortConditions) {
  ddbtest::ScopedTable table(client(), "query", true);
  ddb::DynamoDBMapping m{table.name(), client()};
  std::vector<std::pair<ddb::Key, ddb::Item>> rows;
  for (const char* sk : {"2026-01", "2026-02", "2026-03", "2027-01"}) {
    rows.push_back({ddb::Key("u1", sk), {{"v", sk}}});
    rows.push_back({ddb::Key("u2", sk), {{"v", sk}}});
  }
  m.update(rows);
  auto sks = [](ddb::Results<ddb::Item> results) {
    std::vector<std::string> out;
    for (const auto& item : results) out.push_back(item.at("sk").as_string());
    return out;
  };
  using S = ddb::SortCondition;
  using V = std::vector<std::string>;
  EXPECT_EQ(sks(m.query("u1")), (V{"2026-01", "2026-02", "2026-03", "2027-01"}));
  EXPECT_EQ(sks(m.query("u1", S::begins_with("2026"))), (V{"2026-01", "2026-02", "2026-03"}));
  EXPECT_EQ(sks(m.query("u1", S::between("2026-02", "2026-03"))), (V{"2026-02", "2026-03"}));
  EXPECT_EQ(sks(m.query("u1", S::lt("2026-02"))), (V{"2026-01"}));
  EXPECT_EQ(sks(m.query("u1", S::ge("2026-03"))), (V{"2026-03", "2027-01"}));
  EXPECT_EQ(sks(m.query("u1", S::eq("2027-01"))), (V{"2027-01"}));
  ddb::QueryOptions desc;
  desc.descending = true;
  desc.page_size = 1;  // one item a page: paging and options together
  desc.filter = ddb::Condition{"#v <> :skip", {{"#v", "v"}}, {{":skip", "2026-02"}}};
  EXPECT_EQ(sks(m.query("u2", std::nullopt, desc)), (V{"2027-01", "2026-03", "2026-01"}));
}

TEST_F(MappingTest, LazyIterationRequestsOnePageAtATime) {
  ddbtest::ScopedTable table(client(), "lazy");
  ddb::Client counting(ddbtest::local_config(endpoint_));
  ddb::DynamoDBMapping m{table.name(), counting};
  std::vector<std::pair<ddb::Key, ddb::Item>> rows;
  for (int i = 0; i < 5000; ++i) rows.push_back({"k" + std::to_string(i), {{"i", i}}});
  m.update(rows);
  requests_since(counting);
  const auto requests_before_scan = counting.stats().requests;

  ddb::ScanOptions o;
  o.page_size = 100;
  auto results = m.values(o);
  auto it = results.begin();
  // The first page, and at most the prefetch of the second.
  EXPECT_LE(requests_since(counting), 2u);
  std::set<int> seen;
  for (int n = 0; n < 250; ++n, ++it) seen.insert(it->at("i").as<int>());
  // 250 items are three pages in; at most one more is being fetched.
  const auto after_250 = requests_since(counting);
  EXPECT_GE(after_250, 1u);
  EXPECT_LE(after_250, 3u);
  for (; it != results.end(); ++it) seen.insert(it->at("i").as<int>());
  EXPECT_EQ(seen.size(), 5000u);
  // 50 full pages, plus the request that finds nothing more when the 50th still carries a
  // LastEvaluatedKey.
  const auto scans = counting.stats().requests - requests_before_scan;
  EXPECT_GE(scans, 50u);
  EXPECT_LE(scans, 51u);
}

TEST_F(MappingTest, KeysTransferOnlyKeyAttributes) {
  ddbtest::ScopedTable table(client(), "keysonly");
  // Count the response bytes through a forwarding proxy.
  std::atomic<std::size_t> bytes{0};
  ddbtest::TestHttpServer proxy([&](const ddbtest::HttpRequest& r) {
    auto reply = ddbtest::forward(endpoint_, r);
    bytes += reply.body.size();
    return ddbtest::Action::respond(reply);
  });
  ddb::Client through(ddbtest::local_config(proxy.url()));
  ddb::DynamoDBMapping m{table.name(), through};
  std::vector<std::pair<ddb::Key, ddb::Item>> rows;
  for (int i = 0; i < 200; ++i) {
    rows.push_back({"k" + std::to_string(i), {{"payload", std::string(1000, 'p')}}});
  }
  m.update(rows);

  bytes = 0;
  std::size_t n = 0;
  for (const ddb::Key& k : m.keys()) {
    EXPECT_TRUE(k.partition.is_string());
    ++n;
  }
  const std::size_t key_bytes = bytes;
  bytes = 0;
  for (const ddb::Item& item : m.values()) EXPECT_EQ(item.size(), 2u);
  const std::size_t value_bytes = bytes;
  EXPECT_EQ(n, 200u);
  EXPECT_LT(key_bytes * 20, value_bytes) << key_bytes << " vs " << value_bytes;
}

TEST_F(MappingTest, RangesAndViews) {
  ddbtest::ScopedTable table(client(), "ranges");
  ddb::DynamoDBMapping m{table.name(), client()};
  std::map<std::string, int> expected;
  for (int i = 0; i < 30; ++i) expected["k" + std::to_string(i)] = i;
  m.update(expected | std::views::transform([](const auto& p) {
             return std::pair<ddb::Key, ddb::Item>{p.first, {{"i", p.second}}};
           }));
  static_assert(std::ranges::input_range<ddb::Results<ddb::Item>>);
  static_assert(std::input_iterator<ddb::Results<ddb::Key>::iterator>);

  EXPECT_EQ(std::ranges::count_if(m.values(),
                                  [](const ddb::Item& i) { return i.at("i").as<int>() % 2 == 0; }),
            15);
  auto found = m.keys();
  auto hit = std::ranges::find(found, ddb::Key("k7"));
  EXPECT_NE(hit, found.end());
  std::map<std::string, int> got;
  for (const auto& [key, item] : m.items()) got[key.partition.as_string()] = item.at("i").as<int>();
  EXPECT_EQ(got, expected);
  EXPECT_EQ(m.count(), 30u);
  EXPECT_FALSE(m.empty());
  m.clear();
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(m.count(), 0u);
}

TEST_F(MappingTest, BulkUpdateOfTwentyThousandItems) {
  ddbtest::ScopedTable table(client(), "bulk");
  ddb::Client counting(ddbtest::local_config(endpoint_));
  ddb::DynamoDBMapping m{table.name(), counting};
  (void)m.key_names();
  requests_since(counting);
  std::vector<std::pair<ddb::Key, ddb::Item>> rows;
  for (int i = 0; i < 20000; ++i) rows.push_back({"k" + std::to_string(i), {{"i", i}}});
  // Duplicates within one update: the last one wins.
  rows.push_back({"k7", {{"i", -7}}});
  rows.push_back({"k8", {{"i", -8}}});
  m.update(rows);
  EXPECT_GE(requests_since(counting), 800u);  // 20,000 / 25 chunks, at least

  ddb::ScanOptions parallel;
  parallel.segments = 4;
  std::map<std::string, int> found;
  for (const auto& item : m.values(parallel)) {
    EXPECT_TRUE(found.emplace(item.at("pk").as_string(), item.at("i").as<int>()).second)
        << "seen twice: " << item.at("pk");
  }
  ASSERT_EQ(found.size(), 20000u);
  for (int i = 0; i < 20000; ++i) {
    const int want = i == 7 ? -7 : i == 8 ? -8 : i;
    ASSERT_EQ(found["k" + std::to_string(i)], want) << i;
  }
  EXPECT_EQ(m.count(), 20000u);
}

TEST_F(MappingTest, BulkFailureListsExactlyTheItemsNotWritten) {
  ddbtest::ScopedTable table(client(), "bulkfail");
  // A proxy that lets the first 10 BatchWriteItem requests through and then answers every
  // further one as "all unprocessed".
  // It also records how many batch requests are in flight at once (each is held 20 ms).
  std::atomic<int> batch_requests{0}, in_flight{0}, max_in_flight{0};
  ddbtest::TestHttpServer proxy([&](const ddbtest::HttpRequest& r) {
    const bool batch = r.headers.count("x-amz-target") &&
                       r.headers.at("x-amz-target").find("BatchWriteItem") != std::string::npos;
    if (batch) {
      const int now = ++in_flight;
      int seen = max_in_flight;
      while (now > seen && !max_in_flight.compare_exchange_weak(seen, now)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      --in_flight;
    }
    if (batch && batch_requests++ >= 10) {
      const auto start = r.body.find("{\"RequestItems\":");
      std::string body = r.body;
      if (start == 0) body.replace(0, 16, "{\"UnprocessedItems\":");
      return ddbtest::Action::respond({200, {}, body});
    }
    return ddbtest::Action::respond(ddbtest::forward(endpoint_, r));
  });
  ddb::ClientConfig config = ddbtest::local_config(proxy.url());
  ddb::MappingOptions options;
  options.batch_max_rounds = 3;
  options.batch_concurrency = 2;
  ddb::DynamoDBMapping m{table.name(), ddb::Client(config), options};
  std::vector<std::pair<ddb::Key, ddb::Item>> rows;
  for (int i = 0; i < 1000; ++i) rows.push_back({"k" + std::to_string(i), {{"i", i}}});
  std::vector<ddb::Key> not_written;
  try {
    m.update(rows);
    FAIL() << "no exception";
  } catch (const ddb::BatchError& e) {
    not_written = e.keys();
    EXPECT_NE(std::string(e.what()).find("UnprocessedItems"), std::string::npos) << e.what();
  }
  // Every key is either in the table or in the error, never both, never neither.
  ddb::DynamoDBMapping direct{table.name(), client()};
  std::set<std::string> in_table, in_error;
  for (const auto& k : direct.keys()) in_table.insert(k.partition.as_string());
  for (const auto& k : not_written) in_error.insert(k.partition.as_string());
  EXPECT_EQ(in_table.size(), 250u);  // 10 requests of 25
  EXPECT_EQ(in_error.size(), not_written.size());
  EXPECT_EQ(in_table.size() + in_error.size(), 1000u);
  for (const auto& k : in_error) EXPECT_EQ(in_table.count(k), 0u) << k;
  EXPECT_EQ(max_in_flight.load(), 2);  // batch_concurrency requests in flight, never more
}

TEST_F(MappingTest, GetMany) {
  ddbtest::ScopedTable table(client(), "getmany");
  ddb::DynamoDBMapping m{table.name(), client()};
  std::vector<std::pair<ddb::Key, ddb::Item>> rows;
  for (int i = 0; i < 250; ++i) rows.push_back({"k" + std::to_string(i), {{"i", i}}});
  m.update(rows);
  std::vector<ddb::Key> keys;
  for (int i = 240; i >= 0; i -= 3) keys.push_back("k" + std::to_string(i));
  keys.push_back("absent");
  keys.push_back("k240");  // a duplicate
  const auto got = m.get_many(keys);
  ASSERT_EQ(got.size(), keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    if (keys[i] == ddb::Key("absent")) {
      EXPECT_FALSE(got[i].has_value());
    } else {
      ASSERT_TRUE(got[i].has_value()) << keys[i];
      EXPECT_EQ(got[i]->at("pk"), keys[i].partition);
    }
  }
}

TEST_F(MappingTest, ConditionalWritesAndOptimisticLocking) {
  ddbtest::ScopedTable table(client(), "locking");
  ddb::DynamoDBMapping plain{table.name(), client()};
  plain["c"] = {{"state", "open"}};
  ddb::WriteOptions only_if_open{ddb::Condition::equals("state", "open")};
  EXPECT_NO_THROW(plain.insert_or_assign("c", {{"state", "closed"}}, only_if_open));
  EXPECT_THROW(plain.insert_or_assign("c", {{"state", "again"}}, only_if_open),
               ddb::ConditionalCheckFailedError);
  // A condition of the caller's on erase surfaces when it is false.
  EXPECT_THROW(plain.erase("c", only_if_open), ddb::ConditionalCheckFailedError);
  EXPECT_TRUE(plain.contains("c"));

  ddb::MappingOptions versioned_options;
  versioned_options.version_attribute = "version";
  ddb::DynamoDBMapping versioned{table.name(), client(), versioned_options};
  versioned["doc"] = {{"text", "v1"}};  // new: written with version 1
  ddb::Item alice = versioned.at("doc");
  ddb::Item bob = versioned.at("doc");
  EXPECT_EQ(alice.at("version"), ddb::Value(1));
  alice["text"] = "alice's edit";
  versioned["doc"] = alice;  // version 1 matches: written as version 2
  bob["text"] = "bob's edit";
  EXPECT_THROW(versioned["doc"] = bob, ddb::ConditionalCheckFailedError);  // stale version 1
  EXPECT_EQ(versioned.at("doc").at("text"), ddb::Value("alice's edit"));
  EXPECT_EQ(versioned.at("doc").at("version"), ddb::Value(2));
  // A put without a version is a create: refused when the item exists.
  EXPECT_THROW((versioned["doc"] = ddb::Item{{"text", "blind"}}), ddb::ConditionalCheckFailedError);
  // Attribute updates bump the version.
  versioned["doc"]["text"] = "small fix";
  EXPECT_EQ(versioned.at("doc").at("version"), ddb::Value(3));
}

TEST_F(MappingTest, Transactions) {
  if (ddbtest::engine() == "dynalite") GTEST_SKIP() << "dynalite has no transactions";
  ddbtest::ScopedTable table(client(), "txn");
  ddb::DynamoDBMapping m{table.name(), client()};
  m["from"] = {{"balance", 100}};
  m["to"] = {{"balance", 0}};
  m.transaction()
      .modify("from", {{"balance", 70}}, {ddb::Condition::equals("balance", 100)})
      .modify("to", {{"balance", 30}})
      .put("log", {{"amount", 30}})
      .commit();
  EXPECT_EQ(m.at("from").at("balance"), ddb::Value(70));
  EXPECT_EQ(m.at("to").at("balance"), ddb::Value(30));
  auto t = m.transaction();
  t.modify("from", {{"balance", 40}}, {ddb::Condition::equals("balance", 100)});  // stale
  t.erase("log");
  EXPECT_THROW(t.commit(), ddb::TransactionCanceledError);
  EXPECT_TRUE(m.contains("log"));  // nothing applied
  const auto read = m.get_transactionally({"from", "to", "nobody"});
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[0]->at("balance"), ddb::Value(70));
  EXPECT_FALSE(read[2].has_value());
}

TEST_F(MappingTest, TimeToLive) {
  if (ddbtest::engine() == "dynalite") GTEST_SKIP() << "dynalite has no TTL";
  ddbtest::ScopedTable table(client(), "ttl");
  ddb::DynamoDBMapping m{table.name(), client()};
  m.enable_ttl("expires_at");
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const auto expires = ddb::DynamoDBMapping::expires_in(std::chrono::hours(1)).as<std::int64_t>();
  EXPECT_GE(expires, now + 3600 - 5);
  EXPECT_LE(expires, now + 3600 + 5);
  m["session"] = {{"expires_at", ddb::DynamoDBMapping::expires_in(std::chrono::hours(1))}};
  EXPECT_TRUE(m.contains("session"));
}

TEST_F(MappingTest, ManyThreadsOnOneMapping) {
  ddbtest::ScopedTable table(client(), "threads");
  ddb::DynamoDBMapping m{table.name(), client()};
  constexpr int kThreads = 8, kRounds = 60;
  std::atomic<int> failures{0};
  std::vector<std::map<std::string, ddb::Item>> models(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Each thread owns its keys, so a plain map models exactly what the table must hold.
      auto& model = models[t];
      for (int i = 0; i < kRounds; ++i) {
        const std::string k = "t" + std::to_string(t) + "-" + std::to_string(i % 3);
        try {
          switch (i % 5) {
            case 0:
              m[k] = {{"t", t}, {"i", i}};
              model[k] = {{"pk", k}, {"t", t}, {"i", i}};
              break;
            case 1:
              m.modify_item(k, {{"i", i}});
              model[k]["pk"] = k;
              model[k]["i"] = i;
              break;
            case 2:
              if (m.insert(k, {{"t", t}}) != (model.count(k) == 0)) ++failures;
              if (!model.count(k)) model[k] = {{"pk", k}, {"t", t}};
              break;
            case 3:
              if (m.erase(k) != model.count(k)) ++failures;
              model.erase(k);
              break;
            case 4: {
              ddb::ReadOptions consistent;
              consistent.consistent_read = true;
              const auto item = m.find(k, consistent);
              const auto want = model.find(k);
              if (item.has_value() != (want != model.end()) || (item && *item != want->second)) {
                ++failures;
              }
              break;
            }
          }
        } catch (const std::exception&) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  std::map<std::string, ddb::Item> expected, actual;
  for (const auto& model : models) expected.insert(model.begin(), model.end());
  ddb::ScanOptions consistent;
  consistent.consistent_read = true;
  for (const auto& [key, item] : m.items(consistent)) {
    actual[key.partition.as_string()] = item;
  }
  EXPECT_EQ(actual, expected);
}

TEST_F(MappingTest, PartiallyUnprocessedBatchesAreRetriedUntilAllLand) {
  ddbtest::ScopedTable table(client(), "unprocessed");
  // A proxy that writes only the first half of a BatchWriteItem and hands the rest back as
  // UnprocessedItems, as DynamoDB does under throttling.
  std::atomic<int> partial{0};
  ddbtest::TestHttpServer proxy([&](const ddbtest::HttpRequest& r) {
    const bool batch = r.headers.count("x-amz-target") &&
                       r.headers.at("x-amz-target").find("BatchWriteItem") != std::string::npos;
    if (!batch) return ddbtest::Action::respond(ddbtest::forward(endpoint_, r));
    ddb::Value body = ddb::value_from_plain_json(r.body);
    auto& tables = body.as_map().at("RequestItems").as_map();
    auto& writes = tables.begin()->second.as_list();
    // Only a chunk's first attempt (25 writes) is cut, so each chunk needs exactly one retry.
    if (writes.size() != 25) return ddbtest::Action::respond(ddbtest::forward(endpoint_, r));
    ++partial;
    ddb::List rest(writes.begin() + static_cast<long>(writes.size() / 2), writes.end());
    writes.resize(writes.size() / 2);
    ddbtest::HttpRequest first_half = r;
    first_half.body = ddb::to_plain_json(body);
    ddbtest::HttpReply reply = ddbtest::forward(endpoint_, first_half);
    ddb::Map unprocessed{{tables.begin()->first, rest}};
    reply.body = ddb::to_plain_json(ddb::Value(ddb::Map{{"UnprocessedItems", unprocessed}}));
    reply.headers.erase(std::remove_if(reply.headers.begin(), reply.headers.end(),
                                       [](const auto& h) { return h.first == "x-amz-crc32"; }),
                        reply.headers.end());
    return ddbtest::Action::respond(reply);
  });
  ddb::DynamoDBMapping m{table.name(), ddb::Client(ddbtest::local_config(proxy.url()))};
  std::vector<std::pair<ddb::Key, ddb::Item>> rows;
  for (int i = 0; i < 10000; ++i) {
    rows.push_back({"k" + std::to_string(i), {{"i", i}, {"tags", ddb::StringSet{"a", "b"}}}});
  }
  m.update(rows);
  EXPECT_EQ(partial.load(), 400);  // every chunk was cut once
  ddb::DynamoDBMapping direct{table.name(), client()};
  EXPECT_EQ(direct.count(), 10000u);
  EXPECT_EQ(direct.at("k9999"),
            (ddb::Item{{"pk", "k9999"}, {"i", 9999}, {"tags", ddb::StringSet{"a", "b"}}}));
}
