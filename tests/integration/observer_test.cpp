// The request observer (ClientConfig::on_request) against both engines: one event per attempt
// with what the attempt did, through the fault proxy for retries (a 500, a reset connection,
// throttling until the attempts run out) and lost writes; consumed capacity when tracked; no
// secret in any field even with bodies on; an observer that throws changes nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "support/fault_proxy.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::Action;
using ddbtest::HttpRequest;

namespace {

// A RequestEvent with its views copied, and the thread it came on.
struct Seen {
  std::string operation, table, error_code, request_id, request_body, response_body;
  int attempt = 0, http_status = 0;
  std::chrono::nanoseconds latency{}, backoff{};
  std::size_t bytes_sent = 0, bytes_received = 0;
  ddb::RetryDecision decision = ddb::RetryDecision::Done;
  bool may_have_been_applied = false;
  std::vector<ddb::ConsumedCapacity> consumed_capacity;
  std::thread::id thread;

  // Every text field, for the secrets check.
  std::string all_text() const {
    return operation + "|" + table + "|" + error_code + "|" + request_id + "|" + request_body +
           "|" + response_body;
  }
};

// What an observer saw, thread-safe.
class EventLog {
 public:
  ddb::RequestObserver observer() {
    return [this](const ddb::RequestEvent& e) {
      Seen s{std::string(e.operation),
             std::string(e.table),
             std::string(e.error_code),
             std::string(e.request_id),
             std::string(e.request_body),
             std::string(e.response_body),
             e.attempt,
             e.http_status,
             e.latency,
             e.backoff,
             e.bytes_sent,
             e.bytes_received,
             e.decision,
             e.may_have_been_applied,
             {e.consumed_capacity.begin(), e.consumed_capacity.end()},
             std::this_thread::get_id()};
      std::lock_guard lock(mutex_);
      seen_.push_back(std::move(s));
    };
  }
  std::vector<Seen> take() {
    std::lock_guard lock(mutex_);
    return std::exchange(seen_, {});
  }

 private:
  std::mutex mutex_;
  std::vector<Seen> seen_;
};

constexpr const char* kAccessKey = "AKIAOBSERVERTESTKEY1";
constexpr const char* kObserverSecret = "OBSERVERzzSECRETzzwJalrXUtnFEMI/K7MDENGbPxR";
constexpr const char* kObserverToken = "OBSERVERzzTOKENzzFQoGZXIvYXdzEBYaDNgZ2Vfz";

// A 500 with a request id of its own, as a sick DynamoDB front end answers.
ddbtest::HttpReply server_error() {
  return {500,
          {{"Content-Type", "application/x-amz-json-1.0"}, {"x-amzn-RequestId", "PROXY-500"}},
          R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"x"})"};
}

class ObserverTest : public ddbtest::ServerTest {
 protected:
  void SetUp() override {
    ServerTest::SetUp();
    if (HasFatalFailure()) return;
    direct_.emplace(ddbtest::local_config(endpoint_));
    table_.emplace(*direct_, "observer");
    proxy_.emplace(endpoint_);
  }
  void TearDown() override {
    proxy_.reset();
    table_.reset();
    direct_.reset();
  }

  // Through the proxy (1 ms back-off bases), observed by log_.
  ddb::ClientConfig observed_config(int max_attempts = 4) {
    ddb::ClientConfig c = proxy_->config(max_attempts);
    c.on_request = log_.observer();
    return c;
  }

  ddb::PutItemRequest put(const std::string& pk, ddb::Item extra = {}) const {
    ddb::PutItemRequest p;
    p.table_name = table_->name();
    p.item = std::move(extra);
    p.item["pk"] = pk;
    return p;
  }
  ddb::GetItemRequest get(const std::string& pk) const {
    ddb::GetItemRequest g;
    g.table_name = table_->name();
    g.key = {{"pk", pk}};
    g.consistent_read = true;
    return g;
  }

  EventLog log_;
  std::optional<ddb::Client> direct_;
  std::optional<ddbtest::ScopedTable> table_;
  std::optional<ddbtest::FaultProxy> proxy_;
};

}  // namespace

TEST_F(ObserverTest, ASuccessfulCallIsOneEvent) {
  ddb::ClientConfig c = ddbtest::local_config(endpoint_);
  c.on_request = log_.observer();
  const ddb::Client client(c);
  client.put_item(put("a", {{"v", 1}}));
  (void)client.get_item(get("a"));
  // Client::call gives the exact bodies, to compare the byte counts with.
  const std::string request = R"({"Limit":5})";
  const std::string answer = client.call("ListTables", request);

  const auto events = log_.take();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(client.stats().requests, 3u);
  const char* operations[] = {"PutItem", "GetItem", "ListTables"};
  for (std::size_t i = 0; i < events.size(); ++i) {
    const Seen& e = events[i];
    SCOPED_TRACE(operations[i]);
    EXPECT_EQ(e.operation, operations[i]);
    EXPECT_EQ(e.attempt, 1);
    EXPECT_EQ(e.http_status, 200);
    EXPECT_EQ(e.error_code, "");
    EXPECT_EQ(e.decision, ddb::RetryDecision::Done);
    EXPECT_EQ(e.backoff.count(), 0);
    EXPECT_FALSE(e.may_have_been_applied);
    EXPECT_GT(e.latency.count(), 0);
    EXPECT_GT(e.bytes_sent, 0u);
    EXPECT_GT(e.bytes_received, 0u);
    EXPECT_FALSE(e.request_id.empty());
    EXPECT_TRUE(e.consumed_capacity.empty()) << "not asked for";
    EXPECT_TRUE(e.request_body.empty() && e.response_body.empty()) << "bodies are opt-in";
    EXPECT_EQ(e.thread, std::this_thread::get_id()) << "on the calling thread";
  }
  EXPECT_EQ(events[0].table, table_->name());
  EXPECT_EQ(events[1].table, table_->name());
  EXPECT_EQ(events[2].table, "") << "ListTables is on no table";
  EXPECT_EQ(events[2].bytes_sent, request.size());
  EXPECT_EQ(events[2].bytes_received, answer.size());
  EXPECT_NE(events[0].request_id, events[1].request_id);
}

TEST_F(ObserverTest, ARetriedCallReportsEveryAttempt) {
  const ddb::Client client(observed_config());
  direct_->put_item(put("r", {{"v", 7}}));
  // A connection reset without an answer, then a 500, then the real answer. The reset comes
  // first, on the client's first connection: on a reused one libcurl would re-send a read by
  // itself.
  proxy_->next("GetItem", [](const HttpRequest&) { return Action::reset(); });
  proxy_->next("GetItem", [](const HttpRequest&) { return Action::respond(server_error()); });
  const auto got = client.get_item(get("r"));
  ASSERT_TRUE(got.item.has_value());
  EXPECT_EQ(got.item->at("v"), ddb::Value(7));

  const auto events = log_.take();
  ASSERT_EQ(events.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(events[i].operation, "GetItem");
    EXPECT_EQ(events[i].table, table_->name());
    EXPECT_EQ(events[i].attempt, i + 1);
  }
  EXPECT_EQ(events[0].http_status, 0);
  EXPECT_EQ(events[0].error_code, "ConnectionError");
  EXPECT_EQ(events[0].request_id, "");
  EXPECT_EQ(events[0].bytes_received, 0u);
  EXPECT_EQ(events[0].decision, ddb::RetryDecision::Retry);

  EXPECT_EQ(events[1].http_status, 500);
  EXPECT_EQ(events[1].error_code, "InternalServerError");
  EXPECT_EQ(events[1].request_id, "PROXY-500");
  EXPECT_TRUE(events[1].may_have_been_applied) << "a 5xx may come after the work was done";
  EXPECT_EQ(events[1].decision, ddb::RetryDecision::Retry);
  EXPECT_GT(events[1].bytes_received, 0u);

  EXPECT_EQ(events[2].http_status, 200);
  EXPECT_EQ(events[2].error_code, "");
  EXPECT_EQ(events[2].decision, ddb::RetryDecision::Done);
  EXPECT_EQ(events[2].backoff.count(), 0);
  // Full jitter with a 1 ms base: retry i waits at most 1 ms * 2^i.
  EXPECT_LE(events[0].backoff, std::chrono::milliseconds(1));
  EXPECT_LE(events[1].backoff, std::chrono::milliseconds(2));
  EXPECT_EQ(client.stats().retries, 2u);
}

TEST_F(ObserverTest, GivingUpIsTheLastEvent) {
  const ddb::Client client(observed_config(2));
  proxy_->always("GetItem", [](const HttpRequest&) {
    return Action::respond({400,
                            {{"Content-Type", "application/x-amz-json-1.0"}},
                            R"({"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException",)"
                            R"("message":"slow down"})"});
  });
  EXPECT_THROW((void)client.get_item(get("t")), ddb::ThrottlingError);
  const auto events = log_.take();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].decision, ddb::RetryDecision::Retry);
  EXPECT_EQ(events[1].decision, ddb::RetryDecision::GiveUp);
  EXPECT_EQ(events[1].backoff.count(), 0);
  for (const Seen& e : events) {
    EXPECT_EQ(e.http_status, 400);
    EXPECT_EQ(e.error_code, "ThrottlingException");
    EXPECT_FALSE(e.may_have_been_applied) << "a throttled request was not done";
  }

  // A refusal that a retry would not change ends the call at once: Done.
  proxy_->clear();
  ddb::PutItemRequest p = put("t");
  p.condition_expression = "attribute_exists(pk)";
  EXPECT_THROW(client.put_item(p), ddb::ConditionalCheckFailedError);
  const auto refused = log_.take();
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_EQ(refused[0].http_status, 400);
  EXPECT_EQ(refused[0].error_code, "ConditionalCheckFailedException");
  EXPECT_EQ(refused[0].decision, ddb::RetryDecision::Done);
  EXPECT_FALSE(refused[0].request_id.empty());
}

TEST_F(ObserverTest, AWriteRetriedAfterALostAnswerShowsTheDoubt) {
  const ddb::Client client(observed_config());
  // The server applies the put and its answer becomes a 500: a safe put is sent again.
  proxy_->lose_next("PutItem", ddbtest::Loss::ServerError);
  client.put_item(put("w", {{"v", 1}}));
  const auto events = log_.take();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].http_status, 500);
  EXPECT_TRUE(events[0].may_have_been_applied);
  EXPECT_EQ(events[0].decision, ddb::RetryDecision::Retry);
  EXPECT_EQ(events[1].http_status, 200);
  EXPECT_EQ(events[1].attempt, 2);
  EXPECT_FALSE(events[1].may_have_been_applied);
  EXPECT_EQ(events[1].decision, ddb::RetryDecision::Done);
}

TEST_F(ObserverTest, ALostWriteIsReported) {
  const ddb::Client client(observed_config());
  for (ddbtest::Loss loss : ddbtest::kLosses) {
    SCOPED_TRACE(ddbtest::name(loss));
    (void)client.get_item(get("warm-up"));  // a keep-alive connection, so a close hits a reused one
    (void)log_.take();
    // An ADD is never sent twice once an attempt may have been applied.
    ddb::UpdateItemRequest u;
    u.table_name = table_->name();
    u.key = {{"pk", "counter"}};
    u.update_expression = "ADD n :one";
    u.expression_attribute_values = {{":one", 1}};
    proxy_->lose_next("UpdateItem", loss);
    EXPECT_THROW((void)client.update_item(u), ddb::AmbiguousOutcomeError);
    const auto events = log_.take();
    ASSERT_EQ(events.size(), 1u);
    const Seen& e = events[0];
    EXPECT_EQ(e.operation, "UpdateItem");
    EXPECT_EQ(e.attempt, 1);
    EXPECT_TRUE(e.may_have_been_applied);
    EXPECT_EQ(e.decision, ddb::RetryDecision::GiveUp);
    EXPECT_GT(e.bytes_sent, 0u) << "the request left";
    if (loss == ddbtest::Loss::ServerError) {
      EXPECT_EQ(e.http_status, 500);
      EXPECT_EQ(e.error_code, "InternalServerError");
    } else {
      EXPECT_EQ(e.http_status, 0);
      EXPECT_EQ(e.error_code, "ConnectionError");
    }
  }
}

TEST_F(ObserverTest, NoSecretInAnyFieldEvenWithBodies) {
  ddb::ClientConfig c = observed_config();
  c.credentials = ddb::Credentials{kAccessKey, kObserverSecret, kObserverToken, {}};
  c.observe_bodies = true;
  c.track_consumed_capacity = true;
  // The proxy keeps every Authorization header, so that the signatures can be looked for.
  std::mutex mutex;
  std::vector<std::string> signatures;
  bool failed_once = false;
  proxy_->all([&](const HttpRequest& r) {
    {
      std::lock_guard lock(mutex);
      const std::string& auth = r.headers.at("authorization");
      signatures.push_back(auth.substr(auth.find("Signature=") + 10));
      if (!failed_once && ddbtest::target_operation(r) == "GetItem") {
        failed_once = true;
        return Action::respond(server_error());
      }
    }
    return Action::respond(ddbtest::forward(endpoint_, r));
  });
  const ddb::Client client(c);
  client.put_item(put("s", {{"note", "visible-in-bodies"}}));
  (void)client.get_item(get("s"));
  ddb::PutItemRequest refused = put("s");
  refused.condition_expression = "attribute_not_exists(pk)";
  EXPECT_THROW(client.put_item(refused), ddb::ConditionalCheckFailedError);

  const auto events = log_.take();
  ASSERT_EQ(events.size(), 4u);  // the put, the get's 500 and retry, the refused put
  ASSERT_EQ(signatures.size(), 4u);
  bool bodies_seen = false;
  for (const Seen& e : events) {
    const std::string text = e.all_text();
    EXPECT_EQ(text.find(kObserverSecret), std::string::npos) << text;
    EXPECT_EQ(text.find(kObserverToken), std::string::npos) << text;
    EXPECT_EQ(text.find(kAccessKey), std::string::npos) << text;
    for (const std::string& signature : signatures) {
      ASSERT_GE(signature.size(), 64u);
      EXPECT_EQ(text.find(signature), std::string::npos) << text;
    }
    EXPECT_EQ(text.find("Signature="), std::string::npos) << text;
    EXPECT_FALSE(e.request_body.empty());
    EXPECT_FALSE(e.response_body.empty());
    bodies_seen = bodies_seen || e.response_body.find("visible-in-bodies") != std::string::npos;
  }
  EXPECT_NE(events[0].request_body.find("visible-in-bodies"), std::string::npos);
  EXPECT_TRUE(bodies_seen) << "the get's answer holds the item";
  EXPECT_NE(events[1].response_body.find("InternalServerError"), std::string::npos);
}

TEST_F(ObserverTest, ConsumedCapacityIsInTheEventWhenTracked) {
  ddb::ClientConfig c = ddbtest::local_config(endpoint_);
  c.on_request = log_.observer();
  c.track_consumed_capacity = true;
  const ddb::Client client(c);
  client.put_item(put("cap", {{"v", 1}}));
  (void)client.get_item(get("cap"));
  (void)client.describe_table(table_->name());  // a control-plane call: nothing asked

  const auto events = log_.take();
  ASSERT_EQ(events.size(), 3u);
  ddb::CapacityUnits sum;
  for (int i = 0; i < 2; ++i) {
    ASSERT_EQ(events[i].consumed_capacity.size(), 1u) << events[i].operation;
    const ddb::ConsumedCapacity& cc = events[i].consumed_capacity[0];
    EXPECT_EQ(cc.table, table_->name());
    EXPECT_GT(cc.capacity.units.total, 0.0) << events[i].operation;
    sum += cc.capacity.units;
  }
  EXPECT_GT(events[0].consumed_capacity[0].capacity.units.write, 0.0) << "a put writes";
  EXPECT_GT(events[1].consumed_capacity[0].capacity.units.read, 0.0) << "a get reads";
  EXPECT_TRUE(events[2].consumed_capacity.empty());
  // The events and the client's totals come from the same answers.
  EXPECT_EQ(client.consumed_capacity(table_->name()).units, sum);
}

TEST_F(ObserverTest, AThrowingObserverChangesNothing) {
  ddb::ClientConfig c = proxy_->config();
  int calls = 0;
  c.on_request = [&](const ddb::RequestEvent& e) {
    ++calls;
    if (e.attempt == 1) throw std::runtime_error("observer failed");
    throw 42;  // not even a std::exception
  };
  const ddb::Client client(c);
  proxy_->lose_next("PutItem", ddbtest::Loss::ServerError);
  client.put_item(put("thrown", {{"v", 3}}));  // applied, then retried: both events throw
  const auto stored = direct_->get_item(get("thrown")).item;
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->at("v"), ddb::Value(3));
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(client.stats().observer_failures, 2u);
  EXPECT_EQ(client.stats().requests, 2u);
  // A refusal still arrives as itself, not as the observer's exception.
  ddb::PutItemRequest refused = put("thrown");
  refused.condition_expression = "attribute_not_exists(pk)";
  EXPECT_THROW(client.put_item(refused), ddb::ConditionalCheckFailedError);
  EXPECT_EQ(client.stats().observer_failures, 3u);
}
