// Credentials from STS: assume-role profiles (chains, cycles, credential_source, MFA), web
// identity, their place in the chain, and what the STS calls look like on the wire. STS is played
// by a local server (AWS_ENDPOINT_URL_STS) answering in the published XML shapes.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <vector>

#include "auth/sources.hpp"
#include "auth/sts.hpp"
#include "dynamodb_mapping/credentials.hpp"
#include "dynamodb_mapping/error.hpp"
#include "support/fake_sts.hpp"
#include "support/http_server.hpp"
#include "support/scoped_env.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::FakeSts;
using ddbtest::form_params;

namespace {

constexpr const char* kBaseSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzBASESECRET";
constexpr const char* kRoleSecret = ddbtest::kStsRoleSecret;
constexpr const char* kRoleToken = ddbtest::kStsRoleToken;
constexpr const char* kWebToken = "eyJhbGciOiJSUzI1NiJ9.WEBIDENTITYzzTOKEN.sig";

// The message of the CredentialsError that `f` throws, or "(none)".
template <class F>
std::string sts_credentials_error(F&& f) {
  try {
    f();
  } catch (const ddb::CredentialsError& e) {
    return e.what();
  }
  return "(none)";
}

std::string header(const ddbtest::HttpRequest& r, const std::string& name) {
  const auto it = r.headers.find(name);
  return it == r.headers.end() ? "(absent)" : it->second;
}

class StsCredentials : public ddbtest::CleanAwsEnv {
 protected:
  // Static keys for profile `base` in the credentials file, and `config` as the config file.
  void write_files(const std::string& config) {
    write_aws_file("credentials", std::string("[base]\naws_access_key_id = AKIABASE\n"
                                              "aws_secret_access_key = ") +
                                      kBaseSecret + "\n");
    write_aws_file("config", config);
  }
  std::string write_token(const std::string& token) {
    const auto path = home_ / "web-token";
    std::ofstream(path) << token << "\n";
    return path.string();
  }
};

}  // namespace

TEST_F(StsCredentials, AssumeRoleFromASourceProfileOnTheWire) {
  FakeSts sts;
  set("AWS_ENDPOINT_URL_STS", sts.url());
  write_files(
      "[profile dev]\nregion = eu-west-1\nrole_arn = arn:aws:iam::123456789012:role/dev\n"
      "source_profile = base\nexternal_id = ext-42\nrole_session_name = alice@example\n"
      "duration_seconds = 1800\n");
  auto chain = ddb::default_credentials_chain({.profile = "dev"});
  const ddb::Credentials c = chain->get();
  EXPECT_EQ(c.access_key_id, "ASIAdev");
  EXPECT_EQ(c.secret_access_key, kRoleSecret);
  EXPECT_EQ(c.session_token, kRoleToken);
  ASSERT_TRUE(c.expiration.has_value());
  EXPECT_GT(*c.expiration, std::chrono::system_clock::now() + std::chrono::minutes(50));

  ASSERT_EQ(sts.count(), 1);
  const auto r = sts.requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/");
  EXPECT_EQ(header(r, "content-type").rfind("application/x-www-form-urlencoded", 0), 0u);
  const auto p = sts.params(0);
  EXPECT_EQ(p.at("Action"), "AssumeRole");
  EXPECT_EQ(p.at("Version"), "2011-06-15");
  EXPECT_EQ(p.at("RoleArn"), "arn:aws:iam::123456789012:role/dev");
  EXPECT_EQ(p.at("RoleSessionName"), "alice@example");
  EXPECT_EQ(p.at("ExternalId"), "ext-42");
  EXPECT_EQ(p.at("DurationSeconds"), "1800");
  EXPECT_EQ(p.count("SerialNumber") + p.count("TokenCode"), 0u);
  // Signed with the source profile's keys, for the profile's region and service "sts".
  const std::string auth = header(r, "authorization");
  EXPECT_EQ(auth.rfind("AWS4-HMAC-SHA256 Credential=AKIABASE/", 0), 0u) << auth;
  EXPECT_NE(auth.find("/eu-west-1/sts/aws4_request"), std::string::npos) << auth;
  EXPECT_NE(header(r, "x-amz-date"), "(absent)");
  EXPECT_EQ(auth.find(kBaseSecret), std::string::npos);

  const std::string source = chain->source();
  EXPECT_NE(source.find("shared config files (profile \"dev\": assume role "
                        "arn:aws:iam::123456789012:role/dev from profile base (static keys)"),
            std::string::npos)
      << source;
  EXPECT_EQ(source.find(kBaseSecret), std::string::npos);
  EXPECT_EQ(source.find(kRoleSecret), std::string::npos);
  EXPECT_EQ(source.find(kRoleToken), std::string::npos);
  // Cached: no second call while the credentials are far from expiry.
  EXPECT_EQ(chain->get(), c);
  EXPECT_EQ(sts.count(), 1);
}

TEST_F(StsCredentials, ChainsOfRolesSignEachCallWithThePreviousRolesCredentials) {
  FakeSts sts;
  set("AWS_ENDPOINT_URL_STS", sts.url());
  write_files(
      "[profile top]\nrole_arn = arn:aws:iam::123456789012:role/top\nsource_profile = mid\n"
      "[profile mid]\nrole_arn = arn:aws:iam::123456789012:role/mid\nsource_profile = base\n");
  auto chain = ddb::default_credentials_chain({.profile = "top", .region = "us-west-2"});
  EXPECT_EQ(chain->get().access_key_id, "ASIAtop");
  ASSERT_EQ(sts.count(), 2);
  EXPECT_EQ(sts.params(0).at("RoleArn"), "arn:aws:iam::123456789012:role/mid");
  EXPECT_EQ(sts.params(1).at("RoleArn"), "arn:aws:iam::123456789012:role/top");
  const auto requests = sts.requests();
  EXPECT_EQ(header(requests[0], "authorization").rfind("AWS4-HMAC-SHA256 Credential=AKIABASE/", 0),
            0u);
  // The second call carries the first role's session: its key id and token.
  EXPECT_EQ(header(requests[1], "authorization").rfind("AWS4-HMAC-SHA256 Credential=ASIAmid/", 0),
            0u);
  EXPECT_EQ(header(requests[1], "x-amz-security-token"), kRoleToken);
  // No profile region: CredentialsOptions::region signs.
  EXPECT_NE(header(requests[1], "authorization").find("/us-west-2/sts/aws4_request"),
            std::string::npos);
  // A role session name is generated when none is configured.
  EXPECT_EQ(sts.params(1).at("RoleSessionName").rfind("dynamodb-mapping-", 0), 0u);
  EXPECT_NE(chain->source().find("assume role arn:aws:iam::123456789012:role/top from profile "
                                 "mid (assume role arn:aws:iam::123456789012:role/mid from "
                                 "profile base (static keys))"),
            std::string::npos)
      << chain->source();
}

TEST_F(StsCredentials, CyclesAreNamedAndNothingIsSent) {
  FakeSts sts;
  set("AWS_ENDPOINT_URL_STS", sts.url());
  write_files(
      "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n"
      "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n"
      "[profile self]\nrole_arn = arn:aws:iam::123456789012:role/self\nsource_profile = self\n");
  std::string msg =
      sts_credentials_error([] { ddb::default_credentials_chain({.profile = "a"})->get(); });
  EXPECT_NE(msg.find("a -> b -> a"), std::string::npos) << msg;
  msg = sts_credentials_error([] { ddb::default_credentials_chain({.profile = "self"})->get(); });
  EXPECT_NE(msg.find("self -> self"), std::string::npos) << msg;
  EXPECT_EQ(sts.count(), 0);
}

TEST_F(StsCredentials, AProfileMaySourceItsOwnStaticKeys) {
  FakeSts sts;
  set("AWS_ENDPOINT_URL_STS", sts.url());
  write_files(
      "[profile me]\nrole_arn = arn:aws:iam::123456789012:role/me\nsource_profile = me\n"
      "aws_access_key_id = AKIAME\naws_secret_access_key = mysecret\n");
  // The role wins over the profile's own keys, which sign the AssumeRole.
  EXPECT_EQ(ddb::default_credentials_chain({.profile = "me"})->get().access_key_id, "ASIAme");
  ASSERT_EQ(sts.count(), 1);
  EXPECT_EQ(
      header(sts.requests()[0], "authorization").rfind("AWS4-HMAC-SHA256 Credential=AKIAME/", 0),
      0u);
}

TEST_F(StsCredentials, SourceProfilesMayUseCredentialProcessOrWebIdentity) {
  FakeSts sts;
  set("AWS_ENDPOINT_URL_STS", sts.url());
  const auto script = home_ / "creds.sh";
  std::ofstream(script) << "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROC\", "
                           "\"SecretAccessKey\": \"procsecret\"}'\n";
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  const std::string token_file = write_token(kWebToken);
  write_files(
      "[profile viaproc]\nrole_arn = arn:aws:iam::123456789012:role/p\n"
      "source_profile = proc\n"
      "[profile proc]\ncredential_process = " +
      script.string() +
      "\n"
      "[profile viaweb]\nrole_arn = arn:aws:iam::123456789012:role/w\n"
      "source_profile = web\n"
      "[profile web]\nrole_arn = arn:aws:iam::123456789012:role/webrole\n"
      "web_identity_token_file = " +
      token_file + "\n");
  EXPECT_EQ(ddb::default_credentials_chain({.profile = "viaproc"})->get().access_key_id, "ASIAp");
  EXPECT_EQ(
      header(sts.requests()[0], "authorization").rfind("AWS4-HMAC-SHA256 Credential=AKIAPROC/", 0),
      0u);
  EXPECT_EQ(ddb::default_credentials_chain({.profile = "viaweb"})->get().access_key_id, "ASIAw");
  ASSERT_EQ(sts.count(), 3);
  EXPECT_EQ(sts.params(1).at("Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(sts.params(1).at("RoleArn"), "arn:aws:iam::123456789012:role/webrole");
  EXPECT_EQ(sts.params(2).at("Action"), "AssumeRole");
  EXPECT_EQ(header(sts.requests()[2], "authorization")
                .rfind("AWS4-HMAC-SHA256 Credential=ASIAwebrole/", 0),
            0u);
}

TEST_F(StsCredentials, CredentialSourceEcsContainer) {
  FakeSts sts;
  ddbtest::TestHttpServer container([](const ddbtest::HttpRequest&) {
    return ddbtest::Action::respond(
        {200,
         {},
         R"({"AccessKeyId":"AKIACONTAINER","SecretAccessKey":"csecret","Token":"ctoken"})"});
  });
  set("AWS_ENDPOINT_URL_STS", sts.url());
  set("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url() + "/creds");
  write_files(
      "[default]\nrole_arn = arn:aws:iam::123456789012:role/task\n"
      "credential_source = EcsContainer\n"
      "[profile bad]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
      "credential_source = Somewhere\n"
      "[profile both]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
      "credential_source = Environment\nsource_profile = base\n"
      "[profile neither]\nrole_arn = arn:aws:iam::123456789012:role/x\n");
  auto chain = ddb::default_credentials_chain();
  EXPECT_EQ(chain->get().access_key_id, "ASIAtask");
  EXPECT_EQ(header(sts.requests()[0], "x-amz-security-token"), "ctoken");
  EXPECT_NE(chain->source().find("from credential_source EcsContainer"), std::string::npos);

  std::string msg =
      sts_credentials_error([] { ddb::default_credentials_chain({.profile = "bad"})->get(); });
  EXPECT_NE(msg.find("credential_source \"Somewhere\""), std::string::npos) << msg;
  msg = sts_credentials_error([] { ddb::default_credentials_chain({.profile = "both"})->get(); });
  EXPECT_NE(msg.find("both source_profile and credential_source"), std::string::npos) << msg;
  msg =
      sts_credentials_error([] { ddb::default_credentials_chain({.profile = "neither"})->get(); });
  EXPECT_NE(msg.find("neither source_profile nor credential_source"), std::string::npos) << msg;
  EXPECT_EQ(sts.count(), 1);
}

TEST_F(StsCredentials, MfaCodeComesFromTheCallbackOrIsAClearError) {
  FakeSts sts;
  set("AWS_ENDPOINT_URL_STS", sts.url());
  write_files(
      "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/mfa\nsource_profile = base\n"
      "mfa_serial = arn:aws:iam::123456789012:mfa/alice\n");
  std::string msg =
      sts_credentials_error([] { ddb::default_credentials_chain({.profile = "mfa"})->get(); });
  EXPECT_NE(msg.find("mfa_serial arn:aws:iam::123456789012:mfa/alice"), std::string::npos) << msg;
  EXPECT_NE(msg.find("CredentialsOptions::mfa_code"), std::string::npos) << msg;

  ddb::CredentialsOptions bad;
  bad.profile = "mfa";
  bad.mfa_code = [](const std::string&) { return std::string("12ab56"); };
  msg = sts_credentials_error([&] { ddb::default_credentials_chain(bad)->get(); });
  EXPECT_NE(msg.find("six digits"), std::string::npos) << msg;
  EXPECT_EQ(sts.count(), 0);

  std::string asked_for;
  ddb::CredentialsOptions good;
  good.profile = "mfa";
  good.mfa_code = [&](const std::string& serial) {
    asked_for = serial;
    return std::string("123456");
  };
  EXPECT_EQ(ddb::default_credentials_chain(good)->get().access_key_id, "ASIAmfa");
  EXPECT_EQ(asked_for, "arn:aws:iam::123456789012:mfa/alice");
  ASSERT_EQ(sts.count(), 1);
  EXPECT_EQ(sts.params(0).at("SerialNumber"), "arn:aws:iam::123456789012:mfa/alice");
  EXPECT_EQ(sts.params(0).at("TokenCode"), "123456");
}

TEST_F(StsCredentials, BadRoleSettingsAreRefusedBeforeAnyRequest) {
  FakeSts sts;
  set("AWS_ENDPOINT_URL_STS", sts.url());
  const std::string role = "role_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n";
  write_files("[profile short]\n" + role + "duration_seconds = 100\n" + "[profile words]\n" + role +
              "duration_seconds = an hour\n" + "[profile name]\n" + role +
              "role_session_name = has space\n" + "[profile ext]\n" + role + "external_id = x\n" +
              "[profile arn]\nrole_arn = role/x\nsource_profile = base\n" +
              "[profile nosource]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
              "source_profile = missing\n");
  const std::map<std::string, std::string> expected = {
      {"short", "duration_seconds"},      {"words", "duration_seconds"},
      {"name", "role_session_name"},      {"ext", "external_id"},
      {"arn", "role_arn must be an ARN"}, {"nosource", "source_profile \"missing\""}};
  for (const auto& [profile, words] : expected) {
    const std::string msg =
        sts_credentials_error([&] { ddb::default_credentials_chain({.profile = profile})->get(); });
    EXPECT_NE(msg.find(words), std::string::npos) << profile << ": " << msg;
    EXPECT_EQ(msg.find(kBaseSecret), std::string::npos) << msg;
  }
  EXPECT_EQ(sts.count(), 0);
}

TEST_F(StsCredentials, WebIdentityFromTheEnvironmentIsUnsignedAndRereadsItsToken) {
  std::atomic<int> minutes{3};  // inside the refresh window: every get() refreshes
  FakeSts sts([&](const ddbtest::HttpRequest&, int call) {
    return ddbtest::sts_credentials_answer("AssumeRoleWithWebIdentity",
                                           "ASIAWEB" + std::to_string(call), kRoleSecret,
                                           kRoleToken, std::chrono::minutes(minutes.load()));
  });
  set("AWS_ENDPOINT_URL_STS", sts.url());
  const std::string token_file = write_token(kWebToken);
  set("AWS_WEB_IDENTITY_TOKEN_FILE", token_file);
  set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web");
  set("AWS_ROLE_SESSION_NAME", "pod-7");
  auto chain = ddb::default_credentials_chain();
  const ddb::Credentials c = chain->get();
  EXPECT_EQ(c.access_key_id, "ASIAWEB1");
  EXPECT_EQ(c.session_token, kRoleToken);
  ASSERT_TRUE(c.expiration.has_value());
  const auto r = sts.requests()[0];
  EXPECT_EQ(header(r, "authorization"), "(absent)");
  EXPECT_EQ(header(r, "x-amz-security-token"), "(absent)");
  const auto p = sts.params(0);
  EXPECT_EQ(p.at("Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(p.at("Version"), "2011-06-15");
  EXPECT_EQ(p.at("RoleArn"), "arn:aws:iam::123456789012:role/web");
  EXPECT_EQ(p.at("RoleSessionName"), "pod-7");
  EXPECT_EQ(p.at("WebIdentityToken"), kWebToken);  // the trailing newline trimmed
  EXPECT_NE(chain->source().find("web identity: role arn:aws:iam::123456789012:role/web, token "
                                 "file from AWS_WEB_IDENTITY_TOKEN_FILE"),
            std::string::npos)
      << chain->source();

  // The agent rotates the token: the refresh sends the new one.
  write_token("eyJrotated.token.sig");
  minutes = 60;
  EXPECT_EQ(chain->get().access_key_id, "ASIAWEB2");
  ASSERT_EQ(sts.count(), 2);
  EXPECT_EQ(sts.params(1).at("WebIdentityToken"), "eyJrotated.token.sig");
  EXPECT_EQ(chain->get().access_key_id, "ASIAWEB2");
  EXPECT_EQ(sts.count(), 2);
}

TEST_F(StsCredentials, WebIdentityFromAProfileAndItsErrors) {
  FakeSts sts;
  set("AWS_ENDPOINT_URL_STS", sts.url());
  const std::string token_file = write_token(kWebToken);
  write_files(
      "[profile web]\nrole_arn = arn:aws:iam::123456789012:role/webp\n"
      "web_identity_token_file = " +
      token_file +
      "\n"
      "[profile norole]\nweb_identity_token_file = " +
      token_file +
      "\n"
      "[profile nofile]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
      "web_identity_token_file = " +
      (home_ / "absent").string() + "\n");
  EXPECT_EQ(ddb::default_credentials_chain({.profile = "web"})->get().access_key_id, "ASIAwebp");
  ASSERT_EQ(sts.count(), 1);
  EXPECT_EQ(sts.params(0).at("Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(sts.params(0).at("RoleSessionName").rfind("dynamodb-mapping-", 0), 0u);

  std::string msg =
      sts_credentials_error([] { ddb::default_credentials_chain({.profile = "norole"})->get(); });
  EXPECT_NE(msg.find("AWS_ROLE_ARN"), std::string::npos) << msg;
  msg = sts_credentials_error([] { ddb::default_credentials_chain({.profile = "nofile"})->get(); });
  EXPECT_NE(msg.find("does not exist"), std::string::npos) << msg;
  // A token file that is a device is refused, not read without end.
  set("AWS_WEB_IDENTITY_TOKEN_FILE", "/dev/zero");
  msg = sts_credentials_error([] { ddb::default_credentials_chain({.profile = "web"})->get(); });
  EXPECT_NE(msg.find("/dev/zero"), std::string::npos) << msg;
  EXPECT_EQ(sts.count(), 1);
}

TEST_F(StsCredentials, PrecedenceFollowsBotocore) {
  FakeSts sts;
  set("AWS_ENDPOINT_URL_STS", sts.url());
  const std::string token_file = write_token(kWebToken);
  write_files(
      "[default]\nrole_arn = arn:aws:iam::123456789012:role/assumed\n"
      "source_profile = base\n"
      "[profile keys]\naws_access_key_id = AKIAKEYS\naws_secret_access_key = k\n");
  set("AWS_WEB_IDENTITY_TOKEN_FILE", token_file);
  set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/webenv");
  // Environment keys first: nothing is sent.
  set("AWS_ACCESS_KEY_ID", "AKIAENV");
  set("AWS_SECRET_ACCESS_KEY", "envsecret");
  auto env_chain = ddb::default_credentials_chain();
  EXPECT_EQ(env_chain->get().access_key_id, "AKIAENV");
  EXPECT_EQ(env_chain->source(), "environment");
  EXPECT_EQ(sts.count(), 0);
  unset("AWS_ACCESS_KEY_ID");
  unset("AWS_SECRET_ACCESS_KEY");
  // An assume-role profile before web identity.
  EXPECT_EQ(ddb::default_credentials_chain()->get().access_key_id, "ASIAassumed");
  // Web identity before the profile's own keys.
  EXPECT_EQ(ddb::default_credentials_chain({.profile = "keys"})->get().access_key_id, "ASIAwebenv");
  unset("AWS_WEB_IDENTITY_TOKEN_FILE");
  auto keys = ddb::default_credentials_chain({.profile = "keys"});
  EXPECT_EQ(keys->get().access_key_id, "AKIAKEYS");
  EXPECT_EQ(keys->source(), "shared config files (profile keys: static keys)");
  EXPECT_EQ(sts.count(), 2);
}

TEST_F(StsCredentials, StsErrorAnswersKeepCodeAndMessageButNoSecret) {
  FakeSts sts([](const ddbtest::HttpRequest&, int) {
    return ddbtest::sts_error_answer(
        403, "AccessDenied",
        "User: arn:aws:iam::123456789012:user/base is not authorized to perform: sts:AssumeRole");
  });
  set("AWS_ENDPOINT_URL_STS", sts.url());
  write_files("[default]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n");
  try {
    ddb::default_credentials_chain()->get();
    FAIL() << "no error";
  } catch (const ddb::CredentialsError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code(), "AccessDenied");
    EXPECT_EQ(e.http_status(), 403);
    EXPECT_EQ(e.request_id(), "4b5a1c2d-0000-4000-8000-000000000000");
    EXPECT_NE(what.find("is not authorized to perform: sts:AssumeRole"), std::string::npos) << what;
    EXPECT_NE(what.find("assume-role profile"), std::string::npos) << what;
    EXPECT_EQ(what.find(kBaseSecret), std::string::npos) << what;
  }
  EXPECT_EQ(sts.count(), 1);  // a refusal is not retried
}

TEST_F(StsCredentials, MalformedOversizedAndLostAnswersAreCredentialsErrors) {
  struct Case {
    const char* name;
    std::function<ddbtest::Action(int call)> answer;
    const char* expected;
    int requests;
  };
  const std::vector<Case> cases = {
      {"not xml",
       [](int) {
         return ddbtest::Action::respond(
             {200, {}, std::string("{\"AccessKeyId\": \"") + kRoleSecret + "\"}"});
       },
       "not well-formed XML", 1},
      {"missing fields",
       [](int) {
         return ddbtest::Action::respond(
             {200,
              {},
              std::string("<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA"
                          "</AccessKeyId><SecretAccessKey>") +
                  kRoleSecret +
                  "</SecretAccessKey></Credentials></AssumeRoleResult></AssumeRoleResponse>"});
       },
       "without AccessKeyId, SecretAccessKey, SessionToken or Expiration", 1},
      {"bad expiration",
       [](int) {
         return ddbtest::Action::respond(
             {200,
              {},
              "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>A</AccessKeyId>"
              "<SecretAccessKey>S</SecretAccessKey><SessionToken>T</SessionToken>"
              "<Expiration>tomorrow</Expiration></Credentials></AssumeRoleResult>"
              "</AssumeRoleResponse>"});
       },
       "unreadable Expiration", 1},
      {"entity expansion",
       [](int) {
         return ddbtest::Action::respond(
             {200,
              {},
              "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]>"
              "<AssumeRoleResponse>&a;</AssumeRoleResponse>"});
       },
       "not well-formed XML", 1},
      {"oversized",
       [](int) {
         ddbtest::Action a = ddbtest::Action::with(ddbtest::Action::Kind::Endless);
         a.endless_limit = std::size_t{4} << 20;
         return a;
       },
       "ResponseTooLarge", 1},
      {"lost", [](int) { return ddbtest::Action::reset(); }, "failed after 3 attempts", 3},
      {"server error",
       [](int) {
         return ddbtest::Action::respond({503, {}, "<html>busy</html>"});
       },
       "answered HTTP 503", 3},
  };
  for (const Case& c : cases) {
    FakeSts sts([&](const ddbtest::HttpRequest&, int call) { return c.answer(call); });
    set("AWS_ENDPOINT_URL_STS", sts.url());
    write_files("[default]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n");
    const std::string msg = sts_credentials_error([] { ddb::default_credentials_chain()->get(); });
    EXPECT_NE(msg.find(c.expected), std::string::npos) << c.name << ": " << msg;
    EXPECT_EQ(msg.find(kRoleSecret), std::string::npos) << c.name << ": " << msg;
    EXPECT_EQ(msg.find(kBaseSecret), std::string::npos) << c.name << ": " << msg;
    EXPECT_EQ(sts.count(), c.requests) << c.name;
  }
}

TEST_F(StsCredentials, LostAnswersThrottlingAndServerErrorsAreRetried) {
  const std::vector<std::function<ddbtest::Action()>> first_failures = {
      [] { return ddbtest::Action::reset(); },
      [] {
        return ddbtest::Action::respond({500, {}, ""});
      },
      [] { return ddbtest::sts_error_answer(400, "Throttling", "Rate exceeded"); },
      [] { return ddbtest::sts_error_answer(400, "IDPCommunicationError", "try again"); },
  };
  for (std::size_t i = 0; i < first_failures.size(); ++i) {
    FakeSts sts([&](const ddbtest::HttpRequest& r, int call) {
      if (call == 1) return first_failures[i]();
      return FakeSts::default_answer()(r, call);
    });
    set("AWS_ENDPOINT_URL_STS", sts.url());
    write_files(
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/again\nsource_profile = base\n");
    EXPECT_EQ(ddb::default_credentials_chain()->get().access_key_id, "ASIAagain") << i;
    EXPECT_EQ(sts.count(), 2) << i;
  }
}

TEST_F(StsCredentials, PlainHttpStsOffThisMachineIsRefused) {
  set("AWS_ENDPOINT_URL_STS", "http://sts.example.com");
  write_files("[default]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = base\n");
  const std::string msg = sts_credentials_error([] { ddb::default_credentials_chain()->get(); });
  EXPECT_NE(msg.find("AWS_ENDPOINT_URL_STS"), std::string::npos) << msg;
  EXPECT_NE(msg.find("refusing plain http://"), std::string::npos) << msg;
}

TEST_F(StsCredentials, ARefusedWebIdentityTokenIsNeverQuoted) {
  FakeSts sts([](const ddbtest::HttpRequest&, int) {
    return ddbtest::sts_error_answer(
        400, "InvalidIdentityToken",
        "Couldn't retrieve verification key from your identity provider");
  });
  set("AWS_ENDPOINT_URL_STS", sts.url());
  set("AWS_WEB_IDENTITY_TOKEN_FILE", write_token(kWebToken));
  set("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web");
  auto chain = ddb::default_credentials_chain();
  try {
    (void)chain->get();
    FAIL() << "no error";
  } catch (const ddb::CredentialsError& e) {
    const std::string what = e.what();
    EXPECT_EQ(e.code(), "InvalidIdentityToken");
    EXPECT_NE(what.find("web identity: STS AssumeRoleWithWebIdentity"), std::string::npos) << what;
    EXPECT_EQ(what.find(kWebToken), std::string::npos) << what;
    EXPECT_EQ(what.find("WEBIDENTITY"), std::string::npos) << what;
  }
  EXPECT_EQ(sts.count(), 1);
  EXPECT_EQ(chain->source().find("WEBIDENTITY"), std::string::npos) << chain->source();
}

// Found by fuzz_sts_xml: a year past 2262 overflowed std::chrono::system_clock's nanoseconds
// (undefined behaviour) while the expiration was read. Every source's expiry is now bounded.
TEST(CredentialsExpiry, DatesPastTheClocksRangeAreRefusedNotOverflowed) {
  namespace detail = ddb::detail;
  EXPECT_TRUE(detail::parse_iso8601("2199-12-31T23:59:59Z").has_value());
  EXPECT_TRUE(detail::parse_iso8601("2200-01-01T00:00:00+0000").has_value());
  for (const char* bad : {"2200-01-01T00:00:01Z", "2999-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
                          "1969-12-31T23:59:59Z", "-999-01-01T00:00:00Z", "2030-13-01T00:00:00Z",
                          "2030-01-01T24:00:00Z", "2030-01-01T00:00:00+01:00"}) {
    EXPECT_FALSE(detail::parse_iso8601(bad).has_value()) << bad;
  }
  EXPECT_EQ(detail::parse_iso8601("2200-01-01T00:00:00Z"),
            std::chrono::system_clock::from_time_t(detail::kLatestExpirationSeconds));
  // The STS answer that carried such a date is refused as unreadable.
  const std::string answer =
      "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIAX</AccessKeyId>"
      "<SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
      "<Expiration>2908-11-27T00:00:00Z</Expiration></Credentials></AssumeRoleResult>"
      "</AssumeRoleResponse>";
  EXPECT_THROW((void)detail::read_credentials_answer(answer, "AssumeRole"), ddb::CredentialsError);
}
