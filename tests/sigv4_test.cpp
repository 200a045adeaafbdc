#include "auth/sigv4.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <random>
#include <sstream>

#include "client/endpoint.hpp"
#include "client/signing.hpp"
#include "dynamodb_mapping/json.hpp"

namespace ddb = dynamodb_mapping;
using ddb::detail::SigV4Signer;

// AWS's published Signature Version 4 test suite, case "get-vanilla": the inputs and the expected
// signature are the suite's (credentials AKIDEXAMPLE, region us-east-1, service "service").
TEST(SigV4, PublishedTestSuiteGetVanilla) {
  const ddb::Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", {}};
  ddb::detail::SigningRequest req{
      "GET", "/", "", {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}}, ""};
  SigV4Signer signer;
  EXPECT_EQ(signer.authorization(req, creds, "us-east-1", "service", "20150830T123600Z"),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  // Signing twice (cached key) gives the same answer.
  EXPECT_EQ(signer.authorization(req, creds, "us-east-1", "service", "20150830T123600Z"),
            signer.authorization(req, creds, "us-east-1", "service", "20150830T123600Z"));
}

TEST(SigV4, Sha256OfEmptyInput) {
  // The SHA-256 of the empty string (FIPS 180-4), which SigV4 uses for empty payloads.
  EXPECT_EQ(ddb::detail::sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(SigV4, AmzDateFormat) {
  const auto t = std::chrono::system_clock::time_point(std::chrono::seconds(1440938160));
  EXPECT_EQ(ddb::detail::amz_date(t), "20150830T123600Z");
}

TEST(Endpoint, ParsesAndNormalizesTheHost) {
  using ddb::detail::parse_endpoint;
  EXPECT_EQ(parse_endpoint("https://dynamodb.us-east-1.amazonaws.com").host_header,
            "dynamodb.us-east-1.amazonaws.com");
  EXPECT_EQ(parse_endpoint("https://dynamodb.us-east-1.amazonaws.com").url,
            "https://dynamodb.us-east-1.amazonaws.com/");
  EXPECT_EQ(parse_endpoint("http://127.0.0.1:8000").host_header, "127.0.0.1:8000");
  EXPECT_EQ(parse_endpoint("http://localhost:80/").host_header, "localhost");
  EXPECT_EQ(parse_endpoint("HTTPS://h:443").host_header, "h");
  EXPECT_EQ(parse_endpoint("http://[::1]:8000").host_header, "[::1]:8000");
  EXPECT_EQ(parse_endpoint("http://[::1]").host_header, "[::1]");
  EXPECT_EQ(parse_endpoint("http://h:1/prefix").path, "/prefix");
  for (const char* bad :
       {"", "localhost:8000", "ftp://h", "http://", "http://:80", "http://h:", "http://h:99999",
        "http://h:8x", "http://u:p@h", "http://h/?q=1", "http://h/#f"}) {
    EXPECT_THROW(parse_endpoint(bad), ddb::ValidationError) << bad;
  }
}

TEST(SigV4, SignsOnlyHeadersNoProxyRewrites) {
  SigV4Signer signer;
  const auto headers = ddb::detail::signed_dynamodb_headers(
      signer, ddb::detail::parse_endpoint("http://127.0.0.1:8000"), "GetItem", "{}",
      {"AKID", "secret", "token", {}}, "us-east-1", "20200101T000000Z");
  const std::string& auth = headers.back().second;
  EXPECT_EQ(headers.back().first, "Authorization");
  EXPECT_NE(
      auth.find("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"),
      std::string::npos)
      << auth;
}

// Differential test: the same generated requests signed by botocore (Debian python3-botocore)
// and by us must carry identical Authorization headers.
TEST(SigV4, MatchesBotocoreOnGeneratedRequests) {
  constexpr int kCount = 250;
  const unsigned seed = std::random_device{}();
  const std::string cmd = "/usr/bin/python3 " DDBMAP_TEST_TOOLS_DIR "/botocore_sign.py " +
                          std::to_string(kCount) + " " + std::to_string(seed);
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[8192];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ASSERT_EQ(::pclose(p), 0) << "botocore_sign.py failed; seed " << seed;

  SigV4Signer signer;
  std::istringstream lines(out);
  std::string line;
  int compared = 0;
  while (std::getline(lines, line)) {
    const ddb::Item c = ddb::item_from_plain_json(line);
    auto s = [&](const char* k) { return c.at(k).as_string(); };
    const auto endpoint = ddb::detail::parse_endpoint(s("scheme") + "://" + s("host") + "/");
    const auto headers = ddb::detail::signed_dynamodb_headers(
        signer, endpoint, s("operation"), s("body"), {s("access_key"), s("secret"), s("token"), {}},
        s("region"), s("amz_date"));
    EXPECT_EQ(headers.back().second, s("authorization"))
        << "seed " << seed << ", request " << compared << ": " << line;
    ++compared;
  }
  EXPECT_EQ(compared, kCount) << "seed " << seed;
}

TEST(Credentials, PrintingRevealsNoSecret) {
  std::ostringstream os;
  os << ddb::Credentials{"AKIAIOSFODNN7EXAMPLE",
                         "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                         "FwoGZXIvYXdzEXAMPLETOKEN",
                         {}};
  EXPECT_EQ(os.str(),
            "Credentials{access_key_id=...MPLE, secret_access_key=<redacted>, "
            "session_token=<redacted>}");
}
