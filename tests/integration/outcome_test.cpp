// Truthful results when answers are lost: a proxy on 127.0.0.1 forwards a write to the server,
// which applies it, and then drops the answer (reset, or an orderly close of a reused keep-alive
// connection) or replaces it with a 5xx. Whatever the client then does, it must never report a
// failure, a condition failure or "not found" that its own lost attempt caused: it resolves the
// outcome, or throws AmbiguousOutcomeError.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <random>
#include <set>

#include "dynamodb_mapping/mapping.hpp"
#include "support/fault_proxy.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::Action;
using ddbtest::HttpReply;
using ddbtest::HttpRequest;

namespace {

using ddbtest::kLosses;
using ddbtest::Loss;
using ddbtest::name;

class OutcomeTest : public ddbtest::ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    direct_.emplace(ddbtest::local_config(endpoint_));
    table_.emplace(*direct_, "outcome");
    proxy_.emplace(endpoint_);
  }
  void TearDown() override {
    proxy_.reset();
    table_.reset();
    direct_.reset();
  }

  // The next request of `op` that reaches the proxy gets `fault`; others pass.
  void next(const std::string& op, ddbtest::FaultProxy::Fault fault) {
    proxy_->next(op, std::move(fault));
  }
  void lose_next(const std::string& op, Loss loss) { proxy_->lose_next(op, loss); }

  ddb::ClientConfig proxied_config(int max_attempts = 4) const {
    return proxy_->config(max_attempts);
  }
  ddb::Client proxied(int max_attempts = 4) const { return proxy_->client(max_attempts); }

  ddb::DynamoDBMapping mapping(ddb::MappingOptions options = {}) const {
    options.key_schema = {{"pk", ddb::KeyType::Hash}};
    options.key_attribute_types = {{"pk", ddb::ScalarType::String}};
    return ddb::DynamoDBMapping(table_->name(), proxied(), options);
  }

  std::optional<ddb::Item> stored(const std::string& pk) const {
    ddb::GetItemRequest g;
    g.table_name = table_->name();
    g.key = {{"pk", pk}};
    g.consistent_read = true;
    return direct_->get_item(g).item;
  }
  void store(ddb::Item item) const {
    ddb::PutItemRequest p;
    p.table_name = table_->name();
    p.item = std::move(item);
    direct_->put_item(p);
  }

  std::optional<ddb::Client> direct_;
  std::optional<ddbtest::ScopedTable> table_;
  std::optional<ddbtest::FaultProxy> proxy_;
};

}  // namespace

// The issue's counter: 100 read-modify-write increments under optimistic locking, a quarter of
// the writes' answers lost after the server applied them. With one writer there is no real
// conflict, so a condition failure is always a lie; an AmbiguousOutcomeError is allowed, and the
// test reads the item back to learn whether that increment landed.
TEST_F(OutcomeTest, VersionLockedCounterCountsEachIncrementOnce) {
  ddb::MappingOptions options;
  options.version_attribute = "version";
  options.default_consistent_read = true;
  auto m = mapping(options);
  m.insert("counter", {{"n", 0}});

  const unsigned seed = std::random_device{}();
  std::mt19937 rng(seed);
  std::atomic<int> lost{0}, puts{0};
  proxy_->all([&](const HttpRequest& r) {
    if (ddbtest::target_operation(r) == "PutItem") {
      ++puts;
      std::uniform_int_distribution<int> roll(0, 99);
      const int x = roll(rng);  // the proxy serves one connection at a time here: one writer
      if (x < 25) {
        ++lost;
        return ddbtest::lose_answer(kLosses[x % 3], r, endpoint_);
      }
    }
    return Action::respond(ddbtest::forward(endpoint_, r));
  });
  auto counter = ddb::DynamoDBMapping(table_->name(), proxied(3), [&] {
    auto o = options;
    o.key_schema = {{"pk", ddb::KeyType::Hash}};
    o.key_attribute_types = {{"pk", ddb::ScalarType::String}};
    return o;
  }());

  int ambiguous = 0;
  for (int i = 0; i < 100; ++i) {
    for (int tries = 0;; ++tries) {
      ASSERT_LT(tries, 20) << "seed " << seed;
      ddb::Item item = counter.at("counter");
      const auto n = item.at("n").as<std::int64_t>();
      const auto version = item.at("version").as<std::int64_t>();
      item["n"] = n + 1;
      try {
        counter.set_item("counter", item);
        break;
      } catch (const ddb::ConditionalCheckFailedError& e) {
        FAIL() << "a conflict with no other writer, after increment " << i << " (seed " << seed
               << "): " << e.what();
      } catch (const ddb::AmbiguousOutcomeError&) {
        ++ambiguous;
        // Did it land? Our write is the one with version + 1 (no one else writes).
        const auto now = stored("counter");
        ASSERT_TRUE(now.has_value());
        if (now->at("version").as<std::int64_t>() == version + 1) break;
      }
    }
  }
  const auto final_item = stored("counter");
  ASSERT_TRUE(final_item.has_value());
  EXPECT_EQ(final_item->at("n"), ddb::Value(100))
      << "seed " << seed << ", " << ambiguous << " ambiguous outcomes";
  EXPECT_EQ(final_item->at("version"), ddb::Value(101));
  EXPECT_GE(lost.load(), 10) << "the test must lose answers to mean anything (seed " << seed << ")";
}

TEST_F(OutcomeTest, InsertWhoseAnswerIsLostReportsTheInsert) {
  for (Loss loss : kLosses) {
    auto m = mapping();
    const std::string key = std::string("ins-") + name(loss);
    (void)m.contains("warm-up");  // a keep-alive connection, so a close hits a reused one
    lose_next("PutItem", loss);
    EXPECT_TRUE(m.insert(key, {{"v", 1}})) << name(loss);
    EXPECT_EQ(stored(key), (ddb::Item{{"pk", key}, {"v", 1}})) << name(loss);
    // A real conflict is still a conflict.
    EXPECT_FALSE(m.insert(key, {{"v", 2}})) << name(loss);
  }
}

TEST_F(OutcomeTest, EraseWhoseAnswerIsLostNeverSaysNotFound) {
  for (Loss loss : kLosses) {
    auto m = mapping();
    const std::string key = std::string("erase-") + name(loss);
    store({{"pk", key}, {"v", 1}});
    (void)m.contains("warm-up");
    lose_next("DeleteItem", loss);
    EXPECT_THROW(m.erase(key), ddb::AmbiguousOutcomeError) << name(loss);
    EXPECT_FALSE(stored(key).has_value());
    store({{"pk", key}, {"v", 1}});
    lose_next("DeleteItem", loss);
    EXPECT_THROW(m.del_item(key), ddb::AmbiguousOutcomeError) << name(loss);
    EXPECT_EQ(m.erase(key), 0u) << "an item that is really absent";
  }
}

TEST_F(OutcomeTest, PopWhoseAnswerIsLostKeepsTheValue) {
  for (Loss loss : kLosses) {
    auto m = mapping();
    const std::string key = std::string("pop-") + name(loss);
    const ddb::Item item{{"pk", key}, {"payload", "precious"}};
    store(item);
    lose_next("DeleteItem", loss);
    try {
      (void)m.pop(key);
      ADD_FAILURE() << name(loss) << ": no exception";
    } catch (const ddb::AmbiguousOutcomeError& e) {
      ASSERT_NE(e.item(), nullptr) << name(loss);
      EXPECT_EQ(*e.item(), item) << name(loss);
    }
    EXPECT_FALSE(stored(key).has_value());
    // Without a loss, pop returns the value and a missing item is a KeyError.
    store(item);
    EXPECT_EQ(m.pop(key), item);
    EXPECT_THROW(m.pop(key), ddb::KeyError);
  }
}

TEST_F(OutcomeTest, InsertOrAssignDoesNotMistakeItsOwnWriteForAnOldItem) {
  for (Loss loss : kLosses) {
    auto m = mapping();
    const std::string key = std::string("ioa-") + name(loss);
    lose_next("PutItem", loss);
    // The item is new, but the retry finds this call's own write: "not new" would be a lie.
    EXPECT_THROW(m.insert_or_assign(key, {{"v", 1}}), ddb::AmbiguousOutcomeError) << name(loss);
    EXPECT_EQ(stored(key), (ddb::Item{{"pk", key}, {"v", 1}}));
    // When the lost attempt's retry finds something else, that answer stands.
    store({{"pk", key}, {"v", 0}});
    next("PutItem", [](const HttpRequest&) { return Action::reset(); });  // not applied
    EXPECT_FALSE(m.insert_or_assign(key, {{"v", 2}}));
  }
}

TEST_F(OutcomeTest, CountersAreNeverSentTwice) {
  for (Loss loss : kLosses) {
    const std::string key = std::string("add-") + name(loss);
    store({{"pk", key}, {"n", 0}});
    auto client = proxied();
    ddb::UpdateItemRequest u;
    u.table_name = table_->name();
    u.key = {{"pk", key}};
    u.update_expression = "ADD #n :one";
    u.expression_attribute_names = {{"#n", "n"}};
    u.expression_attribute_values = {{":one", 1}};
    lose_next("UpdateItem", loss);
    EXPECT_THROW(client.update_item(u), ddb::AmbiguousOutcomeError) << name(loss);
    EXPECT_EQ(stored(key)->at("n"), ddb::Value(1)) << name(loss) << ": applied once, not twice";
    EXPECT_EQ(client.stats().requests, 1u) << name(loss);

    // A versioned modify_item increments the version: also never sent twice.
    ddb::MappingOptions options;
    options.version_attribute = "version";
    auto m = mapping(options);
    m.modify_item(key, {{"a", 1}});
    lose_next("UpdateItem", loss);
    EXPECT_THROW(m.modify_item(key, {{"a", 2}}), ddb::AmbiguousOutcomeError) << name(loss);
    EXPECT_EQ(stored(key)->at("version"), ddb::Value(2)) << name(loss);

    // An idempotent update (SET to a value) is simply retried.
    auto plain = mapping();
    lose_next("UpdateItem", loss);
    EXPECT_EQ(plain.modify_item(key, {{"a", 3}}).at("a"), ddb::Value(3)) << name(loss);
    lose_next("UpdateItem", loss);
    plain[key]["b"] = 4;  // SET with attribute_exists: retried, and the item exists
    EXPECT_EQ(stored(key)->at("b"), ddb::Value(4));
  }
}

TEST_F(OutcomeTest, ConditionalPutWithAUserConditionIsResolved) {
  for (Loss loss : kLosses) {
    auto m = mapping();
    const std::string key = std::string("cond-") + name(loss);
    const auto open = ddb::Condition::equals("state", "open");
    store({{"pk", key}, {"state", "open"}});
    lose_next("PutItem", loss);
    // The condition (state = open) is made false by this very put: the retry's refusal carries
    // the item this put wrote, which proves it landed.
    m.set_item(key, {{"state", "closed"}}, {open});
    EXPECT_EQ(stored(key)->at("state"), ddb::Value("closed")) << name(loss);

    // Another writer changes the item after the lost attempt: the refusal carries their item,
    // and whether this put landed first cannot be told.
    store({{"pk", key}, {"state", "open"}});
    next("PutItem", [this, key, loss](const HttpRequest& r) {
      Action a = lose_answer(loss, r, endpoint_);
      store({{"pk", key}, {"state", "reopened"}});
      return a;
    });
    EXPECT_THROW(m.set_item(key, {{"state", "closed"}}, {open}), ddb::AmbiguousOutcomeError)
        << name(loss);

    // Without a lost answer, a false condition is a plain condition failure.
    EXPECT_THROW(m.set_item(key, {{"state", "closed"}}, {open}), ddb::ConditionalCheckFailedError);
  }
}

TEST_F(OutcomeTest, TransactionWhoseAnswerIsLostIsNotReportedCancelled) {
  if (ddbtest::engine() == "dynalite") GTEST_SKIP() << "dynalite has no transactions";
  auto m = mapping();
  for (Loss loss : kLosses) {
    const std::string key = std::string("tx-") + name(loss);
    lose_next("TransactWriteItems", loss);
    // The put's condition (the item is new) is made false by the lost attempt itself.
    auto tx = m.transaction();
    tx.put(key, {{"v", 1}}, {ddb::Condition::not_exists("pk")});
    try {
      tx.commit();  // the retry carries the same ClientRequestToken
    } catch (const ddb::AmbiguousOutcomeError&) {
      // Allowed: a server that ignores the token refuses the retry, and that refusal is not
      // trusted. A TransactionCanceledError would be the lie this test is about.
    }
    EXPECT_EQ(stored(key), (ddb::Item{{"pk", key}, {"v", 1}})) << name(loss);
  }
}

TEST_F(OutcomeTest, TableOperationsAndTtlWhoseAnswersAreLost) {
  auto client = proxied();
  ddb::CreateTableRequest c;
  c.table_name = ddbtest::unique_table_name("lost_create");
  c.key_schema = {{"pk", ddb::KeyType::Hash}};
  c.attribute_definitions = {{"pk", ddb::ScalarType::String}};
  lose_next("CreateTable", Loss::Reset);
  // The retry finds the table this call created: ResourceInUse would be a lie.
  EXPECT_THROW(client.create_table(c), ddb::AmbiguousOutcomeError);
  EXPECT_EQ(direct_->describe_table(c.table_name).table_name, c.table_name);
  lose_next("DeleteTable", Loss::Reset);
  EXPECT_THROW(client.delete_table(c.table_name), ddb::AmbiguousOutcomeError);
  EXPECT_THROW(direct_->describe_table(c.table_name), ddb::ResourceNotFoundError);

  if (ddbtest::engine() == "dynalite") return;  // no TTL there
  lose_next("UpdateTimeToLive", Loss::Reset);
  // The retry is refused because the lost attempt turned TTL on: not a failure to report.
  EXPECT_THROW(client.update_time_to_live(table_->name(), {"expires", true}),
               ddb::AmbiguousOutcomeError);
}

TEST_F(OutcomeTest, ExhaustedRetriesOfAWriteSayItMayHaveBeenApplied) {
  auto client = proxied(3);
  for (int i = 0; i < 3; ++i) lose_next("PutItem", Loss::Reset);
  ddb::PutItemRequest p;
  p.table_name = table_->name();
  p.item = {{"pk", "exhausted"}, {"v", 1}};
  try {
    client.put_item(p);
    FAIL() << "no exception";
  } catch (const ddb::AmbiguousOutcomeError& e) {
    ASSERT_TRUE(e.cause());
    EXPECT_THROW(std::rethrow_exception(e.cause()), ddb::NetworkError);
  }
  EXPECT_EQ(stored("exhausted"), p.item);
  // A read that never gets an answer is a plain NetworkError: reads change nothing.
  for (int i = 0; i < 3; ++i) lose_next("GetItem", Loss::Reset);
  ddb::GetItemRequest g;
  g.table_name = table_->name();
  g.key = {{"pk", "exhausted"}};
  EXPECT_THROW(client.get_item(g), ddb::NetworkError);
  // Throttled writes were never applied: the last error is the throttling itself.
  for (int i = 0; i < 3; ++i) {
    next("PutItem", [](const HttpRequest&) {
      return Action::respond({400,
                              {},
                              R"({"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException",)"
                              R"("message":"slow down"})"});
    });
  }
  EXPECT_THROW(client.put_item(p), ddb::ThrottlingError);
}

TEST_F(OutcomeTest, AWriteAnsweredWithAnUnreadable200IsAnAmbiguousOutcome) {
  // A 200 that is not DynamoDB's JSON may be a proxy's page: the write may or may not have landed.
  next("PutItem", [](const HttpRequest&) {
    return Action::respond({200, {{"Content-Type", "text/html"}}, "<html>welcome</html>"});
  });
  ddb::PutItemRequest p;
  p.table_name = table_->name();
  p.item = {{"pk", "html"}};
  auto client = proxied();
  try {
    client.put_item(p);
    FAIL() << "no exception";
  } catch (const ddb::AmbiguousOutcomeError& e) {
    EXPECT_THROW(std::rethrow_exception(e.cause()), ddb::DecodeError);
  }
  // The same answer to a read is a plain DecodeError.
  next("GetItem", [](const HttpRequest&) {
    return Action::respond({200, {{"Content-Type", "text/html"}}, "<html>welcome</html>"});
  });
  ddb::GetItemRequest g;
  g.table_name = table_->name();
  g.key = {{"pk", "html"}};
  EXPECT_THROW(client.get_item(g), ddb::DecodeError);
}

namespace {
// Credentials that work once and then fail, as an expired source that cannot be refreshed.
class OnceProvider : public ddb::CredentialsProvider {
 public:
  ddb::Credentials get() override {
    if (calls_++ > 0) throw ddb::CredentialsError("the source is gone");
    return {"test", "test", "", {}};
  }

 private:
  std::atomic<int> calls_{0};
};
}  // namespace

TEST_F(OutcomeTest, CredentialsLostBeforeTheRetryDoNotHideALostWrite) {
  ddb::ClientConfig c = proxied_config();
  c.credentials.reset();
  c.credentials_provider = std::make_shared<OnceProvider>();
  ddb::Client client(c);
  lose_next("PutItem", Loss::Reset);
  ddb::PutItemRequest p;
  p.table_name = table_->name();
  p.item = {{"pk", "creds"}};
  try {
    client.put_item(p);
    FAIL() << "no exception";
  } catch (const ddb::AmbiguousOutcomeError& e) {
    EXPECT_THROW(std::rethrow_exception(e.cause()), ddb::CredentialsError);
  }
  EXPECT_EQ(stored("creds"), p.item);
}
