// A fault-injecting proxy on 127.0.0.1 in front of the test server, for tests whose point is
// the fault: every request passes through to the server, except the requests of an operation
// given a fault, which get what the fault decides (a lost answer, a broken body, an error).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "dynamodb_mapping/client.hpp"
#include "support/http_server.hpp"
#include "support/test_client.hpp"

namespace ddbtest {

/// "PutItem" for a request with X-Amz-Target: DynamoDB_20120810.PutItem; empty without one.
inline std::string target_operation(const HttpRequest& r) {
  const auto it = r.headers.find("x-amz-target");
  if (it == r.headers.end()) return {};
  return it->second.substr(it->second.find('.') + 1);
}

/// How an answer is lost after the server applied the request.
enum class Loss { Reset, Close, ServerError };
/// Every way an answer is lost.
inline constexpr Loss kLosses[] = {Loss::Reset, Loss::Close, Loss::ServerError};

/// "reset", "close" or "500", for messages.
inline const char* name(Loss loss) {
  return loss == Loss::Reset ? "reset" : loss == Loss::Close ? "close" : "500";
}

/// Forwards `r` to `upstream` (the server applies it), then drops the answer as `loss` says:
/// a connection reset, an orderly close, or a 500 in its place.
inline Action lose_answer(Loss loss, const HttpRequest& r, const std::string& upstream) {
  forward(upstream, r);
  switch (loss) {
    case Loss::Reset:
      return Action::reset();
    case Loss::Close:
      return Action::close();
    case Loss::ServerError:
      break;
  }
  return Action::respond(
      {500,
       {},
       R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"x"})"});
}

/// The proxy. Faults are looked up by operation name: `next` ones are used once each, in order;
/// an `always` one applies to every request of its operation after the queued ones are used.
class FaultProxy {
 public:
  using Fault = std::function<Action(const HttpRequest&)>;

  explicit FaultProxy(std::string upstream)
      : upstream_(std::move(upstream)),
        server_(std::make_unique<TestHttpServer>([this](const HttpRequest& r) {
          Fault fault = take(target_operation(r));
          if (fault) return fault(r);
          return Action::respond(forward(upstream_, r));
        })) {}

  /// The next request of `op` gets `fault`; later ones pass (or get the faults queued after).
  void next(const std::string& op, Fault fault) {
    std::lock_guard lock(mutex_);
    queued_[op].push_back(std::move(fault));
  }
  /// The next request of `op` is applied by the server and its answer lost as `loss` says.
  void lose_next(const std::string& op, Loss loss) {
    next(op, [this, loss](const HttpRequest& r) { return lose_answer(loss, r, upstream_); });
  }
  /// Every request of `op` gets `fault` (after any queued ones) until clear().
  void always(const std::string& op, Fault fault) {
    std::lock_guard lock(mutex_);
    always_[op] = std::move(fault);
  }
  /// Every request gets `fault`, whatever its operation, until clear(): a handler of one's own.
  void all(Fault fault) {
    std::lock_guard lock(mutex_);
    all_ = std::move(fault);
  }
  /// No more faults: everything passes.
  void clear() {
    std::lock_guard lock(mutex_);
    queued_.clear();
    always_.clear();
    all_ = nullptr;
  }

  /// The proxy's URL, as an endpoint.
  std::string url() const { return server_->url(); }
  /// The server behind the proxy.
  const std::string& upstream() const { return upstream_; }

  /// A client configuration through the proxy with quick retries (1 ms base delays).
  dynamodb_mapping::ClientConfig config(int max_attempts = 4) const {
    dynamodb_mapping::ClientConfig c = local_config(url());
    c.max_attempts = max_attempts;
    c.retry_base_delay = std::chrono::milliseconds(1);
    c.throttling_base_delay = std::chrono::milliseconds(1);
    return c;
  }
  /// A client through the proxy with quick retries.
  dynamodb_mapping::Client client(int max_attempts = 4) const {
    return dynamodb_mapping::Client(config(max_attempts));
  }

 private:
  Fault take(const std::string& op) {
    std::lock_guard lock(mutex_);
    if (all_) return all_;
    if (auto it = queued_.find(op); it != queued_.end() && !it->second.empty()) {
      Fault f = std::move(it->second.front());
      it->second.erase(it->second.begin());
      return f;
    }
    if (auto it = always_.find(op); it != always_.end()) return it->second;
    return nullptr;
  }

  std::string upstream_;
  std::mutex mutex_;
  std::map<std::string, std::vector<Fault>> queued_;
  std::map<std::string, Fault> always_;
  Fault all_;
  std::unique_ptr<TestHttpServer> server_;  // last: stopped first, before the faults go
};

}  // namespace ddbtest
