// The resume token codec without a server: round trips, and every way a token is refused.
#include "mapping/resume_token.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ddb = dynamodb_mapping;
using ddb::detail::SegmentPosition;
using State = SegmentPosition::State;

namespace {

ddb::ScanRequest scan(const std::string& table, const std::string& filter = {}) {
  ddb::ScanRequest r;
  r.table_name = table;
  r.filter_expression = filter;
  if (!filter.empty()) {
    r.expression_attribute_names = {{"#a", "a"}};
    r.expression_attribute_values = {{":v", 1}};
  }
  return r;
}

std::string refusal(std::string_view token, const ddb::detail::TokenScope& scope) {
  try {
    (void)ddb::detail::decode_token(token, scope);
  } catch (const ddb::ValidationError& e) {
    return e.what();
  }
  return "accepted";
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(ResumeToken, RoundTripsEveryStateAndKeyType) {
  const auto scope = ddb::detail::scope_of(scan("t"), 3);
  const std::vector<SegmentPosition> in{
      {State::Start, {}},
      {State::After, {{"pk", "a\x01\"b"}, {"sk", ddb::Number("1.50")}, {"b", ddb::Binary{0, 255}}}},
      {State::Done, {}}};
  const std::string token = ddb::detail::encode_token(scope, in);
  for (char c : token)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_');
  const auto out = ddb::detail::decode_token(token, scope);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].state, State::Start);
  EXPECT_EQ(out[1].state, State::After);
  EXPECT_EQ(out[1].key, in[1].key);
  EXPECT_EQ(out[2].state, State::Done);
  EXPECT_FALSE(ddb::detail::finished(out));
  EXPECT_TRUE(ddb::detail::finished({{State::Done, {}}, {State::Done, {}}}));
}

TEST(ResumeToken, EveryAlteredOrTruncatedTokenIsRefused) {
  const auto scope = ddb::detail::scope_of(scan("t"), 1);
  const std::string token =
      ddb::detail::encode_token(scope, {{State::After, {{"pk", "some-key"}}}});

  for (std::size_t i = 0; i < token.size(); ++i) {
    std::string t = token;
    t[i] = t[i] == 'A' ? 'B' : 'A';
    EXPECT_TRUE(has(refusal(t, scope), "resume token refused")) << "character " << i;
    // A character outside base64url.
    t[i] = '.';
    EXPECT_TRUE(has(refusal(t, scope), "not base64url")) << "character " << i;
  }
  for (std::size_t n = 0; n < token.size(); ++n) {
    EXPECT_TRUE(has(refusal(token.substr(0, n), scope), "resume token refused")) << "cut at " << n;
  }
  EXPECT_TRUE(has(refusal(token + "AAAA", scope), "resume token refused"));
}

TEST(ResumeToken, OversizedTokensAreRefusedBeforeDecoding) {
  const auto scope = ddb::detail::scope_of(scan("t"), 1);
  const std::string huge(ddb::detail::max_token_size(scope) + 1, '!');  // not even base64url
  EXPECT_TRUE(has(refusal(huge, scope), "characters long")) << refusal(huge, scope);
}

TEST(ResumeToken, ATokenOfAnotherWalkIsRefusedNamingTheDifference) {
  const auto mine = ddb::detail::scope_of(scan("mine"), 1);
  const std::string token = ddb::detail::encode_token(mine, {{State::Start, {}}});
  EXPECT_TRUE(has(refusal(token, ddb::detail::scope_of(scan("theirs"), 1)),
                  "belongs to table \"mine\", not to table \"theirs\""));
  EXPECT_TRUE(
      has(refusal(token, ddb::detail::scope_of(scan("mine", "#a = :v"), 1)), "another Scan"));
  EXPECT_TRUE(has(refusal(token, ddb::detail::scope_of(scan("mine"), 2)), "segment"));
  ddb::QueryRequest q;
  q.table_name = "mine";
  q.key_condition_expression = "#_pk = :_v0";
  q.expression_attribute_names = {{"#_pk", "pk"}, {"#_p0", "x"}};
  q.expression_attribute_values = {{":_v0", "p"}};
  EXPECT_TRUE(has(refusal(token, ddb::detail::scope_of(q)), "continues a Scan, not a Query"));
  auto index = scan("mine");
  index.index_name = "by_x";
  EXPECT_TRUE(has(refusal(token, ddb::detail::scope_of(index, 1)), "index \"by_x\""));
  // The projection's placeholders are not part of the scope; the direction is.
  const std::string qt = ddb::detail::encode_token(ddb::detail::scope_of(q), {{State::Start, {}}});
  auto other_projection = q;
  other_projection.expression_attribute_names.erase("#_p0");
  EXPECT_EQ(ddb::detail::decode_token(qt, ddb::detail::scope_of(other_projection)).size(), 1u);
  auto descending = q;
  descending.scan_index_forward = false;
  EXPECT_TRUE(has(refusal(qt, ddb::detail::scope_of(descending)), "another Query"));
  auto other_partition = q;
  other_partition.expression_attribute_values = {{":_v0", "other"}};
  EXPECT_TRUE(has(refusal(qt, ddb::detail::scope_of(other_partition)), "another Query"));
}

}  // namespace
