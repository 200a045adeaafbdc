// HTTP over libcurl: persistent keep-alive connections from a thread-safe pool of handles.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dynamodb_mapping::detail {

struct HttpOptions {
  std::chrono::milliseconds connect_timeout{3000};
  /// The transfer fails when, once connected, no byte moves for this long (a stall); noticed
  /// within about a second.
  std::chrono::milliseconds read_timeout{10000};
  /// Upper bound on one whole attempt, connect included, however steadily bytes trickle in.
  std::chrono::milliseconds request_timeout{300000};
  /// Caps on what one response may hold; more is a ProtocolError "ResponseTooLarge".
  std::size_t max_body_bytes = std::size_t{32} << 20;
  std::size_t max_header_bytes = std::size_t{64} << 10;
  bool verify_tls = true;
  /// When it returns true (asked while the transfer runs), the request stops with CancelledError.
  std::function<bool()> should_stop;
  std::string ca_file;                // "" = the system's trust store
  std::size_t max_idle_handles = 32;  // handles (each with its live connection) kept for reuse
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::string request_id;              // x-amzn-RequestId
  std::optional<std::uint32_t> crc32;  // x-amz-crc32, when the server sent one
  bool crc32_malformed = false;        // an x-amz-crc32 header that is not a uint32
};

/// Sends POST requests. Each call borrows a curl handle from the pool and returns it afterwards,
/// so sequential calls reuse one connection and concurrent calls use one each. Proxies come from
/// the standard environment variables (https_proxy, http_proxy, no_proxy), as libcurl reads them.
class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Sends the request and reads the whole response. Throws NetworkError when no complete
  /// response arrives (code "Timeout" or "ConnectionError") or when the body does not match its
  /// x-amz-crc32 header (code "ChecksumMismatch"); NetworkError::request_sent() tells whether any
  /// of the request left this machine. Throws ProtocolError "ResponseTooLarge" for a body or
  /// headers over the caps. Any HTTP status is a response, not an error. Unless
  /// `resend_allowed` (a read: sending it twice changes nothing), the request is sent at most
  /// once: libcurl's own silent re-send on a reused connection that died is refused, because the
  /// server may have applied the first send (the caller decides about retries). A read keeps
  /// libcurl's faster path, which sends headers and body in one system call.
  HttpResponse post(const std::string& url,
                    const std::vector<std::pair<std::string, std::string>>& headers,
                    std::string_view body, bool resend_allowed = false) {
    return request("POST", url, headers, body, resend_allowed);
  }

  /// The same for any method ("GET", "PUT", "POST"); a GET sends no body.
  HttpResponse request(std::string_view method, const std::string& url,
                       const std::vector<std::pair<std::string, std::string>>& headers,
                       std::string_view body, bool resend_allowed = false);

  /// How many TCP connections have been opened so far (for tests and benchmarks).
  std::uint64_t connections_opened() const { return connections_opened_.load(); }

 private:
  struct Handle;
  std::unique_ptr<Handle> acquire();
  void release(std::unique_ptr<Handle> handle);

  HttpOptions options_;
  bool proxy_from_environment_ = false;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Handle>> idle_;
  std::atomic<std::uint64_t> connections_opened_{0};
};

}  // namespace dynamodb_mapping::detail
