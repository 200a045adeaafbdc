#include "http/http_client.hpp"

#include <curl/curl.h>
#include <zlib.h>

#include <charconv>
#include <cstdlib>

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

  Handle() : curl(curl_easy_init()) {}
  ~Handle() {
    if (curl) curl_easy_cleanup(curl);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  static std::size_t on_body(char* data, std::size_t size, std::size_t n, void* self) {
    static_cast<Handle*>(self)->response.body.append(data, size * n);
    return size * n;
  }

  static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* self) {
    auto& r = static_cast<Handle*>(self)->response;
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
      r.request_id = std::string(header_value(line, 17));
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
  curl_easy_setopt(c, CURLOPT_USERAGENT, "dynamodb-mapping/0.1");
  return h;
}

void HttpClient::release(std::unique_ptr<Handle> handle) {
  std::lock_guard lock(mutex_);
  if (idle_.size() < options_.max_idle_handles) idle_.push_back(std::move(handle));
}

HttpResponse HttpClient::request(std::string_view method, const std::string& url,
                                 const std::vector<std::pair<std::string, std::string>>& headers,
                                 std::string_view body) {
  auto h = acquire();
  CURL* c = h->curl;
  h->response = HttpResponse{};
  h->error[0] = '\0';

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
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
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
    std::string message = h->error[0] ? h->error : curl_easy_strerror(rc);
    const bool timeout = rc == CURLE_OPERATION_TIMEDOUT;
    release(std::move(h));
    throw NetworkError(timeout ? "Timeout" : "ConnectionError", message);
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
