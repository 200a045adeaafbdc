// PartiQL's client side without a server: which statements count as reads, the checks made
// before sending, the request bodies and the parsing of answers.
#include <gtest/gtest.h>

#include "client/protocol_statements.hpp"
#include "dynamodb_mapping/error.hpp"

namespace ddb = dynamodb_mapping;
using ddb::detail::is_read_statement;

TEST(StatementsTest, OnlySelectIsARead) {
  EXPECT_TRUE(is_read_statement("SELECT * FROM t"));
  EXPECT_TRUE(is_read_statement("  \n\tselect pk FROM t"));
  EXPECT_TRUE(is_read_statement("(SeLeCt * FROM t)"));
  EXPECT_TRUE(is_read_statement("SELECT"));
  EXPECT_FALSE(is_read_statement("SELECTED * FROM t"));  // not the keyword
  EXPECT_FALSE(is_read_statement("INSERT INTO t VALUE {'pk': 'a'}"));
  EXPECT_FALSE(is_read_statement("UPDATE t SET n = n + 1 WHERE pk = 'a'"));
  EXPECT_FALSE(is_read_statement("DELETE FROM t WHERE pk = 'a'"));
  EXPECT_FALSE(is_read_statement(""));
  EXPECT_FALSE(is_read_statement("-- SELECT\nDELETE FROM t"));  // unknown shapes are writes
}

TEST(StatementsTest, BadRequestsAreRefused) {
  ddb::ExecuteStatementRequest r;
  EXPECT_THROW(ddb::detail::check(r), ddb::ValidationError);  // empty
  r.statement = std::string(8193, 'x');
  EXPECT_THROW(ddb::detail::check(r), ddb::ValidationError);
  r.statement = std::string(8192, 'x');
  EXPECT_NO_THROW(ddb::detail::check(r));
  r.statement = "SELECT * FROM t WHERE pk = ?";
  r.parameters = {ddb::Value(ddb::StringSet{})};  // an empty set: DynamoDB would refuse it
  EXPECT_THROW(ddb::detail::check(r), ddb::ValidationError);
  r.parameters = {ddb::Value("a")};
  r.limit = 0;
  EXPECT_THROW(ddb::detail::check(r), ddb::ValidationError);
  r.limit = 1;
  r.next_token = std::string(32769, 't');
  EXPECT_THROW(ddb::detail::check(r), ddb::ValidationError);

  ddb::BatchExecuteStatementRequest b;
  EXPECT_THROW(ddb::detail::check(b), ddb::ValidationError);  // no statement
  b.statements.resize(26, ddb::BatchStatementRequest{"SELECT * FROM t", {}, false, false});
  EXPECT_THROW(ddb::detail::check(b), ddb::ValidationError);
  b.statements.resize(25);
  EXPECT_NO_THROW(ddb::detail::check(b));
  b.statements[7].statement.clear();
  try {
    ddb::detail::check(b);
    FAIL() << "an empty statement in a batch was accepted";
  } catch (const ddb::ValidationError& e) {
    EXPECT_NE(e.message().find("statement 8"), std::string::npos) << e.message();
  }
}

TEST(StatementsTest, RequestBodies) {
  ddb::ExecuteStatementRequest r;
  r.statement = "SELECT * FROM \"t\" WHERE pk = ?";
  r.parameters = {ddb::Value("a"), ddb::Value(5)};
  r.consistent_read = true;
  r.limit = 2;
  r.next_token = "tok";
  EXPECT_EQ(ddb::detail::encode(r),
            R"({"Statement":"SELECT * FROM \"t\" WHERE pk = ?","Parameters":[{"S":"a"},)"
            R"({"N":"5"}],"ConsistentRead":true,"NextToken":"tok","Limit":2})");
  ddb::ExecuteStatementRequest bare;
  bare.statement = "DELETE FROM t WHERE pk = 'a'";
  bare.return_item_on_condition_failure = true;
  EXPECT_EQ(ddb::detail::encode(bare), R"({"Statement":"DELETE FROM t WHERE pk = 'a'",)"
                                       R"("ReturnValuesOnConditionCheckFailure":"ALL_OLD"})");
  ddb::BatchExecuteStatementRequest b;
  b.statements.push_back({"SELECT * FROM t WHERE pk = ?", {ddb::Value("x")}, true, false});
  b.statements.push_back({"SELECT * FROM t WHERE pk = 'y'", {}, false, false});
  EXPECT_EQ(
      ddb::detail::encode(b),
      R"({"Statements":[{"Statement":"SELECT * FROM t WHERE pk = ?","Parameters":)"
      R"([{"S":"x"}],"ConsistentRead":true},{"Statement":"SELECT * FROM t WHERE pk = 'y'"}]})");
}

TEST(StatementsTest, Answers) {
  const auto page = ddb::detail::decode_execute_statement(
      R"({"Items":[{"pk":{"S":"a"}},{"pk":{"S":"b"}}],"NextToken":"n1"})");
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[1].at("pk"), ddb::Value("b"));
  EXPECT_EQ(page.next_token, "n1");
  EXPECT_TRUE(ddb::detail::decode_execute_statement("{}").next_token.empty());
  EXPECT_THROW((void)ddb::detail::decode_execute_statement(R"({"Items":[{"pk":{"Q":"a"}}]})"),
               ddb::DecodeError);
  EXPECT_THROW((void)ddb::detail::decode_execute_statement("<html>"), ddb::DecodeError);

  const auto batch = ddb::detail::decode_batch_execute_statement(
      R"({"Responses":[{"TableName":"t","Item":{"pk":{"S":"a"}}},{"TableName":"t"},)"
      R"({"Error":{"Code":"ConditionalCheckFailed","Message":"no","Item":{"pk":{"S":"c"}}}}]})");
  ASSERT_EQ(batch.responses.size(), 3u);
  EXPECT_TRUE(batch.responses[0].ok());
  EXPECT_EQ(batch.responses[0].item->at("pk"), ddb::Value("a"));
  EXPECT_TRUE(batch.responses[1].ok());
  EXPECT_FALSE(batch.responses[1].item);
  EXPECT_FALSE(batch.responses[2].ok());
  EXPECT_EQ(batch.responses[2].error_code, "ConditionalCheckFailed");
  EXPECT_EQ(batch.responses[2].error_message, "no");
  ASSERT_TRUE(batch.responses[2].error_item);
  EXPECT_EQ(batch.responses[2].error_item->at("pk"), ddb::Value("c"));
  // An error without a code would read as a success; an answer without Responses says nothing.
  EXPECT_THROW((void)ddb::detail::decode_batch_execute_statement(
                   R"({"Responses":[{"Error":{"Message":"x"}}]})"),
               ddb::DecodeError);
  EXPECT_THROW((void)ddb::detail::decode_batch_execute_statement("{}"), ddb::DecodeError);
}
