#include "mapping/page_source.hpp"

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <system_error>

#include "value/identity.hpp"

namespace dynamodb_mapping::detail {

std::atomic<int> thread_budget_for_testing{-1};

void check_thread_budget() {
  int budget = thread_budget_for_testing.load();
  while (budget >= 0) {
    if (budget == 0) {
      throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again),
                              "thread budget for testing exhausted");
    }
    if (thread_budget_for_testing.compare_exchange_weak(budget, budget - 1)) return;
  }
}

namespace {

template <class Request>
class Sequential final : public PageSource {
 public:
  Sequential(Client client, Request request, bool prefetch)
      : client_(std::move(client)), request_(std::move(request)), prefetch_(prefetch) {}

  std::optional<std::vector<Item>> next() override {
    if (done_) return std::nullopt;
    Page page = pending_.valid() ? pending_.get() : fetch(client_, request_);
    // Every page continues the same request: options such as projection and filter stay.
    request_.exclusive_start_key = page.last_evaluated_key;
    done_ = !page.last_evaluated_key.has_value();
    if (!done_) {
      try {
        tokens_.remember(*page.last_evaluated_key, kOperation);
      } catch (...) {
        done_ = true;
        throw;
      }
      if (prefetch_) start_prefetch();
    }
    return std::move(page.items);
  }

 private:
  static constexpr const char* kOperation =
      std::is_same_v<Request, QueryRequest> ? "Query" : "Scan";

  static Page fetch(Client client, Request request) {
    if constexpr (std::is_same_v<Request, QueryRequest>) {
      return client.query(request);
    } else {
      return client.scan(request);
    }
  }

  void start_prefetch() {
    try {
      check_thread_budget();
      pending_ = std::async(std::launch::async, &Sequential::fetch, client_, request_);
    } catch (const std::system_error&) {
      // No thread to spare: the next page is fetched when it is asked for.
    }
  }

  Client client_;
  Request request_;
  bool prefetch_;
  bool done_ = false;
  PageTokens tokens_;
  std::future<Page> pending_;
};

class Parallel final : public PageSource {
 public:
  Parallel(Client client, ScanRequest request, int segments)
      : client_(std::move(client)),
        request_(std::move(request)),
        segments_(segments),
        capacity_(static_cast<std::size_t>(segments) * 2) {
    threads_.reserve(static_cast<std::size_t>(segments));
    for (int s = 0; s < segments; ++s) {
      {
        std::lock_guard lock(mutex_);
        ++running_;  // before the thread exists, which may finish at once
      }
      try {
        threads_.push_back(start_thread([this] { produce(); }));
      } catch (...) {
        // std::system_error (a thread limit) or bad_alloc: fewer threads than segments. Each
        // thread scans segments until none is left; with no thread at all, next() scans them.
        std::lock_guard lock(mutex_);
        --running_;
        break;
      }
    }
  }

  ~Parallel() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    space_.notify_all();
    for (auto& t : threads_) t.join();
  }

  std::optional<std::vector<Item>> next() override {
    if (threads_.empty()) return next_inline();
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !queue_.empty() || running_ == 0 || error_; });
    if (error_) std::rethrow_exception(error_);
    if (queue_.empty()) return std::nullopt;
    std::vector<Item> page = std::move(queue_.front());
    queue_.pop_front();
    space_.notify_one();
    return page;
  }

 private:
  ScanRequest segment_request(int segment) const {
    ScanRequest r = request_;
    r.segment = segment;
    r.total_segments = segments_;
    return r;
  }

  void produce() {
    try {
      for (int s; (s = next_segment_++) < segments_;) {
        if (!scan_segment(s)) break;
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
      stop_ = true;
    }
    {
      std::lock_guard lock(mutex_);
      --running_;
    }
    ready_.notify_all();
    space_.notify_all();
  }

  // Scans one segment to its end; false when the source is being stopped.
  bool scan_segment(int segment) {
    ScanRequest r = segment_request(segment);
    PageTokens tokens;  // per segment: each segment has its own sequence of tokens
    for (;;) {
      {
        std::unique_lock lock(mutex_);
        space_.wait(lock, [&] { return stop_ || queue_.size() < capacity_; });
        if (stop_) return false;
      }
      Page page = client_.scan(r);
      const bool last = !page.last_evaluated_key.has_value();
      if (!last) tokens.remember(*page.last_evaluated_key, "Scan (segment)");
      r.exclusive_start_key = std::move(page.last_evaluated_key);
      {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(page.items));
      }
      ready_.notify_one();
      if (last) return true;
    }
  }

  // No thread could be started: the segments are scanned one after the other, a page per call.
  std::optional<std::vector<Item>> next_inline() {
    if (!inline_request_) {
      const int s = next_segment_++;
      if (s >= segments_) return std::nullopt;
      inline_request_ = segment_request(s);
      inline_tokens_ = PageTokens();
    }
    Page page = client_.scan(*inline_request_);
    if (page.last_evaluated_key) {
      inline_tokens_.remember(*page.last_evaluated_key, "Scan (segment)");
      inline_request_->exclusive_start_key = std::move(page.last_evaluated_key);
    } else {
      inline_request_.reset();
    }
    return std::move(page.items);
  }

  Client client_;
  ScanRequest request_;
  int segments_;
  std::atomic<int> next_segment_{0};
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<std::vector<Item>> queue_;
  std::size_t capacity_;
  int running_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
  std::optional<ScanRequest> inline_request_;
  PageTokens inline_tokens_;
};

}  // namespace

std::shared_ptr<PageSource> sequential_source(Client client, ScanRequest request, bool prefetch) {
  return std::make_shared<Sequential<ScanRequest>>(std::move(client), std::move(request), prefetch);
}

std::shared_ptr<PageSource> sequential_source(Client client, QueryRequest request, bool prefetch) {
  return std::make_shared<Sequential<QueryRequest>>(std::move(client), std::move(request),
                                                    prefetch);
}

std::shared_ptr<PageSource> parallel_scan_source(Client client, ScanRequest request, int segments) {
  return std::make_shared<Parallel>(std::move(client), std::move(request), segments);
}

}  // namespace dynamodb_mapping::detail
