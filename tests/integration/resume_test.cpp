// Resume tokens and page(): walks by page and by token cover the table exactly once, tokens
// survive a new mapping and client, bad tokens are refused before anything is sent, and a lost
// answer on a page request is retried without duplicates.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "dynamodb_mapping/dynamodb_mapping.hpp"
#include "support/fault_proxy.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;

namespace {

class ResumeTest : public ddbtest::ClientServerTest {
 protected:
  // A table of `n` items "k00".."k<n-1>" with an attribute i = their number.
  void fill(ddb::DynamoDBMapping& m, int n) {
    std::vector<std::pair<ddb::Key, ddb::Item>> entries;
    for (int i = 0; i < n; ++i) entries.emplace_back(key(i), ddb::Item{{"i", i}});
    m.update(std::move(entries));
    for (int i = 0; i < n; ++i) all_.insert(key(i));
  }
  static std::string key(int i) { return "k" + std::string(i < 10 ? "0" : "") + std::to_string(i); }
  std::set<std::string> all_;
};

std::string pk(const ddb::Item& item) {
  return item.at("pk").as_string();
}

// Every page of `r` from the start by page(token, limit): the keys in order, and the calls made.
template <class T, class F>
std::vector<std::string> walk_pages(const ddb::Results<T>& r, int limit, F key_of, int& calls) {
  std::vector<std::string> keys;
  std::string token;
  calls = 0;
  for (int guard = 0; guard < 1000; ++guard) {
    auto page = r.page(token, limit);
    ++calls;
    for (const auto& e : page.items) keys.push_back(key_of(e));
    if (page.next_token.empty()) return keys;
    EXPECT_NE(page.next_token, token);
    token = page.next_token;
  }
  ADD_FAILURE() << "page() never ended";
  return keys;
}

std::set<std::string> as_set(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}

TEST_F(ResumeTest, PageWalksTheWholeTableOnceWithOneRequestPerCall) {
  ddbtest::ScopedTable table(client(), "pages");
  ddb::DynamoDBMapping m{table.name(), client()};
  fill(m, 23);
  (void)m.key_names();
  for (int limit : {1, 7, 0}) {
    const auto before = client().stats().requests;
    int calls = 0;
    const auto keys = walk_pages(m.values(), limit, pk, calls);
    EXPECT_EQ(keys.size(), 23u) << "limit " << limit;
    EXPECT_EQ(as_set(keys), all_) << "limit " << limit;
    EXPECT_EQ(client().stats().requests - before, static_cast<std::uint64_t>(calls));
    if (limit == 1) {
      EXPECT_GE(calls, 23);
    } else if (limit == 7) {
      EXPECT_GE(calls, 4);
    }
  }
  // keys() and items() take the same tokens (the projection is not part of a token's scope).
  int calls = 0;
  const auto by_keys = walk_pages(
      m.keys(), 5, [](const ddb::Key& k) { return k.partition.as_string(); }, calls);
  EXPECT_EQ(as_set(by_keys), all_);
  const auto first = m.keys().page({}, 5);
  const auto rest = m.items().page(first.next_token, 100);
  std::set<std::string> joined;
  for (const auto& k : first.items) joined.insert(k.partition.as_string());
  for (const auto& [k, item] : rest.items) EXPECT_TRUE(joined.insert(pk(item)).second);
  EXPECT_EQ(joined, all_);
}

TEST_F(ResumeTest, ATokenContinuesInANewMappingAndClient) {
  ddbtest::ScopedTable table(client(), "newmap");
  ddb::DynamoDBMapping m{table.name(), client()};
  fill(m, 15);
  const auto first = m.values().page({}, 4);
  ASSERT_FALSE(first.next_token.empty());
  std::vector<std::string> keys;
  for (const auto& item : first.items) keys.push_back(pk(item));
  // Another client and mapping of the same table, as another process would have.
  ddb::DynamoDBMapping other{table.name(), ddb::Client(ddbtest::local_config(endpoint_))};
  for (const auto& item : other.values().resume(first.next_token)) keys.push_back(pk(item));
  EXPECT_EQ(keys.size(), 15u);
  EXPECT_EQ(as_set(keys), all_);
}

TEST_F(ResumeTest, AnIteratorTokenResumesWithExactlyTheRest) {
  ddbtest::ScopedTable table(client(), "itertok");
  ddb::DynamoDBMapping m{table.name(), client()};
  fill(m, 17);
  const auto view = m.values({.page_size = 5});
  std::vector<std::string> order, tokens;
  for (auto it = view.begin(); it != view.end(); ++it) {
    order.push_back(pk(*it));
    tokens.push_back(it.token());
  }
  ASSERT_EQ(order.size(), 17u);
  ddb::DynamoDBMapping other{table.name(), ddb::Client(ddbtest::local_config(endpoint_))};
  // After element 0, inside a page (2, 7), at a page's last element (4, 9) and the last one.
  for (std::size_t at : {0u, 2u, 4u, 7u, 9u, 16u}) {
    std::vector<std::string> rest;
    for (const auto& item : other.values({.page_size = 5}).resume(tokens[at])) {
      rest.push_back(pk(item));
    }
    EXPECT_EQ(rest,
              std::vector<std::string>(order.begin() + static_cast<long>(at) + 1, order.end()))
        << "after element " << at;
  }
  // The keys() and items() iterators make tokens too.
  auto kit = m.keys({.page_size = 3}).begin();
  ++kit;
  std::set<std::string> seen{kit->partition.as_string()};
  const std::string after_second = kit.token();
  std::set<std::string> rest;
  for (const auto& [k, item] : m.items().resume(after_second)) rest.insert(pk(item));
  EXPECT_EQ(rest.size(), 15u);
  EXPECT_FALSE(rest.contains(*seen.begin()));
}

TEST_F(ResumeTest, AParallelScanResumesEverySegment) {
  ddbtest::ScopedTable table(client(), "parallel");
  ddb::DynamoDBMapping m{table.name(), client()};
  fill(m, 40);
  const ddb::ScanOptions o{.page_size = 3, .segments = 4};
  for (std::size_t stop_after : {1u, 10u, 25u}) {
    std::vector<std::string> first;
    std::string token;
    {
      const auto view = m.values(o);
      for (auto it = view.begin(); it != view.end(); ++it) {
        first.push_back(pk(*it));
        if (first.size() == stop_after) {
          token = it.token();
          break;
        }
      }
    }
    ASSERT_FALSE(token.empty());
    ddb::DynamoDBMapping other{table.name(), ddb::Client(ddbtest::local_config(endpoint_))};
    std::vector<std::string> all = first;
    for (const auto& item : other.values(o).resume(token)) all.push_back(pk(item));
    EXPECT_EQ(all.size(), 40u) << "stopped after " << stop_after;
    EXPECT_EQ(as_set(all), all_) << "stopped after " << stop_after;
    // A sequential scan does not take a parallel scan's token.
    EXPECT_THROW((void)other.values().resume(token), ddb::ValidationError);
  }
  // page() goes through the segments one request at a time.
  int calls = 0;
  const auto keys = walk_pages(m.values(o), 0, pk, calls);
  EXPECT_EQ(keys.size(), 40u);
  EXPECT_EQ(as_set(keys), all_);
  EXPECT_GE(calls, 4);
}

TEST_F(ResumeTest, BadTokensAreRefusedBeforeAnythingIsSent) {
  ddbtest::ScopedTable table(client(), "badtok", true);
  ddbtest::ScopedTable other_table(client(), "badtok_other", true);
  ddb::DynamoDBMapping m{table.name(), client()};
  ddb::DynamoDBMapping o{other_table.name(), client()};
  m.update(std::vector<std::pair<ddb::Key, ddb::Item>>{
      {{"p", "a"}, {}}, {{"p", "b"}, {}}, {{"p", "c"}, {}}, {{"q", "a"}, {}}});
  o.update(std::vector<std::pair<ddb::Key, ddb::Item>>{{{"p", "a"}, {}}, {{"p", "b"}, {}}});
  const std::string scan_token = m.values().page({}, 1).next_token;
  const std::string query_token = m.query("p").page({}, 1).next_token;
  const std::string other_token = o.values().page({}, 1).next_token;
  ASSERT_FALSE(scan_token.empty());
  ASSERT_FALSE(query_token.empty());
  ASSERT_FALSE(other_token.empty());
  (void)m.key_names();

  std::string tampered = scan_token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  const std::string truncated = scan_token.substr(0, scan_token.size() - 4);
  const std::string oversized(2 << 20, 'A');
  const std::string not_base64 = scan_token.substr(0, 10) + "!" + scan_token.substr(11);
  const auto filtered =
      m.values({.filter = ddb::Condition{"#x = :x", {{"#x", "pk"}}, {{":x", "p"}}}});

  struct Case {
    const char* what;
    std::string token;
    std::string expect;  // in the message
  };
  const std::vector<Case> cases{
      {"tampered", tampered, "integrity"},
      {"truncated", truncated, "resume token refused"},
      {"oversized", oversized, "characters long"},
      {"not base64url", not_base64, "not base64url"},
      {"another table", other_token, other_table.name()},
      {"a query's", query_token, "continues a Query, not a Scan"},
  };
  const auto before = client().stats().requests;
  for (const Case& c : cases) {
    try {
      (void)m.values().page(c.token, 1);
      ADD_FAILURE() << c.what << ": accepted";
    } catch (const ddb::ValidationError& e) {
      EXPECT_NE(std::string(e.what()).find(c.expect), std::string::npos)
          << c.what << ": " << e.what();
      EXPECT_EQ(e.table(), table.name()) << c.what;
    }
    EXPECT_THROW((void)m.values().resume(c.token), ddb::ValidationError) << c.what;
  }
  // The other table's token names both tables.
  try {
    (void)m.values().resume(other_token);
  } catch (const ddb::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find(table.name()), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)m.query("p").page(scan_token), ddb::ValidationError);
  // Another partition, another order or another filter: another query.
  EXPECT_THROW((void)m.query("q").page(query_token), ddb::ValidationError);
  EXPECT_THROW((void)m.query("p", std::nullopt, {.descending = true}).page(query_token),
               ddb::ValidationError);
  EXPECT_THROW((void)filtered.page(scan_token), ddb::ValidationError);
  EXPECT_THROW((void)m.values({.segments = 2}).page(scan_token), ddb::ValidationError);
  EXPECT_THROW((void)m.values().page({}, -1), ddb::ValidationError);
  EXPECT_EQ(client().stats().requests, before) << "a refused token sent a request";
  // The good ones still work, and a query's token continues that query.
  std::set<std::string> sorts;
  for (const auto& item : m.query("p").resume(query_token)) sorts.insert(item.at("sk").as_string());
  EXPECT_EQ(sorts.size(), 2u);
}

TEST_F(ResumeTest, AFilteredPageMayBeEmptyWithANextToken) {
  ddbtest::ScopedTable table(client(), "filtered");
  ddb::DynamoDBMapping m{table.name(), client()};
  fill(m, 12);
  const auto none =
      m.values({.filter = ddb::Condition{"#i > :big", {{"#i", "i"}}, {{":big", 100}}}});
  const auto first = none.page({}, 2);
  EXPECT_TRUE(first.items.empty());
  EXPECT_FALSE(first.next_token.empty());
  int calls = 0;
  EXPECT_TRUE(walk_pages(none, 5, pk, calls).empty());
  EXPECT_GE(calls, 3);
}

TEST_F(ResumeTest, ALostAnswerOnAPageRequestIsRetriedWithoutDuplicates) {
  ddbtest::ScopedTable table(client(), "lostpage");
  ddb::DynamoDBMapping direct{table.name(), client()};
  fill(direct, 20);
  for (ddbtest::Loss loss : ddbtest::kLosses) {
    ddbtest::FaultProxy proxy(endpoint_);
    ddb::Client c = proxy.client();
    ddb::DynamoDBMapping m{table.name(), c};
    (void)m.key_names();
    const auto first = m.values().page({}, 6);
    proxy.lose_next("Scan", loss);
    proxy.lose_next("Scan", loss);
    std::vector<std::string> keys;
    for (const auto& item : first.items) keys.push_back(pk(item));
    std::string token = first.next_token;
    for (int guard = 0; guard < 100 && !token.empty(); ++guard) {
      auto page = m.values().page(token, 6);
      for (const auto& item : page.items) keys.push_back(pk(item));
      token = page.next_token;
    }
    EXPECT_EQ(keys.size(), 20u) << ddbtest::name(loss);
    EXPECT_EQ(as_set(keys), all_) << ddbtest::name(loss);
    EXPECT_GE(c.stats().retries, 1u) << ddbtest::name(loss);
  }
}

}  // namespace
