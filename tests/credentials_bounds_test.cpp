// Bounded by construction: credential_process, the shared files and the container token file can
// neither hang the program nor grow its memory without bound, and the container authorization
// token goes only where the AWS SDKs allow it. Code that would hang or balloon runs in a forked
// child with an alarm and a memory cap, so that such a failure fails the test instead of the run.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "auth/container_uri.hpp"
#include "dynamodb_mapping/credentials.hpp"
#include "dynamodb_mapping/error.hpp"
#include "support/http_server.hpp"
#include "support/scoped_env.hpp"

namespace ddb = dynamodb_mapping;
using namespace std::chrono_literals;

namespace {

constexpr const char* kBoundsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzzSECRETzz";

// The error `f` throws as "Type: message", or "(none)".
template <class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const ddb::ConfigError& e) {
    return "ConfigError: " + e.message();
  } catch (const ddb::CredentialsError& e) {
    return "CredentialsError: " + e.message();
  } catch (const std::exception& e) {
    return std::string("other: ") + e.what();
  }
  return "(none)";
}

// Runs in a death-test child: a 5 s alarm and an address-space cap 512 MiB above the current size
// turn a hang or unbounded growth into a failed test. Prints body()'s report on stderr, where the
// caller's regex checks it, and exits 0.
template <class F>
[[noreturn]] void bounded_child(F&& body) {
  // A group of its own, so that the alarm takes down whatever the code under test started in our
  // group too: a leftover holding gtest's status pipe would keep the parent waiting for ever.
  ::setpgid(0, 0);
  ::signal(SIGALRM, [](int) { ::kill(0, SIGKILL); });
  ::alarm(5);
  // Orphans (helpers killed with their shell) come to us, to be reaped before we exit.
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  unsigned long pages = 0;
  std::ifstream("/proc/self/statm") >> pages;
  const auto limit = static_cast<rlim_t>(
      pages * static_cast<unsigned long>(::sysconf(_SC_PAGESIZE)) + (512ul << 20));
  const rlimit r{limit, limit};
  ::setrlimit(RLIMIT_AS, &r);
  const std::string report = body();
  std::fprintf(stderr, "%s\n", report.c_str());
  std::fflush(stderr);
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  std::_Exit(0);
}

// Gone: no such process, or a zombie that is not ours to reap (an orphan, waiting for init).
bool gone(pid_t pid) {
  if (::kill(pid, 0) != 0) return errno == ESRCH;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

bool gone_within(pid_t pid, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!gone(pid)) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

std::vector<pid_t> read_pids(const std::filesystem::path& file) {
  std::vector<pid_t> pids;
  std::ifstream in(file);
  for (pid_t p; in >> p;) pids.push_back(p);
  return pids;
}

std::string in_time(std::chrono::steady_clock::time_point start, std::chrono::milliseconds limit) {
  return std::chrono::steady_clock::now() - start < limit ? " [in time]" : " [too slow]";
}

class CredentialsBounds : public ddbtest::CleanAwsEnv {
 protected:
  void TearDown() override {
    // Should a child have been cut short by its alarm (the old, unbounded code), kill what it left.
    for (const pid_t p : read_pids(home_ / "pids")) {
      if (p > 1 && !gone(p)) ::kill(p, SIGKILL);
    }
    CleanAwsEnv::TearDown();
  }
  std::string pid_file() const { return "'" + (home_ / "pids").string() + "'"; }
};

}  // namespace

TEST_F(CredentialsBounds, CredentialProcessThatNeverExitsIsKilledWithItsChildren) {
  // The shell prints something secret, starts a helper that never exits and waits for it.
  write_aws_file("config", "[default]\ncredential_process = echo $$ > " + pid_file() +
                               "; printf '" + kBoundsSecret + "'; sleep 1000 & echo $! >> " +
                               pid_file() + "; wait\n");
  EXPECT_EXIT(bounded_child([&] {
                ddb::CredentialsOptions options;
                options.credential_process_timeout = 500ms;
                const auto start = std::chrono::steady_clock::now();
                const std::string error =
                    error_of([&] { ddb::default_credentials_chain(options)->get(); });
                std::string report = error + in_time(start, 2000ms);
                const auto pids = read_pids(home_ / "pids");
                if (pids.size() != 2) return report + " [pids not written]";
                // The shell is our child: reaped, not a zombie. The helper is killed with it.
                const bool reaped = ::kill(pids[0], 0) != 0 && errno == ESRCH;
                report += reaped ? " [reaped]" : " [shell not reaped]";
                report += gone_within(pids[1], 2000ms) ? " [group killed]" : " [helper alive]";
                report += error.find(kBoundsSecret) == std::string::npos ? "" : " [output leaked]";
                return report;
              }),
              ::testing::ExitedWithCode(0),
              "CredentialsError: .*credential_process did not finish within 500 ms and was killed"
              ".*\\[in time\\] \\[reaped\\] \\[group killed\\]");
}

TEST_F(CredentialsBounds, CredentialProcessEndOfOutputOrExitAloneIsNotTheEnd) {
  // The shell closes stdout and lingers; or it exits while a helper keeps stdout open. Both
  // waits are bounded, and the helper dies with the group even though its leader already exited.
  for (const std::string tail : {"; exec >&-; exec sleep 1000", "; sleep 1000 & echo $! >> P"}) {
    SCOPED_TRACE(tail);
    std::filesystem::remove(home_ / "pids");
    std::string command = "echo $$ > P" + tail;
    for (std::size_t at; (at = command.find(" P")) != std::string::npos;) {
      command.replace(at + 1, 1, pid_file());
    }
    write_aws_file("config", "[default]\ncredential_process = " + command + "\n");
    EXPECT_EXIT(bounded_child([&] {
                  ddb::CredentialsOptions options;
                  options.credential_process_timeout = 500ms;
                  const auto start = std::chrono::steady_clock::now();
                  std::string report =
                      error_of([&] { ddb::default_credentials_chain(options)->get(); }) +
                      in_time(start, 2000ms);
                  const auto pids = read_pids(home_ / "pids");
                  const bool reaped = !pids.empty() && ::kill(pids[0], 0) != 0 && errno == ESRCH;
                  report += reaped ? " [reaped]" : " [not reaped]";
                  for (std::size_t i = 1; i < pids.size(); ++i) {
                    report += gone_within(pids[i], 2000ms) ? " [gone]" : " [helper alive]";
                  }
                  return report + " [end]";
                }),
                ::testing::ExitedWithCode(0),
                "CredentialsError: .*did not finish within 500 ms.*\\[in time\\] \\[reaped\\]"
                "( \\[gone\\])? \\[end\\]");
  }
}

TEST_F(CredentialsBounds, CredentialProcessOutputIsCappedAtOneMiB) {
  write_aws_file("config", "[default]\ncredential_process = echo $$ > " + pid_file() +
                               "; exec cat /dev/zero\n");
  EXPECT_EXIT(bounded_child([&] {
                const auto start = std::chrono::steady_clock::now();
                std::string report = error_of([] { ddb::default_credentials_chain()->get(); }) +
                                     in_time(start, 3000ms);
                const auto pids = read_pids(home_ / "pids");
                const bool reaped = pids.size() == 1 && ::kill(pids[0], 0) != 0 && errno == ESRCH;
                return report + (reaped ? " [reaped]" : " [not reaped]");
              }),
              ::testing::ExitedWithCode(0),
              "CredentialsError: .*credential_process wrote more than 1048576 bytes \\(1 MiB\\) "
              "to stdout.*\\[in time\\] \\[reaped\\]");
}

TEST_F(CredentialsBounds, ConfigFilesThatAreFifosAreConfigErrorsNotHangs) {
  const auto fifo = home_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const char* variable : {"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"}) {
    SCOPED_TRACE(variable);
    set(variable, fifo.string());
    EXPECT_EXIT(bounded_child([] {
                  const auto start = std::chrono::steady_clock::now();
                  return error_of([] { ddb::default_credentials_chain()->get(); }) +
                         in_time(start, 1000ms);
                }),
                ::testing::ExitedWithCode(0),
                "ConfigError: AWS (config|shared credentials) file .*/fifo is not a regular "
                "file.*\\[in time\\]");
    unset(variable);
  }
}

TEST_F(CredentialsBounds, DevZeroAsConfigFileIsAConfigError) {
  for (const char* variable : {"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE"}) {
    SCOPED_TRACE(variable);
    set(variable, "/dev/zero");
    EXPECT_EXIT(
        bounded_child([] { return error_of([] { ddb::default_credentials_chain()->get(); }); }),
        ::testing::ExitedWithCode(0),
        "ConfigError: AWS (config|shared credentials) file /dev/zero is not a regular file");
    unset(variable);
  }
}

TEST_F(CredentialsBounds, DirectoryAsConfigFileIsAConfigErrorAndMissingFilesAreEmpty) {
  set("AWS_CONFIG_FILE", (home_ / "nowhere").string());
  EXPECT_EQ(error_of([] {
              ddb::default_credentials_chain()->get();
            }).rfind("CredentialsError: no AWS credentials found", 0),
            0u);
  set("AWS_CONFIG_FILE", home_.string());
  const std::string error = error_of([] { ddb::default_credentials_chain()->get(); });
  EXPECT_EQ(error.rfind("ConfigError: AWS config file " + home_.string() + " is not a regular", 0),
            0u)
      << error;
}

TEST_F(CredentialsBounds, ConfigFileOverFourMiBIsAConfigError) {
  // Exactly at the cap is fine; one byte more is refused, with the file and the cap named.
  std::string text = "[default]\naws_access_key_id = AKIABIG\naws_secret_access_key = s\n# ";
  text.resize(std::size_t{4} << 20, 'x');
  const std::string path = write_aws_file("credentials", text);
  EXPECT_EQ(ddb::default_credentials_chain()->get().access_key_id, "AKIABIG");
  write_aws_file("credentials", text + "x");
  const std::string error = error_of([] { ddb::default_credentials_chain()->get(); });
  EXPECT_EQ(error, "ConfigError: AWS shared credentials file " + path +
                       " is larger than 4194304 bytes (4 MiB), the limit for it");
}

TEST_F(CredentialsBounds, ContainerTokenFileIsReadBounded) {
  // Never contacted: the token is read, and refused, before any request.
  set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/creds");
  const auto fifo = home_ / "token-fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  for (const std::string& file : {fifo.string(), std::string("/dev/zero")}) {
    SCOPED_TRACE(file);
    set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", file);
    EXPECT_EXIT(bounded_child([] {
                  const auto start = std::chrono::steady_clock::now();
                  return error_of([] { ddb::default_credentials_chain()->get(); }) +
                         in_time(start, 1000ms);
                }),
                ::testing::ExitedWithCode(0),
                "CredentialsError: container credentials: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE "
                ".*(fifo|zero) is not a regular file.*\\[in time\\]");
  }
}

namespace {

// A fake credentials endpoint that records the Authorization header of every request.
struct RecordingEndpoint {
  std::mutex mutex;
  std::vector<std::string> tokens;
  ddbtest::TestHttpServer server{[this](const ddbtest::HttpRequest& r) {
    std::lock_guard lock(mutex);
    const auto it = r.headers.find("authorization");
    tokens.push_back(it == r.headers.end() ? "" : it->second);
    return ddbtest::Action::respond(
        {200,
         {},
         std::string(R"({"AccessKeyId":"AKIAFAKE","SecretAccessKey":")") + kBoundsSecret +
             R"(","Token":"t","Expiration":"2099-01-01T00:00:00Z"})"});
  }};
  std::vector<std::string> seen() {
    std::lock_guard lock(mutex);
    return tokens;
  }
};

}  // namespace

TEST_F(CredentialsBounds, ContainerUriWithUserinfoNeverGetsTheToken) {
  // "127.0.0.1:PORT@" looks like the allowed host to a prefix check; the request would go to the
  // host after the '@'.
  RecordingEndpoint allowed, other;
  set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer do-not-leak");
  set("AWS_CONTAINER_CREDENTIALS_FULL_URI",
      "http://127.0.0.1:" + std::to_string(allowed.server.port()) +
          "@127.0.0.1:" + std::to_string(other.server.port()) + "/creds");
  std::string error = error_of([] { ddb::default_credentials_chain()->get(); });
  EXPECT_EQ(error.rfind("CredentialsError: container credentials: "
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI has userinfo",
                        0),
            0u)
      << error;
  EXPECT_EQ(error.find("do-not-leak"), std::string::npos);

  // The relative form is glued to http://169.254.170.2, so "@host" there redirects it as well.
  unset("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  set("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
      "@127.0.0.1:" + std::to_string(other.server.port()) + "/creds");
  error = error_of([] { ddb::default_credentials_chain()->get(); });
  EXPECT_NE(error.find("CredentialsError: container credentials: "
                       "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI must be a path"),
            std::string::npos)
      << error;
  EXPECT_TRUE(other.seen().empty());
  EXPECT_TRUE(allowed.seen().empty());
}

TEST_F(CredentialsBounds, ContainerHttpToAHostNotAllowedIsRefusedAndAllowedOnesWork) {
  // A prefix check takes this name for 127.0.0.0/8; it resolves wherever its owner likes.
  set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer do-not-leak");
  set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1.invalid/creds");
  const std::string error = error_of([] { ddb::default_credentials_chain()->get(); });
  EXPECT_NE(
      error.find("CredentialsError: container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI "
                 "uses plain http to host 127.0.0.1.invalid"),
      std::string::npos)
      << error;

  // Allowed: localhost, with the token from a file (its trailing newline is not part of it).
  RecordingEndpoint endpoint;
  unset("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  const auto token_file = home_ / "token";
  std::ofstream(token_file) << "Bearer from-file\n";
  set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file.string());
  set("AWS_CONTAINER_CREDENTIALS_FULL_URI",
      "http://localhost:" + std::to_string(endpoint.server.port()) + "/creds");
  EXPECT_EQ(ddb::default_credentials_chain()->get().access_key_id, "AKIAFAKE");
  EXPECT_EQ(endpoint.seen(), std::vector<std::string>{"Bearer from-file"});
}

TEST_F(CredentialsBounds, ContainerUrlRules) {
  // Plain http only to loopback and the container hosts; https anywhere; userinfo never.
  for (const char* ok :
       {"http://127.0.0.1:80/x", "http://127.255.0.9/", "http://localhost/",
        "HTTP://LocalHost:8080/p", "http://[::1]:80/", "http://[0:0:0:0:0:0:0:1]/",
        "http://169.254.170.2/v2/credentials/x", "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/", "http://[FD00:EC2:0::23]:80/", "https://example.com/creds",
        "https://creds.example.com:8443/x?y=1#z"}) {
    EXPECT_NO_THROW(ddb::detail::check_container_url(ok, "URL")) << ok;
  }
  for (const char* refused : {"http://127.0.0.1@example.com/",
                              "http://u:p@localhost/",
                              "https://user@example.com/",
                              "http://example.com/",
                              "http://127.0.0.1.nip.io/",
                              "http://127.1/",
                              "http://0177.0.0.1/",
                              "http://169.254.169.254/",
                              "http://169.254.170.3/",
                              "http://[::ffff:127.0.0.1]/",
                              "http://localhost./",
                              "ftp://127.0.0.1/",
                              "http://127.0.0.1:99999/",
                              "http://127.0.0.1:/",
                              "http://127.0.0.1 /",
                              "http://127.0.0.1\\@example.com/",
                              "http:///x",
                              "127.0.0.1/x",
                              "http://[::1/",
                              "http://[::1]x/",
                              "http://127.0.0.1%2f@example.com/"}) {
    EXPECT_THROW(ddb::detail::check_container_url(refused, "URL"), ddb::CredentialsError)
        << refused;
  }
}

TEST_F(CredentialsBounds, MetadataAnswersAreCapped) {
  // An endless body from the container endpoint or from IMDS stops at the 64 KiB cap: a
  // CredentialsError naming the source, not a process that grows until it dies.
  ddbtest::TestHttpServer endless([](const ddbtest::HttpRequest&) {
    return ddbtest::Action::with(ddbtest::Action::Kind::Endless, {200, {}, "{"});
  });
  set("AWS_CONTAINER_CREDENTIALS_FULL_URI", endless.url() + "/creds");
  std::string error = error_of([] { ddb::default_credentials_chain()->get(); });
  EXPECT_NE(error.find("container credentials endpoint: the response exceeds the cap"),
            std::string::npos)
      << error;

  unset("AWS_CONTAINER_CREDENTIALS_FULL_URI");
  unset("AWS_EC2_METADATA_DISABLED");
  set("AWS_EC2_METADATA_SERVICE_ENDPOINT", endless.url());
  error = error_of([] { ddb::default_credentials_chain()->get(); });
  EXPECT_NE(error.find("instance metadata: the response exceeds the cap"), std::string::npos)
      << error;
}
