// ddbmap whoami and the credentials ddbmap resolves: against a fake STS on 127.0.0.1 (there is no
// STS to run locally), with answers in the shapes of the STS API reference.
#include <chrono>
#include <mutex>
#include <regex>
#include <thread>

#include "integration/cli_fixture.hpp"
#include "support/http_server.hpp"

namespace {

using ddbtest::CliRun;
using ddbtest::shell_quote;

constexpr const char* kRoleSecret = "roleSecretNeverPrinted";
constexpr const char* kRoleToken = "roleSessionTokenNeverPrinted";

std::string caller_identity_xml(const std::string& arn, const std::string& user_id) {
  return "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
         "<GetCallerIdentityResult><Arn>" +
         arn + "</Arn><UserId>" + user_id +
         "</UserId><Account>123456789012</Account></GetCallerIdentityResult>"
         "<ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>"
         "</ResponseMetadata></GetCallerIdentityResponse>";
}

std::string assume_role_xml() {
  return std::string(
             "<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
             "<AssumeRoleResult><AssumedRoleUser>"
             "<Arn>arn:aws:sts::123456789012:assumed-role/demo/cli</Arn>"
             "<AssumedRoleId>AROA3XFRBF535PLBIFPI4:cli</AssumedRoleId></AssumedRoleUser>"
             "<Credentials><AccessKeyId>ASIAROLEKEY</AccessKeyId><SecretAccessKey>") +
         kRoleSecret + "</SecretAccessKey><SessionToken>" + kRoleToken +
         "</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>"
         "</AssumeRoleResult></AssumeRoleResponse>";
}

// Whether the form body has `param` ("Name=value") as one of its &-separated fields.
bool has_param(const std::string& body, const std::string& param) {
  return ("&" + body + "&").find("&" + param + "&") != std::string::npos;
}

// A fake STS that records every request's form body and Authorization header.
struct FakeSts {
  std::mutex m;
  std::vector<ddbtest::HttpRequest> seen;
  ddbtest::TestHttpServer server{[this](const ddbtest::HttpRequest& r) {
    {
      std::lock_guard lock(m);
      seen.push_back(r);
    }
    if (has_param(r.body, "Action=AssumeRole")) {
      return ddbtest::Action::respond({200, {{"Content-Type", "text/xml"}}, assume_role_xml()});
    }
    if (has_param(r.body, "Action=GetCallerIdentity")) {
      const auto auth = r.headers.count("authorization") ? r.headers.at("authorization") : "";
      const bool role = auth.find("Credential=ASIAROLEKEY/") != std::string::npos;
      return ddbtest::Action::respond(
          {200,
           {{"Content-Type", "text/xml"}},
           role ? caller_identity_xml("arn:aws:sts::123456789012:assumed-role/demo/cli",
                                      "AROA3XFRBF535PLBIFPI4:cli")
                : caller_identity_xml("arn:aws:iam::123456789012:user/alice", "AIDAALICE")});
    }
    return ddbtest::Action::respond({400, {}, "<ErrorResponse/>"});
  }};
  std::vector<ddbtest::HttpRequest> requests() {
    std::lock_guard lock(m);
    return seen;
  }
};

class CliWhoamiTest : public ddbtest::CliTest {
 protected:
  // ddbmap with nothing of the test's environment but `vars`, without a controlling terminal
  // (setsid), so that a prompt cannot wait for a person.
  CliRun run(const std::string& vars, const std::string& args) {
    const auto out = dir_ / "out", err = dir_ / "err";
    const std::string cmd = "env -i PATH=/usr/bin:/bin HOME=" + dir_.string() +
                            " AWS_EC2_METADATA_DISABLED=true " + vars + " setsid " +
                            DDBMAP_CLI_PATH " " + args + " </dev/null >" + out.string() + " 2>" +
                            err.string();
    const int raw = std::system(cmd.c_str());
    return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, ddbtest::read_file(out),
            ddbtest::read_file(err)};
  }
  FakeSts sts_;
};

TEST_F(CliWhoamiTest, PrintsTheIdentityAndWhereTheCredentialsCameFrom) {
  const CliRun r =
      run("AWS_ACCESS_KEY_ID=AKIAWHOAMI AWS_SECRET_ACCESS_KEY=whoamiSecret "
          "AWS_REGION=eu-west-3 AWS_ENDPOINT_URL_STS=" +
              sts_.server.url(),
          "whoami");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("account  123456789012\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("arn      arn:aws:iam::123456789012:user/alice\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("user id  AIDAALICE\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("source   environment"), std::string::npos) << r.out;
  const auto seen = sts_.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(has_param(seen[0].body, "Action=GetCallerIdentity")) << seen[0].body;
  // Signed for STS in the region given, with the environment's key.
  const std::string auth =
      seen[0].headers.count("authorization") ? seen[0].headers.at("authorization") : "";
  EXPECT_NE(auth.find("Credential=AKIAWHOAMI/"), std::string::npos) << auth;
  EXPECT_NE(auth.find("/eu-west-3/sts/aws4_request"), std::string::npos) << auth;
  EXPECT_EQ((r.out + r.err).find("whoamiSecret"), std::string::npos);
}

TEST_F(CliWhoamiTest, AnAssumedRoleProfileSaysSoAndSignsWithTheRole) {
  const auto config = write("config",
                            "[profile base]\naws_access_key_id = AKIABASE\n"
                            "aws_secret_access_key = baseSecret\n"
                            "[profile dev]\nrole_arn = arn:aws:iam::123456789012:role/demo\n"
                            "source_profile = base\nrole_session_name = cli\n"
                            "region = ap-northeast-1\n");
  const CliRun r =
      run("AWS_CONFIG_FILE=" + config.string() +
              " AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_ENDPOINT_URL_STS=" + sts_.server.url(),
          "--profile dev whoami");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("arn      arn:aws:sts::123456789012:assumed-role/demo/cli\n"),
            std::string::npos)
      << r.out;
  // The source names the profile and the role.
  const auto at = r.out.find("source   ");
  ASSERT_NE(at, std::string::npos) << r.out;
  const std::string source = r.out.substr(at, r.out.find('\n', at) - at);
  EXPECT_NE(source.find("dev"), std::string::npos) << source;
  EXPECT_NE(source.find("role/demo"), std::string::npos) << source;
  const auto seen = sts_.requests();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_TRUE(has_param(seen[0].body, "Action=AssumeRole")) << seen[0].body;
  EXPECT_NE(seen[0].headers.at("authorization").find("Credential=AKIABASE/"), std::string::npos);
  EXPECT_NE(seen[1].headers.at("authorization").find("Credential=ASIAROLEKEY/"), std::string::npos);
  EXPECT_NE(seen[1].headers.at("authorization").find("/ap-northeast-1/sts/"), std::string::npos);
  for (const char* secret : {kRoleSecret, kRoleToken, "baseSecret"}) {
    EXPECT_EQ((r.out + r.err).find(secret), std::string::npos) << secret;
  }
}

TEST_F(CliWhoamiTest, AnMfaProfileWithoutATerminalFailsBeforeAskingSts) {
  const auto config = write("config",
                            "[profile base]\naws_access_key_id = AKIABASE\n"
                            "aws_secret_access_key = baseSecret\n"
                            "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/demo\n"
                            "source_profile = base\nregion = us-east-1\n"
                            "mfa_serial = arn:aws:iam::123456789012:mfa/alice\n");
  const CliRun r =
      run("AWS_CONFIG_FILE=" + config.string() +
              " AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_ENDPOINT_URL_STS=" + sts_.server.url(),
          "--profile mfa whoami");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("arn:aws:iam::123456789012:mfa/alice"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no terminal"), std::string::npos) << r.err;
  EXPECT_TRUE(sts_.requests().empty());
}

TEST_F(CliWhoamiTest, TheMfaCodeIsAskedOnTheTerminalWithoutEcho) {
  if (ddbtest::engine() != "dynamodb-local") GTEST_SKIP() << "terminal tests run on one engine";
  const auto config = write("config",
                            "[profile base]\naws_access_key_id = AKIABASE\n"
                            "aws_secret_access_key = baseSecret\n"
                            "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/demo\n"
                            "source_profile = base\nregion = us-east-1\n"
                            "mfa_serial = arn:aws:iam::123456789012:mfa/alice\n");
  // A terminal of its own (tmux), as a person at a shell has.
  const std::string socket = "ddbmap_mfa_" + std::to_string(::getpid());
  const std::string inner =
      "env -i PATH=/usr/bin:/bin HOME=" + dir_.string() +
      " AWS_EC2_METADATA_DISABLED=true AWS_CONFIG_FILE=" + config.string() +
      " AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_ENDPOINT_URL_STS=" + sts_.server.url() +
      " " DDBMAP_CLI_PATH " --profile mfa whoami; echo EXIT=$?; sleep 600";
  ASSERT_EQ(
      std::system(("tmux -L " + socket + " new-session -d -s t -x 160 -y 20 " + shell_quote(inner))
                      .c_str()),
      0);
  const auto screen = [&] {
    std::string s;
    if (FILE* p = ::popen(("tmux -L " + socket + " capture-pane -p -t t").c_str(), "r")) {
      char buf[4096];
      for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) s.append(buf, n);
      ::pclose(p);
    }
    return s;
  };
  const auto wait_for = [&](const std::regex& pattern) {
    for (int i = 0; i < 600; ++i) {  // bounded: 60 s
      const std::string s = screen();
      if (std::regex_search(s, pattern)) return s;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    ADD_FAILURE() << "screen never matched; last screen:\n" << screen();
    return std::string();
  };
  const std::string asked =
      wait_for(std::regex("Enter MFA code for arn:aws:iam::123456789012:mfa/alice:"));
  ASSERT_FALSE(asked.empty());
  EXPECT_TRUE(sts_.requests().empty()) << "nothing is sent before the code is typed";
  EXPECT_EQ(std::system(("tmux -L " + socket + " send-keys -t t 314159 Enter").c_str()), 0);
  const std::string done = wait_for(std::regex("EXIT=\\d+"));
  std::system(("tmux -L " + socket + " kill-server 2>/dev/null").c_str());
  EXPECT_NE(done.find("EXIT=0"), std::string::npos) << done;
  EXPECT_NE(done.find("assumed-role/demo/cli"), std::string::npos) << done;
  EXPECT_EQ(done.find("314159"), std::string::npos) << "the code was echoed:\n" << done;
  const auto seen = sts_.requests();
  ASSERT_FALSE(seen.empty());
  EXPECT_TRUE(has_param(seen[0].body, "Action=AssumeRole")) << seen[0].body;
  EXPECT_TRUE(has_param(seen[0].body, "TokenCode=314159")) << seen[0].body;
  EXPECT_TRUE(
      has_param(seen[0].body, "SerialNumber=arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Falice"))
      << seen[0].body;
}

}  // namespace
