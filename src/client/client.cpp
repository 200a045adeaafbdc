#include "dynamodb_mapping/client.hpp"

#include <openssl/rand.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>

#include "auth/shared_config.hpp"
#include "auth/sigv4.hpp"
#include "client/endpoint.hpp"
#include "client/protocol.hpp"
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

std::string resolve_region(const ClientConfig& c, const detail::Profile& profile) {
  if (!c.region.empty()) return c.region;
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (std::string v = env(name); !v.empty()) return v;
  }
  if (const std::string* r = profile.get("region"); r && !r->empty()) return *r;
  throw ConfigError(
      "no AWS region: set ClientConfig::region, AWS_REGION or AWS_DEFAULT_REGION, or `region` "
      "in profile \"" +
      profile.name + "\" of " + detail::config_file_path());
}

std::string resolve_endpoint(const ClientConfig& c, const detail::Profile& profile,
                             const std::string& region) {
  if (!c.endpoint_url.empty()) return c.endpoint_url;
  if (!detail::env_true("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")) {
    for (const char* name : {"AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL"}) {
      if (std::string v = env(name); !v.empty()) return v;
    }
    for (const char* key : {"services.dynamodb.endpoint_url", "endpoint_url"}) {
      if (const std::string* v = profile.get(key); v && !v->empty()) return *v;
    }
  }
  const bool china = region.rfind("cn-", 0) == 0;
  return "https://dynamodb." + region + (china ? ".amazonaws.com.cn" : ".amazonaws.com");
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
    o.request_timeout = c.request_timeout;
    o.verify_tls = c.verify_tls;
    o.ca_file = c.ca_file;
    return o;
  }

  explicit Impl(ClientConfig c) : config(std::move(c)), http(http_options(config)) {
    const detail::Profile profile = detail::load_profile(detail::profile_name(config.profile));
    region = resolve_region(config, profile);
    try {
      endpoint = detail::parse_endpoint(resolve_endpoint(config, profile, region));
    } catch (const ValidationError& e) {
      throw ConfigError(e.message());
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

  std::string send(std::string_view operation, const std::string& body) {
    int cost_taken = 0;
    for (int attempt = 0;; ++attempt) {
      const Credentials creds = credentials->get();
      const auto headers = detail::signed_dynamodb_headers(signer, endpoint, operation, body, creds,
                                                           region, detail::amz_date(Clock::now()));
      ++requests;
      std::exception_ptr error;
      bool throttled = false;
      int cost = kRetryCost;
      try {
        detail::HttpResponse r = http.post(endpoint.url, headers, body);
        if (r.status == 200) {
          on_success(cost_taken);
          return std::move(r.body);
        }
        std::string code;
        error = service_error(r, code);
        throttled = is_throttling(code);
        if (!throttled && !is_transient(r.status, code)) std::rethrow_exception(error);
      } catch (const NetworkError& e) {
        error = std::current_exception();
        if (e.code() == "Timeout") cost = kTimeoutRetryCost;
      }
      if (attempt + 1 >= max_attempts || !take_retry_token(cost)) std::rethrow_exception(error);
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

std::string Client::call(const std::string& operation, const std::string& body) const {
  return impl_->send(operation, body);
}

GetItemResult Client::get_item(const GetItemRequest& r) const {
  return detail::decode_get_item(impl_->send("GetItem", detail::encode(r)));
}
WriteItemResult Client::put_item(const PutItemRequest& r) const {
  return detail::decode_write_item(impl_->send("PutItem", detail::encode(r)));
}
WriteItemResult Client::update_item(const UpdateItemRequest& r) const {
  return detail::decode_write_item(impl_->send("UpdateItem", detail::encode(r)));
}
WriteItemResult Client::delete_item(const DeleteItemRequest& r) const {
  return detail::decode_write_item(impl_->send("DeleteItem", detail::encode(r)));
}
Page Client::query(const QueryRequest& r) const {
  return detail::decode_page(impl_->send("Query", detail::encode(r)));
}
Page Client::scan(const ScanRequest& r) const {
  return detail::decode_page(impl_->send("Scan", detail::encode(r)));
}
BatchGetItemResult Client::batch_get_item(const BatchGetItemRequest& r) const {
  return detail::decode_batch_get_item(impl_->send("BatchGetItem", detail::encode(r)));
}
BatchWriteItemResult Client::batch_write_item(const BatchWriteItemRequest& r) const {
  return detail::decode_batch_write_item(impl_->send("BatchWriteItem", detail::encode(r)));
}
TransactGetItemsResult Client::transact_get_items(const std::vector<TransactGetItem>& items) const {
  return detail::decode_transact_get_items(impl_->send("TransactGetItems", detail::encode(items)));
}
void Client::transact_write_items(const TransactWriteItemsRequest& r) const {
  if (r.client_request_token.empty()) {
    TransactWriteItemsRequest with_token = r;
    with_token.client_request_token = random_token();
    impl_->send("TransactWriteItems", detail::encode(with_token));
  } else {
    impl_->send("TransactWriteItems", detail::encode(r));
  }
}
TableDescription Client::describe_table(const std::string& table_name) const {
  return detail::decode_table_description(
      impl_->send("DescribeTable", detail::encode_table_name(table_name)));
}
TableDescription Client::create_table(const CreateTableRequest& r) const {
  return detail::decode_table_description(impl_->send("CreateTable", detail::encode(r)));
}
TableDescription Client::delete_table(const std::string& table_name) const {
  return detail::decode_table_description(
      impl_->send("DeleteTable", detail::encode_table_name(table_name)));
}
TimeToLiveSpecification Client::update_time_to_live(const std::string& table_name,
                                                    const TimeToLiveSpecification& spec) const {
  return detail::decode_time_to_live(
      impl_->send("UpdateTimeToLive", detail::encode(table_name, spec)));
}
ListTablesResult Client::list_tables(const ListTablesRequest& r) const {
  return detail::decode_list_tables(impl_->send("ListTables", detail::encode(r)));
}

namespace detail {
// From value/identity.hpp (declared here, next to its one use in this file).
void remember_page_token(std::unordered_set<std::uint64_t>& seen, const Item& token,
                         std::string_view operation);
}  // namespace detail

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
  if (!done_) {
    // A token seen before would make the walk go round for ever.
    try {
      detail::remember_page_token(seen_tokens_, *page.last_evaluated_key,
                                  std::is_same_v<Request, QueryRequest> ? "Query" : "Scan");
    } catch (...) {
      done_ = true;
      throw;
    }
  }
  return page;
}

template class Pages<QueryRequest>;
template class Pages<ScanRequest>;

}  // namespace dynamodb_mapping
