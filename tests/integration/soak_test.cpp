// Soak: 20,000 mixed operations on one mapping from four threads, through a proxy that makes 20%
// of all requests fail in random ways (5xx, throttling, resets before and after the server
// applied a write, truncated bodies, responses slower than the timeout). Afterwards every
// acknowledged write is in the table with its last acknowledged value (or a later one whose
// acknowledgement was lost), and every failure a caller saw was a typed exception.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <thread>

#include "dynamodb_mapping/mapping.hpp"
#include "support/http_server.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::Action;
using ddbtest::HttpReply;
using ddbtest::HttpRequest;

namespace {

// What a key may hold: nullopt for "no item". After a failed write the state is uncertain: the
// write may or may not have been applied, so all the candidates are kept until a read tells.
using State = std::optional<ddb::Item>;

struct KeyModel {
  std::vector<State> possible{State{}};

  void acknowledged(State s) { possible = {std::move(s)}; }
  void unacknowledged(const std::function<State(const State&)>& apply) {
    const std::size_t n = possible.size();
    for (std::size_t i = 0; i < n; ++i) possible.push_back(apply(possible[i]));
  }
  bool allows(const State& s) const {
    return std::find(possible.begin(), possible.end(), s) != possible.end();
  }
};

HttpReply soak_aws_error(int status, const std::string& code) {
  return {status,
          {},
          R"({"__type":"com.amazonaws.dynamodb.v20120810#)" + code + R"(","message":"soak"})"};
}

}  // namespace

TEST(Soak, TwentyThousandOperationsThroughTwentyPercentFaults) {
  const std::string endpoint = ddbtest::endpoint();
  ASSERT_FALSE(endpoint.empty()) << "no test server";
  if (ddbtest::engine() != "dynamodb-local") GTEST_SKIP() << "the soak runs on one engine";
  ddb::Client direct(ddbtest::local_config(endpoint));
  ddbtest::ScopedTable table(direct, "soak");

  const unsigned seed = std::random_device{}();
  std::mutex rng_mutex;
  std::mt19937 rng(seed);
  std::atomic<int> faults{0}, requests{0};
  ddbtest::TestHttpServer proxy([&](const HttpRequest& r) {
    ++requests;
    int roll;
    {
      std::lock_guard lock(rng_mutex);
      roll = static_cast<int>(rng() % 100);
    }
    if (roll >= 20) return Action::respond(ddbtest::forward(endpoint, r));
    ++faults;
    switch (roll % 7) {
      case 0:
        return Action::respond(soak_aws_error(500, "InternalServerError"));
      case 1:
        return Action::respond(soak_aws_error(503, "ServiceUnavailable"));
      case 2:
        return Action::respond(soak_aws_error(400, "ThrottlingException"));
      case 3:
        return Action::reset();  // the server never saw it
      case 4: {                  // applied, but the answer is lost
        ddbtest::forward(endpoint, r);
        return Action::reset();
      }
      case 5: {  // applied, answer cut short
        Action a = Action::respond(ddbtest::forward(endpoint, r));
        a.kind = Action::Kind::Truncate;
        a.truncate_at = a.reply.body.size() / 2;
        return a;
      }
      default: {  // applied, answer later than the client waits
        Action a = Action::respond(ddbtest::forward(endpoint, r));
        a.delay = std::chrono::milliseconds(400);
        return a;
      }
    }
  });

  ddb::ClientConfig config = ddbtest::local_config(proxy.url());
  config.max_attempts = 3;
  config.retry_base_delay = std::chrono::milliseconds(1);
  config.throttling_base_delay = std::chrono::milliseconds(2);
  config.request_timeout = std::chrono::milliseconds(250);
  ddb::MappingOptions options;
  options.default_consistent_read = true;
  options.key_schema = {{"pk", ddb::KeyType::Hash}};
  options.key_attribute_types = {{"pk", ddb::ScalarType::String}};
  ddb::DynamoDBMapping m{table.name(), ddb::Client(config), options};

  constexpr int kThreads = 4, kOpsPerThread = 5000, kKeysPerThread = 40;
  std::vector<std::map<std::string, KeyModel>> models(kThreads);
  std::atomic<int> typed_failures{0}, untyped_failures{0}, read_mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 local(seed + static_cast<unsigned>(t));
      auto& model = models[static_cast<std::size_t>(t)];
      for (int i = 0; i < kOpsPerThread; ++i) {
        const std::string k =
            "t" + std::to_string(t) + "-" + std::to_string(local() % kKeysPerThread);
        KeyModel& km = model[k];
        const int op = static_cast<int>(local() % 100);
        try {
          if (op < 40) {
            const ddb::Item item{{"pk", k}, {"v", i}, {"w", "write " + std::to_string(i)}};
            try {
              m[k] = item;
            } catch (const ddb::Error&) {
              km.unacknowledged([&](const State&) { return State(item); });
              throw;
            }
            km.acknowledged(item);
          } else if (op < 60) {
            auto apply = [&](const State& s) {
              ddb::Item next = s.value_or(ddb::Item{{"pk", k}});
              next["v"] = i;
              return State(next);
            };
            ddb::Item after;
            try {
              after = m.modify_item(k, {{"v", i}});
            } catch (const ddb::Error&) {
              km.unacknowledged(apply);
              throw;
            }
            km.acknowledged(after);
          } else if (op < 75) {
            try {
              m.erase(k);
            } catch (const ddb::Error&) {
              km.unacknowledged([](const State&) { return State(); });
              throw;
            }
            km.acknowledged(State());
          } else {
            const State seen = m.find(k);
            if (!km.allows(seen)) ++read_mismatches;
            km.acknowledged(seen);  // what the table holds now
          }
        } catch (const ddb::Error&) {
          ++typed_failures;  // a typed error, as promised
        } catch (...) {
          ++untyped_failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();

  EXPECT_EQ(untyped_failures.load(), 0) << "seed " << seed;
  EXPECT_EQ(read_mismatches.load(), 0) << "seed " << seed;
  EXPECT_GT(faults.load(), requests.load() / 10) << "the proxy injected too few faults";
  // Every key holds its last acknowledged state, or one of the unacknowledged writes after it.
  ddb::DynamoDBMapping check{table.name(), direct, options};
  int keys = 0;
  for (const auto& model : models) {
    for (const auto& [k, km] : model) {
      EXPECT_TRUE(km.allows(check.find(k))) << k << ", seed " << seed;
      ++keys;
    }
  }
  EXPECT_EQ(keys, kThreads * kKeysPerThread);
  std::cout << "soak: " << requests.load() << " requests, " << faults.load() << " faults injected, "
            << typed_failures.load() << " operations failed with a typed error after retries, seed "
            << seed << '\n';
}
