// The request observer (ClientConfig::on_request): one RequestEvent after every attempt a Client
// makes, for logs, metrics and `ddbmap --debug`.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <span>
#include <string_view>

#include "dynamodb_mapping/capacity.hpp"

namespace dynamodb_mapping {

/// What the client does after an attempt.
enum class RetryDecision {
  /// The call ends with this attempt's answer: a success, or an error that a retry would not
  /// change (a failed condition, a validation error, a missing table, a broken answer).
  Done,
  /// Another attempt follows after RequestEvent::backoff (unless ClientConfig::should_stop
  /// stops the call during that wait).
  Retry,
  /// The failure could have been retried, but no retry follows: the attempts or the retry quota
  /// are spent, the call was stopped (ClientConfig::should_stop), or the request is a write that
  /// must not be sent twice once an attempt may have been applied.
  GiveUp,
};

/// "done", "retry" or "give up", for logs.
constexpr std::string_view to_string(RetryDecision d) {
  return d == RetryDecision::Done ? "done" : d == RetryDecision::Retry ? "retry" : "give up";
}

/// One attempt of one call, as ClientConfig::on_request sees it. The views point into the
/// client's own buffers and are valid only during the callback: copy what you keep. Nothing in
/// it is a secret: no header (so no signature, access key or session token) and no body unless
/// ClientConfig::observe_bodies asks for them.
struct RequestEvent {
  /// The DynamoDB operation, "PutItem".
  std::string_view operation;
  /// The table, when the request is on one table (a batch or transaction on several: "").
  std::string_view table;
  /// 1 for the first attempt of the call, 2 for its first retry, and so on.
  int attempt = 0;
  /// The HTTP status of the answer; 0 when no complete answer arrived.
  int http_status = 0;
  /// "" on success; otherwise the AWS error code of the answer ("ThrottlingException",
  /// "ConditionalCheckFailedException", "HTTP502" for an error without a JSON body), or the
  /// library's code for an attempt without an answer: "ConnectionError", "Timeout",
  /// "ChecksumMismatch", "ResponseTooLarge", "Cancelled".
  std::string_view error_code;
  /// From handing the signed request to HTTP until its answer or failure (signing and back-off
  /// not included).
  std::chrono::nanoseconds latency{};
  /// Bytes of the request body; 0 when none of the request left this machine (a connection that
  /// could not be made). Headers are not counted.
  std::size_t bytes_sent = 0;
  /// Bytes of the answer's body; 0 without an answer.
  std::size_t bytes_received = 0;
  /// What the client does next.
  RetryDecision decision = RetryDecision::Done;
  /// With RetryDecision::Retry, the wait before the next attempt (full jitter); else zero.
  std::chrono::nanoseconds backoff{};
  /// True when DynamoDB may have applied this attempt although no answer says so (a 5xx, a
  /// timeout or a reset after the request was sent). For a write, this is the attempt behind an
  /// AmbiguousOutcomeError, unless a later attempt settles the outcome.
  bool may_have_been_applied = false;
  /// The answer's request id (x-amzn-RequestId); "" without an answer.
  std::string_view request_id;
  /// The answer's ConsumedCapacity, one entry per table, when the request asked for it
  /// (ClientConfig::track_consumed_capacity) and a 200 answer carried a readable one; else empty.
  std::span<const ConsumedCapacity> consumed_capacity;
  /// @{
  /// The request and answer bodies (DynamoDB JSON), only with ClientConfig::observe_bodies; else
  /// "". They hold your items, never a credential or signature (those are headers).
  std::string_view request_body;
  std::string_view response_body;
  /// @}
};

/// The callback type of ClientConfig::on_request.
using RequestObserver = std::function<void(const RequestEvent&)>;

}  // namespace dynamodb_mapping
