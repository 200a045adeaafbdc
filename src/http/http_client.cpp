#include "http/http_client.hpp"

#include <curl/curl.h>
#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "dynamodb_mapping/error.hpp"

namespace dynamodb_mapping::detail {

namespace {

void global_init() {
  // libcurl >= 7.84 makes this thread-safe; call_once keeps it to one call either way. There is
  // deliberately no matching curl_global_cleanup: users must not need an init/shutdown pair.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = line[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != name[i]) return false;
  }
  return true;
}

std::string_view header_value(std::string_view line, std::size_t name_len) {
  std::string_view v = line.substr(name_len);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' '))
    v.remove_suffix(1);
  return v;
}

}  // namespace

struct HttpClient::Handle {
  CURL* curl = nullptr;
  HttpResponse response;
  char error[CURL_ERROR_SIZE] = {};
  // Per request: the caps, the body being uploaded, and what went wrong in a callback.
  std::size_t max_body = 0, max_headers = 0, header_bytes = 0;
  std::string_view upload;
  std::size_t uploaded = 0;
  bool too_large = false, rewind_refused = false, stalled = false, cancelled = false;
  const std::function<bool()>* should_stop = nullptr;
  // Stall detection: when bytes last moved either way, once connected.
  std::chrono::milliseconds stall_limit{0};
  std::chrono::steady_clock::time_point last_progress;
  curl_off_t last_down = 0, last_up = 0;

  Handle() : curl(curl_easy_init()) {}
  ~Handle() {
    if (curl) curl_easy_cleanup(curl);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* self) {
    auto* h = static_cast<Handle*>(self);
    if (h->response.body.size() + size * n > h->max_body) {
      h->too_large = true;
      return 0;  // aborts the transfer: an endless body must not grow memory without bound
    }
    h->response.body.append(data, size * n);
    return size * n;
  }

  // The request body is handed over through a read callback rather than CURLOPT_POSTFIELDS so
  // that libcurl must ask (on_seek) before sending it a second time.
  static std::size_t on_read(char* buffer, std::size_t size, std::size_t n, void* self) {
    auto* h = static_cast<Handle*>(self);
    const std::size_t len = std::min(size * n, h->upload.size() - h->uploaded);
    std::memcpy(buffer, h->upload.data() + h->uploaded, len);
    h->uploaded += len;
    return len;
  }

  // libcurl rewinds the body to re-send the request by itself when a reused connection closes
  // before any answer arrives. The server may have applied the first send (a lost answer is
  // exactly that case), so only the caller may decide to send again: refuse, and let the
  // transfer fail with CURLE_SEND_FAIL_REWIND.
  static int on_seek(void* self, curl_off_t offset, int origin) {
    auto* h = static_cast<Handle*>(self);
    if (offset == 0 && origin == SEEK_SET && h->uploaded == 0) return CURL_SEEKFUNC_OK;
    h->rewind_refused = true;
    return CURL_SEEKFUNC_CANTSEEK;
  }

  // Called by libcurl often while bytes move and about once a second when none do: a transfer
  // connected but silent for longer than the read timeout is a stall. (libcurl's own low-speed
  // check averages over several seconds, so it fires seconds late and not below about five.)
  static int on_progress(void* self, curl_off_t, curl_off_t down, curl_off_t, curl_off_t up) {
    auto* h = static_cast<Handle*>(self);
    if (h->should_stop && *h->should_stop && (*h->should_stop)()) {
      h->cancelled = true;
      return 1;
    }
    const auto now = std::chrono::steady_clock::now();
    curl_off_t connected_at = 0;
    curl_easy_getinfo(h->curl, CURLINFO_PRETRANSFER_TIME_T, &connected_at);
    if (connected_at == 0 || down != h->last_down || up != h->last_up) {
      h->last_down = down;
      h->last_up = up;
      h->last_progress = now;  // connecting is bounded by the connect timeout instead
      return 0;
    }
    if (now - h->last_progress < h->stall_limit) return 0;
    h->stalled = true;
    return 1;  // aborts the transfer (CURLE_ABORTED_BY_CALLBACK)
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* self) {
    auto* h = static_cast<Handle*>(self);
    auto& r = h->response;
    h->header_bytes += size * n;
    if (h->header_bytes > h->max_headers) {
      h->too_large = true;
      return 0;
    }
    const std::string_view line(data, size * n);
    if (line.rfind("HTTP/", 0) == 0) {
      // A new response starts (after a redirect or an interim 1xx): forget the last one's headers.
      r.request_id.clear();
      r.crc32.reset();
      r.crc32_malformed = false;
    } else if (iequals_prefix(line, "x-amz-crc32:")) {
      const std::string_view v = header_value(line, 12);
      std::uint32_t crc = 0;
      const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), crc);
      if (ec == std::errc() && end == v.data() + v.size() && !v.empty()) {
        r.crc32 = crc;
      } else {
        r.crc32_malformed = true;  // cannot vouch for the body: treated as a mismatch
      }
    } else if (iequals_prefix(line, "x-amzn-requestid:")) {
      r.request_id = std::string(header_value(line, 17).substr(0, 128));
    }
    return size * n;
  }
};

HttpClient::HttpClient(HttpOptions options) : options_(std::move(options)) {
  global_init();
  // libcurl looks the proxy variables up on every transfer; when none is set (the usual case)
  // telling it so once saves those lookups. A client made after they are set still uses them.
  for (const char* name :
       {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
    const char* v = std::getenv(name);
    if (v && *v) proxy_from_environment_ = true;
  }
}

HttpClient::~HttpClient() = default;

std::unique_ptr<HttpClient::Handle> HttpClient::acquire() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto h = std::move(idle_.back());
      idle_.pop_back();
      return h;
    }
  }
  auto h = std::make_unique<Handle>();
  if (!h->curl) throw NetworkError("ConnectionError", "libcurl could not create a handle");
  CURL* c = h->curl;
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts: safe in threads
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.request_timeout.count()));
  // A stall (no byte either way for read_timeout) fails the attempt (on_progress); a slow link
  // that keeps moving does not, however long a large page takes.
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, &Handle::on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, h.get());
  h->stall_limit = options_.read_timeout;
  h->should_stop = &options_.should_stop;
  // A Content-Length over the cap is refused before the body is read.
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_body_bytes));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, options_.verify_tls ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, options_.verify_tls ? 2L : 0L);
  if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!proxy_from_environment_) curl_easy_setopt(c, CURLOPT_PROXY, "");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, h->error);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Handle::on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, h.get());
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &Handle::on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, h.get());
  curl_easy_setopt(c, CURLOPT_READFUNCTION, &Handle::on_read);
  curl_easy_setopt(c, CURLOPT_READDATA, h.get());
  curl_easy_setopt(c, CURLOPT_SEEKFUNCTION, &Handle::on_seek);
  curl_easy_setopt(c, CURLOPT_SEEKDATA, h.get());
  h->max_body = options_.max_body_bytes;
  h->max_headers = options_.max_header_bytes;
  curl_easy_setopt(c, CURLOPT_USERAGENT, "dynamodb-mapping/0.1");
  return h;
}

void HttpClient::release(std::unique_ptr<Handle> handle) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < options_.max_idle_handles) idle_.push_back(std::move(handle));
}

namespace {

// Errors after which the request certainly never left this machine.
bool before_sending(CURLcode rc) {
  switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return true;
    default:
      return false;
  }
}

}  // namespace

HttpResponse HttpClient::request(std::string_view method, const std::string& url,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 std::string_view body, bool resend_allowed) {
  auto h = acquire();
  CURL* c = h->curl;
  h->response = HttpResponse{};
  h->error[0] = '\0';
  h->header_bytes = 0;
  h->upload = body;
  h->uploaded = 0;
  h->too_large = false;
  h->rewind_refused = false;
  h->stalled = false;
  h->cancelled = false;
  h->last_progress = std::chrono::steady_clock::now();
  h->last_down = h->last_up = 0;

  curl_slist* list = nullptr;
  std::string line;
  for (const auto& [name, value] : headers) {
    line.assign(name).append(": ").append(value);
    list = curl_slist_append(list, line.c_str());
  }
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip for large bodies
  list = curl_slist_append(list, "Accept-Encoding: identity");  // x-amz-crc32 covers raw bytes
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  if (method == "GET") {
    curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    // A write's body comes from on_read, so that libcurl cannot send it twice by itself.
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, resend_allowed ? body.data() : nullptr);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  }
  const std::string custom(method == "GET" || method == "POST" ? "" : method);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, custom.empty() ? nullptr : custom.c_str());

  const CURLcode rc = curl_easy_perform(c);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  curl_slist_free_all(list);
  long new_connections = 0;
  curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &new_connections);
  connections_opened_ += static_cast<std::uint64_t>(new_connections);

  if (rc != CURLE_OK) {
    const bool too_large = h->too_large || rc == CURLE_FILESIZE_EXCEEDED;
    const bool stalled = h->stalled;
    const bool cancelled = h->cancelled;
    // Request bytes counted by libcurl: none means the server cannot have acted on it.
    long request_bytes = 0;
    curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &request_bytes);
    const bool sent = h->rewind_refused || (!before_sending(rc) && request_bytes > 0);
    std::string message = h->error[0] ? h->error : curl_easy_strerror(rc);
    if (h->rewind_refused) {
      message = "the connection closed before an answer arrived (" + message + ")";
    }
    release(std::move(h));
    if (too_large) {
      throw ProtocolError("ResponseTooLarge",
                          "the response exceeds the cap of " +
                              std::to_string(options_.max_body_bytes) + " body bytes or " +
                              std::to_string(options_.max_header_bytes) + " header bytes");
    }
    if (cancelled) throw CancelledError("the call was stopped (ClientConfig::should_stop)", sent);
    if (stalled) {
      message =
          "no data for " + std::to_string(options_.read_timeout.count()) + " ms (the read timeout)";
    }
    throw NetworkError(rc == CURLE_OPERATION_TIMEDOUT || stalled ? "Timeout" : "ConnectionError",
                       message, sent);
  }
  HttpResponse response = std::move(h->response);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
  release(std::move(h));

  if (response.crc32_malformed) {
    throw NetworkError("ChecksumMismatch", "response has a malformed x-amz-crc32 header");
  }
  if (response.crc32) {
    const auto actual =
        static_cast<std::uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(response.body.data()),
                                         static_cast<uInt>(response.body.size())));
    if (actual != *response.crc32) {
      throw NetworkError("ChecksumMismatch",
                         "response body does not match its x-amz-crc32 header (expected " +
                             std::to_string(*response.crc32) + ", got " + std::to_string(actual) +
                             ")");
    }
  }
  return response;
}

}  // namespace dynamodb_mapping::detail
