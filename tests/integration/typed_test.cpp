// Typed models against a real server: mapping.as<T>() for structs declared with DDBMAP_FIELDS,
// every field type through a table, the typed view's operations, errors with attribute paths,
// bad input refused before sending, faults; and transaction cancellations that name the action
// that failed and carry the item that failed its condition.
#include "dynamodb_mapping/typed.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <optional>
#include <ranges>
#include <set>
#include <string>
#include <vector>

#include "dynamodb_mapping/client.hpp"
#include "support/fault_proxy.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;

namespace model {

struct Line {
  std::string sku;
  std::int32_t quantity = 0;
  double price = 0;
  friend bool operator==(const Line&, const Line&) = default;
};
DDBMAP_FIELDS(Line, sku, quantity, price)

// An order whose key ("pk") is one of its fields: the key can be taken from the value.
struct Order {
  std::string pk;
  std::string customer;
  std::vector<Line> lines;
  ddb::Number total;
  std::optional<std::string> note;
  friend bool operator==(const Order&, const Order&) = default;
};
DDBMAP_FIELDS(Order, pk, customer, lines, total, note)

enum class Colour : std::int16_t { Red = -1, Green = 7 };

// Every field type, and no key field: the key is always given explicitly.
struct Kitchen {
  std::string s;
  bool b = false;
  std::int8_t i8 = 0;
  std::uint16_t u16 = 0;
  std::int32_t i32 = 0;
  std::uint32_t u32 = 0;
  std::int64_t i64 = 0;
  std::uint64_t u64 = 0;
  double d = 0;
  float f = 0;
  ddb::Number n;
  ddb::Binary bytes;
  ddb::Value any;
  std::optional<std::int64_t> maybe;
  std::optional<std::string> absent;
  std::vector<std::optional<double>> list;
  std::set<std::string> tags;
  std::set<std::int64_t> numbers;
  std::set<ddb::Binary> blobs;
  std::set<std::string> no_tags;
  ddb::NumberSet exact_numbers;
  std::map<std::string, std::vector<Line>> nested;
  Line line;
  Colour colour = Colour::Red;
  friend bool operator==(const Kitchen&, const Kitchen&) = default;
};
DDBMAP_FIELDS(Kitchen, s, b, i8, u16, i32, u32, i64, u64, d, f, n, bytes, any, maybe, absent, list,
              tags, numbers, blobs, no_tags, exact_numbers, nested, line, colour)

}  // namespace model

// The typed ranges work with the standard range algorithms.
static_assert(std::input_iterator<ddb::TypedMapping<model::Order>::Values::iterator>);
static_assert(std::input_iterator<ddb::TypedMapping<model::Order>::Entries::iterator>);
static_assert(std::ranges::input_range<ddb::TypedMapping<model::Order>::Values>);

namespace {

model::Order order(const std::string& pk, const std::string& customer) {
  return {pk, customer, {{"pen", 2, 1.25}}, ddb::Number("2.50"), std::nullopt};
}

model::Kitchen full_kitchen() {
  model::Kitchen k;
  k.s = "text with ünïcode";
  k.b = true;
  k.i8 = std::numeric_limits<std::int8_t>::min();
  k.u16 = std::numeric_limits<std::uint16_t>::max();
  k.i32 = std::numeric_limits<std::int32_t>::min();
  k.u32 = std::numeric_limits<std::uint32_t>::max();
  k.i64 = std::numeric_limits<std::int64_t>::min();
  k.u64 = std::numeric_limits<std::uint64_t>::max();
  k.d = 0.1 + 0.2;
  k.f = 3.3f;
  k.n = ddb::Number("-1.2345678901234567890123456789012345678E-100");
  k.bytes = ddb::Binary{0, 1, 254, 255};
  k.any = ddb::Value(ddb::Map{{"x", ddb::List{1, "y", nullptr, true}}});
  k.maybe = std::numeric_limits<std::int64_t>::max();
  k.list = {1.5, std::nullopt, -2.0};
  k.tags = {"a", "b"};
  k.numbers = {std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()};
  k.blobs = {ddb::Binary{1}, ddb::Binary{2, 3}};
  k.exact_numbers = {ddb::Number("12345678901234567890123456789012345678"), ddb::Number("1E-130")};
  k.nested = {{"first", {{"pen", 1, 1.5}, {"ink", 2, 0.1}}}, {"empty", {}}};
  k.line = {"solo", -3, 1e125};
  k.colour = model::Colour::Green;
  return k;
}

class TypedTest : public ddbtest::ClientServerTest {};

}  // namespace

TEST_F(TypedTest, EveryFieldTypeRoundTripsThroughTheTable) {
  ddbtest::ScopedTable table(client(), "typed_kinds");
  ddb::DynamoDBMapping mapping{table.name(), client()};
  auto kitchens = mapping.as<model::Kitchen>();

  const model::Kitchen k = full_kitchen();
  EXPECT_TRUE(kitchens.insert_or_assign("k", k));
  // What the server stored, read untyped: exact numbers at the int64 and uint64 limits, sets,
  // the key attribute filled in, absent optionals and empty sets left out.
  const ddb::Item stored = mapping.at("k", {.consistent_read = true});
  EXPECT_EQ(stored.at("pk"), ddb::Value("k"));
  EXPECT_EQ(stored.at("i64").as_number().text(), "-9223372036854775808");
  EXPECT_EQ(stored.at("u64").as_number().text(), "18446744073709551615");
  EXPECT_EQ(stored.at("numbers"), ddb::Value(ddb::NumberSet{ddb::Number("-9223372036854775808"),
                                                            ddb::Number("9223372036854775807")}));
  EXPECT_EQ(stored.at("colour"), ddb::Value(7));
  EXPECT_FALSE(stored.count("absent"));
  EXPECT_FALSE(stored.count("no_tags"));

  const model::Kitchen back = kitchens.at("k", {.consistent_read = true});
  EXPECT_EQ(back, k);
  EXPECT_EQ(back.d, 0.1 + 0.2);  // the double comes back bit for bit
  EXPECT_EQ(back.n, k.n);
  EXPECT_EQ(back.u64, std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(back.i64, std::numeric_limits<std::int64_t>::min());

  // A default value (zeros, empty strings and containers, NULL) round-trips too.
  EXPECT_TRUE(kitchens.insert_or_assign("empty", model::Kitchen{}));
  EXPECT_EQ(kitchens.at("empty", {.consistent_read = true}), model::Kitchen{});
}

TEST_F(TypedTest, TheTypedViewOperations) {
  ddbtest::ScopedTable table(client(), "typed_ops");
  ddb::DynamoDBMapping mapping{table.name(), client(), {.default_consistent_read = true}};
  ddb::TypedMapping<model::Order> orders = mapping.as<model::Order>();

  // The key from the value, or given (and then it must agree with the value's).
  EXPECT_TRUE(orders.insert_or_assign(order("o-1", "ada")));
  EXPECT_FALSE(orders.insert_or_assign("o-1", order("o-1", "ada lovelace")));
  EXPECT_THROW((void)orders.insert_or_assign("o-9", order("o-1", "x")), ddb::ValidationError);
  EXPECT_TRUE(orders.insert(order("o-2", "bob")));
  EXPECT_FALSE(orders.insert(order("o-2", "not bob")));
  EXPECT_EQ(orders.key_of(order("o-3", "c")), ddb::Key("o-3"));

  EXPECT_EQ(orders.at("o-1").customer, "ada lovelace");
  EXPECT_EQ(orders.at("o-2"), order("o-2", "bob"));
  EXPECT_EQ(orders.find("none"), std::nullopt);
  EXPECT_EQ(orders.find("o-2"), order("o-2", "bob"));
  EXPECT_THROW((void)orders.at("none"), ddb::KeyError);
  EXPECT_TRUE(orders.contains("o-1"));
  EXPECT_FALSE(orders.contains("none"));

  orders.update({order("o-3", "cy"), order("o-4", "di")});
  const auto many = orders.get_many({"o-4", "none", "o-3"});
  ASSERT_EQ(many.size(), 3u);
  EXPECT_EQ(many[0], order("o-4", "di"));
  EXPECT_EQ(many[1], std::nullopt);
  EXPECT_EQ(many[2], order("o-3", "cy"));

  // Iteration: (key, value) pairs by range-for, values(), items(); the views may outlive the
  // typed mapping they came from.
  std::map<std::string, std::string> seen;
  for (const auto& [key, o] : orders) {
    EXPECT_EQ(key, ddb::Key(o.pk));
    seen[o.pk] = o.customer;
  }
  EXPECT_EQ(seen, (std::map<std::string, std::string>{
                      {"o-1", "ada lovelace"}, {"o-2", "bob"}, {"o-3", "cy"}, {"o-4", "di"}}));
  std::size_t n = 0;
  for (const model::Order& o : mapping.as<model::Order>().values({.page_size = 1})) {
    EXPECT_EQ(o.lines.size(), 1u);
    ++n;
  }
  EXPECT_EQ(n, 4u);
  auto entries = mapping.as<model::Order>().items();
  n = 0;
  for (const auto& entry : entries)
    n += entry.second.pk == std::get<0>(entry).partition.as_string();
  EXPECT_EQ(n, 4u);

  EXPECT_EQ(orders.erase("o-1"), 1u);
  EXPECT_EQ(orders.erase("o-1"), 0u);
  EXPECT_FALSE(orders.contains("o-1"));
}

TEST_F(TypedTest, AStructWithoutTheKeyFieldsReadsItemsThatHaveThem) {
  ddbtest::ScopedTable table(client(), "typed_keys", /*with_sort_key=*/true);
  ddb::DynamoDBMapping mapping{table.name(), client(), {.default_consistent_read = true}};
  auto lines = mapping.as<model::Line>();
  lines.insert_or_assign({"order-1", "a"}, {"pen", 1, 0.5});
  lines.insert_or_assign({"order-1", "b"}, {"ink", 2, 1.5});
  // The item holds pk and sk as well; Line has no such fields, and that is no extra attribute.
  EXPECT_EQ(mapping.at({"order-1", "b"}).size(), 5u);
  EXPECT_EQ(lines.at({"order-1", "b"}), (model::Line{"ink", 2, 1.5}));
  std::vector<std::string> skus;
  for (const model::Line& l : lines.query("order-1")) skus.push_back(l.sku);
  EXPECT_EQ(skus, (std::vector<std::string>{"pen", "ink"}));
  // Without key fields, the key cannot come from the value.
  EXPECT_THROW((void)lines.key_of({"x", 1, 1}), ddb::ValidationError);
}

TEST_F(TypedTest, ItemsThatDoNotFitAreReportedWithTheirPath) {
  ddbtest::ScopedTable table(client(), "typed_errors");
  ddb::DynamoDBMapping mapping{table.name(), client(), {.default_consistent_read = true}};
  auto orders = mapping.as<model::Order>();
  ddb::Item good = orders.to_item(order("o", "ada"));

  ddb::Item mismatched = good;
  mismatched["lines"].as_list()[0].as_map()["price"] = "1.25";
  mapping.insert_or_assign("o", mismatched);
  try {
    (void)orders.at("o");
    FAIL() << "no ModelError";
  } catch (const ddb::ModelError& e) {
    EXPECT_EQ(e.path(), "lines[0].price");
    EXPECT_EQ(e.problem(), "expected N, found S");
  }

  ddb::Item missing = good;
  missing.erase("customer");
  mapping.insert_or_assign("o", missing);
  try {
    (void)orders.at("o");
    FAIL() << "no ModelError";
  } catch (const ddb::ModelError& e) {
    EXPECT_EQ(e.path(), "customer");
    EXPECT_EQ(e.problem(), "missing");
  }

  ddb::Item extra = good;
  extra["lines"].as_list()[0].as_map()["gift"] = true;
  mapping.insert_or_assign("o", extra);
  try {
    (void)orders.find("o");
    FAIL() << "no ModelError";
  } catch (const ddb::ModelError& e) {
    EXPECT_EQ(e.path(), "lines[0].gift");
  }

  ddb::Item too_big = good;
  too_big["lines"].as_list()[0].as_map()["quantity"] = ddb::Number("2147483648");
  mapping.insert_or_assign("o", too_big);
  // The same error from iteration, when the element is reached.
  auto values = orders.values();
  auto it = values.begin();
  ASSERT_NE(it, values.end());
  try {
    (void)*it;
    FAIL() << "no ModelError";
  } catch (const ddb::ModelError& e) {
    EXPECT_EQ(e.path(), "lines[0].quantity");
    EXPECT_EQ(e.problem(),
              "the Number 2147483648 is not an integer from -2147483648 to 2147483647");
  }
}

TEST_F(TypedTest, BadValuesAreRefusedBeforeAnythingIsSent) {
  ddbtest::ScopedTable table(client(), "typed_bad");
  ddb::Client fresh(ddbtest::local_config(endpoint_));
  ddb::DynamoDBMapping mapping{table.name(), fresh};
  auto orders = mapping.as<model::Order>();
  (void)mapping.key_names();  // the schema is read once: that request is not the point
  const std::uint64_t before = fresh.stats().requests;

  model::Order nan = order("o", "ada");
  nan.lines[0].price = std::nan("");
  try {
    orders.insert_or_assign(nan);
    FAIL() << "no ValidationError";
  } catch (const ddb::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("attribute lines[0].price"), std::string::npos)
        << e.what();
  }
  model::Order utf8 = order("o", std::string("\xff\xfe"));
  EXPECT_THROW(orders.insert_or_assign(utf8), ddb::ValidationError);
  model::Order no_key = order("", "ada");
  EXPECT_THROW(orders.insert(no_key), ddb::ValidationError);  // an empty string key
  EXPECT_THROW(orders.insert_or_assign(42, order("o", "ada")), ddb::ValidationError);
  EXPECT_THROW(orders.update({order("a", "x"), nan}), ddb::ValidationError);
  EXPECT_EQ(fresh.stats().requests, before);
}

TEST_F(TypedTest, FaultsUnderTheTypedViewAreTheUntypedOnes) {
  ddbtest::ScopedTable table(client(), "typed_faults");
  ddbtest::FaultProxy proxy(endpoint_);
  ddb::MappingOptions options;
  options.key_schema = {{"pk", ddb::KeyType::Hash}};
  options.key_attribute_types = {{"pk", ddb::ScalarType::String}};
  ddb::DynamoDBMapping mapping{table.name(), proxy.client(), options};
  auto orders = mapping.as<model::Order>();

  // A lost answer to insert_or_assign: the retry lands, but whether an item was there before
  // (the bool it returns) is unknown, and said so, as for the untyped call.
  proxy.lose_next("PutItem", ddbtest::Loss::Reset);
  EXPECT_THROW((void)orders.insert_or_assign(order("o", "ada")), ddb::AmbiguousOutcomeError);
  EXPECT_EQ(orders.at("o", {.consistent_read = true}), order("o", "ada"));
  // A malformed answer to a read is a DecodeError, never a ModelError or a wrong value.
  proxy.always("GetItem", [](const ddbtest::HttpRequest&) {
    return ddbtest::Action::respond({200, {}, R"({"Item":{"pk":{"S":"o"},"customer":)"});
  });
  EXPECT_THROW((void)orders.find("o"), ddb::DecodeError);
  proxy.clear();
  // A lost answer to an insert: the retry's refusal is settled by reading the item back.
  proxy.lose_next("PutItem", ddbtest::Loss::Reset);
  EXPECT_TRUE(orders.insert(order("p", "bob")));
  EXPECT_EQ(orders.at("p", {.consistent_read = true}).customer, "bob");
}

TEST_F(TypedTest, ACancelledTransactionNamesTheFailedActionAndCarriesTheItem) {
  if (ddbtest::engine() == "dynalite") GTEST_SKIP() << "dynalite has no transactions";
  ddbtest::ScopedTable table(client(), "typed_tx");
  ddb::DynamoDBMapping mapping{table.name(), client(), {.default_consistent_read = true}};
  auto orders = mapping.as<model::Order>();
  orders.insert_or_assign(order("taken", "ada"));

  // Action 1 fails its condition and asked for the item; action 2 fails without asking.
  const ddb::Condition absent = ddb::Condition::not_exists("pk");
  auto t = mapping.transaction();
  t.put("fresh", orders.to_item(order("fresh", "bob")));
  t.put("taken", orders.to_item(order("taken", "eve")), {.condition = absent},
        ddb::OnConditionFailure::ReturnItem);
  t.check("missing", ddb::Condition::exists("pk"));
  try {
    t.commit();
    FAIL() << "no TransactionCanceledError";
  } catch (const ddb::TransactionCanceledError& e) {
    ASSERT_EQ(e.reasons().size(), 3u);
    EXPECT_EQ(e.failed(), (std::vector<std::size_t>{1, 2}));
    const ddb::CancellationReason& r = e.reasons()[1];
    EXPECT_EQ(r.code, "ConditionalCheckFailed");
    EXPECT_EQ(r.action, "Put");
    ASSERT_TRUE(r.key);
    EXPECT_EQ(*r.key, (ddb::Item{{"pk", "taken"}}));
    ASSERT_TRUE(r.item) << "the server sent no item for ReturnValuesOnConditionCheckFailure";
    // The item that failed the condition, as it is stored, decodes as the model.
    EXPECT_EQ(ddb::model_from<model::Order>(*r.item), order("taken", "ada"));
    EXPECT_EQ(e.reasons()[2].action, "ConditionCheck");
    EXPECT_EQ(e.reasons()[2].item, nullptr);  // not asked for (and there is no item)
    EXPECT_EQ(e.reasons()[0].action, "Put");
    EXPECT_FALSE(e.reasons()[0].failed());
    const std::string what = e.what();
    EXPECT_NE(what.find("action 1 (Put, key \"taken\") failed: ConditionalCheckFailed"),
              std::string::npos)
        << what;
    EXPECT_NE(what.find("action 2 (ConditionCheck, key \"missing\") failed"), std::string::npos)
        << what;
    EXPECT_EQ(what.find("action 0"), std::string::npos) << what;
    EXPECT_EQ(e.operation(), "TransactWriteItems");
    EXPECT_EQ(e.table(), table.name());
    EXPECT_FALSE(e.request_id().empty());
  }
  EXPECT_FALSE(orders.contains("fresh"));  // nothing of it applied
  EXPECT_EQ(orders.at("taken").customer, "ada");
}

// The same through a proxy that answers TransactWriteItems and TransactGetItems itself, so that
// it runs on both engines: what is asked per action on the wire, how the answer's reasons are
// matched to the actions, and an answer whose reasons do not match them.
TEST_F(TypedTest, CancellationReasonsAreMatchedToTheActionsSent) {
  ddbtest::ScopedTable table(client(), "typed_tx_canned");
  ddbtest::FaultProxy proxy(endpoint_);
  ddb::MappingOptions options;
  options.key_schema = {{"pk", ddb::KeyType::Hash}};
  options.key_attribute_types = {{"pk", ddb::ScalarType::String}};
  ddb::DynamoDBMapping mapping{table.name(), proxy.client(), options};
  auto orders = mapping.as<model::Order>();

  const auto cancelled = [](const std::string& reasons) {
    return ddbtest::Action::respond(
        {400,
         {},
         R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
         R"("Message":"Transaction cancelled","CancellationReasons":)" +
             reasons + "}"});
  };
  std::string sent;
  proxy.next("TransactWriteItems", [&](const ddbtest::HttpRequest& r) {
    sent = r.body;
    return cancelled(R"([{"Code":"None"},{"Code":"ConditionalCheckFailed","Message":"no",)"
                     R"("Item":{"pk":{"S":"b"},"customer":{"S":"ada"},"lines":{"L":[]},)"
                     R"("total":{"N":"0"}}}])");
  });
  try {
    mapping.transaction()
        .put("a", orders.to_item(order("a", "x")))
        .erase("b", {}, ddb::OnConditionFailure::ReturnItem)
        .commit();
    FAIL() << "no TransactionCanceledError";
  } catch (const ddb::TransactionCanceledError& e) {
    EXPECT_EQ(e.failed(), (std::vector<std::size_t>{1}));
    EXPECT_EQ(e.reasons()[1].action, "Delete");
    ASSERT_TRUE(e.reasons()[1].key);
    EXPECT_EQ(*e.reasons()[1].key, (ddb::Item{{"pk", "b"}}));
    ASSERT_TRUE(e.reasons()[1].item);
    EXPECT_EQ(ddb::model_from<model::Order>(*e.reasons()[1].item).customer, "ada");
    EXPECT_EQ(std::string(e.what()),
              "TransactionCanceledException: Transaction cancelled; action 1 (Delete, key \"b\") "
              "failed: ConditionalCheckFailed: no (the stored item is in reasons()[1].item)");
  }
  // Only the action that asked for the item asks for it on the wire.
  std::size_t asked = 0;
  for (std::size_t at = sent.find("ReturnValuesOnConditionCheckFailure"); at != std::string::npos;
       at = sent.find("ReturnValuesOnConditionCheckFailure", at + 1)) {
    ++asked;
  }
  EXPECT_EQ(asked, 1u) << sent;
  EXPECT_NE(sent.find(R"("ReturnValuesOnConditionCheckFailure":"ALL_OLD")"), std::string::npos);

  // A server whose reasons do not match the actions: they are passed on as they came.
  proxy.next("TransactWriteItems", [&](const ddbtest::HttpRequest&) {
    return cancelled(R"([{"Code":"ConditionalCheckFailed"}])");
  });
  try {
    mapping.transaction().put("a", {}).put("c", {}).commit();
    FAIL() << "no TransactionCanceledError";
  } catch (const ddb::TransactionCanceledError& e) {
    ASSERT_EQ(e.reasons().size(), 1u);
    EXPECT_EQ(e.reasons()[0].action, "");
    EXPECT_EQ(e.reasons()[0].key, nullptr);
    EXPECT_EQ(std::string(e.what()), "TransactionCanceledException: Transaction cancelled");
  }

  // get_transactionally names its Gets.
  proxy.next("TransactGetItems", [&](const ddbtest::HttpRequest&) {
    return cancelled(R"([{"Code":"TransactionConflict","Message":"busy"},{"Code":"None"}])");
  });
  try {
    (void)mapping.get_transactionally({"x", "y"});
    FAIL() << "no TransactionCanceledError";
  } catch (const ddb::TransactionCanceledError& e) {
    EXPECT_EQ(e.failed(), (std::vector<std::size_t>{0}));
    EXPECT_EQ(e.reasons()[0].action, "Get");
    EXPECT_EQ(*e.reasons()[1].key, (ddb::Item{{"pk", "y"}}));
    EXPECT_NE(std::string(e.what()).find("action 0 (Get, key \"x\") failed: TransactionConflict"),
              std::string::npos)
        << e.what();
    EXPECT_EQ(e.operation(), "TransactGetItems");
  }
}
