// Bounded by construction: whatever a server sends (an endless body, endless headers, a huge
// Content-Length, nothing at all), the client stops at its caps and timeouts with a typed error.
// The servers here are fakes on 127.0.0.1 whose point is the fault; a proxy in front of the
// real test server shows that a slow but moving answer is not cut off.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "dynamodb_mapping/client.hpp"
#include "support/http_server.hpp"
#include "support/test_client.hpp"

namespace ddb = dynamodb_mapping;
using ddbtest::Action;
using ddbtest::HttpReply;
using ddbtest::HttpRequest;

namespace {

ddb::ClientConfig config_for(const ddbtest::TestHttpServer& server) {
  ddb::ClientConfig c = ddbtest::local_config(server.url());
  c.max_attempts = 2;
  c.retry_base_delay = std::chrono::milliseconds(1);
  return c;
}

ddb::GetItemRequest get(const std::string& table = "bounds") {
  ddb::GetItemRequest r;
  r.table_name = table;
  r.key = {{"pk", "x"}};
  return r;
}

template <class F>
std::string protocol_error_code(F&& call) {
  try {
    call();
  } catch (const ddb::ProtocolError& e) {
    return e.code();
  }
  return "no ProtocolError";
}

}  // namespace

TEST(Bounds, AnEndlessBodyStopsAtTheCap) {
  std::atomic<int> requests{0};
  ddbtest::TestHttpServer server([&](const HttpRequest&) {
    ++requests;
    return Action::with(Action::Kind::Endless, {200, {}, R"({"Item":{"pk":{"S":")"});
  });
  ddb::ClientConfig c = config_for(server);
  c.max_response_bytes = 1 << 20;
  ddb::Client client(c);
  EXPECT_EQ(protocol_error_code([&] { client.get_item(get()); }), "ResponseTooLarge");
  EXPECT_EQ(requests.load(), 1) << "a broken answer is not asked for again";

  // The default cap holds too (32 MiB; quick on loopback).
  ddb::Client defaults(config_for(server));
  EXPECT_EQ(protocol_error_code([&] { defaults.get_item(get()); }), "ResponseTooLarge");
}

TEST(Bounds, AHugeContentLengthIsRefusedBeforeTheBody) {
  ddbtest::TestHttpServer server([](const HttpRequest&) {
    return Action::respond({200, {{"Content-Length", "1000000000000"}}, "{}"});
  });
  ddb::Client client(config_for(server));
  EXPECT_EQ(protocol_error_code([&] { client.get_item(get()); }), "ResponseTooLarge");
}

TEST(Bounds, EndlessHeadersStopAtTheCap) {
  HttpReply reply{200, {}, "{}"};
  for (int i = 0; i < 20000; ++i)
    reply.headers.emplace_back("x-filler-" + std::to_string(i), std::string(50, 'h'));
  ddbtest::TestHttpServer server([&](const HttpRequest&) { return Action::respond(reply); });
  ddb::Client client(config_for(server));
  EXPECT_EQ(protocol_error_code([&] { client.get_item(get()); }), "ResponseTooLarge");
}

TEST(Bounds, AnEndlessBodyAfterAWriteIsAnAmbiguousOutcome) {
  ddbtest::TestHttpServer server([](const HttpRequest&) {
    return Action::with(Action::Kind::Endless, {200, {}, "{"});
  });
  ddb::ClientConfig c = config_for(server);
  c.max_response_bytes = 1 << 16;
  ddb::Client client(c);
  ddb::PutItemRequest p;
  p.table_name = "bounds";
  p.item = {{"pk", "x"}};
  try {
    client.put_item(p);
    FAIL() << "no exception";
  } catch (const ddb::AmbiguousOutcomeError& e) {
    EXPECT_THROW(std::rethrow_exception(e.cause()), ddb::ProtocolError);
  }
}

TEST(Bounds, AStalledAnswerTimesOut) {
  // Headers, then nothing for longer than the read timeout.
  ddbtest::TestHttpServer server([](const HttpRequest&) {
    Action a = Action::with(Action::Kind::Trickle, {200, {}, R"({"Item":{}})"});
    a.trickle_interval = std::chrono::milliseconds(4000);
    return a;
  });
  ddb::ClientConfig c = config_for(server);
  c.max_attempts = 1;
  c.read_timeout = std::chrono::milliseconds(1000);
  ddb::Client client(c);
  try {
    client.get_item(get());
    FAIL() << "no exception";
  } catch (const ddb::NetworkError& e) {
    EXPECT_EQ(e.code(), "Timeout");
  }
}

TEST(Bounds, ASlowButMovingAnswerIsNotCutOff) {
  // The real server's answer, a byte every 25 ms: longer in all than the read timeout, but never
  // stalled. A whole-transfer timeout would fail every large page on a slow link.
  const std::string endpoint = ddbtest::endpoint();
  ASSERT_FALSE(endpoint.empty()) << "no test server";
  ddb::Client direct(ddbtest::local_config(endpoint));
  ddbtest::ScopedTable table(direct, "slow");
  ddb::PutItemRequest p;
  p.table_name = table.name();
  p.item = {{"pk", "x"}, {"payload", std::string(60, 'p')}};
  direct.put_item(p);
  ddbtest::TestHttpServer proxy([&](const HttpRequest& r) {
    Action a = Action::with(Action::Kind::Trickle, ddbtest::forward(endpoint, r));
    a.trickle_interval = std::chrono::milliseconds(25);
    return a;
  });
  ddb::ClientConfig c = config_for(proxy);
  c.max_attempts = 1;
  c.read_timeout = std::chrono::milliseconds(1000);
  ddb::Client client(c);
  const auto got = client.get_item(get(table.name()));
  ASSERT_TRUE(got.item.has_value());
  EXPECT_EQ(*got.item, p.item);
}

TEST(Bounds, ShouldStopCutsWaitsShort) {
  // An answer that does not come, and a long retry back-off: both end when should_stop says so,
  // not when the timeouts run out. A read stops with CancelledError; a write that was sent may
  // have been applied, so it stops with AmbiguousOutcomeError.
  std::atomic<bool> stop{false};
  ddbtest::TestHttpServer silent([](const HttpRequest&) {
    Action a = Action::respond({200, {}, "{}"});
    a.delay = std::chrono::milliseconds(30000);
    return a;
  });
  ddb::ClientConfig c = config_for(silent);
  c.should_stop = [&] { return stop.load(); };
  ddb::Client client(c);
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
  });
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(client.get_item(get()), ddb::CancelledError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  stopper.join();
  ddb::PutItemRequest p;
  p.table_name = "bounds";
  p.item = {{"pk", "x"}};
  try {
    client.put_item(p);  // stop is already set: nothing is sent
    FAIL() << "no exception";
  } catch (const ddb::CancelledError& e) {
    EXPECT_FALSE(e.request_sent());
  }
  stop = false;
  std::thread stopper2([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
  });
  try {
    client.put_item(p);  // sent, then stopped while waiting
    FAIL() << "no exception";
  } catch (const ddb::AmbiguousOutcomeError& e) {
    EXPECT_THROW(std::rethrow_exception(e.cause()), ddb::CancelledError);
  }
  stopper2.join();

  // Throttled, with a 20 s back-off base: stopped during the back-off.
  stop = false;
  ddbtest::TestHttpServer throttling([](const HttpRequest&) {
    return Action::respond(
        {400, {}, R"({"__type":"x#ThrottlingException","message":"slow down"})"});
  });
  ddb::ClientConfig t = config_for(throttling);
  t.max_attempts = 3;
  t.throttling_base_delay = std::chrono::milliseconds(20000);
  t.should_stop = [&] { return stop.load(); };
  ddb::Client throttled(t);
  std::thread stopper3([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    stop = true;
  });
  const auto start3 = std::chrono::steady_clock::now();
  try {
    throttled.get_item(get());
    // The first back-off may be drawn shorter than 300 ms; the next one is then cut short.
    FAIL() << "no exception";
  } catch (const ddb::CancelledError&) {
  } catch (const ddb::ThrottlingError&) {
    // Two draws both under 300 ms: possible (uniform in [0, 20 s] and [0, 40 s]) but rare.
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start3, std::chrono::seconds(5));
  stopper3.join();
}
