// IAM Identity Center (SSO) profiles: settings from the profile and its [sso-session] section,
// the token cache `aws sso login` writes, its refresh through SSO-OIDC CreateToken, and
// GetRoleCredentials, against fake portal and OIDC services on 127.0.0.1 and a temporary HOME.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "auth/shared_config.hpp"
#include "auth/sso.hpp"
#include "auth/sso_token.hpp"
#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/json.hpp"
#include "support/http_server.hpp"
#include "support/scoped_env.hpp"

namespace ddb = dynamodb_mapping;
using namespace std::chrono_literals;
using Clock = std::chrono::system_clock;

namespace {

// Every secret the tests hand out; none may appear in any message.
constexpr const char* kAccessToken = "aoaAccessTokenSECRET111";
constexpr const char* kNewAccessToken = "aoaNewAccessTokenSECRET222";
constexpr const char* kRefreshToken = "aorRefreshTokenSECRET333";
constexpr const char* kNewRefreshToken = "aorNewRefreshTokenSECRET444";
constexpr const char* kClientSecret = "ClientSecretSECRET555";
constexpr const char* kSecretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSSOSECRET";
constexpr const char* kSessionToken = "IQoJb3JpZ2luSessionTokenSECRET666";

constexpr const char* kStartUrl = "https://d-abc123.awsapps.com/start";
constexpr std::int64_t kExpirationMillis = 1893456000000;  // 2030-01-01T00:00:00Z

// `now + offset` as the cache writes times, computed here rather than by the code under test.
std::string iso(Clock::duration offset) {
  const std::time_t t = Clock::to_time_t(Clock::now() + offset);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::string role_answer() {
  return std::string(R"({"roleCredentials":{"accessKeyId":"ASIASSOEXAMPLE","secretAccessKey":")") +
         kSecretKey + R"(","sessionToken":")" + kSessionToken + R"(","expiration":)" +
         std::to_string(kExpirationMillis) + "}}";
}

void expect_no_secrets(const std::string& text) {
  for (const char* secret : {kAccessToken, kNewAccessToken, kRefreshToken, kNewRefreshToken,
                             kClientSecret, kSecretKey, kSessionToken}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " leaked into: " << text;
  }
}

// A fake service: answers each request with `next`, and remembers what it was asked.
struct FakeService {
  std::mutex mutex;
  std::vector<ddbtest::HttpRequest> seen;
  ddbtest::Action next = ddbtest::Action::respond({500, {}, "{}"});
  ddbtest::TestHttpServer server{[this](const ddbtest::HttpRequest& r) {
    std::lock_guard lock(mutex);
    seen.push_back(r);
    return next;
  }};

  void answer(int status, std::string body) {
    std::lock_guard lock(mutex);
    next = ddbtest::Action::respond({status, {{"Content-Type", "application/json"}}, body});
  }
  void act(ddbtest::Action a) {
    std::lock_guard lock(mutex);
    next = std::move(a);
  }
  std::vector<ddbtest::HttpRequest> requests() {
    std::lock_guard lock(mutex);
    return seen;
  }
};

class SsoCredentials : public ddbtest::CleanAwsEnv {
 protected:
  void SetUp() override {
    CleanAwsEnv::SetUp();
    set("AWS_ENDPOINT_URL_SSO", portal.server.url());
    set("AWS_ENDPOINT_URL_SSO_OIDC", oidc.server.url());
    portal.answer(200, role_answer());
    cache_dir_ = home_ / ".aws" / "sso" / "cache";
    std::filesystem::create_directories(cache_dir_);
  }

  // A profile "dev" using [sso-session my-sso], plus `extra` lines in the profile.
  void session_profile(const std::string& extra = "", const std::string& session_extra = "") {
    write_aws_file("config",
                   "[profile dev]\nsso_session = my-sso\nsso_account_id = 123456789012\n"
                   "sso_role_name = ReadOnly\n" +
                       extra + "\n[sso-session my-sso]\nsso_start_url = " + kStartUrl +
                       "\nsso_region = us-east-1\n"
                       "sso_registration_scopes = sso:account:access\n" +
                       session_extra);
  }
  void legacy_profile(const std::string& role = "ReadOnly") {
    write_aws_file("config", std::string("[profile dev]\nsso_start_url = ") + kStartUrl +
                                 "\nsso_region = us-east-1\nsso_account_id = 123456789012\n"
                                 "sso_role_name = " +
                                 role + "\n");
  }

  std::filesystem::path cache_path(const std::string& key) const {
    return cache_dir_ / ddb::detail::sso_cache_file_name(key);
  }
  // The cache `aws sso login` writes for an sso-session, expiring at `expires_at`.
  void session_cache(const std::string& expires_at,
                     const std::string& registration_expires_at = iso(24h * 30),
                     bool with_refresh = true) {
    std::string json = std::string(R"({"startUrl":")") + kStartUrl +
                       R"(","region":"us-east-1","accessToken":")" + kAccessToken +
                       R"(","expiresAt":")" + expires_at + "\"";
    if (with_refresh) {
      json += std::string(R"(,"clientId":"client-id-1","clientSecret":")") + kClientSecret +
              R"(","registrationExpiresAt":")" + registration_expires_at + R"(","refreshToken":")" +
              kRefreshToken + "\"";
    }
    write_cache("my-sso", json + "}");
  }
  void write_cache(const std::string& key, const std::string& content) {
    std::ofstream(cache_path(key)) << content;
  }

  // The message of the CredentialsError that sso_credentials throws for "dev" ("(none)" if none).
  std::string error() {
    try {
      (void)ddb::detail::sso_credentials(ddb::detail::load_profile("dev"));
    } catch (const ddb::CredentialsError& e) {
      expect_no_secrets(e.what());
      return e.message();
    } catch (const std::exception& e) {
      return std::string("unexpected exception: ") + e.what();
    }
    return "(none)";
  }
  ddb::Credentials credentials() {
    return ddb::detail::sso_credentials(ddb::detail::load_profile("dev"));
  }

  static std::string login_message() {
    return "the SSO session for profile \"dev\" has expired or is missing; run aws sso login "
           "--profile dev";
  }

  FakeService portal, oidc;
  std::filesystem::path cache_dir_;
};

TEST(SsoCache, FileNameIsTheSha1OfTheSessionNameOrStartUrl) {
  // Reference digests from sha1sum; the start URL's is botocore's own test vector.
  EXPECT_EQ(ddb::detail::sso_cache_file_name("my-sso"),
            "0ad374308c5a4e22f723adf10145eafad7c4031c.json");
  EXPECT_EQ(ddb::detail::sso_cache_file_name(kStartUrl),
            "40a89917e3175433e361b710a9d43528d7f1890a.json");
}

TEST(SsoCache, TimesInTheFormsTheCliWrites) {
  const auto t = ddb::detail::parse_sso_time("2030-01-01T00:00:00Z");
  ASSERT_TRUE(t);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count(),
            kExpirationMillis);
  EXPECT_EQ(ddb::detail::parse_sso_time("2030-01-01T00:00:00.123Z"), t);
  EXPECT_EQ(ddb::detail::parse_sso_time("2030-01-01T00:00:00UTC"), t);
  EXPECT_EQ(ddb::detail::parse_sso_time("2030-01-01T00:00:00+00:00"), t);
  EXPECT_FALSE(ddb::detail::parse_sso_time("2030-01-01T00:00:00+02:00"));
  EXPECT_FALSE(ddb::detail::parse_sso_time("2030-13-01T00:00:00Z"));
  EXPECT_FALSE(ddb::detail::parse_sso_time("tomorrow"));
}

TEST_F(SsoCredentials, ProfilesWithAnSsoSettingAreSso) {
  session_profile();
  EXPECT_TRUE(ddb::detail::is_sso_profile(ddb::detail::load_profile("dev")));
  legacy_profile();
  EXPECT_TRUE(ddb::detail::is_sso_profile(ddb::detail::load_profile("dev")));
  write_aws_file("config", "[profile dev]\nregion = us-east-1\n");
  EXPECT_FALSE(ddb::detail::is_sso_profile(ddb::detail::load_profile("dev")));
}

TEST_F(SsoCredentials, SessionProfileWithAValidCacheGetsRoleCredentials) {
  session_profile();
  session_cache(iso(8h));
  const ddb::Credentials c = credentials();
  EXPECT_EQ(c.access_key_id, "ASIASSOEXAMPLE");
  EXPECT_EQ(c.secret_access_key, kSecretKey);
  EXPECT_EQ(c.session_token, kSessionToken);
  ASSERT_TRUE(c.expiration);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(c.expiration->time_since_epoch())
                .count(),
            kExpirationMillis);

  const auto asked = portal.requests();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].method, "GET");
  EXPECT_EQ(asked[0].target, "/federation/credentials?role_name=ReadOnly&account_id=123456789012");
  EXPECT_EQ(asked[0].headers.at("x-amz-sso_bearer_token"), kAccessToken);
  EXPECT_TRUE(oidc.requests().empty()) << "a valid token is not refreshed";
}

TEST_F(SsoCredentials, LegacyProfileReadsTheCacheNamedByTheStartUrl) {
  legacy_profile("Admin+Ops@corp");
  write_cache(kStartUrl, std::string(R"({"startUrl":")") + kStartUrl +
                             R"(","region":"us-east-1","accessToken":")" + kAccessToken +
                             R"(","expiresAt":")" + iso(1h) + "\"}");
  EXPECT_EQ(credentials().access_key_id, "ASIASSOEXAMPLE");
  const auto asked = portal.requests();
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_EQ(asked[0].target,
            "/federation/credentials?role_name=Admin%2BOps%40corp&account_id=123456789012");
  EXPECT_EQ(asked[0].headers.at("x-amz-sso_bearer_token"), kAccessToken);
}

TEST_F(SsoCredentials, IncompleteSettingsNameTheMissingKeyBeforeAnyRequest) {
  session_cache(iso(8h));
  write_aws_file("config",
                 "[profile dev]\nsso_session = my-sso\nsso_role_name = R\n"
                 "[sso-session my-sso]\nsso_start_url = https://x.example/start\n");
  const std::string missing = error();
  EXPECT_NE(missing.find("lacks sso_region, sso_account_id"), std::string::npos) << missing;

  write_aws_file("config",
                 "[profile dev]\nsso_session = nowhere\nsso_role_name = R\n"
                 "sso_account_id = 1\n");
  const std::string no_section = error();
  EXPECT_NE(no_section.find("[sso-session nowhere]"), std::string::npos) << no_section;

  write_aws_file("config", std::string("[profile dev]\nsso_start_url = ") + kStartUrl +
                               "\nsso_region = us-east-1\nsso_account_id = 1\n");
  const std::string legacy = error();
  EXPECT_NE(legacy.find("lacks sso_role_name"), std::string::npos) << legacy;

  write_aws_file("config", std::string("[profile dev]\nsso_start_url = ") + kStartUrl +
                               "\nsso_region = us-east-1.evil.example/\nsso_account_id = 1\n"
                               "sso_role_name = R\n");
  const std::string region = error();
  EXPECT_NE(region.find("sso_region"), std::string::npos) << region;
  EXPECT_TRUE(portal.requests().empty());
}

TEST_F(SsoCredentials, ProfileAndSessionDisagreeingIsAnError) {
  session_profile("sso_start_url = https://other.awsapps.com/start\n");
  session_cache(iso(8h));
  const std::string differ = error();
  EXPECT_NE(differ.find("sso_start_url differs"), std::string::npos) << differ;
  EXPECT_TRUE(portal.requests().empty());

  session_profile(std::string("sso_start_url = ") + kStartUrl + "\n");  // the same value: fine
  EXPECT_EQ(credentials().access_key_id, "ASIASSOEXAMPLE");
}

TEST_F(SsoCredentials, NoCacheSaysRunAwsSsoLogin) {
  session_profile();
  EXPECT_EQ(error(), login_message());
  legacy_profile();
  EXPECT_EQ(error(), login_message());
  EXPECT_TRUE(portal.requests().empty());
}

TEST_F(SsoCredentials, ExpiredTokenIsRefreshedAndTheCacheRewritten) {
  session_profile();
  session_cache(iso(-1min));
  oidc.answer(200, std::string(R"({"accessToken":")") + kNewAccessToken +
                       R"(","expiresIn":3600,"refreshToken":")" + kNewRefreshToken +
                       R"(","tokenType":"Bearer"})");
  EXPECT_EQ(credentials().session_token, kSessionToken);

  const auto refresh = oidc.requests();
  ASSERT_EQ(refresh.size(), 1u);
  EXPECT_EQ(refresh[0].method, "POST");
  EXPECT_EQ(refresh[0].target, "/token");
  const ddb::Item sent = ddb::item_from_plain_json(refresh[0].body);
  EXPECT_EQ(sent.at("grantType").as_string(), "refresh_token");
  EXPECT_EQ(sent.at("clientId").as_string(), "client-id-1");
  EXPECT_EQ(sent.at("clientSecret").as_string(), kClientSecret);
  EXPECT_EQ(sent.at("refreshToken").as_string(), kRefreshToken);
  ASSERT_EQ(portal.requests().size(), 1u);
  EXPECT_EQ(portal.requests()[0].headers.at("x-amz-sso_bearer_token"), kNewAccessToken);

  // The cache holds the new tokens, the registration kept, readable by its owner only.
  const auto path = cache_path("my-sso");
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const ddb::Item cache = ddb::item_from_plain_json(text);
  EXPECT_EQ(cache.at("accessToken").as_string(), kNewAccessToken);
  EXPECT_EQ(cache.at("refreshToken").as_string(), kNewRefreshToken);
  EXPECT_EQ(cache.at("clientSecret").as_string(), kClientSecret);
  EXPECT_EQ(cache.at("startUrl").as_string(), kStartUrl);
  const auto expires = ddb::detail::parse_sso_time(cache.at("expiresAt").as_string());
  ASSERT_TRUE(expires);
  EXPECT_GT(*expires, Clock::now() + 50min);
  EXPECT_LT(*expires, Clock::now() + 70min);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(cache_dir_),
                          std::filesystem::directory_iterator()),
            1)
      << "no temporary file is left behind";
}

TEST_F(SsoCredentials, ARefreshWithoutANewRefreshTokenKeepsTheOldOne) {
  session_profile();
  session_cache(iso(10min));  // still valid, but inside the 15-minute window
  oidc.answer(200, std::string(R"({"accessToken":")") + kNewAccessToken + R"(","expiresIn":900})");
  EXPECT_EQ(credentials().access_key_id, "ASIASSOEXAMPLE");
  EXPECT_EQ(oidc.requests().size(), 1u);
  EXPECT_EQ(portal.requests().at(0).headers.at("x-amz-sso_bearer_token"), kNewAccessToken);
  std::ifstream in(cache_path("my-sso"));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const ddb::Item cache = ddb::item_from_plain_json(text);
  EXPECT_EQ(cache.at("accessToken").as_string(), kNewAccessToken);
  EXPECT_EQ(cache.at("refreshToken").as_string(), kRefreshToken);
}

TEST_F(SsoCredentials, NearExpiryAFailedRefreshKeepsTheStillValidToken) {
  session_profile();
  session_cache(iso(5min));  // inside the 15-minute window
  const auto path = cache_path("my-sso");
  const auto before = std::filesystem::last_write_time(path);
  for (const ddbtest::Action& failure :
       {ddbtest::Action::respond({500, {}, "{}"}), ddbtest::Action::reset(),
        ddbtest::Action::respond({200, {}, "not json"})}) {
    oidc.act(failure);
    EXPECT_EQ(credentials().access_key_id, "ASIASSOEXAMPLE");
    EXPECT_EQ(portal.requests().back().headers.at("x-amz-sso_bearer_token"), kAccessToken);
  }
  EXPECT_EQ(oidc.requests().size(), 3u);
  EXPECT_EQ(std::filesystem::last_write_time(path), before);
}

TEST_F(SsoCredentials, ExpiredAndNotRefreshableSaysRunAwsSsoLogin) {
  session_profile();
  session_cache(iso(-1min), iso(24h), /*with_refresh=*/false);
  EXPECT_EQ(error(), login_message());
  session_cache(iso(-1min), /*registration_expires_at=*/iso(-1h));
  EXPECT_EQ(error(), login_message());
  // Legacy logins cannot refresh, whatever their cache holds.
  legacy_profile();
  write_cache(kStartUrl, std::string(R"({"accessToken":")") + kAccessToken + R"(","expiresAt":")" +
                             iso(-1min) + R"(","clientId":"c","clientSecret":")" + kClientSecret +
                             R"(","registrationExpiresAt":")" + iso(24h) + R"(","refreshToken":")" +
                             kRefreshToken + "\"}");
  EXPECT_EQ(error(), login_message());
  EXPECT_TRUE(oidc.requests().empty());
  EXPECT_TRUE(portal.requests().empty());
}

TEST_F(SsoCredentials, ExpiredAndRefreshRefusedSaysRunAwsSsoLoginWithTheReason) {
  session_profile();
  session_cache(iso(-1min));
  oidc.answer(400, R"({"error":"invalid_grant","error_description":"expired"})");
  const std::string refused = error();
  EXPECT_EQ(refused.rfind(login_message(), 0), 0u) << refused;
  EXPECT_NE(refused.find("invalid_grant"), std::string::npos) << refused;

  for (const char* body :
       {"[]", R"({"accessToken":"x"})", R"({"accessToken":"a\r\nb","expiresIn":60})",
        R"({"accessToken":"x","expiresIn":-5})"}) {
    oidc.answer(200, body);
    const std::string malformed = error();
    EXPECT_EQ(malformed.rfind(login_message(), 0), 0u) << body << ": " << malformed;
  }
  EXPECT_TRUE(portal.requests().empty());
}

TEST_F(SsoCredentials, PortalRefusalsAreTyped) {
  session_profile();
  session_cache(iso(8h));
  portal.answer(401, R"({"message":"Session token not found or invalid"})");
  EXPECT_EQ(error(), login_message());
  portal.answer(403, R"({"message":"No access"})");
  const std::string forbidden = error();
  EXPECT_NE(forbidden.find("ForbiddenException"), std::string::npos) << forbidden;
  EXPECT_NE(forbidden.find("\"ReadOnly\" in account 123456789012"), std::string::npos) << forbidden;
  portal.answer(429, R"({"__type":"TooManyRequestsException"})");
  const std::string throttled = error();
  EXPECT_NE(throttled.find("HTTP 429 (TooManyRequestsException)"), std::string::npos) << throttled;
}

TEST_F(SsoCredentials, MalformedPortalAnswersAreCredentialsErrors) {
  session_profile();
  session_cache(iso(8h));
  const std::string no_expiration = std::string(R"({"roleCredentials":{"accessKeyId":"A",)") +
                                    R"("secretAccessKey":")" + kSecretKey +
                                    R"(","sessionToken":")" + kSessionToken + "\"}}";
  for (const std::string& body :
       {std::string("<html>"), std::string("{}"), std::string(R"({"roleCredentials":"x"})"),
        no_expiration,
        std::string(R"({"roleCredentials":{"accessKeyId":"A\r\nX-Evil: 1","secretAccessKey":"s",)"
                    R"("sessionToken":"t","expiration":1893456000000}})"),
        std::string(R"({"roleCredentials":{"accessKeyId":"A","secretAccessKey":"s",)"
                    R"("sessionToken":"t","expiration":"soon"}})"),
        // Year 9999: past what std::chrono::system_clock's nanoseconds hold (2262).
        std::string(R"({"roleCredentials":{"accessKeyId":"A","secretAccessKey":"s",)"
                    R"("sessionToken":"t","expiration":253402300799000}})")}) {
    portal.answer(200, body);
    const std::string message = error();
    EXPECT_NE(message.find("SSO GetRoleCredentials at 127.0.0.1"), std::string::npos)
        << body << ": " << message;
  }
}

TEST_F(SsoCredentials, LostTruncatedAndOversizedAnswersAreCredentialsErrors) {
  session_profile();
  session_cache(iso(8h));
  portal.act(ddbtest::Action::reset());
  EXPECT_NE(error().find("got no answer"), std::string::npos);
  ddbtest::HttpReply reply{200, {}, role_answer()};
  ddbtest::Action truncated = ddbtest::Action::with(ddbtest::Action::Kind::Truncate, reply);
  truncated.truncate_at = 20;
  portal.act(truncated);
  EXPECT_NE(error().find("got no answer"), std::string::npos);
  ddbtest::Action endless = ddbtest::Action::with(ddbtest::Action::Kind::Endless, {200, {}, "x"});
  endless.endless_limit = std::size_t{4} << 20;
  portal.act(endless);
  const std::string oversized = error();
  EXPECT_NE(oversized.find("exceeds the cap"), std::string::npos) << oversized;
}

TEST_F(SsoCredentials, UnusableCacheFilesSayRunAwsSsoLogin) {
  session_profile();
  const std::string hint = "; run aws sso login --profile dev";
  for (const std::string& content :
       {std::string("not json"), std::string(R"({"accessToken":"x"})"),
        std::string(R"({"accessToken":"a\nb","expiresAt":"2030-01-01T00:00:00Z"})"),
        std::string(R"({"accessToken":"x","expiresAt":"never"})"), std::string(70000, ' ')}) {
    write_cache("my-sso", content);
    const std::string message = error();
    EXPECT_NE(message.find(hint), std::string::npos) << message;
  }
  std::filesystem::remove(cache_path("my-sso"));
  std::filesystem::create_directory(cache_path("my-sso"));
  EXPECT_NE(error().find(hint), std::string::npos);
  EXPECT_TRUE(portal.requests().empty());
}

TEST_F(SsoCredentials, EndpointsAreCheckedBeforeAnyRequest) {
  session_profile();
  session_cache(iso(8h));
  set("AWS_ENDPOINT_URL_SSO", "http://portal.example.com");
  const std::string plain = error();
  EXPECT_NE(plain.find("AWS_ENDPOINT_URL_SSO"), std::string::npos) << plain;

  // From the profile's services section, when the environment names none.
  unset("AWS_ENDPOINT_URL_SSO");
  session_profile("services = fake\n",
                  "[services fake]\nsso =\n  endpoint_url = " + portal.server.url() + "\n");
  EXPECT_EQ(credentials().access_key_id, "ASIASSOEXAMPLE");
  EXPECT_EQ(portal.requests().size(), 1u);
}

}  // namespace
