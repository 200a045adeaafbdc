// Tables without a server: what a TableSpec is refused for (nothing sent), the requests built
// from one, and DescribeTable answers that must be refused as DecodeError.
#include <gtest/gtest.h>

#include "client/protocol.hpp"
#include "dynamodb_mapping/tables.hpp"

namespace ddb = dynamodb_mapping;
namespace detail = dynamodb_mapping::detail;

namespace {

ddb::TableSpec good_spec() {
  ddb::TableSpec s;
  s.name = "orders";
  s.partition_key = {"pk", ddb::ScalarType::String};
  s.sort_key = ddb::KeyAttribute{"sk", ddb::ScalarType::Number};
  ddb::IndexSpec g;
  g.name = "by_email";
  g.partition_key = {"email", ddb::ScalarType::String};
  s.global_indexes.push_back(g);
  ddb::IndexSpec l;
  l.name = "by_date";
  l.partition_key = s.partition_key;
  l.sort_key = ddb::KeyAttribute{"date", ddb::ScalarType::Number};
  l.projection = {"INCLUDE", {"total"}};
  s.local_indexes.push_back(l);
  s.ttl_attribute = "expires";
  s.tags = {{"team", "shop"}};
  return s;
}

// A client that could not reach anything: refusals must come before any request.
ddb::Client unreachable_client() {
  ddb::ClientConfig c;
  c.endpoint_url = "http://127.0.0.1:9";
  c.region = "us-east-1";
  c.credentials = ddb::Credentials{"test", "test", "", {}};
  c.max_attempts = 1;
  return ddb::Client(c);
}

TEST(TableSpec, BadSpecsAreRefusedBeforeAnythingIsSent) {
  std::vector<std::pair<std::string, std::function<void(ddb::TableSpec&)>>> cases = {
      {"short name", [](ddb::TableSpec& s) { s.name = "ab"; }},
      {"long name", [](ddb::TableSpec& s) { s.name = std::string(256, 'a'); }},
      {"bad character", [](ddb::TableSpec& s) { s.name = "orders/2026"; }},
      {"empty key name", [](ddb::TableSpec& s) { s.partition_key.name = ""; }},
      {"sort key = partition key", [](ddb::TableSpec& s) { s.sort_key->name = "pk"; }},
      {"zero capacity",
       [](ddb::TableSpec& s) {
         s.provisioned = ddb::ProvisionedThroughput{0, 5};
       }},
      {"index capacity on demand",
       [](ddb::TableSpec& s) {
         s.global_indexes[0].capacity = ddb::ProvisionedThroughput{1, 1};
       }},
      {"index name", [](ddb::TableSpec& s) { s.global_indexes[0].name = "x"; }},
      {"duplicate index",
       [](ddb::TableSpec& s) { s.global_indexes[0].name = s.local_indexes[0].name; }},
      {"key type conflict",
       [](ddb::TableSpec& s) {
         s.global_indexes[0].partition_key = {"sk", ddb::ScalarType::String};
       }},
      {"21 global indexes",
       [](ddb::TableSpec& s) {
         for (int i = 0; i < 20; ++i) {
           auto g = s.global_indexes[0];
           g.name = "g_" + std::to_string(i);
           s.global_indexes.push_back(g);
         }
       }},
      {"6 local indexes",
       [](ddb::TableSpec& s) {
         for (int i = 0; i < 5; ++i) {
           auto l = s.local_indexes[0];
           l.name = "l_" + std::to_string(i);
           s.local_indexes.push_back(l);
         }
       }},
      {"local index without table sort key", [](ddb::TableSpec& s) { s.sort_key.reset(); }},
      {"local index on another partition key",
       [](ddb::TableSpec& s) { s.local_indexes[0].partition_key.name = "other"; }},
      {"local index partition key of another type",
       [](ddb::TableSpec& s) { s.local_indexes[0].partition_key.type = ddb::ScalarType::Number; }},
      {"local index without sort key",
       [](ddb::TableSpec& s) { s.local_indexes[0].sort_key.reset(); }},
      {"INCLUDE without attributes",
       [](ddb::TableSpec& s) { s.local_indexes[0].projection.non_key_attributes.clear(); }},
      {"ALL with attributes",
       [](ddb::TableSpec& s) { s.global_indexes[0].projection.non_key_attributes = {"a"}; }},
      {"unknown projection",
       [](ddb::TableSpec& s) { s.global_indexes[0].projection.projection_type = "SOME"; }},
      {"ttl attribute too long",
       [](ddb::TableSpec& s) { s.ttl_attribute = std::string(256, 't'); }},
      {"empty tag key", [](ddb::TableSpec& s) { s.tags[""] = "v"; }},
  };
  const ddb::Client client = unreachable_client();
  ASSERT_NO_THROW(ddb::validate_table_spec(good_spec()));
  for (const auto& [what, spoil] : cases) {
    ddb::TableSpec s = good_spec();
    spoil(s);
    EXPECT_THROW(ddb::validate_table_spec(s), ddb::ValidationError) << what;
    EXPECT_THROW((void)ddb::create_table(client, s), ddb::ValidationError) << what;
  }
  // The other calls check what they can before sending, too.
  EXPECT_THROW(ddb::delete_table(client, "x"), ddb::ValidationError);
  EXPECT_THROW((void)ddb::update_capacity(client, "orders", ddb::ProvisionedThroughput{1, 0}),
               ddb::ValidationError);
  ddb::IndexSpec bad_index;
  bad_index.name = "by_x";
  bad_index.partition_key = {"", ddb::ScalarType::String};
  EXPECT_THROW((void)ddb::add_global_index(client, "orders", bad_index), ddb::ValidationError);
  EXPECT_THROW((void)ddb::remove_global_index(client, "orders", "ix"), ddb::ValidationError);
  EXPECT_EQ(client.stats().requests, 0u);
}

TEST(TableSpec, CreateTableRequestTypesEveryKeyAttributeOnce) {
  ddb::TableSpec s = good_spec();
  s.provisioned = ddb::ProvisionedThroughput{3, 4};
  const ddb::CreateTableRequest r = ddb::create_table_request(s);
  const std::vector<ddb::AttributeDefinition> defs = {{"pk", ddb::ScalarType::String},
                                                      {"sk", ddb::ScalarType::Number},
                                                      {"email", ddb::ScalarType::String},
                                                      {"date", ddb::ScalarType::Number}};
  EXPECT_EQ(r.attribute_definitions, defs);
  ASSERT_EQ(r.global_secondary_indexes.size(), 1u);
  // A provisioned table's index gets the table's capacities unless it has its own.
  EXPECT_EQ(r.global_secondary_indexes[0].provisioned_throughput,
            (ddb::ProvisionedThroughput{3, 4}));
  ASSERT_EQ(r.local_secondary_indexes.size(), 1u);
  EXPECT_EQ(r.local_secondary_indexes[0].key_schema,
            (std::vector<ddb::KeySchemaElement>{{"pk", ddb::KeyType::Hash},
                                                {"date", ddb::KeyType::Range}}));
  const std::string body = detail::encode(r);
  for (const char* part :
       {R"("BillingMode":"PROVISIONED")", R"("GlobalSecondaryIndexes":[{"IndexName":"by_email")",
        R"("Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["total"]})",
        R"("Tags":[{"Key":"team","Value":"shop"}])"}) {
    EXPECT_NE(body.find(part), std::string::npos) << part << "\n" << body;
  }
}

TEST(TableSpec, UpdateTableBodyHasOneActionPerChange) {
  ddb::UpdateTableRequest u;
  u.table_name = "orders";
  u.billing_mode = ddb::BillingMode::Provisioned;
  u.provisioned_throughput = ddb::ProvisionedThroughput{5, 6};
  u.delete_global_secondary_indexes = {"old"};
  u.update_global_secondary_indexes["kept"] = {5, 6};
  EXPECT_EQ(detail::encode(u),
            R"({"TableName":"orders","BillingMode":"PROVISIONED",)"
            R"("ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":6},)"
            R"("GlobalSecondaryIndexUpdates":[{"Delete":{"IndexName":"old"}},)"
            R"({"Update":{"IndexName":"kept","ProvisionedThroughput":)"
            R"({"ReadCapacityUnits":5,"WriteCapacityUnits":6}}}]})");
}

TEST(TableDescriptionDecode, IndexesAndCapacitiesAreRead) {
  const auto d = detail::decode_table_description(R"({"Table":{
    "TableName":"t","TableStatus":"ACTIVE","CreationDateTime":1.7e9,
    "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],
    "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},
      {"AttributeName":"sk","AttributeType":"N"},{"AttributeName":"e","AttributeType":"B"}],
    "ProvisionedThroughput":{"ReadCapacityUnits":2,"WriteCapacityUnits":3,"NumberOfDecreasesToday":0},
    "GlobalSecondaryIndexes":[{"IndexName":"g","KeySchema":[{"AttributeName":"e","KeyType":"HASH"}],
      "Projection":{"ProjectionType":"KEYS_ONLY"},"IndexStatus":"CREATING","Backfilling":true,
      "ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1},
      "ItemCount":7,"IndexSizeBytes":70}],
    "LocalSecondaryIndexes":[{"IndexName":"l","KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},
      {"AttributeName":"e","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE",
      "NonKeyAttributes":["a","b"]}}]}})");
  EXPECT_EQ(d.creation_date_time, 1.7e9);
  EXPECT_EQ(d.provisioned_throughput, (ddb::ProvisionedThroughput{2, 3}));
  const ddb::SecondaryIndexDescription* g = d.find_index("g");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->partition_key(), "e");
  EXPECT_FALSE(g->sort_key());
  EXPECT_EQ(g->index_status, "CREATING");
  EXPECT_TRUE(g->backfilling);
  EXPECT_EQ(g->item_count, 7);
  EXPECT_EQ(g->index_size_bytes, 70);
  EXPECT_EQ(g->projection.projection_type, "KEYS_ONLY");
  const ddb::SecondaryIndexDescription* l = d.find_index("l");
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->sort_key(), "e");
  EXPECT_EQ(l->projection.non_key_attributes, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(d.attribute_type("e"), ddb::ScalarType::Binary);
  EXPECT_EQ(d.find_index("none"), nullptr);
}

TEST(TableDescriptionDecode, MalformedAnswersAreDecodeErrors) {
  const std::string ks = R"("KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}])";
  for (const std::string& body : {
           std::string(R"({"Table":{"KeySchema":[{"AttributeName":"pk","KeyType":"SIDEWAYS"}]}})"),
           std::string(R"({"Table":{"KeySchema":[]}})"),
           std::string(R"({"Table":{"KeySchema":[{"AttributeName":"a","KeyType":"RANGE"}]}})"),
           std::string(R"({"Table":{"KeySchema":[{"AttributeName":"a","KeyType":"HASH"},)"
                       R"({"AttributeName":"b","KeyType":"RANGE"},)"
                       R"({"AttributeName":"c","KeyType":"RANGE"}]}})"),
           std::string(R"({"Table":{"ItemCount":-1}})"),
           std::string(R"({"Table":{"ItemCount":"many"}})"),
           std::string(
               R"({"Table":{"AttributeDefinitions":[{"AttributeName":"a","AttributeType":"X"}]}})"),
           std::string(R"({"Table":{"GlobalSecondaryIndexes":[{"KeySchema":[]}]}})"),
           std::string(R"({"Table":{"GlobalSecondaryIndexes":[{"IndexName":"g"}]}})"),
           std::string(R"({"Table":{"GlobalSecondaryIndexes":{"IndexName":"g"}}})"),
           std::string(R"({"Table":{"LocalSecondaryIndexes":[{"IndexName":"l",)") + ks +
               R"(,"Projection":{"NonKeyAttributes":[1]}}]}})",
           std::string(R"({"Table":{"ProvisionedThroughput":{"ReadCapacityUnits":-5}}})"),
           std::string(R"({"Table":{"TableName":"t"})"),
           std::string(R"({"NotATable":{}})"),
       }) {
    EXPECT_THROW((void)detail::decode_table_description(body), ddb::DecodeError) << body;
  }
  EXPECT_THROW((void)detail::decode_describe_time_to_live("{}"), ddb::DecodeError);
  EXPECT_THROW((void)detail::decode_describe_time_to_live(
                   R"({"TimeToLiveDescription":{"TimeToLiveStatus":1}})"),
               ddb::DecodeError);
  // Too many indexes for any table: refused, not stored.
  std::string many = R"({"Table":{"GlobalSecondaryIndexes":[)";
  for (int i = 0; i < 1001; ++i) {
    if (i) many += ',';
    many += R"({"IndexName":"g)" + std::to_string(i) + R"(",)" + ks + "}";
  }
  many += "]}}";
  EXPECT_THROW((void)detail::decode_table_description(many), ddb::DecodeError);
}

TEST(WaitTimeoutErrorText, NamesTableAwaitedAndLastStatus) {
  const ddb::WaitTimeoutError e("orders", "table ACTIVE", "CREATING", std::chrono::seconds(2));
  EXPECT_EQ(e.kind(), ddb::ErrorKind::WaitTimeout);
  EXPECT_EQ(e.table(), "orders");
  EXPECT_EQ(e.awaited(), "table ACTIVE");
  EXPECT_EQ(e.last_status(), "CREATING");
  EXPECT_STREQ(e.what(),
               "WaitTimeout: table orders is still CREATING after 2 s (waiting for table ACTIVE)");
}

}  // namespace
