// Typed models without a server: codecs made by DDBMAP_FIELDS, by codec<T> and by ADL functions;
// every field type to an Item and back; exact integers at their limits; the errors and their
// attribute paths for missing, extra and mismatched attributes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "dynamodb_mapping/codec.hpp"

namespace ddb = dynamodb_mapping;

namespace shop {

enum class Status : std::uint8_t { Open = 1, Shipped = 2 };

struct Line {
  std::string sku;
  std::int32_t quantity = 0;
  double price = 0;
  friend bool operator==(const Line&, const Line&) = default;
};
DDBMAP_FIELDS(Line, sku, quantity, price)

struct Order {
  std::string id;
  std::string customer;
  std::vector<Line> lines;
  ddb::Number total;
  friend bool operator==(const Order&, const Order&) = default;
};
DDBMAP_FIELDS(Order, id, customer, lines, total)

// One field of every supported type.
struct Everything {
  std::string s;
  bool b = false;
  std::int8_t i8 = 0;
  std::uint8_t u8 = 0;
  std::int16_t i16 = 0;
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
  std::optional<std::string> maybe;
  std::optional<std::int64_t> maybe_not;
  std::vector<std::int64_t> list;
  std::vector<std::optional<std::string>> holes;
  std::set<std::string> tags;
  std::set<std::int64_t> numbers;
  std::set<ddb::Binary> blobs;
  std::set<std::string> no_tags;
  ddb::StringSet ss;
  std::map<std::string, double> prices;
  std::map<std::string, std::vector<Line>> nested;
  Line line;
  std::optional<Line> maybe_line;
  Status status = Status::Open;
  friend bool operator==(const Everything&, const Everything&) = default;
};
DDBMAP_FIELDS(Everything, s, b, i8, u8, i16, u16, i32, u32, i64, u64, d, f, n, bytes, any, maybe,
              maybe_not, list, holes, tags, numbers, blobs, no_tags, ss, prices, nested, line,
              maybe_line, status)

struct Groups {
  std::vector<std::set<std::string>> groups;
};
DDBMAP_FIELDS(Groups, groups)

struct Loose {
  std::string id;
};
DDBMAP_FIELDS_ALLOW_EXTRA(Loose, id)

// A hand-written codec by ADL functions.
struct Point {
  int x = 0;
  int y = 0;
  friend bool operator==(const Point&, const Point&) = default;
};
ddb::Item to_item(const Point& p) {
  return {{"xy", ddb::List{p.x, p.y}}};
}
void from_item(const ddb::Item& item, Point& p) {
  const ddb::List& xy = item.at("xy").as_list();  // TypeError when not a List
  p.x = xy.at(0).as<int>();
  p.y = xy.at(1).as<int>();
}

}  // namespace shop

// A hand-written codec by specialization, for a type that is not default constructible.
struct Celsius {
  explicit Celsius(double v) : value(v) {}
  double value;
  friend bool operator==(const Celsius&, const Celsius&) = default;
};
template <>
struct dynamodb_mapping::codec<Celsius> {
  static Item to_item(const Celsius& c) { return {{"celsius", c.value}}; }
  static Celsius from_item(const Item& item) {
    return Celsius(item.at("celsius").as_number().to_double());
  }
};

struct NoCodec {
  int x = 0;
};

static_assert(ddb::ItemCodable<shop::Order>);
static_assert(ddb::ItemCodable<shop::Point>);
static_assert(ddb::ItemCodable<Celsius>);
static_assert(!ddb::ItemCodable<NoCodec>);
static_assert(!ddb::ItemCodable<int>);

namespace {

shop::Order sample_order() {
  return {"o-1", "ada", {{"pen", 2, 1.25}, {"ink", 1, 0.1}}, ddb::Number("3.60")};
}

// The ModelError that decoding `item` as T throws; fails the test when none is thrown.
template <class T>
ddb::ModelError decode_error(const ddb::Item& item) {
  try {
    (void)ddb::model_from<T>(item);
  } catch (const ddb::ModelError& e) {
    return e;
  }
  ADD_FAILURE() << "no ModelError";
  return ddb::ModelError("", "");
}

}  // namespace

TEST(Typed, AStructBecomesTheItemItsFieldsDescribe) {
  const ddb::Item item = ddb::item_from(sample_order());
  const ddb::Item expected{
      {"id", "o-1"},
      {"customer", "ada"},
      {"lines", ddb::List{ddb::Map{{"sku", "pen"}, {"quantity", 2}, {"price", 1.25}},
                          ddb::Map{{"sku", "ink"}, {"quantity", 1}, {"price", 0.1}}}},
      {"total", ddb::Number("3.6")}};
  EXPECT_EQ(item, expected);
  // The Number keeps its text exactly.
  EXPECT_EQ(item.at("total").as_number().text(), "3.60");
  EXPECT_EQ(ddb::model_from<shop::Order>(item), sample_order());
}

TEST(Typed, EveryFieldTypeRoundTrips) {
  shop::Everything e;
  e.s = "text";
  e.b = true;
  e.i8 = std::numeric_limits<std::int8_t>::min();
  e.u8 = std::numeric_limits<std::uint8_t>::max();
  e.i16 = std::numeric_limits<std::int16_t>::min();
  e.u16 = std::numeric_limits<std::uint16_t>::max();
  e.i32 = std::numeric_limits<std::int32_t>::min();
  e.u32 = std::numeric_limits<std::uint32_t>::max();
  e.i64 = std::numeric_limits<std::int64_t>::min();
  e.u64 = std::numeric_limits<std::uint64_t>::max();
  e.d = 0.1 + 0.2;  // not a short decimal: the shortest exact form is kept
  e.f = 1.1f;
  e.n = ddb::Number("12345678901234567890123456789012345678");  // 38 digits, beyond int64
  e.bytes = ddb::Binary{0, 255, 10};
  e.any = ddb::Value(ddb::List{1, "two", nullptr});
  e.maybe = "here";
  e.list = {std::numeric_limits<std::int64_t>::max(), -1, 0};
  e.holes = {"a", std::nullopt, "c"};
  e.tags = {"x", "y"};
  e.numbers = {std::numeric_limits<std::int64_t>::min(), 7};
  e.blobs = {ddb::Binary{1}, ddb::Binary{2}};
  e.ss = {"p", "q"};
  e.prices = {{"pen", 1.5}, {"ink", 2.25}};
  e.nested = {{"first", {{"pen", 1, 1.5}}}, {"empty", {}}};
  e.line = {"lone", 3, 9.75};
  e.maybe_line = shop::Line{"opt", 4, 0.5};
  e.status = shop::Status::Shipped;

  const ddb::Item item = ddb::item_from(e);
  EXPECT_EQ(item.at("i64").as_number().text(), "-9223372036854775808");
  EXPECT_EQ(item.at("u64").as_number().text(), "18446744073709551615");
  EXPECT_EQ(item.at("status"), ddb::Value(2));
  EXPECT_EQ(item.at("holes").as_list()[1], ddb::Value(nullptr));  // NULL inside a List
  EXPECT_EQ(item.at("tags").type(), ddb::Value::Type::StringSet);
  EXPECT_EQ(item.at("numbers").type(), ddb::Value::Type::NumberSet);
  EXPECT_EQ(item.at("blobs").type(), ddb::Value::Type::BinarySet);
  // Absent optionals and empty sets are left out (DynamoDB stores no empty set).
  EXPECT_FALSE(item.count("maybe_not"));
  EXPECT_FALSE(item.count("no_tags"));
  EXPECT_EQ(item.size(), 27u);

  const shop::Everything back = ddb::model_from<shop::Everything>(item);
  EXPECT_EQ(back, e);
  EXPECT_EQ(back.d, 0.1 + 0.2);  // bit for bit
}

TEST(Typed, NullCountsAsAbsentForAnOptionalOnly) {
  ddb::Item item = ddb::item_from(shop::Loose{"k"});
  item["id"] = nullptr;
  EXPECT_EQ(decode_error<shop::Loose>(item).problem(), "expected S, found NULL");

  shop::Everything e;
  ddb::Item full = ddb::item_from(e);
  full["maybe"] = nullptr;
  EXPECT_EQ(ddb::model_from<shop::Everything>(full).maybe, std::nullopt);
}

TEST(Typed, IntegersAreExactAndCheckedNeverTruncated) {
  shop::Everything e;
  ddb::Item base = ddb::item_from(e);

  const auto with = [&](const char* field, ddb::Value v) {
    ddb::Item i = base;
    i[field] = std::move(v);
    return i;
  };
  // One past each limit, and a fraction: errors that name the field and the range.
  ddb::ModelError over = decode_error<shop::Everything>(with("i8", 128));
  EXPECT_EQ(over.path(), "i8");
  EXPECT_EQ(over.problem(), "the Number 128 is not an integer from -128 to 127");
  EXPECT_EQ(decode_error<shop::Everything>(with("u8", -1)).path(), "u8");
  EXPECT_EQ(decode_error<shop::Everything>(with("i64", ddb::Number("9223372036854775808"))).path(),
            "i64");
  EXPECT_EQ(decode_error<shop::Everything>(with("i64", ddb::Number("-9223372036854775809"))).path(),
            "i64");
  EXPECT_EQ(decode_error<shop::Everything>(with("u64", ddb::Number("18446744073709551616"))).path(),
            "u64");
  EXPECT_EQ(decode_error<shop::Everything>(with("i32", ddb::Number("1.5"))).problem(),
            "the Number 1.5 is not an integer from -2147483648 to 2147483647");
  EXPECT_EQ(
      decode_error<shop::Everything>(with("numbers", ddb::NumberSet{ddb::Number("0.5")})).path(),
      "numbers");
  EXPECT_EQ(decode_error<shop::Everything>(with("f", ddb::Number("1E+100"))).path(), "f");
  // An integer written with an exponent or trailing zeros is still that integer.
  EXPECT_EQ(ddb::model_from<shop::Everything>(with("i64", ddb::Number("1.000E3"))).i64, 1000);
}

TEST(Typed, ErrorsNameTheAttributePath) {
  ddb::Item item = ddb::item_from(sample_order());
  // A mismatch deep down.
  ddb::Item bad = item;
  bad["lines"].as_list()[1].as_map()["price"] = "cheap";
  ddb::ModelError e = decode_error<shop::Order>(bad);
  EXPECT_EQ(e.path(), "lines[1].price");
  EXPECT_EQ(e.problem(), "expected N, found S");
  EXPECT_EQ(std::string(e.what()), "TypeError: attribute lines[1].price: expected N, found S");
  EXPECT_EQ(e.kind(), ddb::ErrorKind::Type);
  EXPECT_EQ(e.code(), "TypeError");
  // A missing attribute, at the top and inside.
  ddb::Item missing = item;
  missing.erase("customer");
  EXPECT_EQ(decode_error<shop::Order>(missing).path(), "customer");
  EXPECT_EQ(decode_error<shop::Order>(missing).problem(), "missing");
  ddb::Item missing_inside = item;
  missing_inside["lines"].as_list()[0].as_map().erase("sku");
  EXPECT_EQ(decode_error<shop::Order>(missing_inside).path(), "lines[0].sku");
  // An extra attribute, at the top and inside; its name is made printable.
  ddb::Item extra = item;
  extra["note\n"] = "x";
  ddb::ModelError x = decode_error<shop::Order>(extra);
  EXPECT_EQ(x.path(), "note\\x0a");
  EXPECT_NE(x.problem().find("not a field of Order"), std::string::npos);
  ddb::Item extra_inside = item;
  extra_inside["lines"].as_list()[0].as_map()["colour"] = "red";
  EXPECT_EQ(decode_error<shop::Order>(extra_inside).path(), "lines[0].colour");
  // The wrong container.
  ddb::Item not_list = item;
  not_list["lines"] = ddb::Map{};
  EXPECT_EQ(decode_error<shop::Order>(not_list).problem(), "expected L, found M");
  // Inside a map of lists.
  shop::Everything ev;
  ev.nested = {{"k", {{"a", 1, 1}}}};
  ddb::Item deep = ddb::item_from(ev);
  deep["nested"].as_map()["k"].as_list()[0].as_map()["quantity"] = true;
  EXPECT_EQ(decode_error<shop::Everything>(deep).path(), "nested.k[0].quantity");
}

TEST(Typed, AllowExtraIgnoresUnlistedAttributes) {
  const shop::Loose l = ddb::model_from<shop::Loose>({{"id", "a"}, {"later", 1}});
  EXPECT_EQ(l.id, "a");
  EXPECT_EQ(decode_error<shop::Loose>({{"later", 1}}).path(), "id");
}

TEST(Typed, HandWrittenCodecs) {
  EXPECT_EQ(ddb::item_from(shop::Point{1, 2}), (ddb::Item{{"xy", ddb::List{1, 2}}}));
  EXPECT_EQ(ddb::model_from<shop::Point>({{"xy", ddb::List{3, 4}}}), (shop::Point{3, 4}));
  EXPECT_EQ(ddb::model_from<Celsius>(ddb::item_from(Celsius(21.5))), Celsius(21.5));
  // A TypeError of a hand-written codec becomes a ModelError (at the item itself).
  const ddb::ModelError e = decode_error<shop::Point>({{"xy", "no"}});
  EXPECT_EQ(e.path(), "");
}

TEST(Typed, ValuesDynamoDBCannotStoreAreValidationErrorsWithThePath) {
  shop::Order o = sample_order();
  o.lines[1].price = std::nan("");
  try {
    (void)ddb::item_from(o);
    FAIL() << "no ValidationError";
  } catch (const ddb::ValidationError& e) {
    EXPECT_NE(std::string(e.what()).find("attribute lines[1].price:"), std::string::npos)
        << e.what();
  }
  shop::Everything ev;
  ev.d = 1e-300;  // below DynamoDB's smallest magnitude
  EXPECT_THROW((void)ddb::item_from(ev), ddb::ValidationError);
  // An empty set can be left out of an item, but not out of a List.
  EXPECT_THROW((void)ddb::item_from(shop::Groups{{{"a"}, {}}}), ddb::ValidationError);
  EXPECT_EQ(ddb::item_from(shop::Groups{}), (ddb::Item{{"groups", ddb::List{}}}));
}
