// PartiQL end to end: execute (a lazy paged SELECT with parameters; INSERT, UPDATE and DELETE
// sent once), execute_batch (one response per statement), and what lost or broken answers do:
// a SELECT is retried without duplicates, a write throws AmbiguousOutcomeError and is applied
// once. DynamoDB Local runs PartiQL; dynalite does not (those tests skip).
#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "dynamodb_mapping/mapping.hpp"
#include "support/fault_proxy.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::Action;
using ddbtest::HttpRequest;
using ddbtest::kLosses;
using ddbtest::Loss;

namespace {

constexpr const char* kNoPartiql = "dynalite does not implement ExecuteStatement (PartiQL)";

class StatementsTest : public ddbtest::ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    direct_.emplace(ddbtest::local_config(endpoint_));
    table_.emplace(*direct_, "partiql", true);
    proxy_.emplace(endpoint_);
    client_.emplace(proxy_->client());
  }
  void TearDown() override {
    client_.reset();
    proxy_.reset();
    table_.reset();
    direct_.reset();
  }
  static bool partiql() { return ddbtest::engine() != "dynalite"; }

  ddb::DynamoDBMapping mapping() const {
    ddb::MappingOptions o;
    o.key_schema = {{"pk", ddb::KeyType::Hash}, {"sk", ddb::KeyType::Range}};
    o.key_attribute_types = {{"pk", ddb::ScalarType::String}, {"sk", ddb::ScalarType::String}};
    return ddb::DynamoDBMapping(table_->name(), *client_, o);
  }
  std::string quoted() const { return "\"" + table_->name() + "\""; }
  std::uint64_t requests() const { return client_->stats().requests; }

  std::optional<ddb::Item> stored(const std::string& pk, const std::string& sk) const {
    ddb::GetItemRequest g;
    g.table_name = table_->name();
    g.key = {{"pk", pk}, {"sk", sk}};
    g.consistent_read = true;
    return direct_->get_item(g).item;
  }
  void store(ddb::Item item) const {
    ddb::PutItemRequest p;
    p.table_name = table_->name();
    p.item = std::move(item);
    direct_->put_item(p);
  }
  // Ten items in partition "g" (sk "s0".."s9") and one elsewhere.
  void store_group() const {
    for (int i = 0; i < 10; ++i) store({{"pk", "g"}, {"sk", "s" + std::to_string(i)}, {"n", i}});
    store({{"pk", "other"}, {"sk", "s0"}});
  }
  std::vector<std::string> sort_keys(const ddb::Results<ddb::Item>& r) const {
    std::vector<std::string> out;
    for (const ddb::Item& item : r) out.push_back(item.at("sk").as_string());
    return out;
  }
  static std::vector<ddb::Item> all(const ddb::Results<ddb::Item>& r) {
    std::vector<ddb::Item> out;
    for (const ddb::Item& item : r) out.push_back(item);
    return out;
  }
  std::vector<std::string> all_sort_keys() const {
    std::vector<std::string> v;
    for (int i = 0; i < 10; ++i) v.push_back("s" + std::to_string(i));
    return v;
  }

  std::optional<ddb::Client> direct_;
  std::optional<ddbtest::ScopedTable> table_;
  std::optional<ddbtest::FaultProxy> proxy_;
  std::optional<ddb::Client> client_;  // through the proxy
};

}  // namespace

TEST_F(StatementsTest, SelectWithParametersPagesLazilyAndExactlyOnce) {
  if (!partiql()) GTEST_SKIP() << kNoPartiql;
  store_group();
  ddb::StatementOptions o;
  o.page_size = 3;
  const std::uint64_t before = requests();
  const auto results = mapping().execute("SELECT * FROM " + quoted() + " WHERE pk = ?", {"g"}, o);
  EXPECT_EQ(requests(), before) << "execute of a SELECT sent something before begin()";
  EXPECT_EQ(sort_keys(results), all_sort_keys());
  // 10 items, 3 read per request: at least 4 pages.
  EXPECT_GE(requests() - before, 4u);
  // Re-iterable: a second begin() runs it again from the start.
  EXPECT_EQ(sort_keys(results), all_sort_keys());
  // No resume tokens for statements, refused before anything is sent.
  const std::uint64_t mid = requests();
  EXPECT_THROW((void)results.page(), ddb::ValidationError);
  EXPECT_THROW((void)results.resume("abc"), ddb::ValidationError);
  auto it = results.begin();
  ASSERT_NE(it, results.end());
  EXPECT_THROW((void)it.token(), ddb::ValidationError);
  EXPECT_EQ(requests(), mid + 1);  // the begin() above only
}

TEST_F(StatementsTest, InsertUpdateDeleteAreSentOnce) {
  if (!partiql()) GTEST_SKIP() << kNoPartiql;
  const auto m = mapping();
  const std::string t = quoted();
  const std::uint64_t before = requests();
  const auto inserted =
      m.execute("INSERT INTO " + t + " VALUE {'pk': ?, 'sk': ?, 'n': ?}", {"a", "1", 1});
  EXPECT_EQ(requests(), before + 1) << "a write is sent by execute itself";
  ASSERT_TRUE(stored("a", "1"));
  EXPECT_EQ(stored("a", "1")->at("n"), ddb::Value(1));
  // Iterating its results (twice) replays the answer: nothing is sent again.
  EXPECT_TRUE(all(inserted).empty());
  EXPECT_TRUE(all(inserted).empty());
  EXPECT_EQ(requests(), before + 1);

  // INSERT of a key that exists: DuplicateItemException, as a condition failure.
  try {
    (void)m.execute("INSERT INTO " + t + " VALUE {'pk': 'a', 'sk': '1'}");
    FAIL() << "a duplicate INSERT succeeded";
  } catch (const ddb::ConditionalCheckFailedError& e) {
    // DynamoDB documents "DuplicateItemException"; DynamoDB Local says "DuplicateItem".
    EXPECT_EQ(e.code().rfind("DuplicateItem", 0), 0u) << e.code();
    EXPECT_EQ(e.operation(), "ExecuteStatement");
    EXPECT_EQ(e.table(), table_->name());
  }

  (void)m.execute("UPDATE " + t + " SET n = n + ? WHERE pk = ? AND sk = ?", {5, "a", "1"});
  EXPECT_EQ(stored("a", "1")->at("n"), ddb::Value(6));

  // UPDATE ... RETURNING: the answer's item is the range's one element.
  const auto returned =
      m.execute("UPDATE " + t + " SET n = 7 WHERE pk = 'a' AND sk = '1' RETURNING ALL NEW *");
  const std::vector<ddb::Item> items = all(returned);
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].at("n"), ddb::Value(7));

  // A condition on a write: refused, with the stored item when asked for.
  ddb::StatementOptions with_item;
  with_item.return_item_on_condition_failure = true;
  try {
    (void)m.execute("DELETE FROM " + t + " WHERE pk = 'a' AND sk = '1' AND n = 100", {}, with_item);
    FAIL() << "a DELETE whose condition is false succeeded";
  } catch (const ddb::ConditionalCheckFailedError& e) {
    EXPECT_EQ(e.code(), "ConditionalCheckFailedException");
    ASSERT_NE(e.item(), nullptr);
    EXPECT_EQ(e.item()->at("n"), ddb::Value(7));
  }
  ASSERT_TRUE(stored("a", "1"));

  (void)m.execute("DELETE FROM " + t + " WHERE pk = ? AND sk = ?", {"a", "1"});
  EXPECT_FALSE(stored("a", "1"));
}

TEST_F(StatementsTest, BatchAnswersEachStatementInOrder) {
  if (!partiql()) GTEST_SKIP() << kNoPartiql;
  store({{"pk", "b"}, {"sk", "old"}, {"n", 1}});
  const auto m = mapping();
  const std::string insert = "INSERT INTO " + quoted() + " VALUE {'pk': ?, 'sk': ?}";
  const std::vector<ddb::StatementResponse> writes = m.execute_batch({
      {insert, {"b", "new1"}},
      {insert, {"b", "old"}},  // exists: fails alone
      {insert, {"b", "new2"}},
  });
  ASSERT_EQ(writes.size(), 3u);
  EXPECT_TRUE(writes[0].ok()) << writes[0].error_code;
  EXPECT_FALSE(writes[1].ok());
  EXPECT_EQ(writes[1].error_code, "DuplicateItem");
  EXPECT_TRUE(writes[2].ok()) << writes[2].error_code;
  EXPECT_TRUE(stored("b", "new1"));
  EXPECT_TRUE(stored("b", "new2"));
  EXPECT_EQ(stored("b", "old")->at("n"), ddb::Value(1));  // untouched

  const std::string select = "SELECT * FROM " + quoted() + " WHERE pk = ? AND sk = ?";
  const auto reads = m.execute_batch({{select, {"b", "old"}}, {select, {"b", "missing"}}});
  ASSERT_EQ(reads.size(), 2u);
  ASSERT_TRUE(reads[0].ok());
  ASSERT_TRUE(reads[0].item);
  EXPECT_EQ(reads[0].item->at("n"), ddb::Value(1));
  EXPECT_TRUE(reads[1].ok());
  EXPECT_FALSE(reads[1].item);
}

// Runs on both engines: nothing reaches a server.
TEST_F(StatementsTest, BadInputIsRefusedBeforeSending) {
  const auto m = mapping();
  const std::uint64_t before = requests();
  const std::string select = "SELECT * FROM " + quoted() + " WHERE pk = ?";
  EXPECT_THROW((void)m.execute(""), ddb::ValidationError);
  EXPECT_THROW((void)m.execute(std::string(8193, ' ')), ddb::ValidationError);
  EXPECT_THROW((void)m.execute(select, {ddb::Value(ddb::NumberSet{})}), ddb::ValidationError);
  EXPECT_THROW((void)m.execute(select, {ddb::Value(ddb::List{ddb::Value(ddb::StringSet{})})}),
               ddb::ValidationError);
  ddb::StatementOptions negative;
  negative.page_size = -1;
  EXPECT_THROW((void)m.execute(select, {"a"}, negative), ddb::ValidationError);
  EXPECT_THROW((void)m.execute("INSERT INTO " + quoted() + " VALUE {'pk': ?}",
                               {ddb::Value(ddb::StringSet{})}),
               ddb::ValidationError);
  EXPECT_THROW((void)m.execute_batch({}), ddb::ValidationError);
  EXPECT_THROW((void)m.execute_batch(std::vector<ddb::Statement>(26, {select, {"a"}})),
               ddb::ValidationError);
  EXPECT_THROW((void)m.execute_batch({{select, {"a"}}, {"", {}}}), ddb::ValidationError);
  ddb::ExecuteStatementRequest r;
  r.statement = select;
  r.parameters = {"a"};
  r.limit = 0;
  EXPECT_THROW((void)client_->execute_statement(r), ddb::ValidationError);
  EXPECT_EQ(requests(), before);
}

TEST_F(StatementsTest, LostAnswerOnSelectIsRetriedWithoutDuplicates) {
  if (!partiql()) GTEST_SKIP() << kNoPartiql;
  store_group();
  ddb::StatementOptions o;
  o.page_size = 4;
  const auto results = mapping().execute("SELECT * FROM " + quoted() + " WHERE pk = ?", {"g"}, o);
  for (Loss loss : kLosses) {
    SCOPED_TRACE(ddbtest::name(loss));
    std::atomic<int> lost{0};  // the faults met (on the proxy's thread)
    auto lose = [&](Loss how) {
      return [this, how, &lost](const HttpRequest& r) {
        ++lost;
        return ddbtest::lose_answer(how, r, proxy_->upstream());
      };
    };
    proxy_->next("ExecuteStatement", lose(Loss::Reset));  // the first page
    proxy_->next("ExecuteStatement", nullptr);            // its retry passes
    proxy_->next("ExecuteStatement", lose(loss));         // the second page
    EXPECT_EQ(sort_keys(results), all_sort_keys());
    EXPECT_EQ(lost.load(), 2) << "both answers were lost, and the pages still came once each";
  }
}

TEST_F(StatementsTest, LostAnswerOnWritesIsAmbiguousAndAppliedOnce) {
  if (!partiql()) GTEST_SKIP() << kNoPartiql;
  const auto m = mapping();
  store({{"pk", "c"}, {"sk", "counter"}, {"n", 0}});
  int expected = 0;
  for (Loss loss : kLosses) {
    SCOPED_TRACE(ddbtest::name(loss));
    const std::string sk = std::string("i-") + ddbtest::name(loss);
    proxy_->lose_next("ExecuteStatement", loss);
    std::uint64_t before = requests();
    EXPECT_THROW((void)m.execute("INSERT INTO " + quoted() + " VALUE {'pk': 'c', 'sk': ?}", {sk}),
                 ddb::AmbiguousOutcomeError);
    EXPECT_EQ(requests(), before + 1) << "a write was sent again after a lost answer";
    EXPECT_TRUE(stored("c", sk)) << "the first attempt was applied";

    proxy_->lose_next("ExecuteStatement", loss);
    before = requests();
    EXPECT_THROW(
        (void)m.execute("UPDATE " + quoted() + " SET n = n + 1 WHERE pk = 'c' AND sk = 'counter'"),
        ddb::AmbiguousOutcomeError);
    EXPECT_EQ(requests(), before + 1);
    EXPECT_EQ(stored("c", "counter")->at("n"), ddb::Value(++expected)) << "applied once";

    // A batch with a write: the same.
    proxy_->lose_next("BatchExecuteStatement", loss);
    const std::string update =
        "UPDATE " + quoted() + " SET n = n + 1 WHERE pk = 'c' AND sk = 'counter'";
    before = requests();
    EXPECT_THROW((void)m.execute_batch({{update, {}}}), ddb::AmbiguousOutcomeError);
    EXPECT_EQ(requests(), before + 1);
    EXPECT_EQ(stored("c", "counter")->at("n"), ddb::Value(++expected)) << "applied once";
  }
  // A batch of reads is retried.
  proxy_->lose_next("BatchExecuteStatement", Loss::Reset);
  const std::string select = "SELECT * FROM " + quoted() + " WHERE pk = 'c' AND sk = 'counter'";
  const auto reads = m.execute_batch({{select, {}}});
  ASSERT_EQ(reads.size(), 1u);
  ASSERT_TRUE(reads[0].item);
  EXPECT_EQ(reads[0].item->at("n"), ddb::Value(expected));
}

TEST_F(StatementsTest, MalformedAnswers) {
  if (!partiql()) GTEST_SKIP() << kNoPartiql;
  store({{"pk", "d"}, {"sk", "1"}});
  const auto m = mapping();
  // The server applies the request; its answer is replaced by one that cannot be read.
  auto broken = [this](const HttpRequest& r) {
    (void)ddbtest::forward(proxy_->upstream(), r);
    return Action::respond({200, {}, R"({"Items":[{"pk":{"S":1}}]})"});
  };
  proxy_->next("ExecuteStatement", broken);
  EXPECT_THROW((void)all(m.execute("SELECT * FROM " + quoted() + " WHERE pk = 'd'")),
               ddb::DecodeError);
  proxy_->next("ExecuteStatement", broken);
  EXPECT_THROW((void)m.execute("INSERT INTO " + quoted() + " VALUE {'pk': 'd', 'sk': '2'}"),
               ddb::AmbiguousOutcomeError);
  EXPECT_TRUE(stored("d", "2"));
  // A batch answer with fewer responses than statements cannot be matched to them.
  proxy_->next("BatchExecuteStatement", [this](const HttpRequest& r) {
    (void)ddbtest::forward(proxy_->upstream(), r);
    return Action::respond({200, {}, R"({"Responses":[]})"});
  });
  const std::string select = "SELECT * FROM " + quoted() + " WHERE pk = 'd' AND sk = '1'";
  EXPECT_THROW((void)m.execute_batch({{select, {}}}), ddb::DecodeError);
  proxy_->next("BatchExecuteStatement", [this](const HttpRequest& r) {
    (void)ddbtest::forward(proxy_->upstream(), r);
    return Action::respond({200, {}, "<html>"});
  });
  EXPECT_THROW(
      (void)m.execute_batch({{"DELETE FROM " + quoted() + " WHERE pk = 'd' AND sk = '2'", {}}}),
      ddb::AmbiguousOutcomeError);
  EXPECT_FALSE(stored("d", "2"));
}
