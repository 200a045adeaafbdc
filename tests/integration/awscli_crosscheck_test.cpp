// Cross-checks the wire codec against an independent client and a real server: items written by
// Debian's awscli decode to the expected Value, and our encoding is stored and read back by awscli
// exactly like the hand-written one.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "dynamodb_mapping/json.hpp"
#include "dynamodb_mapping/validate.hpp"
#include "support/awscli.hpp"
#include "support/local_server.hpp"
#include "support/sample_items.hpp"

namespace ddb = dynamodb_mapping;

namespace {

class AwsCliCrossCheck : public ddbtest::ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    table_ = ddbtest::unique_table_name("crosscheck");
    aws({"create-table", "--table-name", table_, "--attribute-definitions",
         "AttributeName=pk,AttributeType=S", "--key-schema", "AttributeName=pk,KeyType=HASH",
         "--billing-mode", "PAY_PER_REQUEST"});
    aws({"wait", "table-exists", "--table-name", table_});
  }
  void TearDown() override {
    if (!table_.empty()) aws({"delete-table", "--table-name", table_});
  }

  // Runs awscli and requires success; returns its stdout.
  std::string aws(const std::vector<std::string>& args) {
    const auto r = ddbtest::aws_dynamodb(endpoint_, args);
    EXPECT_EQ(r.status, 0) << "aws dynamodb " << args.front() << " failed: " << r.err;
    return r.out;
  }

  // The item under `pk` as awscli prints it (the raw wire JSON of the "Item" member).
  std::string get_raw(const std::string& pk) {
    return aws({"get-item", "--table-name", table_, "--consistent-read", "--key",
                R"({"pk":{"S":")" + pk + R"("}})", "--query", "Item"});
  }

  void put_file(const std::string& path) {
    aws({"put-item", "--table-name", table_, "--item", "file://" + path});
  }

  std::string table_;
};

std::string write_temp(const std::string& name, const std::string& content) {
  const std::string path = ::testing::TempDir() + name + "_" + std::to_string(::getpid());
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

// Whether two awscli renderings are the same JSON document apart from the key attribute, judged
// by Python's json module (not by our codec), ignoring object member order, which DynamoDB Local
// takes from the order of the request.
bool same_apart_from_key(const std::string& a, const std::string& b) {
  const std::string fa = write_temp("a.json", a), fb = write_temp("b.json", b);
  const std::string cmd =
      "/usr/bin/python3 -c 'import json, sys\n"
      "a, b = (json.load(open(p)) for p in sys.argv[1:])\n"
      "a.pop(\"pk\"); b.pop(\"pk\")\n"
      "sys.exit(0 if a == b else 1)' " +
      ddbtest::shell_quote(fa) + " " + ddbtest::shell_quote(fb);
  const int status = std::system(cmd.c_str());
  std::remove(fa.c_str());
  std::remove(fb.c_str());
  return status == 0;
}

}  // namespace

TEST_F(AwsCliCrossCheck, ItemWrittenByAwsCliDecodesToTheExpectedValue) {
  put_file(DDBMAP_TEST_DATA_DIR "/every_type.wire.json");
  const std::string raw = get_raw("every-type");
  ASSERT_NE(raw.find("every-type"), std::string::npos) << raw;
  EXPECT_EQ(ddb::item_from_wire_json(raw), ddbtest::every_type_item("every-type")) << raw;
}

TEST_F(AwsCliCrossCheck, OurEncodingIsStoredAndReadBackIdenticallyByAwsCli) {
  const ddb::Item ours = ddbtest::every_type_item("ours");
  ASSERT_NO_THROW(ddb::validate_item(ours));
  const std::string path = write_temp("ours.wire.json", ddb::to_wire_json(ours));
  put_file(path);
  std::remove(path.c_str());
  put_file(DDBMAP_TEST_DATA_DIR "/every_type.wire.json");

  const std::string raw_ours = get_raw("ours");
  EXPECT_EQ(ddb::item_from_wire_json(raw_ours), ours) << raw_ours;
  // awscli prints our item as it prints the one it wrote itself from the fixture.
  const std::string raw_theirs = get_raw("every-type");
  EXPECT_TRUE(same_apart_from_key(raw_ours, raw_theirs)) << raw_ours << "\n---\n" << raw_theirs;
}

TEST_F(AwsCliCrossCheck, ServerAgreesWithTheNestingLimit) {
  if (ddbtest::engine() != "dynamodb-local")
    GTEST_SKIP() << "dynalite does not check nesting depth";
  auto nested = [](int levels) {
    ddb::Value v = "leaf";
    for (int i = 0; i < levels; ++i) v = ddb::Map{{"m", v}};
    return ddb::Item{{"pk", "deep" + std::to_string(levels)}, {"v", v}};
  };
  // Depth 32 (the item plus 31 Maps) is the most DynamoDB stores; depth 33 is refused.
  const ddb::Item ok = nested(31), too_deep = nested(32);
  EXPECT_NO_THROW(ddb::validate_item(ok));
  EXPECT_THROW(ddb::validate_item(too_deep), ddb::ValidationError);

  const std::string ok_path = write_temp("deep32.json", ddb::to_wire_json(ok));
  const std::string bad_path = write_temp("deep33.json", ddb::to_wire_json(too_deep));
  const auto accepted = ddbtest::aws_dynamodb(
      endpoint_, {"put-item", "--table-name", table_, "--item", "file://" + ok_path});
  const auto refused = ddbtest::aws_dynamodb(
      endpoint_, {"put-item", "--table-name", table_, "--item", "file://" + bad_path});
  std::remove(ok_path.c_str());
  std::remove(bad_path.c_str());
  EXPECT_EQ(accepted.status, 0) << accepted.err;
  EXPECT_NE(refused.status, 0);
  EXPECT_NE(refused.err.find("ValidationException"), std::string::npos) << refused.err;
}
