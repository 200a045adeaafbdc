// ClientConfig: how a Client finds its region, endpoint and credentials, retries and times out.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "dynamodb_mapping/credentials.hpp"
#include "dynamodb_mapping/observer.hpp"

namespace dynamodb_mapping {

/// How a Client finds its region, endpoint and credentials and how it retries. Every empty field
/// is resolved from the standard chains (see README, "Configuration").
struct ClientConfig {
  /// Region; default: AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, then on EC2 the
  /// instance's region from instance metadata (IMDSv2; skipped with AWS_EC2_METADATA_DISABLED).
  std::string region;
  /// Endpoint URL; default: AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL, the profile's
  /// `services` section's dynamodb `endpoint_url`, the profile's `endpoint_url`, then
  /// https://dynamodb.REGION.amazonaws.com. AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true skips the
  /// environment and profile settings.
  std::string endpoint_url;
  /// Profile in the shared config files, for every setting above and below and for the
  /// credentials chain; default: AWS_PROFILE, then "default".
  std::string profile;
  /// Explicit credentials; they win over every other source.
  std::optional<Credentials> credentials;
  /// A provider of your own; used when `credentials` is empty. Default: the standard chain.
  std::shared_ptr<CredentialsProvider> credentials_provider;
  /// Attempts per call, first included (standard retry mode); 0: AWS_MAX_ATTEMPTS, the profile's
  /// `max_attempts`, then 3.
  int max_attempts = 0;
  /// @{
  /// Backoff before retry i (from 0) is uniformly random in [0, min(base * 2^i, max_backoff)]
  /// ("full jitter"); throttling errors use the larger throttling base.
  std::chrono::milliseconds retry_base_delay{25};
  std::chrono::milliseconds throttling_base_delay{500};
  std::chrono::milliseconds max_backoff{20000};
  /// @}
  /// Limit for establishing a connection (TCP and TLS).
  std::chrono::milliseconds connect_timeout{3000};
  /// An attempt fails with NetworkError "Timeout" when no byte of the answer arrives for this long
  /// once connected (botocore's read_timeout); noticed within about a second. A slow but moving
  /// transfer is not cut off by it.
  std::chrono::milliseconds read_timeout{10000};
  /// Upper bound on one whole attempt, connection included, however steadily bytes trickle in.
  std::chrono::milliseconds request_timeout{300000};
  /// Cap on one response body; a larger answer is a ProtocolError "ResponseTooLarge". The default
  /// is twice DynamoDB's largest legal answer (a 16 MB BatchGetItem).
  std::size_t max_response_bytes = std::size_t{32} << 20;
  /// TLS certificate verification. Turning it off is logged to stderr once per Client.
  bool verify_tls = true;
  /// CA bundle file; empty: AWS_CA_BUNDLE, then the profile's `ca_bundle`, then the system's.
  std::string ca_file;
  /// Plain http:// is refused for an endpoint that is not on this machine (loopback), because
  /// signed requests and the session token would travel in clear. Set this (or the environment
  /// variable DYNAMODB_MAPPING_ALLOW_INSECURE_HTTP=true) to allow it anyway.
  bool allow_insecure_http = false;
  /// Asked about every 50 ms to a second while a call waits (for an answer, or between
  /// retries), and before each attempt: when it returns true the call stops with CancelledError
  /// (or AmbiguousOutcomeError for a write that may already have been sent). For a program's
  /// Ctrl-C handling: a wait is cut short instead of running out its timeouts. Must be cheap and
  /// thread-safe (e.g. read an atomic flag).
  std::function<bool()> should_stop;
  /// Asks DynamoDB, on every GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan,
  /// BatchGetItem, BatchWriteItem, TransactGetItems and TransactWriteItems, for the capacity
  /// it consumed (ReturnConsumedCapacity=INDEXES), and adds each answer's ConsumedCapacity to
  /// totals per table and index: Client::consumed_capacity(),
  /// DynamoDBMapping::consumed_capacity(). Off: nothing is asked, parsed or counted. On: a few
  /// bytes more per request and one more pass over each answer (README, "Consumed capacity").
  bool track_consumed_capacity = false;
  /// Called after every attempt of every call (retries each have their own), with what it did:
  /// operation, table, attempt number, status, error code, latency, bytes, the retry decision
  /// and back-off, request id, consumed capacity (README, "Observing requests"). Called on the
  /// thread that sent the attempt: the caller's for a single call, a worker's for the batch
  /// engine and the page prefetch, so it may run on several threads at once and must be
  /// thread-safe. Whatever it throws is caught and dropped (counted in
  /// ClientStats::observer_failures): an observer never changes a call's outcome, so a write
  /// that was applied is never reported failed because its log line failed. Unset: no clock
  /// read and no allocation for it.
  RequestObserver on_request;
  /// Fills RequestEvent::request_body and response_body (your items, in DynamoDB JSON). Off by
  /// default. Headers never reach the observer, so the signature and credentials cannot.
  bool observe_bodies = false;
};

}  // namespace dynamodb_mapping
