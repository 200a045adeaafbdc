// Transport safety at Client construction: endpoint URLs parsed strictly, plain http:// refused
// off this machine unless asked for, and the CA bundle found by botocore's precedence and checked.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "auth/shared_config.hpp"
#include "client/endpoint.hpp"
#include "dynamodb_mapping/client.hpp"
#include "support/scoped_env.hpp"

namespace ddb = dynamodb_mapping;
using ddb::detail::parse_endpoint;

namespace {

constexpr const char* kAllowVar = "DYNAMODB_MAPPING_ALLOW_INSECURE_HTTP";

// The clean AWS environment, and DYNAMODB_MAPPING_ALLOW_INSECURE_HTTP unset for the test.
class TransportSecurity : public ddbtest::CleanAwsEnv {
 protected:
  void SetUp() override {
    CleanAwsEnv::SetUp();
    if (const char* v = std::getenv(kAllowVar)) saved_allow_ = v;
    unset(kAllowVar);
  }
  void TearDown() override {
    unset(kAllowVar);
    if (saved_allow_) set(kAllowVar, *saved_allow_);
    CleanAwsEnv::TearDown();
  }

  static ddb::ClientConfig config(const std::string& endpoint) {
    ddb::ClientConfig c;
    c.region = "us-east-1";
    c.endpoint_url = endpoint;
    c.credentials = ddb::Credentials{"AKID", "secret", "", {}};
    return c;
  }
  // The ConfigError message constructing a Client with `c` gives, or "(none)".
  static std::string config_error(const ddb::ClientConfig& c) {
    ::testing::internal::CaptureStderr();
    std::string what = "(none)";
    try {
      ddb::Client client(c);
    } catch (const ddb::ConfigError& e) {
      what = e.what();
    }
    ::testing::internal::GetCapturedStderr();
    return what;
  }

 private:
  std::optional<std::string> saved_allow_;
};

std::string parse_error(const std::string& url) {
  try {
    parse_endpoint(url);
  } catch (const ddb::ValidationError& e) {
    return e.what();
  }
  return "(none)";
}

}  // namespace

TEST(EndpointUrl, HostPortAndIpv6Literals) {
  auto e = parse_endpoint("HTTP://[::1]:8000");
  EXPECT_EQ(e.scheme, "http");
  EXPECT_EQ(e.host, "::1");
  EXPECT_EQ(e.host_header, "[::1]:8000");
  EXPECT_EQ(e.url, "http://[::1]:8000/");
  EXPECT_TRUE(e.loopback);

  e = parse_endpoint("https://[2001:db8::5]/base");
  EXPECT_EQ(e.host, "2001:db8::5");
  EXPECT_EQ(e.host_header, "[2001:db8::5]");
  EXPECT_EQ(e.path, "/base");
  EXPECT_FALSE(e.loopback);

  e = parse_endpoint("https://dynamodb.eu-west-1.amazonaws.com:443");
  EXPECT_EQ(e.host_header, "dynamodb.eu-west-1.amazonaws.com");
  EXPECT_EQ(parse_endpoint("http://localhost:8000").host_header, "localhost:8000");
  // The Host header as libcurl sends it (and so as it is signed): the port as a number.
  EXPECT_EQ(parse_endpoint("http://127.0.0.1:08000").host_header, "127.0.0.1:8000");
  EXPECT_EQ(parse_endpoint("https://host:0443").host_header, "host");
}

TEST(EndpointUrl, AnythingAmbiguousIsRefused) {
  for (const char* url : {"http://user:pw@127.0.0.1:8000",
                          "http://@host",
                          "http://::1:8000",
                          "http://[::1:8000",
                          "http://[::1]x",
                          "http://[nothex]:1",
                          "http://host:0",
                          "http://host:65536",
                          "http://host:",
                          "http://host:8a",
                          "http://ho st",
                          "http://host\x1b[31m",
                          "http://h\xc3\xa9st",
                          "http://host/?q",
                          "http://host#f",
                          "http://",
                          "http://:80",
                          "ftp://host",
                          "http://a\\b.example.com",
                          "http://[fe80::1%eth0]",
                          "http://[fe80::1%25eth0]"}) {
    EXPECT_NE(parse_error(url), "(none)") << url;
  }
  EXPECT_NE(parse_error("http://user@host").find("user info"), std::string::npos);
  // The URL is quoted in the message, but never with raw control characters.
  EXPECT_EQ(parse_error("http://x\x1b[2J").find('\x1b'), std::string::npos);
}

TEST(EndpointUrl, LoopbackIsThisMachineOnly) {
  for (const char* host : {"127.0.0.1", "127.255.255.254", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1",
                           "::ffff:127.0.0.1", "localhost", "LocalHost"}) {
    EXPECT_TRUE(ddb::detail::is_loopback_host(host)) << host;
  }
  for (const char* host :
       {"128.0.0.1", "0127.0.0.1", "127.1", "0x7f.0.0.1", "2130706433", "127.0.0.1.evil.example",
        "localhost.evil.example", "localhost.", "evil-localhost", "0.0.0.0", "::", "::2",
        "::ffff:10.0.0.1", "10.0.0.1", ""}) {
    EXPECT_FALSE(ddb::detail::is_loopback_host(host)) << host;
  }
}

TEST_F(TransportSecurity, PlainHttpToAnotherHostIsRefused) {
  for (const char* url : {"http://dynamodb.example.com", "http://10.0.0.5:8000",
                          "http://[2001:db8::5]:8000", "http://127.0.0.1.nip.io:8000"}) {
    const std::string what = config_error(config(url));
    EXPECT_NE(what.find("refusing plain http://"), std::string::npos) << url << ": " << what;
    EXPECT_NE(what.find("allow_insecure_http"), std::string::npos) << what;
    EXPECT_NE(what.find(kAllowVar), std::string::npos) << what;
  }
  // Wherever the URL comes from, and the message says where that was.
  set("AWS_ENDPOINT_URL_DYNAMODB", "http://dynamodb.example.com");
  ddb::ClientConfig from_env = config("");
  const std::string what = config_error(from_env);
  EXPECT_NE(what.find("AWS_ENDPOINT_URL_DYNAMODB"), std::string::npos) << what;

  // This machine and https:// need no opt-in.
  for (const char* url : {"http://127.0.0.1:8000", "http://127.0.0.2", "http://[::1]:8000",
                          "http://localhost:8000", "https://dynamodb.example.com"}) {
    EXPECT_EQ(config_error(config(url)), "(none)") << url;
  }
}

TEST_F(TransportSecurity, OptInAllowsPlainHttpAndSaysSo) {
  ddb::ClientConfig c = config("http://dynamodb.example.com:8000");
  c.allow_insecure_http = true;
  ::testing::internal::CaptureStderr();
  EXPECT_NO_THROW(ddb::Client{c});
  const std::string said = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(said.find("plain http:// to http://dynamodb.example.com:8000/ is allowed"),
            std::string::npos)
      << said;

  set(kAllowVar, "TRUE");
  EXPECT_EQ(config_error(config("http://dynamodb.example.com:8000")), "(none)");
  set(kAllowVar, "1");  // only "true" opts in, as for the AWS_* switches
  EXPECT_NE(config_error(config("http://dynamodb.example.com:8000")), "(none)");
}

TEST_F(TransportSecurity, CaBundlePrecedenceIsConfigThenEnvironmentThenProfile) {
  write_aws_file("config", "[default]\nca_bundle = /from/profile.pem\n");
  const ddb::detail::Profile profile = ddb::detail::load_profile("default");
  ddb::ClientConfig c;
  EXPECT_EQ(ddb::detail::resolve_ca_file(c, profile), "/from/profile.pem");
  set("AWS_CA_BUNDLE", "/from/env.pem");
  EXPECT_EQ(ddb::detail::resolve_ca_file(c, profile), "/from/env.pem");
  c.ca_file = "/from/config.pem";
  EXPECT_EQ(ddb::detail::resolve_ca_file(c, profile), "/from/config.pem");
  EXPECT_EQ(ddb::detail::resolve_ca_file({}, ddb::detail::Profile{}), "/from/env.pem");
  unset("AWS_CA_BUNDLE");
  EXPECT_EQ(ddb::detail::resolve_ca_file({}, ddb::detail::Profile{}), "");
}

TEST_F(TransportSecurity, AMissingOrUnreadableCaBundleIsAConfigError) {
  const std::string https = "https://127.0.0.1:1";
  ddb::ClientConfig c = config(https);
  c.ca_file = (home_ / "no-such-bundle.pem").string();
  EXPECT_NE(config_error(c).find("does not exist"), std::string::npos) << config_error(c);
  c.ca_file = home_.string();
  EXPECT_NE(config_error(c).find("is not a regular file"), std::string::npos) << config_error(c);

  // From the environment and the profile as well.
  c.ca_file.clear();
  set("AWS_CA_BUNDLE", (home_ / "gone.pem").string());
  EXPECT_NE(config_error(c).find("gone.pem\" does not exist"), std::string::npos);
  unset("AWS_CA_BUNDLE");
  write_aws_file("config", "[default]\nca_bundle = " + (home_ / "lost.pem").string() + "\n");
  EXPECT_NE(config_error(c).find("lost.pem\" does not exist"), std::string::npos);

  // A readable file is accepted (its content is for TLS to judge).
  const auto bundle = home_ / "bundle.pem";
  std::ofstream(bundle) << "-----BEGIN CERTIFICATE-----\n";
  c.ca_file = bundle.string();
  EXPECT_EQ(config_error(c), "(none)");

  // As botocore: no TLS (http://) or no verification, no use for a bundle, so no complaint.
  set("AWS_CA_BUNDLE", "/nonexistent/bundle.pem");
  EXPECT_EQ(config_error(config("http://127.0.0.1:8000")), "(none)");
  ddb::ClientConfig unverified = config("https://127.0.0.1:1");
  unverified.verify_tls = false;
  EXPECT_EQ(config_error(unverified), "(none)");
}

TEST_F(TransportSecurity, RegionMustBeOneDnsLabel) {
  // The region is part of the default endpoint's host: one with a dot or slash would redirect
  // signed requests to another host ("https://dynamodb.evil.example/.amazonaws.com").
  ddb::ClientConfig c = config("");
  for (const char* region :
       {"evil.example/", "us-east-1.evil.example", "a b", "-x", "123", "x@y"}) {
    c.region = region;
    EXPECT_NE(config_error(c).find("invalid region"), std::string::npos) << region;
  }
  c.region.clear();
  set("AWS_REGION", "evil.example/");
  EXPECT_NE(config_error(c).find("from AWS_REGION"), std::string::npos);
  set("AWS_REGION", "eu-west-1");
  EXPECT_EQ(config_error(c), "(none)");
}

TEST_F(TransportSecurity, ARawOperationNameCannotForgeAHeader) {
  // Client::call puts the name into X-Amz-Target: CR/LF and other non-letters are refused before
  // anything is sent (a ValidationError, not the NetworkError of the closed port).
  const ddb::Client client(config("http://127.0.0.1:1"));
  const std::vector<std::string> names{
      "ListTables\r\nX-Injected: 1", "List Tables",           "", "Get-Item",
      std::string(65, 'A'),          std::string("Scan\0", 5)};
  for (const std::string& name : names) {
    try {
      (void)client.call(name, "{}");
      ADD_FAILURE() << "accepted an operation name of " << name.size() << " bytes";
    } catch (const ddb::ValidationError& e) {
      EXPECT_EQ(e.http_status(), 0);
      EXPECT_EQ(e.operation(), "");  // the refused text is not carried along
    }
  }
  EXPECT_THROW((void)client.call("ListTables", "{}"), ddb::NetworkError);  // a real name is sent
}
