// Sending with standard-mode retries (full jitter, a retry quota) that know what a retry can do to
// a write: see Replay and README, "Retries and lost answers".
#include <chrono>
#include <thread>

#include "client/client_impl.hpp"
#include "client/protocol.hpp"
#include "client/signing.hpp"
#include "common/backoff.hpp"
#include "error_text.hpp"

namespace dynamodb_mapping {

namespace {

using Clock = std::chrono::system_clock;
using detail::kRetryQuota;

constexpr int kRetryCost = 5, kTimeoutRetryCost = 10, kNoRetryIncrement = 1;

bool is_throttling(std::string_view code) {
  static constexpr std::string_view kCodes[] = {"Throttling",
                                                "ThrottlingException",
                                                "ThrottledException",
                                                "RequestThrottledException",
                                                "TooManyRequestsException",
                                                "ProvisionedThroughputExceededException",
                                                "TransactionInProgressException",
                                                "RequestLimitExceeded",
                                                "BandwidthLimitExceeded",
                                                "LimitExceededException",
                                                "RequestThrottled",
                                                "SlowDown",
                                                "EC2ThrottledException"};
  for (auto c : kCodes) {
    if (c == code) return true;
  }
  return false;
}

bool is_transient(long status, std::string_view code) {
  return status == 500 || status == 502 || status == 503 || status == 504 ||
         code == "RequestTimeout" || code == "RequestTimeoutException" ||
         code == "PriorRequestNotComplete" || code == "InternalServerError" ||
         code == "ServiceUnavailable";
}

bool is_access_denied(std::string_view code) {
  static constexpr std::string_view kCodes[] = {"AccessDeniedException",
                                                "UnrecognizedClientException",
                                                "InvalidSignatureException",
                                                "MissingAuthenticationTokenException",
                                                "MissingAuthenticationToken",
                                                "IncompleteSignatureException",
                                                "ExpiredTokenException",
                                                "InvalidClientTokenId",
                                                "AccessDenied",
                                                "SignatureDoesNotMatch"};
  for (auto c : kCodes) {
    if (c == code) return true;
  }
  return false;
}

// The exception for a non-200 answer (thrown by the caller once retries are over) and its code.
std::exception_ptr service_error(const detail::HttpResponse& r, std::string& code_out) {
  detail::ErrorBody e = detail::decode_error(r.body);
  const int status = static_cast<int>(r.status);
  if (!e.parsed) {
    e.code = "HTTP" + std::to_string(status);
    e.message = "DynamoDB answered HTTP " + std::to_string(status) + " with no error document";
  }
  const std::string& code = e.code;
  code_out = code;
  auto make = [&]<class E>() {
    return std::make_exception_ptr(E(code, e.message, status, r.request_id));
  };
  if (code == "ConditionalCheckFailedException") {
    return std::make_exception_ptr(
        ConditionalCheckFailedError(e.message, status, r.request_id, std::move(e.item)));
  }
  if (code == "DuplicateItemException" || code == "DuplicateItem") {
    // PartiQL's INSERT of a key that exists: its implicit condition failed. DynamoDB documents
    // the first code; DynamoDB Local sends the second.
    return std::make_exception_ptr(
        ConditionalCheckFailedError(code, e.message, status, r.request_id, std::move(e.item)));
  }
  if (code == "TransactionCanceledException") {
    return std::make_exception_ptr(
        TransactionCanceledError(e.message, status, r.request_id, std::move(e.reasons)));
  }
  if (code == "ValidationException" || code == "SerializationException") {
    return std::make_exception_ptr(ValidationError(e.message, status, r.request_id));
  }
  if (code == "ResourceNotFoundException") return make.operator()<ResourceNotFoundError>();
  if (code == "ResourceInUseException") return make.operator()<ResourceInUseError>();
  if (is_throttling(code)) return make.operator()<ThrottlingError>();
  if (is_access_denied(code)) return make.operator()<AccessDeniedError>();
  if (status >= 500) return make.operator()<ServerError>();
  return make.operator()<Error>();
}

// "InternalServerError: ... (HTTP 500, request id R)" or "Timeout: ..." for the message of an
// ambiguous outcome. The request id is the only trace of an attempt that may have been applied
// when a later answer becomes the cause.
std::string describe_failure(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    std::string text = e.what();
    if (e.http_status() != 0) {
      text += " (HTTP " + std::to_string(e.http_status());
      if (!e.request_id().empty()) {
        text += ", request id " + detail::printable_text(e.request_id(), 128);
      }
      text += ")";
    }
    return text;
  } catch (const std::exception& e) {
    return e.what();
  }
}

AmbiguousOutcomeError ambiguous(std::string_view operation, const std::string& doubt,
                                std::exception_ptr last) {
  std::string message = std::string(operation) +
                        " may or may not have been applied: an attempt may have been applied "
                        "but its answer was lost (" +
                        doubt + ")";
  const std::string last_text = describe_failure(last);
  if (last_text != doubt) message += "; last answer: " + last_text;
  return AmbiguousOutcomeError(std::move(message), std::move(last));
}

}  // namespace

// Takes the cost of one retry from the quota; false when the quota is spent.
bool Client::Impl::take_retry_token(int cost) {
  std::lock_guard lock(quota_mutex);
  if (quota < cost) return false;
  quota -= cost;
  return true;
}
void Client::Impl::on_success(int retry_cost_taken) {
  std::lock_guard lock(quota_mutex);
  quota =
      std::min(kRetryQuota, quota + (retry_cost_taken > 0 ? retry_cost_taken : kNoRetryIncrement));
}

std::chrono::nanoseconds Client::Impl::backoff_delay(int attempt, bool throttled) const {
  return detail::full_jitter(attempt,
                             throttled ? config.throttling_base_delay : config.retry_base_delay,
                             config.max_backoff);
}

void Client::Impl::wait_out(std::chrono::nanoseconds delay) const {
  // In slices, so that should_stop is heard within 50 ms rather than after a 20 s back-off.
  using std::chrono::steady_clock;
  const auto until = steady_clock::now() + delay;
  for (;;) {
    throw_if_stopped();
    const auto now = steady_clock::now();
    if (now >= until) return;
    std::this_thread::sleep_for(
        std::min<steady_clock::duration>(until - now, std::chrono::milliseconds(50)));
  }
}

void Client::Impl::throw_if_stopped() const {
  if (config.should_stop && config.should_stop()) {
    throw CancelledError("the call was stopped (ClientConfig::should_stop)");
  }
}

void Client::Impl::notify(const RequestEvent& event) {
  // An observer's failure must not become the call's: a write that was applied would look failed.
  try {
    config.on_request(event);
  } catch (...) {
    ++observer_failures;
  }
}

detail::Sent Client::Impl::send(std::string_view operation, std::string_view table,
                                const std::string& body, detail::Replay replay, bool write,
                                const std::function<std::string()>& body_after_doubt,
                                bool capacity_asked) {
  using std::chrono::steady_clock;
  // Without an observer the event below is only a few stores on the stack: no clock is read
  // and nothing is allocated for it.
  const bool observed = static_cast<bool>(config.on_request);
  const bool bodies = observed && config.observe_bodies;
  int cost_taken = 0;
  std::string doubt;  // why an earlier attempt may have been applied; empty: none may have
  std::string doubt_body;
  for (int attempt = 0;; ++attempt) {
    const std::string& payload = doubt.empty() || doubt_body.empty() ? body : doubt_body;
    detail::Headers headers;
    try {
      throw_if_stopped();
      const Credentials creds = credentials->get();
      headers = detail::signed_dynamodb_headers(signer, endpoint, operation, payload, creds, region,
                                                detail::amz_date(Clock::now()));
    } catch (const Error&) {
      // Credentials that cannot be refreshed for a retry do not undo the attempt before it.
      if (write && !doubt.empty()) throw ambiguous(operation, doubt, std::current_exception());
      throw;
    }
    ++requests;
    // What this attempt did, filled in as it goes and handed to the observer once the decision
    // is taken. Its views point at `payload`, `r`, `code` and `sent`, all alive until then.
    RequestEvent event;
    event.operation = operation;
    event.table = table;
    event.attempt = attempt + 1;
    event.bytes_sent = payload.size();
    if (bodies) event.request_body = payload;
    const auto started = observed ? steady_clock::now() : steady_clock::time_point{};
    auto stop_clock = [&] {
      if (observed) event.latency = steady_clock::now() - started;
    };
    auto report = [&](RetryDecision decision, std::chrono::nanoseconds wait = {}) {
      if (!observed) return;
      event.decision = decision;
      event.backoff = wait;
      notify(event);
    };
    detail::HttpResponse r;
    std::string code;
    std::exception_ptr error;
    bool throttled = false, applied_maybe = false;
    int cost = kRetryCost;
    try {
      r = http->post(endpoint.url, headers, payload, !write);
      stop_clock();
      event.http_status = static_cast<int>(r.status);
      event.bytes_received = r.body.size();
      event.request_id = r.request_id;
      if (r.status == 200) {
        on_success(cost_taken);
        detail::Sent sent{std::move(r.body), !doubt.empty(), {}};
        if (capacity_asked) {
          sent.capacity =
              detail::decode_consumed_capacity(sent.body, detail::reads_capacity(operation));
        }
        if (observed) {
          if (bodies) event.response_body = sent.body;
          if (sent.capacity) event.consumed_capacity = *sent.capacity;
          report(RetryDecision::Done);
        }
        return sent;
      }
      if (bodies) event.response_body = r.body;
      error = service_error(r, code);
      event.error_code = code;
      throttled = is_throttling(code);
      // A 5xx may come after the work was done; a throttled or refused request was not done.
      applied_maybe = r.status >= 500;
      if (!throttled && !is_transient(r.status, code)) {
        report(RetryDecision::Done);
        // A refusal after an attempt that may have been applied may be that attempt's doing
        // (the condition it made false, the table it created): not a trustworthy answer.
        if (!doubt.empty() && replay != detail::Replay::Safe) {
          throw ambiguous(operation, doubt, error);
        }
        std::rethrow_exception(error);
      }
    } catch (const CancelledError& e) {
      stop_clock();
      event.error_code = e.code();
      event.bytes_sent = e.request_sent() ? payload.size() : 0;
      event.may_have_been_applied = e.request_sent();
      report(RetryDecision::GiveUp);
      // Stopped while waiting for the answer: a write that was sent may have been applied.
      if (write && (e.request_sent() || !doubt.empty())) {
        throw ambiguous(operation,
                        doubt.empty() ? describe_failure(std::current_exception()) : doubt,
                        std::current_exception());
      }
      throw;
    } catch (const NetworkError& e) {
      stop_clock();
      error = std::current_exception();
      applied_maybe = e.request_sent();
      code = e.code();
      event.error_code = code;
      event.bytes_sent = e.request_sent() ? payload.size() : 0;
      if (e.code() == "Timeout") cost = kTimeoutRetryCost;
    } catch (const ProtocolError& e) {
      stop_clock();
      // A broken answer (over the size caps): not retried; a write may have been applied.
      event.error_code = e.code();
      event.may_have_been_applied = true;
      report(RetryDecision::Done);
      if (write)
        throw ambiguous(operation, "its answer broke the protocol", std::current_exception());
      throw;
    }
    event.may_have_been_applied = applied_maybe;
    if (applied_maybe && doubt.empty()) {
      doubt = describe_failure(error);
      if (body_after_doubt) doubt_body = body_after_doubt();
    }
    if (applied_maybe && replay == detail::Replay::Never) {
      report(RetryDecision::GiveUp);
      throw ambiguous(operation, doubt, error);  // sending it again could apply it twice
    }
    if (attempt + 1 >= max_attempts || !take_retry_token(cost)) {
      report(RetryDecision::GiveUp);
      if (write && !doubt.empty()) throw ambiguous(operation, doubt, error);
      std::rethrow_exception(error);
    }
    cost_taken += cost;
    ++retries;
    const auto delay = backoff_delay(attempt, throttled);
    report(RetryDecision::Retry, delay);
    try {
      wait_out(delay);
    } catch (const CancelledError&) {
      if (write && !doubt.empty()) throw ambiguous(operation, doubt, std::current_exception());
      throw;
    }
  }
}

}  // namespace dynamodb_mapping
