// Consumed capacity without a server: the member added to request bodies, reading ConsumedCapacity
// from answers (shapes, bounds, the read/write split), and the totals a Client keeps.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <string>

#include "client/capacity.hpp"

namespace ddb = dynamodb_mapping;
namespace detail = dynamodb_mapping::detail;

namespace {

// Whether `json` is one valid JSON object, and its ReturnConsumedCapacity member.
std::string return_consumed_capacity_of(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(json).get(doc)) return "<not JSON>";
  std::string_view v;
  if (doc["ReturnConsumedCapacity"].get_string().get(v)) return "<absent>";
  return std::string(v);
}

std::vector<detail::CapacityEntry> decoded(const std::string& answer, bool read = true) {
  auto e = detail::decode_consumed_capacity(answer, read);
  EXPECT_TRUE(e.has_value()) << answer;
  return e ? *e : std::vector<detail::CapacityEntry>{};
}

}  // namespace

TEST(CapacityRequest, TheMemberIsAddedToEmptyAndFullBodies) {
  for (const std::string body :
       {"{}", "{ }", R"({"TableName":"t"})", R"({"TableName":"t","Key":{"pk":{"S":"a"}}})"}) {
    const std::string with = detail::with_return_consumed_capacity(body);
    EXPECT_EQ(return_consumed_capacity_of(with), "INDEXES") << with;
    // Everything that was there is still there, after the new member.
    if (body.size() > 3) {
      EXPECT_EQ(with.substr(with.size() - (body.size() - 1)), body.substr(1));
    }
  }
}

TEST(CapacityAnswer, OneObjectWithIndexes) {
  const auto e = decoded(
      R"({"Items":[],"ConsumedCapacity":{"TableName":"t","CapacityUnits":3.5,"Table":{"CapacityUnits":1},)"
      R"("GlobalSecondaryIndexes":{"g1":{"CapacityUnits":2}},"LocalSecondaryIndexes":{"l1":{"CapacityUnits":0.5}}},"Count":0})",
      false);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].table, "t");
  EXPECT_EQ(e[0].capacity.units, (ddb::CapacityUnits{0, 3.5, 3.5}));
  EXPECT_EQ(e[0].capacity.table, (ddb::CapacityUnits{0, 1, 1}));
  EXPECT_EQ(e[0].capacity.global_secondary_indexes.at("g1"), (ddb::CapacityUnits{0, 2, 2}));
  EXPECT_EQ(e[0].capacity.local_secondary_indexes.at("l1"), (ddb::CapacityUnits{0, 0.5, 0.5}));
}

TEST(CapacityAnswer, ABareTotalIsReadOrWriteByTheOperation) {
  const std::string a = R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5}})";
  EXPECT_EQ(decoded(a, true)[0].capacity.units, (ddb::CapacityUnits{0.5, 0, 0.5}));
  EXPECT_EQ(decoded(a, false)[0].capacity.units, (ddb::CapacityUnits{0, 0.5, 0.5}));
  // Without a Table part, the table's own part is the total less the indexes'.
  EXPECT_EQ(decoded(a)[0].capacity.table, (ddb::CapacityUnits{0.5, 0, 0.5}));
  const auto b = decoded(
      R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":3,"GlobalSecondaryIndexes":{"g":{"CapacityUnits":1}}}})",
      false);
  EXPECT_EQ(b[0].capacity.table, (ddb::CapacityUnits{0, 2, 2}));
  EXPECT_TRUE(detail::reads_capacity("TransactGetItems"));
  EXPECT_TRUE(detail::reads_capacity("Query"));
  EXPECT_FALSE(detail::reads_capacity("TransactWriteItems"));
  EXPECT_FALSE(detail::reads_capacity("PutItem"));
}

TEST(CapacityAnswer, AReadWriteSplitIsTakenAsGiven) {
  const auto e = decoded(
      R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":6,"ReadCapacityUnits":2,"WriteCapacityUnits":4,)"
      R"("Table":{"ReadCapacityUnits":2,"WriteCapacityUnits":4},"Future":{"x":[1]}}})");
  EXPECT_EQ(e[0].capacity.units, (ddb::CapacityUnits{2, 4, 6}));
  EXPECT_EQ(e[0].capacity.table, (ddb::CapacityUnits{2, 4, 6}));  // total from the split
}

TEST(CapacityAnswer, AnArrayForBatchesAndTransactions) {
  const auto e = decoded(
      R"({"ConsumedCapacity":[{"TableName":"a","CapacityUnits":1},{"TableName":"b","CapacityUnits":2}],"UnprocessedItems":{}})",
      false);
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].table, "a");
  EXPECT_EQ(e[1].capacity.units.write, 2);
  EXPECT_TRUE(decoded(R"({"ConsumedCapacity":[]})").empty());
  // A table ARN is a name a request may use, and DynamoDB may report.
  EXPECT_EQ(
      decoded(
          R"({"ConsumedCapacity":{"TableName":"arn:aws:dynamodb:us-east-1:1:table/t","CapacityUnits":1}})")
          [0]
              .table,
      "arn:aws:dynamodb:us-east-1:1:table/t");
}

TEST(CapacityAnswer, AbsentOrMalformedOrOutOfBoundsIsUnreadable) {
  std::string many = R"({"ConsumedCapacity":[)";
  for (int i = 0; i < 101; ++i)
    many += std::string(i ? "," : "") + R"({"TableName":"t","CapacityUnits":1})";
  many += "]}";
  std::string indexes =
      R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":1,"GlobalSecondaryIndexes":{)";
  for (int i = 0; i < 101; ++i) {
    indexes += std::string(i ? "," : "") + "\"g" + std::to_string(i) + R"(":{"CapacityUnits":0})";
  }
  indexes += "}}}";
  const std::string bad[] = {
      R"({"Item":{}})",                                                          // absent
      R"({"ConsumedCapacity":null})",                                            // null
      R"({"ConsumedCapacity":"1"})",                                             // a string
      R"({"ConsumedCapacity":{"CapacityUnits":1}})",                             // no TableName
      R"({"ConsumedCapacity":{"TableName":"t"}})",                               // no units
      R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":"1"}})",           // a string number
      R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":-1}})",            // negative
      R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":1e300}})",         // huge
      R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":1e400}})",         // not a double
      R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":1,"Table":[]}})",  // wrong part
      R"({"ConsumedCapacity":{"TableName":"t\u0007","CapacityUnits":1}})",  // control character
      R"({"ConsumedCapacity":{"TableName":"","CapacityUnits":1}})",         // empty name
      R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":1,"GlobalSecondaryIndexes":{"a b":{"CapacityUnits":1}}}})",
      R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":1}} trailing)",  // not one document
      R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":1})",            // truncated
      "<html>502</html>",
      "",
      many,
      indexes,
  };
  for (const auto& answer : bad) {
    EXPECT_FALSE(detail::decode_consumed_capacity(answer, true).has_value())
        << answer.substr(0, 200);
  }
}

TEST(CapacityLedger, AddsPerTableAndIndexAndCountsUnreadableAnswers) {
  detail::CapacityLedger ledger;
  ledger.add(
      "Query", "t",
      R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":0.5,"Table":{"CapacityUnits":0},)"
      R"("GlobalSecondaryIndexes":{"g":{"CapacityUnits":0.5}}}})");
  ledger.add("PutItem", "t", R"({"ConsumedCapacity":{"TableName":"t","CapacityUnits":1}})");
  // A transaction naming a table twice is one request of that table.
  ledger.add(
      "TransactWriteItems", "",
      R"({"ConsumedCapacity":[{"TableName":"t","CapacityUnits":2},{"TableName":"u","CapacityUnits":2},)"
      R"({"TableName":"t","CapacityUnits":2}]})");
  ledger.add("GetItem", "t", R"({"Item":{}})");           // absent: unreadable, in t
  ledger.add("BatchGetItem", "", R"({"Responses":{}})");  // absent, no single table

  const ddb::CapacityTotals all = ledger.totals();
  EXPECT_EQ(all.answers, 3u);
  EXPECT_EQ(all.unreadable_answers, 2u);
  const ddb::TableCapacity t = ledger.table("t");
  EXPECT_EQ(t.units, (ddb::CapacityUnits{0.5, 5, 5.5}));
  EXPECT_EQ(t.table, (ddb::CapacityUnits{0, 5, 5}));
  EXPECT_EQ(t.global_secondary_indexes.at("g"), (ddb::CapacityUnits{0.5, 0, 0.5}));
  EXPECT_EQ(t.requests, 3u);
  EXPECT_EQ(t.unreadable_answers, 1u);
  EXPECT_EQ(ledger.table("u").requests, 1u);
  EXPECT_EQ(all.total(), (ddb::CapacityUnits{0.5, 7, 7.5}));

  ledger.reset("t");
  EXPECT_EQ(ledger.table("t"), ddb::TableCapacity{});
  EXPECT_EQ(ledger.table("u").units.write, 2);
  EXPECT_EQ(ledger.totals().answers, 3u);  // the client-wide counts stay
  ledger.reset();
  EXPECT_EQ(ledger.totals(), ddb::CapacityTotals{});
}
