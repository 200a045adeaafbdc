// The state behind a Client, shared by its copies, and the operations every call goes through:
// configuration (config.cpp), sending with retries (retry.cpp), the typed calls (client.cpp).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "auth/shared_config.hpp"
#include "auth/sigv4.hpp"
#include "client/capacity.hpp"
#include "client/endpoint.hpp"
#include "client/replay.hpp"
#include "dynamodb_mapping/client.hpp"
#include "http/http_client.hpp"

namespace dynamodb_mapping {

namespace detail {
// Standard retry mode's retry quota (a token bucket shared by all calls of one client): retries
// stop when the service keeps failing, so a sick endpoint is not hammered.
inline constexpr int kRetryQuota = 500;
}  // namespace detail

struct Client::Impl {
  ClientConfig config;
  std::string region;
  detail::Endpoint endpoint;
  int max_attempts = 3;
  std::shared_ptr<CredentialsProvider> credentials;
  detail::SigV4Signer signer;
  std::unique_ptr<detail::HttpClient> http;  // made once the CA bundle is resolved
  std::mutex quota_mutex;
  int quota = detail::kRetryQuota;
  std::atomic<std::uint64_t> requests{0}, retries{0};
  // Exceptions that config.on_request threw, caught and dropped.
  std::atomic<std::uint64_t> observer_failures{0};
  detail::CapacityLedger capacity;  // used only with config.track_consumed_capacity

  /// Resolves region, endpoint, CA bundle, attempts and the credentials provider (config.cpp);
  /// sends nothing.
  explicit Impl(ClientConfig c);

  /// Sends one operation with standard-mode retries, aware of what a retry can do to a write
  /// (see Replay): returns the 200 answer and whether an earlier attempt may have been applied;
  /// throws the typed error, or AmbiguousOutcomeError for a write whose outcome it cannot settle.
  /// `table` is the request's only table, or "" (for the observer). `body_after_doubt`, when
  /// set, gives the body to send once an attempt may have been applied. `capacity_asked`: the
  /// body asks for ReturnConsumedCapacity, so the answer's is decoded into Sent::capacity. Hands
  /// one RequestEvent per attempt to ClientConfig::on_request when it is set.
  detail::Sent send(std::string_view operation, std::string_view table, const std::string& body,
                    detail::Replay replay, bool write,
                    const std::function<std::string()>& body_after_doubt = {},
                    bool capacity_asked = false);
  /// send() for the data-plane operations (capacity.cpp): with
  /// ClientConfig::track_consumed_capacity, asks for ReturnConsumedCapacity=INDEXES and adds
  /// the answer's ConsumedCapacity to `capacity` (`table`: the request's only table, or "");
  /// without it, exactly send().
  detail::Sent send_counted(std::string_view operation, std::string_view table,
                            const std::string& body, detail::Replay replay, bool write,
                            const std::function<std::string()>& body_after_doubt = {});

 private:
  bool take_retry_token(int cost);
  void on_success(int retry_cost_taken);
  /// The full-jitter wait before retry `attempt` (from 0).
  std::chrono::nanoseconds backoff_delay(int attempt, bool throttled) const;
  /// Sleeps `delay`, asking should_stop every 50 ms (CancelledError).
  void wait_out(std::chrono::nanoseconds delay) const;
  /// Hands `event` to ClientConfig::on_request; what it throws is counted and dropped.
  void notify(const RequestEvent& event);
  /// CancelledError when ClientConfig::should_stop says so.
  void throw_if_stopped() const;
};

}  // namespace dynamodb_mapping
