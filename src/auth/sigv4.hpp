// AWS Signature Version 4 (the "AWS4-HMAC-SHA256" scheme) for one HTTP request.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dynamodb_mapping/credentials.hpp"

namespace dynamodb_mapping::detail {

/// What is signed. `headers` are exactly the headers to sign (names in any case); they must
/// include "host" and "x-amz-date". Headers that a proxy may rewrite (user-agent, via,
/// content-length, connection) should not be passed.
struct SigningRequest {
  std::string_view method;
  std::string_view path;   // as sent, e.g. "/"
  std::string_view query;  // as sent, without '?'; "" for none
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view payload;
};

/// Lowercase hex SHA-256 of `data`.
std::string sha256_hex(std::string_view data);

/// Signs requests; caches the derived signing key per (secret, date, region, service), which
/// turns five HMACs per request into one. Thread-safe.
class SigV4Signer {
 public:
  /// The Authorization header value for `request` at `amz_date` (yyyymmddThhmmssZ).
  std::string authorization(const SigningRequest& request, const Credentials& credentials,
                            std::string_view region, std::string_view service,
                            std::string_view amz_date);

 private:
  std::array<std::uint8_t, 32> signing_key(const Credentials& credentials, std::string_view date,
                                           std::string_view region, std::string_view service);

  std::mutex mutex_;
  std::string cached_scope_;  // secret + '\n' + date + '\n' + region + '\n' + service
  std::array<std::uint8_t, 32> cached_key_{};
};

/// The timestamp SigV4 uses, yyyymmddThhmmssZ, for `now`.
std::string amz_date(std::chrono::system_clock::time_point now);

}  // namespace dynamodb_mapping::detail
