// Server text in exceptions: escaped and capped, directly, through decode_error and through a
// Client talking to a fake server that answers with an escape-laden 10 MB error message.
#include "error_text.hpp"

#include <gtest/gtest.h>

#include <string>

#include "client/protocol.hpp"
#include "dynamodb_mapping/client.hpp"
#include "support/http_server.hpp"

namespace ddb = dynamodb_mapping;
using ddb::detail::printable_text;

namespace {

// True when `s` has no byte below 0x20, no DEL and no C1 control, and is valid UTF-8: safe to
// print on a terminal.
bool printable(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return false;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) return false;
  }
  return printable_text(s, s.size() + 1) == s;  // nothing left to escape
}

// An error body as DynamoDB sends it; `message` is already JSON-escaped.
std::string error_json(const std::string& code, const std::string& message) {
  return R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + code + R"(","message":")" + message +
         R"("})";
}

}  // namespace

TEST(PrintableText, OrdinaryTextPassesUnchanged) {
  const std::string text =
      "One or more parameter values were invalid: Type mismatch (ü, 中, 🙂) \\ /";
  EXPECT_EQ(printable_text(text, 1024), text);
}

TEST(PrintableText, ControlCharactersAreEscaped) {
  EXPECT_EQ(printable_text("a\x1b[31mred\x1b[0m", 100), "a\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(printable_text("line\nforged: ok\r\t\x7f", 100), "line\\x0aforged: ok\\x0d\\x09\\x7f");
  EXPECT_EQ(printable_text(std::string("nul\0x", 5), 100), "nul\\x00x");
  // C1 controls, among them the 8-bit CSI U+009B, and bidi overrides as code points.
  EXPECT_EQ(printable_text("\xc2\x9b"
                           "31m \xc2\x85 \xe2\x80\xae"
                           "evil\xe2\x81\xa9 \xe2\x80\xa8",
                           100),
            "\\u009b31m \\u0085 \\u202eevil\\u2069 \\u2028");
}

TEST(PrintableText, InvalidUtf8IsEscapedByteByByte) {
  EXPECT_EQ(printable_text("a\xff"
                           "b",
                           100),
            "a\\xffb");
  EXPECT_EQ(printable_text("\xc0\xaf", 100), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(printable_text("\xed\xa0\x80", 100), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(printable_text("\xf4\x90\x80\x80", 100), "\\xf4\\x90\\x80\\x80");  // > U+10FFFF
  EXPECT_EQ(printable_text("cut \xe4\xb8", 100), "cut \\xe4\\xb8");            // truncated sequence
  EXPECT_EQ(printable_text("\xe4\xb8\xad", 100), "\xe4\xb8\xad");              // but 中 is fine
}

TEST(PrintableText, LongTextIsCutAtACharacterBoundaryWithANote) {
  const std::string long_text(100000, 'x');
  EXPECT_EQ(printable_text(long_text, 1024), std::string(1024, 'x') + " ... (98976 bytes cut)");
  // A cut never splits a multi-byte character or an escape.
  EXPECT_EQ(printable_text("ab\xe4\xb8\xad", 4), "ab ... (3 bytes cut)");
  EXPECT_EQ(printable_text("ab\x1b", 4), "ab ... (1 bytes cut)");
  EXPECT_EQ(printable_text("exact", 5), "exact");
}

TEST(DecodeErrorBody, MessageAndCodeAreEscapedAndCapped) {
  const std::string huge(2'000'000, 'A');
  const auto e = ddb::detail::decode_error(
      error_json("Bad\\u001b[2JCode", "\\u001b]0;pwned\\u0007\\u009b" + huge + "\\n"));
  ASSERT_TRUE(e.parsed);
  EXPECT_EQ(e.code, "Bad\\x1b[2JCode");
  EXPECT_EQ(e.message.rfind("\\x1b]0;pwned\\x07\\u009bAAA", 0), 0u) << e.message.substr(0, 40);
  EXPECT_LE(e.message.size(), ddb::detail::kMaxServerMessageBytes + 40);
  EXPECT_NE(e.message.find(" bytes cut)"), std::string::npos);
  EXPECT_TRUE(printable(e.message));

  const auto long_code = ddb::detail::decode_error(error_json(std::string(5000, 'C'), "m"));
  EXPECT_LE(long_code.code.size(), ddb::detail::kMaxServerCodeBytes + 40);
}

TEST(DecodeErrorBody, CancellationReasonsAreEscapedAndCapped) {
  const std::string body =
      R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
      R"("Message":"Transaction cancelled\u001b[0m",)"
      R"("CancellationReasons":[{"Code":"None"},)"
      R"({"Code":"Conditional\u001bCheckFailed","Message":"x\u0085)" +
      std::string(50000, 'y') + R"("}]})";
  const auto e = ddb::detail::decode_error(body);
  ASSERT_EQ(e.reasons.size(), 2u);
  EXPECT_EQ(e.message, "Transaction cancelled\\x1b[0m");
  EXPECT_EQ(e.reasons[0].code, "None");
  EXPECT_EQ(e.reasons[1].code, "Conditional\\x1bCheckFailed");
  EXPECT_EQ(e.reasons[1].message.rfind("x\\u0085yyy", 0), 0u);
  EXPECT_LE(e.reasons[1].message.size(), ddb::detail::kMaxServerMessageBytes + 40);
}

// The whole path: a server's 400 with a 10 MB message full of escape sequences reaches the caller
// as a short, printable exception.
TEST(ServerErrorText, HostileErrorMessageArrivesEscapedAndShort) {
  std::string message;
  // Each piece is 9 bytes once decoded: 10 MB of message in all.
  for (int i = 0; i < 10 * 1024 * 1024 / 9; ++i) message += "\\u001b[2J\\u001b]0;x";
  for (const std::string code : {"ValidationException", "Weird\\u001b[31mCode"}) {
    ddbtest::TestHttpServer server([&](const ddbtest::HttpRequest&) {
      return ddbtest::Action::respond(
          {400, {{"Content-Type", "application/x-amz-json-1.0"}}, error_json(code, message)});
    });
    ddb::ClientConfig c;
    c.endpoint_url = server.url();
    c.region = "us-east-1";
    c.credentials = ddb::Credentials{"local", "local", "", {}};
    c.max_attempts = 1;
    ddb::GetItemRequest r;
    r.table_name = "t";
    r.key = {{"pk", "a"}};
    try {
      ddb::Client(c).get_item(r);
      ADD_FAILURE() << "no exception";
    } catch (const ddb::Error& e) {
      const std::string what = e.what();
      EXPECT_EQ(e.http_status(), 400);
      EXPECT_LE(what.size(), 1400u);
      EXPECT_TRUE(printable(what)) << what.substr(0, 80);
      EXPECT_NE(what.find("\\x1b[2J"), std::string::npos) << what.substr(0, 80);
      EXPECT_NE(what.find(" bytes cut)"), std::string::npos);
    }
  }
}
