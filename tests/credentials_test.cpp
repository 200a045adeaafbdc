// The credentials, region and endpoint chains. Metadata services are played by a local HTTP
// server on 127.0.0.1, reached through the standard override variables.
#include "dynamodb_mapping/credentials.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>

#include "dynamodb_mapping/client.hpp"
#include "support/http_server.hpp"
#include "support/scoped_env.hpp"

namespace ddb = dynamodb_mapping;

namespace {

constexpr const char* kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz";
constexpr const char* kToken = "IQoJb3JpZ2luX2VjEXAMPLEzzTOKENzz";

std::string iso8601(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string credentials_json(const std::string& id, std::chrono::minutes valid_for,
                             const char* token_name = "Token") {
  return std::string(R"({"Code":"Success","AccessKeyId":")") + id + R"(","SecretAccessKey":")" +
         kSecret + R"(",")" + token_name + R"(":")" + kToken + R"(","Expiration":")" +
         iso8601(std::chrono::system_clock::now() + valid_for) + R"("})";
}

// The message of the CredentialsError that `f` throws, or "(none)".
template <class F>
std::string credentials_error(F&& f) {
  try {
    f();
  } catch (const ddb::CredentialsError& e) {
    return e.what();
  }
  return "(none)";
}

class CredentialsChain : public ddbtest::CleanAwsEnv {};

}  // namespace

TEST_F(CredentialsChain, EnvironmentComesFirst) {
  set("AWS_ACCESS_KEY_ID", "AKIAENV");
  set("AWS_SECRET_ACCESS_KEY", kSecret);
  set("AWS_SESSION_TOKEN", kToken);
  write_aws_file("credentials",
                 "[default]\naws_access_key_id = AKIAFILE\naws_secret_access_key = x\n");
  const auto c = ddb::default_credentials_chain()->get();
  EXPECT_EQ(c.access_key_id, "AKIAENV");
  EXPECT_EQ(c.secret_access_key, kSecret);
  EXPECT_EQ(c.session_token, kToken);
}

TEST_F(CredentialsChain, HalfSetEnvironmentIsReportedNotUsed) {
  set("AWS_ACCESS_KEY_ID", "AKIAENV");
  const std::string msg = credentials_error([] { ddb::default_credentials_chain()->get(); });
  EXPECT_NE(msg.find("AWS_SECRET_ACCESS_KEY is not"), std::string::npos) << msg;
}

TEST_F(CredentialsChain, SharedFilesWithProfiles) {
  write_aws_file(
      "credentials",
      "# comment\n[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s1\n"
      "[dev]\naws_access_key_id=AKIADEV\naws_secret_access_key=s2\naws_session_token=t2\n");
  write_aws_file("config",
                 "[profile onlyconfig]\naws_access_key_id = AKIACONFIG\n"
                 "aws_secret_access_key = s3\nregion = eu-west-1\n");
  EXPECT_EQ(ddb::default_credentials_chain()->get().access_key_id, "AKIADEFAULT");
  EXPECT_EQ(ddb::default_credentials_chain({.profile = "dev"})->get().session_token, "t2");
  set("AWS_PROFILE", "onlyconfig");
  EXPECT_EQ(ddb::default_credentials_chain()->get().access_key_id, "AKIACONFIG");
  // Files named by the environment win over HOME's.
  const auto other = home_ / "elsewhere";
  std::ofstream(other)
      << "[onlyconfig]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = s\n";
  set("AWS_SHARED_CREDENTIALS_FILE", other.string());
  EXPECT_EQ(ddb::default_credentials_chain()->get().access_key_id, "AKIAOTHER");
}

TEST_F(CredentialsChain, CredentialProcessAndRefreshBeforeExpiry) {
  // The process counts its runs in a file and hands out credentials valid for MINUTES minutes.
  const auto counter = home_ / "runs";
  const auto script = home_ / "creds.sh";
  std::ofstream(script) << "#!/bin/sh\necho run >> '" << counter.string() << "'\n"
                        << "printf '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROC\", "
                           "\"SecretAccessKey\": \""
                        << kSecret << "\", \"SessionToken\": \"" << kToken
                        << "\", \"Expiration\": \"%s\"}' \"$(date -u -d \"+$MINUTES minutes\" "
                           "+%Y-%m-%dT%H:%M:%SZ)\"\n";
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  write_aws_file("config", "[default]\ncredential_process = " + script.string() + "\n");
  auto runs = [&] {
    std::ifstream in(counter);
    int n = 0;
    std::string line;
    while (std::getline(in, line)) ++n;
    return n;
  };

  set("MINUTES", "60");  // far from expiry: fetched once, then cached
  auto chain = ddb::default_credentials_chain();
  const auto c = chain->get();
  EXPECT_EQ(c.access_key_id, "AKIAPROC");
  ASSERT_TRUE(c.expiration.has_value());
  chain->get();
  chain->get();
  EXPECT_EQ(runs(), 1);

  set("MINUTES", "3");  // inside the 5-minute refresh window: every use refreshes
  auto soon = ddb::default_credentials_chain();
  soon->get();
  soon->get();
  soon->get();
  EXPECT_EQ(runs(), 4);
  ::unsetenv("MINUTES");
}

TEST_F(CredentialsChain, FailingCredentialProcessIsAnErrorWithoutSecrets) {
  const auto script = home_ / "bad.sh";
  std::ofstream(script) << "#!/bin/sh\necho '" << kSecret << "'\nexit 3\n";
  std::filesystem::permissions(script, std::filesystem::perms::owner_all);
  write_aws_file("config", "[default]\ncredential_process = " + script.string() + "\n");
  const std::string msg = credentials_error([] { ddb::default_credentials_chain()->get(); });
  EXPECT_NE(msg.find("exit status 3"), std::string::npos) << msg;
  EXPECT_EQ(msg.find(kSecret), std::string::npos) << msg;
}

TEST_F(CredentialsChain, ContainerCredentialsWithAuthorizationToken) {
  ddbtest::TestHttpServer server([](const ddbtest::HttpRequest& r) {
    if (r.target != "/v2/credentials" || r.headers.count("authorization") == 0 ||
        r.headers.at("authorization") != "Bearer local-token") {
      return ddbtest::Action::respond({403, {}, "{}"});
    }
    return ddbtest::Action::respond(
        {200, {}, credentials_json("AKIACONTAINER", std::chrono::minutes(60))});
  });
  set("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url() + "/v2/credentials");
  set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer local-token");
  const auto c = ddb::default_credentials_chain()->get();
  EXPECT_EQ(c.access_key_id, "AKIACONTAINER");
  EXPECT_EQ(c.session_token, kToken);
  EXPECT_TRUE(c.expiration.has_value());
}

TEST_F(CredentialsChain, ContainerFullUriMustBeLocalOrHttps) {
  set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds");
  const std::string msg = credentials_error([] { ddb::default_credentials_chain()->get(); });
  EXPECT_NE(msg.find("loopback"), std::string::npos) << msg;
}

TEST_F(CredentialsChain, InstanceMetadataV2) {
  ddbtest::TestHttpServer imds([](const ddbtest::HttpRequest& r) {
    if (r.method == "PUT" && r.target == "/latest/api/token") {
      if (r.headers.count("x-aws-ec2-metadata-token-ttl-seconds") == 0) {
        return ddbtest::Action::respond({400, {}, ""});
      }
      return ddbtest::Action::respond({200, {}, "session-token-123"});
    }
    // IMDSv2 only: every GET must carry the session token.
    if (r.headers.count("x-aws-ec2-metadata-token") == 0 ||
        r.headers.at("x-aws-ec2-metadata-token") != "session-token-123") {
      return ddbtest::Action::respond({401, {}, ""});
    }
    if (r.target == "/latest/meta-data/iam/security-credentials/") {
      return ddbtest::Action::respond({200, {}, "my-role\n"});
    }
    if (r.target == "/latest/meta-data/iam/security-credentials/my-role") {
      return ddbtest::Action::respond(
          {200, {}, credentials_json("AKIAIMDS", std::chrono::minutes(60))});
    }
    return ddbtest::Action::respond({404, {}, ""});
  });
  unset("AWS_EC2_METADATA_DISABLED");
  set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  const auto c = ddb::default_credentials_chain()->get();
  EXPECT_EQ(c.access_key_id, "AKIAIMDS");
  EXPECT_EQ(c.secret_access_key, kSecret);
  EXPECT_EQ(imds.requests(), 3);
}

TEST_F(CredentialsChain, NoSourceNamesEverySourceTried) {
  // Point IMDS at a local port with nothing listening, never at the real address.
  int closed_port;
  {
    ddbtest::TestHttpServer s([](const ddbtest::HttpRequest&) { return ddbtest::Action::reset(); });
    closed_port = s.port();
  }
  unset("AWS_EC2_METADATA_DISABLED");
  set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:" + std::to_string(closed_port));
  const std::string msg = credentials_error([] { ddb::default_credentials_chain()->get(); });
  for (const char* source :
       {"environment", "shared config files", "container credentials", "EC2 instance metadata"}) {
    EXPECT_NE(msg.find(source), std::string::npos) << source << " missing from: " << msg;
  }
  EXPECT_NE(msg.find("unreachable"), std::string::npos) << msg;
}

TEST_F(CredentialsChain, RegionFromInstanceMetadataComesLast) {
  std::vector<std::string> asked;
  std::mutex m;
  ddbtest::TestHttpServer imds([&](const ddbtest::HttpRequest& r) {
    {
      std::lock_guard lock(m);
      asked.push_back(r.method + " " + r.target);
    }
    if (r.method == "PUT" && r.target == "/latest/api/token") {
      return ddbtest::Action::respond({200, {}, "imds-token"});
    }
    if (r.target == "/latest/meta-data/placement/region" &&
        r.headers.count("x-aws-ec2-metadata-token") &&
        r.headers.at("x-aws-ec2-metadata-token") == "imds-token") {
      return ddbtest::Action::respond({200, {}, "ap-southeast-2\n"});
    }
    return ddbtest::Action::respond({404, {}, ""});
  });
  unset("AWS_EC2_METADATA_DISABLED");
  set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  set("AWS_ACCESS_KEY_ID", "AKIAREGION");
  set("AWS_SECRET_ACCESS_KEY", kSecret);
  // Nothing else names a region: the instance's, read with an IMDSv2 token.
  EXPECT_EQ(ddb::Client().region(), "ap-southeast-2");
  {
    std::lock_guard lock(m);
    EXPECT_EQ(asked, (std::vector<std::string>{"PUT /latest/api/token",
                                               "GET /latest/meta-data/placement/region"}));
  }
  // Anything the user set wins, and the service is not asked.
  write_aws_file("config", "[default]\nregion = eu-north-1\n");
  EXPECT_EQ(ddb::Client().region(), "eu-north-1");
  set("AWS_REGION", "us-east-2");
  EXPECT_EQ(ddb::Client().region(), "us-east-2");
  EXPECT_EQ(imds.requests(), 2);
}

TEST_F(CredentialsChain, NoRegionAnywhereSaysWhyInstanceMetadataHadNone) {
  ddbtest::TestHttpServer imds([](const ddbtest::HttpRequest& r) {
    if (r.method == "PUT") return ddbtest::Action::respond({200, {}, "t"});
    return ddbtest::Action::respond({200, {}, "x.evil.example/"});
  });
  unset("AWS_EC2_METADATA_DISABLED");
  set("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.url());
  EXPECT_THROW(ddb::Client(), ddb::ConfigError);  // not a region name
  ddbtest::TestHttpServer refusing([](const ddbtest::HttpRequest&) {
    return ddbtest::Action::respond({403, {}, ""});
  });
  set("AWS_EC2_METADATA_SERVICE_ENDPOINT", refusing.url());
  try {
    ddb::Client c;
    ADD_FAILURE() << "a Client without a region";
  } catch (const ddb::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("no AWS region"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("refused an IMDSv2 token"), std::string::npos) << e.what();
  }
}

TEST_F(CredentialsChain, RegionAndEndpointChains) {
  // Nothing set: no region is an error, before any request.
  EXPECT_THROW(ddb::Client(), ddb::ConfigError);

  write_aws_file("config",
                 "[default]\nregion = eu-central-1\n"
                 "[profile local]\nregion = us-west-2\nendpoint_url = http://127.0.0.1:9\n"
                 "[profile svc]\nregion = us-west-1\nservices = mine\n"
                 "[services mine]\ndynamodb =\n  endpoint_url = http://127.0.0.1:7\n");
  EXPECT_EQ(ddb::Client().region(), "eu-central-1");
  EXPECT_EQ(ddb::Client().endpoint_url(), "https://dynamodb.eu-central-1.amazonaws.com/");

  ddb::ClientConfig local;
  local.profile = "local";
  EXPECT_EQ(ddb::Client(local).region(), "us-west-2");
  EXPECT_EQ(ddb::Client(local).endpoint_url(), "http://127.0.0.1:9/");
  local.profile = "svc";
  EXPECT_EQ(ddb::Client(local).endpoint_url(), "http://127.0.0.1:7/");

  set("AWS_DEFAULT_REGION", "ap-south-1");
  EXPECT_EQ(ddb::Client().region(), "ap-south-1");
  set("AWS_REGION", "cn-north-1");
  EXPECT_EQ(ddb::Client().region(), "cn-north-1");
  EXPECT_EQ(ddb::Client().endpoint_url(), "https://dynamodb.cn-north-1.amazonaws.com.cn/");

  set("AWS_ENDPOINT_URL", "http://127.0.0.1:8001");
  EXPECT_EQ(ddb::Client().endpoint_url(), "http://127.0.0.1:8001/");
  set("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8002");
  EXPECT_EQ(ddb::Client().endpoint_url(), "http://127.0.0.1:8002/");

  ddb::ClientConfig explicit_config;
  explicit_config.region = "sa-east-1";
  explicit_config.endpoint_url = "http://localhost:8003";
  EXPECT_EQ(ddb::Client(explicit_config).region(), "sa-east-1");
  EXPECT_EQ(ddb::Client(explicit_config).endpoint_url(), "http://localhost:8003/");

  set("AWS_ENDPOINT_URL_DYNAMODB", "ftp://nope");
  EXPECT_THROW(ddb::Client(), ddb::ConfigError);
}

TEST_F(CredentialsChain, TurningTlsVerificationOffIsNeverSilent) {
  ddb::ClientConfig c;
  c.region = "us-east-1";
  c.endpoint_url = "https://127.0.0.1:1";
  c.credentials = ddb::Credentials{"AKID", "secret", "", {}};
  ::testing::internal::CaptureStderr();
  ddb::Client verified(c);
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "");
  c.verify_tls = false;
  ::testing::internal::CaptureStderr();
  ddb::Client unverified(c);
  const std::string said = ::testing::internal::GetCapturedStderr();
  EXPECT_NE(said.find("TLS certificate verification is OFF for https://127.0.0.1:1/"),
            std::string::npos)
      << said;
  EXPECT_EQ(said.find("secret"), std::string::npos);
}
