// Index views against a real server: a global and a local secondary index with key names of
// their own, queried, scanned, found by index key (not unique), resumed from tokens; bad input
// refused before sending; a lost answer on an index query.
#include <gtest/gtest.h>

#include <set>

#include "dynamodb_mapping/mapping.hpp"
#include "dynamodb_mapping/tables.hpp"
#include "support/fault_proxy.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;
using ddb::Path;

namespace {

class IndexTest : public ddbtest::ClientServerTest {
 protected:
  void SetUp() override {
    ClientServerTest::SetUp();
    if (HasFatalFailure()) return;
    name_ = ddbtest::unique_table_name("index");
    ddb::TableSpec spec;
    spec.name = name_;
    spec.partition_key = {"customer", ddb::ScalarType::String};
    spec.sort_key = ddb::KeyAttribute{"order", ddb::ScalarType::Number};
    ddb::IndexSpec by_status;
    by_status.name = "by_status";
    by_status.partition_key = {"status", ddb::ScalarType::String};
    by_status.sort_key = ddb::KeyAttribute{"placed", ddb::ScalarType::String};
    spec.global_indexes.push_back(by_status);
    ddb::IndexSpec by_sku;  // keys only, partition key alone
    by_sku.name = "by_sku";
    by_sku.partition_key = {"sku", ddb::ScalarType::String};
    by_sku.projection.projection_type = "KEYS_ONLY";
    spec.global_indexes.push_back(by_sku);
    ddb::IndexSpec by_total;
    by_total.name = "by_total";
    by_total.partition_key = spec.partition_key;
    by_total.sort_key = ddb::KeyAttribute{"total", ddb::ScalarType::Number};
    spec.local_indexes.push_back(by_total);
    ddb::create_table(client(), spec, {.timeout = std::chrono::seconds(60)});
    // 3 customers x 8 orders; statuses alternate, two SKUs.
    ddb::DynamoDBMapping m = mapping();
    for (const char* c : {"ann", "bob", "cy"}) {
      for (int i = 0; i < 8; ++i) {
        m[{c, i}] = {{"status", i % 2 ? "open" : "shipped"},
                     {"placed", "2026-11-" + std::to_string(10 + i)},
                     {"sku", i % 3 ? "pen" : "ink"},
                     {"total", 100 - i},
                     {"note", "n"}};
      }
    }
  }
  void TearDown() override {
    if (!name_.empty()) {
      try {
        (void)client().delete_table(name_);
      } catch (const ddb::Error&) {
      }
    }
  }
  ddb::DynamoDBMapping mapping() const { return ddb::DynamoDBMapping(name_, client_copy()); }
  ddb::Client client_copy() const { return const_cast<IndexTest*>(this)->client(); }

  std::string name_;
};

// "customer/order" of each item, in the order returned.
std::vector<std::string> ids(const ddb::Results<ddb::Item>& r) {
  std::vector<std::string> out;
  for (const ddb::Item& item : r) {
    out.push_back(item.at("customer").as_string() + "/" +
                  std::to_string(item.at("order").as<int>()));
  }
  return out;
}

}  // namespace

TEST_F(IndexTest, AGlobalIndexIsQueriedByItsOwnKey) {
  auto m = mapping();
  auto ix = m.index("by_status");
  EXPECT_EQ(ix.key_definitions(),
            (std::vector<ddb::AttributeDefinition>{{"status", ddb::ScalarType::String},
                                                   {"placed", ddb::ScalarType::String}}));
  EXPECT_TRUE(ix.global());
  EXPECT_EQ(ix.projection().first, "ALL");
  // Index sort-key order, a condition on the index sort key, reverse, filter, page size 2.
  const auto open =
      ids(ix.query("open", ddb::SortCondition::between("2026-11-11", "2026-11-15"),
                   {.filter = Path("customer") != "bob", .descending = true, .page_size = 2}));
  // Items sharing an index key come in any order among themselves.
  std::multiset<std::string> got(open.begin(), open.end());
  EXPECT_EQ(got, (std::multiset<std::string>{"ann/1", "ann/3", "ann/5", "cy/1", "cy/3", "cy/5"}));
  // The placed values come back in descending order.
  std::vector<std::string> placed;
  for (const ddb::Item& item : ix.query("open", std::nullopt, {.descending = true})) {
    placed.push_back(item.at("placed").as_string());
  }
  EXPECT_EQ(placed.size(), 12u);
  EXPECT_TRUE(std::is_sorted(placed.rbegin(), placed.rend()));
  // QueryOptions::index_name is the same query.
  EXPECT_EQ(ids(m.query("open", ddb::SortCondition::begins_with("2026-11-1"),
                        {.index_name = "by_status"}))
                .size(),
            12u);
}

TEST_F(IndexTest, FindReturnsEveryItemSharingAnIndexKey) {
  auto ix = mapping().index("by_sku");
  EXPECT_EQ(ix.projection().first, "KEYS_ONLY");
  std::set<std::string> ink;
  for (const ddb::Item& item : ix.find("ink")) {
    ink.insert(item.at("customer").as_string() + "/" + std::to_string(item.at("order").as<int>()));
    EXPECT_FALSE(item.count("note")) << "KEYS_ONLY holds no other attribute";
  }
  EXPECT_EQ(ink, (std::set<std::string>{"ann/0", "ann/3", "ann/6", "bob/0", "bob/3", "bob/6",
                                        "cy/0", "cy/3", "cy/6"}));
  std::size_t n = 0;
  for (const ddb::Item& item : ix) n += item.count("sku");
  EXPECT_EQ(n, 24u) << "a scan of the index";
  EXPECT_TRUE(ids(ix.find("none")).empty());
}

TEST_F(IndexTest, ALocalIndexSharesThePartitionAndMayReadConsistently) {
  auto ix = mapping().index("by_total");
  EXPECT_FALSE(ix.global());
  EXPECT_EQ(ids(ix.query("bob", ddb::SortCondition::ge(97), {.consistent_read = true})),
            (std::vector<std::string>{"bob/3", "bob/2", "bob/1", "bob/0"}));
  EXPECT_EQ(ids(ix.find({"bob", 95})), (std::vector<std::string>{"bob/5"}));
}

TEST_F(IndexTest, ResumeTokensOfAnIndexQueryCarryItsKeys) {
  auto ix = mapping().index("by_status");
  const auto all = ids(ix.query("shipped"));
  ASSERT_EQ(all.size(), 12u);
  for (std::size_t stop : {0u, 4u, 10u}) {
    auto view = ix.query("shipped");
    auto it = view.begin();
    for (std::size_t i = 0; i < stop; ++i) ++it;
    const std::string token = it.token();
    const auto rest = ids(view.resume(token));
    EXPECT_EQ(rest, std::vector<std::string>(all.begin() + static_cast<std::ptrdiff_t>(stop) + 1,
                                             all.end()))
        << "after element " << stop;
  }
  // Pages of 5 walk the index once.
  std::vector<std::string> paged;
  std::string token;
  do {
    auto p = ix.query("shipped").page(token, 5);
    for (const auto& item : p.items) {
      paged.push_back(item.at("customer").as_string() + "/" +
                      std::to_string(item.at("order").as<int>()));
    }
    token = p.next_token;
  } while (!token.empty());
  EXPECT_EQ(paged, all);
}

TEST_F(IndexTest, BadIndexQueriesAreRefusedBeforeTheQuery) {
  auto m = mapping();
  auto ix = m.index("by_status");
  (void)ix.key_definitions();  // the one DescribeTable
  const std::uint64_t before = m.client().stats().requests;
  EXPECT_THROW((void)ix.query(1), ddb::ValidationError) << "the index key is a String";
  EXPECT_THROW((void)ix.query("open", ddb::SortCondition::lt(3)), ddb::ValidationError);
  EXPECT_THROW((void)ix.query("open", std::nullopt, {.consistent_read = true}),
               ddb::ValidationError)
      << "a global index is never consistent";
  EXPECT_THROW((void)m.index("by_sku").query("ink", ddb::SortCondition::eq("x")),
               ddb::ValidationError)
      << "no sort key";
  EXPECT_THROW((void)ix.find("open"), ddb::ValidationError) << "the index has a sort key";
  EXPECT_THROW((void)m.index("x"), ddb::ValidationError) << "a name DynamoDB refuses";
  EXPECT_EQ(m.client().stats().requests, before) << "nothing sent";
  try {
    (void)m.index("no_such_index").key_definitions();
    ADD_FAILURE() << "no exception";
  } catch (const ddb::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("by_status"), std::string::npos) << e.what();
  }
  // A mapping that reads consistently by default still queries a global index.
  ddb::DynamoDBMapping consistent(name_, client(), {.default_consistent_read = true});
  EXPECT_EQ(ids(consistent.index("by_status").query("open")).size(), 12u);
}

TEST_F(IndexTest, ALostAnswerToAnIndexQueryIsRetried) {
  ddbtest::FaultProxy proxy(endpoint_);
  ddb::DynamoDBMapping m(name_, proxy.client());
  auto ix = m.index("by_status");
  for (ddbtest::Loss loss : ddbtest::kLosses) proxy.lose_next("Query", loss);
  EXPECT_EQ(ids(ix.query("open", std::nullopt, {.page_size = 5})).size(), 12u);
  // An index description without typed keys is an unreadable answer, not a crash.
  proxy.next("DescribeTable", [](const ddbtest::HttpRequest&) {
    return ddbtest::Action::respond(
        {200,
         {},
         R"({"Table":{"TableName":"t","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],)"
         R"("AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],)"
         R"("GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"g",)"
         R"("KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"}}]}})"});
  });
  ddb::DynamoDBMapping fresh(name_, proxy.client());
  EXPECT_THROW((void)fresh.index("gsi").key_definitions(), ddb::DecodeError);
}
