// The chain's cache: one refresh at a time from 16 threads, still-valid credentials served while a
// refresh runs or after it fails; the STS endpoint choice; caller_identity(); the STS XML reader.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "auth/shared_config.hpp"
#include "auth/sts.hpp"
#include "dynamodb_mapping/credentials.hpp"
#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/sts.hpp"
#include "support/fake_sts.hpp"
#include "support/scoped_env.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::FakeSts;

namespace {

constexpr const char* kRefreshBaseSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzBASESECRET";

class StsRefresh : public ddbtest::CleanAwsEnv {
 protected:
  void role_profile() {
    write_aws_file("credentials", std::string("[base]\naws_access_key_id = AKIABASE\n"
                                              "aws_secret_access_key = ") +
                                      kRefreshBaseSecret + "\n");
    write_aws_file(
        "config",
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n");
  }
};

// A fake STS whose n-th AssumeRole answers "ASIA<n>", valid for `valid_for(n)`, after `delay`;
// calls for which `fail(n)` holds get a 403.
FakeSts counting_sts(
    std::function<std::chrono::seconds(int)> valid_for,
    std::chrono::milliseconds delay = std::chrono::milliseconds(0),
    std::function<bool(int)> fail = [](int) { return false; }) {
  return FakeSts([=](const ddbtest::HttpRequest&, int call) {
    if (fail(call)) return ddbtest::sts_error_answer(403, "AccessDenied", "no longer");
    ddbtest::Action a = ddbtest::sts_credentials_answer("AssumeRole", "ASIA" + std::to_string(call),
                                                        ddbtest::kStsRoleSecret,
                                                        ddbtest::kStsRoleToken, valid_for(call));
    a.delay = delay;
    return a;
  });
}

// Calls get() from 16 threads at once and returns the key ids they got ("error" for a throw).
std::vector<std::string> get_from_16_threads(ddb::CredentialsProvider& provider) {
  std::vector<std::string> got(16);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < 16) std::this_thread::yield();
      try {
        got[static_cast<std::size_t>(i)] = provider.get().access_key_id;
      } catch (const ddb::CredentialsError&) {
        got[static_cast<std::size_t>(i)] = "error";
      }
    });
  }
  for (auto& t : threads) t.join();
  return got;
}

}  // namespace

TEST_F(StsRefresh, SixteenThreadsWithoutCredentialsWaitForOneCall) {
  auto sts =
      counting_sts([](int) { return std::chrono::hours(1); }, std::chrono::milliseconds(200));
  set("AWS_ENDPOINT_URL_STS", sts.url());
  role_profile();
  auto chain = ddb::default_credentials_chain();
  for (const std::string& id : get_from_16_threads(*chain)) EXPECT_EQ(id, "ASIA1");
  EXPECT_EQ(sts.count(), 1);
}

TEST_F(StsRefresh, SixteenThreadsDuringARefreshMakeOneCallAndKeepTheOldCredentials) {
  // The first credentials are inside the 5-minute refresh window but valid. The refresh is held
  // inside the fake STS until the test lets it go, so "during the refresh" needs no timing.
  std::mutex mutex;
  std::condition_variable cv;
  bool released = false;
  FakeSts sts([&](const ddbtest::HttpRequest&, int call) {
    if (call > 1) {
      std::unique_lock lock(mutex);
      cv.wait_for(lock, std::chrono::seconds(10), [&] { return released; });
    }
    return ddbtest::sts_credentials_answer(
        "AssumeRole", "ASIA" + std::to_string(call), ddbtest::kStsRoleSecret,
        ddbtest::kStsRoleToken, call == 1 ? std::chrono::seconds(240) : std::chrono::hours(1));
  });
  set("AWS_ENDPOINT_URL_STS", sts.url());
  role_profile();
  auto chain = ddb::default_credentials_chain();
  EXPECT_EQ(chain->get().access_key_id, "ASIA1");
  std::string refreshed;
  std::thread refresher([&] { refreshed = chain->get().access_key_id; });
  for (int i = 0; i < 1000 && sts.count() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(sts.count(), 2);  // the refresh is under way, held by the fake STS
  for (const std::string& id : get_from_16_threads(*chain)) EXPECT_EQ(id, "ASIA1");
  EXPECT_EQ(sts.count(), 2);  // nobody else asked
  {
    std::lock_guard lock(mutex);
    released = true;
  }
  cv.notify_all();
  refresher.join();
  EXPECT_EQ(refreshed, "ASIA2");
  EXPECT_EQ(chain->get().access_key_id, "ASIA2");
  for (const std::string& id : get_from_16_threads(*chain)) EXPECT_EQ(id, "ASIA2");
  EXPECT_EQ(sts.count(), 2);
}

TEST_F(StsRefresh, AFailedRefreshServesStillValidCredentials) {
  auto sts = counting_sts([](int) { return std::chrono::seconds(240); },
                          std::chrono::milliseconds(0), [](int call) { return call > 1; });
  set("AWS_ENDPOINT_URL_STS", sts.url());
  role_profile();
  auto chain = ddb::default_credentials_chain();
  EXPECT_EQ(chain->get().access_key_id, "ASIA1");
  EXPECT_EQ(chain->get().access_key_id, "ASIA1");  // the refresh failed; ASIA1 is still valid
  for (const std::string& id : get_from_16_threads(*chain)) EXPECT_EQ(id, "ASIA1");
  EXPECT_GE(sts.count(), 3);
}

TEST_F(StsRefresh, ExpiredCredentialsAndAFailingRefreshThrow) {
  // STS hands out credentials that have already expired, then refuses.
  auto sts = counting_sts([](int) { return std::chrono::seconds(-60); },
                          std::chrono::milliseconds(0), [](int call) { return call > 1; });
  set("AWS_ENDPOINT_URL_STS", sts.url());
  role_profile();
  auto chain = ddb::default_credentials_chain();
  EXPECT_EQ(chain->get().access_key_id, "ASIA1");
  try {
    (void)chain->get();
    FAIL() << "expired credentials were served";
  } catch (const ddb::CredentialsError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code(), "AccessDenied");
    EXPECT_NE(what.find("refreshing credentials from assume-role profile"), std::string::npos)
        << what;
    EXPECT_EQ(what.find(ddbtest::kStsRoleSecret), std::string::npos);
  }
  for (const std::string& id : get_from_16_threads(*chain)) EXPECT_EQ(id, "error");
}

TEST_F(StsRefresh, EndpointChoice) {
  using ddb::detail::sts_endpoint;
  ddb::detail::Profile profile;
  profile.name = "p";
  auto url = [&](const std::string& region) { return sts_endpoint(profile, region).url; };
  EXPECT_EQ(url(""), "https://sts.amazonaws.com");
  EXPECT_EQ(sts_endpoint(profile, "").signing_region, "us-east-1");
  EXPECT_EQ(url("aws-global"), "https://sts.amazonaws.com");
  EXPECT_EQ(url("eu-west-1"), "https://sts.eu-west-1.amazonaws.com");
  EXPECT_EQ(sts_endpoint(profile, "eu-west-1").signing_region, "eu-west-1");
  EXPECT_EQ(url("cn-north-1"), "https://sts.cn-north-1.amazonaws.com.cn");
  // legacy: botocore's list goes global, other regions stay regional.
  set("AWS_STS_REGIONAL_ENDPOINTS", "legacy");
  EXPECT_EQ(url("us-east-1"), "https://sts.amazonaws.com");
  EXPECT_EQ(url("eu-west-1"), "https://sts.amazonaws.com");
  EXPECT_EQ(sts_endpoint(profile, "eu-west-1").signing_region, "us-east-1");
  EXPECT_EQ(url("ap-east-1"), "https://sts.ap-east-1.amazonaws.com");
  set("AWS_STS_REGIONAL_ENDPOINTS", "regional");
  profile.settings["sts_regional_endpoints"] = "legacy";  // the environment wins
  EXPECT_EQ(url("us-east-1"), "https://sts.us-east-1.amazonaws.com");
  unset("AWS_STS_REGIONAL_ENDPOINTS");
  EXPECT_EQ(url("us-east-1"), "https://sts.amazonaws.com");
  profile.settings["sts_regional_endpoints"] = "global";
  EXPECT_THROW((void)url("us-east-1"), ddb::CredentialsError);
  profile.settings.erase("sts_regional_endpoints");
  set("AWS_USE_FIPS_ENDPOINT", "true");
  EXPECT_EQ(url("us-east-2"), "https://sts-fips.us-east-2.amazonaws.com");
  unset("AWS_USE_FIPS_ENDPOINT");
  profile.settings["use_dualstack_endpoint"] = "true";
  EXPECT_EQ(url("us-east-2"), "https://sts.us-east-2.api.aws");
  profile.settings.erase("use_dualstack_endpoint");
  // Configured endpoints win, the STS one before the general one; the profile's services last.
  profile.settings["services.sts.endpoint_url"] = "http://127.0.0.1:3";
  EXPECT_EQ(url("eu-west-1"), "http://127.0.0.1:3");
  set("AWS_ENDPOINT_URL", "http://127.0.0.1:2");
  EXPECT_EQ(url("eu-west-1"), "http://127.0.0.1:2");
  set("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:1");
  EXPECT_EQ(url("eu-west-1"), "http://127.0.0.1:1");
  EXPECT_EQ(sts_endpoint(profile, "eu-west-1").signing_region, "eu-west-1");
  set("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true");
  EXPECT_EQ(url("eu-west-1"), "https://sts.eu-west-1.amazonaws.com");
}

TEST_F(StsRefresh, TheProfilesServicesSectionRoutesStsOnTheWire) {
  FakeSts sts;
  write_aws_file("credentials", std::string("[base]\naws_access_key_id = AKIABASE\n"
                                            "aws_secret_access_key = ") +
                                    kRefreshBaseSecret + "\n");
  write_aws_file("config",
                 "[default]\nrole_arn = arn:aws:iam::123456789012:role/svc\n"
                 "source_profile = base\nregion = ap-south-1\nservices = local\n"
                 "[services local]\nsts =\n  endpoint_url = " +
                     sts.url() + "\n");
  ddb::CredentialsOptions options;
  options.region = "eu-north-1";
  EXPECT_EQ(ddb::default_credentials_chain(options)->get().access_key_id, "ASIAsvc");
  ASSERT_EQ(sts.count(), 1);
  // The profile's region before CredentialsOptions::region.
  const std::string auth = sts.requests()[0].headers.at("authorization");
  EXPECT_NE(auth.find("/ap-south-1/sts/aws4_request"), std::string::npos) << auth;
}

TEST_F(StsRefresh, CallerIdentity) {
  FakeSts sts([](const ddbtest::HttpRequest& r, int) {
    if (ddbtest::form_params(r.body)["Action"] != "GetCallerIdentity") {
      return ddbtest::sts_error_answer(400, "InvalidAction", "no");
    }
    return ddbtest::sts_identity_answer("123456789012", "arn:aws:iam::123456789012:user/alice",
                                        "AIDAEXAMPLE");
  });
  set("AWS_ENDPOINT_URL_STS", sts.url());
  set("AWS_ACCESS_KEY_ID", "AKIAENV");
  set("AWS_SECRET_ACCESS_KEY", kRefreshBaseSecret);
  set("AWS_REGION", "eu-central-1");
  const ddb::CallerIdentity id = ddb::caller_identity();
  EXPECT_EQ(id.account, "123456789012");
  EXPECT_EQ(id.arn, "arn:aws:iam::123456789012:user/alice");
  EXPECT_EQ(id.user_id, "AIDAEXAMPLE");
  EXPECT_EQ(id.credentials_source, "environment");
  ASSERT_EQ(sts.count(), 1);
  const std::string auth = sts.requests()[0].headers.at("authorization");
  EXPECT_EQ(auth.rfind("AWS4-HMAC-SHA256 Credential=AKIAENV/", 0), 0u) << auth;
  EXPECT_NE(auth.find("/eu-central-1/sts/aws4_request"), std::string::npos) << auth;

  ddb::ClientConfig config;
  config.credentials = ddb::Credentials{"AKIACONFIG", "s", "", {}};
  config.region = "us-west-1";
  EXPECT_EQ(ddb::caller_identity(config).credentials_source, "ClientConfig::credentials");
  EXPECT_NE(sts.requests()[1].headers.at("authorization").find("/us-west-1/sts/"),
            std::string::npos);
}

TEST_F(StsRefresh, CallerIdentityRefusedIsACredentialsErrorWithStsCode) {
  FakeSts sts([](const ddbtest::HttpRequest&, int) {
    return ddbtest::sts_error_answer(403, "InvalidClientTokenId",
                                     "The security token included in the request is invalid.");
  });
  set("AWS_ENDPOINT_URL_STS", sts.url());
  ddb::ClientConfig config;
  config.credentials = ddb::Credentials{"AKIABAD", kRefreshBaseSecret, "", {}};
  try {
    (void)ddb::caller_identity(config);
    FAIL() << "no error";
  } catch (const ddb::CredentialsError& e) {
    EXPECT_EQ(e.code(), "InvalidClientTokenId");
    EXPECT_EQ(std::string(e.what()).find(kRefreshBaseSecret), std::string::npos);
  }
}

TEST(StsXml, LeavesByPathAndRefusals) {
  using ddb::detail::parse_sts_xml;
  const auto leaves = parse_sts_xml("<a xmlns=\"x\"><b><c>1</c><d>&lt;2&gt;</d></b><c>3</c></a>");
  ASSERT_TRUE(leaves.has_value());
  EXPECT_EQ(leaves->at("a/b/c"), "1");
  EXPECT_EQ(leaves->at("a/b/d"), "<2>");
  EXPECT_EQ(leaves->at("a/c"), "3");
  EXPECT_FALSE(parse_sts_xml("<a><b></a>").has_value());
  EXPECT_FALSE(parse_sts_xml("").has_value());
  EXPECT_FALSE(parse_sts_xml("<!DOCTYPE a><a/>").has_value());
  std::string deep;
  for (int i = 0; i < 17; ++i) deep += "<x>";
  for (int i = 0; i < 17; ++i) deep += "</x>";
  EXPECT_FALSE(parse_sts_xml(deep).has_value());
  std::string wide = "<a>";
  for (int i = 0; i < 300; ++i) wide += "<b/>";
  EXPECT_FALSE(parse_sts_xml(wide + "</a>").has_value());
}

TEST(StsXml, ErrorAnswersAreMadePrintable) {
  const auto e = ddb::detail::read_error_answer(
      // A bidi override (legal in XML, unlike ESC) and a line break: both escaped.
      "<ErrorResponse><Error><Code>Bad\xe2\x80\xae</Code><Message>line1\nline2</Message></Error>"
      "<RequestId>r-1</RequestId></ErrorResponse>");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->code, "Bad\\u202e");
  EXPECT_EQ(e->message.find('\n'), std::string::npos);
  EXPECT_EQ(e->request_id, "r-1");
  EXPECT_FALSE(ddb::detail::read_error_answer("<html>502</html>").has_value());
}
