#include "dynamodb_mapping/client.hpp"

#include <openssl/rand.h>

#include <atomic>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <random>
#include <thread>

#include "auth/shared_config.hpp"
#include "auth/sigv4.hpp"
#include "client/endpoint.hpp"
#include "client/protocol.hpp"
#include "client/replay.hpp"
#include "client/signing.hpp"
#include "http/http_client.hpp"

namespace dynamodb_mapping {

namespace {

using Clock = std::chrono::system_clock;

using detail::env;

// Standard retry mode's retry quota (a token bucket shared by all calls of one client): retries
// stop when the service keeps failing, so a sick endpoint is not hammered.
constexpr int kRetryQuota = 500, kRetryCost = 5, kTimeoutRetryCost = 10, kNoRetryIncrement = 1;

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

// "InternalServerError (HTTP 500)" or "Timeout: ..." for the message of an ambiguous outcome.
std::string describe_failure(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    std::string text = e.what();
    if (e.http_status() != 0) text += " (HTTP " + std::to_string(e.http_status()) + ")";
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

// A ClientRequestToken: 32 random hex characters (the API allows 1 to 36).
std::string random_token() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    std::random_device rd;
    for (auto& b : bytes) b = static_cast<unsigned char>(rd());
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

const std::string& valid_region(const std::string& region, const char* source) {
  detail::check_region(region, source);
  return region;
}

std::string resolve_region(const ClientConfig& c, const detail::Profile& profile) {
  if (!c.region.empty()) return valid_region(c.region, "ClientConfig::region");
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (std::string v = env(name); !v.empty()) return valid_region(v, name);
  }
  if (const std::string* r = profile.get("region"); r && !r->empty()) {
    return valid_region(*r, "the profile's region");
  }
  throw ConfigError(
      "no AWS region: set ClientConfig::region, AWS_REGION or AWS_DEFAULT_REGION, or `region` "
      "in profile \"" +
      profile.name + "\" of " + detail::config_file_path());
}

// The endpoint URL and, for error messages, where it came from.
struct EndpointSetting {
  std::string url;
  std::string source;
};

EndpointSetting resolve_endpoint(const ClientConfig& c, const detail::Profile& profile,
                                 const std::string& region) {
  if (!c.endpoint_url.empty()) return {c.endpoint_url, "ClientConfig::endpoint_url"};
  if (!detail::env_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
    for (const char* name : {"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"}) {
      if (std::string v = env(name); !v.empty()) return {v, name};
    }
    for (const char* key : {"services.dynamodb.endpoint_url", "endpoint_url"}) {
      if (const std::string* v = profile.get(key); v && !v->empty()) {
        return {*v, std::string(key) + " in profile \"" + profile.name + "\""};
      }
    }
  }
  const bool china = region.rfind("cn-", 0) == 0;
  return {"https://dynamodb." + region + (china ? ".amazonaws.com.cn" : ".amazonaws.com"),
          "the default for region " + region};
}

bool resolve_allow_insecure_http(const ClientConfig& c) {
  return c.allow_insecure_http || detail::env_true("DYNAMODB_MAPPING_ALLOW_INSECURE_HTTP");
}

int resolve_max_attempts(const ClientConfig& c, const detail::Profile& profile) {
  auto parse = [](const std::string& s, const char* where) {
    char* end = nullptr;
    const long v = std::strtol(s.c_str(), &end, 10);
    if (s.empty() || *end != '\0' || v < 1 || v > 100) {
      throw ConfigError(std::string(where) + " must be a whole number from 1 to 100");
    }
    return static_cast<int>(v);
  };
  if (c.max_attempts < 0) throw ConfigError("ClientConfig::max_attempts must not be negative");
  if (c.max_attempts > 0) return c.max_attempts;
  if (std::string v = env("AWS_MAX_ATTEMPTS"); !v.empty()) return parse(v, "AWS_MAX_ATTEMPTS");
  if (const std::string* v = profile.get("max_attempts")) return parse(*v, "profile max_attempts");
  return 3;
}

}  // namespace

struct Client::Impl {
  ClientConfig config;
  std::string region;
  detail::Endpoint endpoint;
  int max_attempts;
  std::shared_ptr<CredentialsProvider> credentials;
  detail::SigV4Signer signer;
  detail::HttpClient http;
  std::mutex quota_mutex;
  int quota = kRetryQuota;
  std::atomic<std::uint64_t> requests{0}, retries{0};

  static detail::HttpOptions http_options(const ClientConfig& c) {
    detail::HttpOptions o;
    o.connect_timeout = c.connect_timeout;
    o.read_timeout = c.read_timeout;
    o.request_timeout = c.request_timeout;
    o.max_body_bytes = c.max_response_bytes;
    o.verify_tls = c.verify_tls;
    o.ca_file = c.ca_file;
    return o;
  }

  explicit Impl(ClientConfig c) : config(std::move(c)), http(http_options(config)) {
    const detail::Profile profile = detail::load_profile(detail::profile_name(config.profile));
    region = resolve_region(config, profile);
    const EndpointSetting setting = resolve_endpoint(config, profile, region);
    try {
      endpoint = detail::parse_endpoint(setting.url);
    } catch (const ValidationError& e) {
      throw ConfigError(e.message() + " (from " + setting.source + ")");
    }
    const bool insecure_allowed = resolve_allow_insecure_http(config);
    detail::check_transport_security(endpoint, insecure_allowed, "from " + setting.source);
    // The bundle matters only where it is used: botocore ignores it for http:// and without
    // verification too, so a stale AWS_CA_BUNDLE does not break a local test server.
    config.ca_file = detail::resolve_ca_file(config, profile);
    if (endpoint.scheme == "https" && config.verify_tls && !config.ca_file.empty()) {
      detail::check_ca_file(config.ca_file);
    }
    max_attempts = resolve_max_attempts(config, profile);
    if (config.credentials) {
      credentials = static_credentials(*config.credentials);
    } else if (config.credentials_provider) {
      credentials = config.credentials_provider;
    } else {
      CredentialsOptions options;
      if (!config.profile.empty()) options.profile = config.profile;
      credentials = default_credentials_chain(options);
    }
    if (!config.verify_tls) {
      std::cerr << "dynamodb-mapping: TLS certificate verification is OFF for " << endpoint.url
                << " (ClientConfig::verify_tls = false)\n";
    }
    if (endpoint.scheme == "http" && !endpoint.loopback) {
      std::cerr << "dynamodb-mapping: plain http:// to " << endpoint.url
                << " is allowed (ClientConfig::allow_insecure_http or "
                   "DYNAMODB_MAPPING_ALLOW_INSECURE_HTTP); requests travel unencrypted\n";
    }
  }

  // Takes the cost of one retry from the quota; false when the quota is spent.
  bool take_retry_token(int cost) {
    std::lock_guard lock(quota_mutex);
    if (quota < cost) return false;
    quota -= cost;
    return true;
  }
  void on_success(int retry_cost_taken) {
    std::lock_guard lock(quota_mutex);
    quota = std::min(kRetryQuota,
                     quota + (retry_cost_taken > 0 ? retry_cost_taken : kNoRetryIncrement));
  }

  void backoff(int attempt, bool throttled) {
    const auto base = throttled ? config.throttling_base_delay : config.retry_base_delay;
    const double cap =
        std::min<double>(static_cast<double>(config.max_backoff.count()),
                         static_cast<double>(base.count()) * double(1u << std::min(attempt, 20)));
    thread_local std::mt19937_64 rng{std::random_device{}()};
    const double ms = std::uniform_real_distribution<double>(0.0, cap)(rng);
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(ms));
  }

  // Sends one operation with standard-mode retries, aware of what a retry can do to a write
  // (see Replay). Returns the 200 answer and whether an earlier attempt may have been applied.
  detail::Sent send(std::string_view operation, const std::string& body, detail::Replay replay,
                    bool write, const std::function<std::string()>& body_after_doubt = {}) {
    int cost_taken = 0;
    std::string doubt;  // why an earlier attempt may have been applied; empty: none may have
    std::string doubt_body;
    for (int attempt = 0;; ++attempt) {
      const std::string& payload = doubt.empty() || doubt_body.empty() ? body : doubt_body;
      const Credentials creds = credentials->get();
      const auto headers = detail::signed_dynamodb_headers(
          signer, endpoint, operation, payload, creds, region, detail::amz_date(Clock::now()));
      ++requests;
      std::exception_ptr error;
      bool throttled = false, applied_maybe = false;
      int cost = kRetryCost;
      try {
        detail::HttpResponse r = http.post(endpoint.url, headers, payload);
        if (r.status == 200) {
          on_success(cost_taken);
          return {std::move(r.body), !doubt.empty()};
        }
        std::string code;
        error = service_error(r, code);
        throttled = is_throttling(code);
        // A 5xx may come after the work was done; a throttled or refused request was not done.
        applied_maybe = r.status >= 500;
        if (!throttled && !is_transient(r.status, code)) {
          // A refusal after an attempt that may have been applied may be that attempt's doing
          // (the condition it made false, the table it created): not a trustworthy answer.
          if (!doubt.empty() && replay != detail::Replay::Safe) {
            throw ambiguous(operation, doubt, error);
          }
          std::rethrow_exception(error);
        }
      } catch (const NetworkError& e) {
        error = std::current_exception();
        applied_maybe = e.request_sent();
        if (e.code() == "Timeout") cost = kTimeoutRetryCost;
      } catch (const ProtocolError&) {
        // A broken answer (over the size caps): not retried; a write may have been applied.
        if (write)
          throw ambiguous(operation, "its answer broke the protocol", std::current_exception());
        throw;
      }
      if (applied_maybe && doubt.empty()) {
        doubt = describe_failure(error);
        if (body_after_doubt) doubt_body = body_after_doubt();
      }
      if (applied_maybe && replay == detail::Replay::Never) {
        throw ambiguous(operation, doubt, error);  // sending it again could apply it twice
      }
      if (attempt + 1 >= max_attempts || !take_retry_token(cost)) {
        if (write && !doubt.empty()) throw ambiguous(operation, doubt, error);
        std::rethrow_exception(error);
      }
      cost_taken += cost;
      ++retries;
      backoff(attempt, throttled);
    }
  }
};

Client::Client(ClientConfig config) : impl_(std::make_shared<Impl>(std::move(config))) {}

const std::string& Client::region() const {
  return impl_->region;
}
const std::string& Client::endpoint_url() const {
  return impl_->endpoint.url;
}

ClientStats Client::stats() const {
  return ClientStats{impl_->requests.load(), impl_->retries.load(),
                     impl_->http.connections_opened()};
}

namespace {

using detail::Replay;

// Operations that only read: any answer after a retry is as true as the first would have been.
bool read_only(std::string_view op) {
  for (std::string_view prefix :
       {"Get", "BatchGet", "TransactGet", "Describe", "List", "Query", "Scan"}) {
    if (op.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// The old values a write returns after an earlier attempt that may have been applied: they may be
// that attempt's own work, so they are trusted only where they cannot be.
[[noreturn]] void old_values_unknown(std::string_view op) {
  throw AmbiguousOutcomeError(
      std::string(op) +
          " was applied, but an earlier attempt whose answer was lost may have been applied "
          "before it, so the old values it returned may be this call's own write",
      nullptr);
}

// A conditional put refused after an attempt that may have been applied: when the item it found
// is exactly the one being written, the refusal is that attempt's doing and the put succeeded.
bool put_was_applied(const AmbiguousOutcomeError& e, const Item& item) {
  if (!e.cause()) return false;
  try {
    std::rethrow_exception(e.cause());
  } catch (const ConditionalCheckFailedError& ccf) {
    return ccf.item() && *ccf.item() == item;
  } catch (...) {
    return false;
  }
}

}  // namespace

std::string Client::call(const std::string& operation, const std::string& body) const {
  const bool reads = read_only(operation);
  return impl_->send(operation, body, reads ? Replay::Safe : Replay::Never, !reads).body;
}

GetItemResult Client::get_item(const GetItemRequest& r) const {
  return detail::decode_get_item(
      impl_->send("GetItem", detail::encode(r), Replay::Safe, false).body);
}

WriteItemResult Client::put_item(const PutItemRequest& r) const {
  const bool conditional = !r.condition_expression.empty();
  const bool returns_old = r.return_values != ReturnValues::None;
  // After a lost answer, the retry asks for the item on a condition failure, to tell whether the
  // failure is the lost attempt's doing.
  auto with_item = [&] {
    PutItemRequest copy = r;
    copy.return_item_on_condition_failure = true;
    return detail::encode(copy);
  };
  try {
    const detail::Sent sent = impl_->send(
        "PutItem", detail::encode(r), conditional || returns_old ? Replay::Resolve : Replay::Safe,
        true,
        conditional && !r.return_item_on_condition_failure ? std::function<std::string()>(with_item)
                                                           : nullptr);
    WriteItemResult result = detail::decode_write_item(sent.body);
    if (sent.after_doubt && returns_old && result.attributes && *result.attributes == r.item) {
      old_values_unknown("PutItem");
    }
    return result;
  } catch (const AmbiguousOutcomeError& e) {
    if (!conditional || !put_was_applied(e, r.item)) throw;
    if (returns_old) old_values_unknown("PutItem");
    return {};
  }
}

WriteItemResult Client::update_item(const UpdateItemRequest& r) const {
  const bool conditional = !r.condition_expression.empty();
  const Replay replay = !r.idempotent                                          ? Replay::Never
                        : conditional || r.return_values != ReturnValues::None ? Replay::Resolve
                                                                               : Replay::Safe;
  const detail::Sent sent = impl_->send("UpdateItem", detail::encode(r), replay, true);
  WriteItemResult result = detail::decode_write_item(sent.body);
  const bool old_values =
      r.return_values == ReturnValues::AllOld || r.return_values == ReturnValues::UpdatedOld;
  if (sent.after_doubt && old_values) old_values_unknown("UpdateItem");
  return result;
}

WriteItemResult Client::delete_item(const DeleteItemRequest& r) const {
  const bool conditional = !r.condition_expression.empty();
  const bool returns_old = r.return_values != ReturnValues::None;
  const detail::Sent sent =
      impl_->send("DeleteItem", detail::encode(r),
                  conditional || returns_old ? Replay::Resolve : Replay::Safe, true);
  WriteItemResult result = detail::decode_write_item(sent.body);
  // Nothing to return after a lost answer: the lost attempt may have deleted the item.
  if (sent.after_doubt && returns_old && !result.attributes) {
    throw AmbiguousOutcomeError(
        "DeleteItem found no item, but an earlier attempt whose answer was lost may have deleted "
        "it: whether this call deleted an item, and its value, are unknown",
        nullptr);
  }
  return result;
}

Page Client::query(const QueryRequest& r) const {
  return detail::decode_page(impl_->send("Query", detail::encode(r), Replay::Safe, false).body);
}
Page Client::scan(const ScanRequest& r) const {
  return detail::decode_page(impl_->send("Scan", detail::encode(r), Replay::Safe, false).body);
}
BatchGetItemResult Client::batch_get_item(const BatchGetItemRequest& r) const {
  return detail::decode_batch_get_item(
      impl_->send("BatchGetItem", detail::encode(r), Replay::Safe, false).body);
}
BatchWriteItemResult Client::batch_write_item(const BatchWriteItemRequest& r) const {
  // Puts and deletes without conditions: sending them again leaves the same table.
  return detail::decode_batch_write_item(
      impl_->send("BatchWriteItem", detail::encode(r), Replay::Safe, true).body);
}
TransactGetItemsResult Client::transact_get_items(const std::vector<TransactGetItem>& items) const {
  return detail::decode_transact_get_items(
      impl_->send("TransactGetItems", detail::encode(items), Replay::Safe, false).body);
}
void Client::transact_write_items(const TransactWriteItemsRequest& r) const {
  // One ClientRequestToken for every attempt: DynamoDB applies a transaction once per token (for
  // ten minutes), so a retry after a lost answer succeeds without applying it again. A refusal
  // after such an attempt is still not trusted (a server may ignore the token).
  if (r.client_request_token.empty()) {
    TransactWriteItemsRequest with_token = r;
    with_token.client_request_token = random_token();
    impl_->send("TransactWriteItems", detail::encode(with_token), Replay::Resolve, true);
  } else {
    impl_->send("TransactWriteItems", detail::encode(r), Replay::Resolve, true);
  }
}
TableDescription Client::describe_table(const std::string& table_name) const {
  return detail::decode_table_description(
      impl_->send("DescribeTable", detail::encode_table_name(table_name), Replay::Safe, false)
          .body);
}
TableDescription Client::create_table(const CreateTableRequest& r) const {
  return detail::decode_table_description(
      impl_->send("CreateTable", detail::encode(r), Replay::Resolve, true).body);
}
TableDescription Client::delete_table(const std::string& table_name) const {
  return detail::decode_table_description(
      impl_->send("DeleteTable", detail::encode_table_name(table_name), Replay::Resolve, true)
          .body);
}
TimeToLiveSpecification Client::update_time_to_live(const std::string& table_name,
                                                    const TimeToLiveSpecification& spec) const {
  return detail::decode_time_to_live(
      impl_->send("UpdateTimeToLive", detail::encode(table_name, spec), Replay::Resolve, true)
          .body);
}
ListTablesResult Client::list_tables(const ListTablesRequest& r) const {
  return detail::decode_list_tables(
      impl_->send("ListTables", detail::encode(r), Replay::Safe, false).body);
}

template <class Request>
std::optional<Page> Pages<Request>::next() {
  if (done_) return std::nullopt;
  Page page;
  if constexpr (std::is_same_v<Request, QueryRequest>) {
    page = client_.query(request_);
  } else {
    page = client_.scan(request_);
  }
  // The same request, options and all, continues from where this page stopped.
  request_.exclusive_start_key = page.last_evaluated_key;
  done_ = !page.last_evaluated_key.has_value();
  return page;
}

template class Pages<QueryRequest>;
template class Pages<ScanRequest>;

}  // namespace dynamodb_mapping
