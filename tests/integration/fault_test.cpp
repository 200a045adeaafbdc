// The client behind a fault-injecting proxy on 127.0.0.1: transient faults are retried until the
// call succeeds, non-retryable errors surface at once, and nothing hangs.
#include <gtest/gtest.h>

#include <atomic>
#include <functional>

#include "dynamodb_mapping/client.hpp"
#include "support/http_server.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::Action;
using ddbtest::HttpReply;
using ddbtest::HttpRequest;

namespace {

constexpr const char* kSecret = "FAULTTESTzzSECRETzzwJalrXUtnFEMI/K7MDENG";
constexpr const char* kToken = "FAULTTESTzzTOKENzzIQoJb3JpZ2luX2Vj";

// No exception text may carry the credentials the failing request was signed with.
void expect_no_secret(const std::exception& e) {
  const std::string what = e.what();
  EXPECT_EQ(what.find(kSecret), std::string::npos) << what;
  EXPECT_EQ(what.find(kToken), std::string::npos) << what;
}

HttpReply aws_error(int status, const std::string& code) {
  return {status,
          {{"Content-Type", "application/x-amz-json-1.0"}, {"x-amzn-RequestId", "INJECTED"}},
          R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + code +
              R"(","message":"injected by the test proxy"})"};
}

// Decides the fate of request number n (from 0) that reached the proxy.
using Plan = std::function<Action(int n, const HttpRequest& request, const std::string& upstream)>;

Action pass(const HttpRequest& r, const std::string& upstream) {
  return Action::respond(ddbtest::forward(upstream, r));
}

// The first `faults` requests get `fault`, the rest go through.
Plan first(int faults, std::function<Action(const HttpRequest&, const std::string&)> fault) {
  return [faults, fault](int n, const HttpRequest& r, const std::string& upstream) {
    return n < faults ? fault(r, upstream) : pass(r, upstream);
  };
}

class FaultTest : public ddbtest::ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    direct_.emplace(ddbtest::local_config(endpoint_));
    table_.emplace(*direct_, "faults");
    ddb::PutItemRequest p;
    p.table_name = table_->name();
    p.item = {{"pk", "known"}, {"v", 1}};
    direct_->put_item(p);
  }
  void TearDown() override {
    table_.reset();
    direct_.reset();
  }

  // A client that talks to the server through a proxy following `plan`. Backoff is kept short:
  // these tests are about what is retried, not how long the waits are.
  ddb::Client through_proxy(Plan plan, int max_attempts = 3,
                            std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    counter_ = 0;
    plan_ = std::move(plan);
    proxy_ = std::make_unique<ddbtest::TestHttpServer>([this](const HttpRequest& r) {
      const int n = counter_++;
      return plan_(n, r, endpoint_);
    });
    ddb::ClientConfig c = ddbtest::local_config(proxy_->url());
    c.credentials = ddb::Credentials{"AKIAFAULTTEST", kSecret, kToken, {}};
    c.max_attempts = max_attempts;
    c.retry_base_delay = std::chrono::milliseconds(1);
    c.throttling_base_delay = std::chrono::milliseconds(1);
    c.request_timeout = timeout;
    return ddb::Client(c);
  }

  ddb::GetItemRequest get_known() const {
    ddb::GetItemRequest r;
    r.table_name = table_->name();
    r.key = {{"pk", "known"}};
    return r;
  }

  std::optional<ddb::Client> direct_;
  std::optional<ddbtest::ScopedTable> table_;
  std::unique_ptr<ddbtest::TestHttpServer> proxy_;
  std::atomic<int> counter_{0};
  Plan plan_;
};

}  // namespace

TEST_F(FaultTest, TransientServiceErrorsAreRetried) {
  struct Case {
    int status;
    const char* code;
  };
  for (const Case c :
       {Case{500, "InternalServerError"}, Case{503, "ServiceUnavailable"},
        Case{400, "ThrottlingException"}, Case{400, "ProvisionedThroughputExceededException"},
        Case{400, "RequestLimitExceeded"}}) {
    auto client = through_proxy(first(2, [&](const HttpRequest&, const std::string&) {
      return Action::respond(aws_error(c.status, c.code));
    }));
    const auto got = client.get_item(get_known());
    ASSERT_TRUE(got.item.has_value()) << c.code;
    EXPECT_EQ(got.item->at("v"), ddb::Value(1)) << c.code;
    EXPECT_EQ(client.stats().requests, 3u) << c.code;
    EXPECT_EQ(client.stats().retries, 2u) << c.code;
  }
}

TEST_F(FaultTest, ABareGatewayErrorWithoutJsonIsRetried) {
  auto client = through_proxy(first(1, [](const HttpRequest&, const std::string&) {
    return Action::respond({502, {{"Content-Type", "text/html"}}, "<html>bad gateway</html>"});
  }));
  EXPECT_TRUE(client.get_item(get_known()).item.has_value());
  EXPECT_EQ(client.stats().retries, 1u);
}

TEST_F(FaultTest, ConnectionResetBeforeTheServerSawTheRequest) {
  auto client = through_proxy(
      first(2, [](const HttpRequest&, const std::string&) { return Action::reset(); }));
  EXPECT_TRUE(client.get_item(get_known()).item.has_value());
  EXPECT_EQ(client.stats().retries, 2u);
}

TEST_F(FaultTest, ConnectionResetAfterTheWriteWasAppliedLosesNothing) {
  // The put reaches the server and is applied; the client never hears back and retries.
  auto client = through_proxy(first(1, [](const HttpRequest& r, const std::string& upstream) {
    ddbtest::forward(upstream, r);
    return Action::reset();
  }));
  ddb::PutItemRequest p;
  p.table_name = table_->name();
  p.item = {{"pk", "written"}, {"v", 42}};
  client.put_item(p);
  EXPECT_EQ(client.stats().retries, 1u);
  ddb::GetItemRequest g;
  g.table_name = table_->name();
  g.key = {{"pk", "written"}};
  g.consistent_read = true;
  EXPECT_EQ(direct_->get_item(g).item, p.item);
}

TEST_F(FaultTest, TruncatedBodyIsRetried) {
  auto client = through_proxy(first(1, [](const HttpRequest& r, const std::string& upstream) {
    Action a = Action::respond(ddbtest::forward(upstream, r));
    a.kind = Action::Kind::Truncate;
    a.truncate_at = a.reply.body.size() / 2;
    return a;
  }));
  EXPECT_TRUE(client.get_item(get_known()).item.has_value());
  EXPECT_EQ(client.stats().retries, 1u);
}

TEST_F(FaultTest, BadCrc32IsRetriedThenReportedAsChecksumMismatch) {
  auto corrupt = [](const HttpRequest& r, const std::string& upstream) {
    HttpReply reply = ddbtest::forward(upstream, r);
    for (auto& [k, v] : reply.headers) {
      if (k == "x-amz-crc32") v = std::to_string(std::stoul(v) ^ 1u);
    }
    return Action::respond(reply);
  };
  auto once = through_proxy(first(1, corrupt));
  EXPECT_TRUE(once.get_item(get_known()).item.has_value());
  EXPECT_EQ(once.stats().retries, 1u);

  auto always = through_proxy(first(1000, corrupt), /*max_attempts=*/4);
  try {
    always.get_item(get_known());
    FAIL() << "no exception";
  } catch (const ddb::NetworkError& e) {
    EXPECT_EQ(e.code(), "ChecksumMismatch");
    expect_no_secret(e);
  }
  EXPECT_EQ(always.stats().requests, 4u);
}

TEST_F(FaultTest, SlowResponsePastTheTimeoutIsRetried) {
  auto client = through_proxy(first(1,
                                    [](const HttpRequest& r, const std::string& upstream) {
                                      Action a = Action::respond(ddbtest::forward(upstream, r));
                                      a.delay = std::chrono::milliseconds(3000);
                                      return a;
                                    }),
                              3, std::chrono::milliseconds(300));
  EXPECT_TRUE(client.get_item(get_known()).item.has_value());
  EXPECT_EQ(client.stats().retries, 1u);

  auto stuck = through_proxy(first(1000,
                                   [](const HttpRequest&, const std::string&) {
                                     Action a =
                                         Action::respond(aws_error(500, "InternalServerError"));
                                     a.delay = std::chrono::milliseconds(3000);
                                     return a;
                                   }),
                             2, std::chrono::milliseconds(200));
  try {
    stuck.get_item(get_known());
    FAIL() << "no exception";
  } catch (const ddb::NetworkError& e) {
    EXPECT_EQ(e.code(), "Timeout");
    expect_no_secret(e);
  }
  EXPECT_EQ(stuck.stats().requests, 2u);
}

TEST_F(FaultTest, GivesUpAfterMaxAttempts) {
  auto client = through_proxy(first(1000,
                                    [](const HttpRequest&, const std::string&) {
                                      return Action::respond(aws_error(500, "InternalServerError"));
                                    }),
                              /*max_attempts=*/5);
  try {
    client.get_item(get_known());
    FAIL() << "no exception";
  } catch (const ddb::ServerError& e) {
    EXPECT_EQ(e.code(), "InternalServerError");
    EXPECT_EQ(e.http_status(), 500);
    EXPECT_EQ(e.request_id(), "INJECTED");
  }
  EXPECT_EQ(client.stats().requests, 5u);
}

TEST_F(FaultTest, NonRetryableErrorsSurfaceAtOnce) {
  struct Case {
    const char* code;
    std::function<void(const ddb::Error&)> check;
  };
  const Case cases[] = {
      {"ValidationException",
       [](const ddb::Error& e) {
         EXPECT_NE(dynamic_cast<const ddb::ValidationError*>(&e), nullptr);
       }},
      {"ConditionalCheckFailedException",
       [](const ddb::Error& e) {
         EXPECT_NE(dynamic_cast<const ddb::ConditionalCheckFailedError*>(&e), nullptr);
       }},
      {"ResourceNotFoundException",
       [](const ddb::Error& e) {
         EXPECT_NE(dynamic_cast<const ddb::ResourceNotFoundError*>(&e), nullptr);
       }},
      {"AccessDeniedException",
       [](const ddb::Error& e) {
         EXPECT_NE(dynamic_cast<const ddb::AccessDeniedError*>(&e), nullptr);
       }},
      {"UnrecognizedClientException",
       [](const ddb::Error& e) {
         EXPECT_NE(dynamic_cast<const ddb::AccessDeniedError*>(&e), nullptr);
       }},
  };
  for (const auto& c : cases) {
    auto client = through_proxy(first(1000, [&](const HttpRequest&, const std::string&) {
      return Action::respond(aws_error(400, c.code));
    }));
    try {
      client.get_item(get_known());
      ADD_FAILURE() << c.code << ": no exception";
    } catch (const ddb::Error& e) {
      EXPECT_EQ(e.code(), c.code);
      c.check(e);
      expect_no_secret(e);
    }
    EXPECT_EQ(client.stats().requests, 1u) << c.code;
  }
}

TEST_F(FaultTest, MalformedSuccessBodyIsADecodeError) {
  auto client = through_proxy(first(1000, [](const HttpRequest&, const std::string&) {
    return Action::respond({200, {}, R"({"Item":{"pk":{"S":"x"},"v":{"N":"not a number"}}})"});
  }));
  EXPECT_THROW(client.get_item(get_known()), ddb::DecodeError);
  EXPECT_EQ(client.stats().requests, 1u);
}

TEST_F(FaultTest, SequentialCallsUseOneConnectionAtTheServer) {
  auto client = through_proxy(
      [](int, const HttpRequest& r, const std::string& upstream) { return pass(r, upstream); });
  for (int i = 0; i < 25; ++i) client.get_item(get_known());
  EXPECT_EQ(proxy_->requests(), 25);
  EXPECT_EQ(proxy_->connections(), 1);
}
