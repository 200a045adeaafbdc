#include "mapping/page_source.hpp"

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

namespace dynamodb_mapping::detail {

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
    if (!done_ && prefetch_) {
      pending_ = std::async(std::launch::async, &Sequential::fetch, client_, request_);
    }
    return std::move(page.items);
  }

 private:
  static Page fetch(Client client, Request request) {
    if constexpr (std::is_same_v<Request, QueryRequest>) {
      return client.query(request);
    } else {
      return client.scan(request);
    }
  }

  Client client_;
  Request request_;
  bool prefetch_;
  bool done_ = false;
  std::future<Page> pending_;
};

class Parallel final : public PageSource {
 public:
  Parallel(Client client, ScanRequest request, int segments)
      : capacity_(static_cast<std::size_t>(segments) * 2), running_(segments) {
    for (int s = 0; s < segments; ++s) {
      ScanRequest r = request;
      r.segment = s;
      r.total_segments = segments;
      threads_.emplace_back([this, client, r]() mutable { produce(client, std::move(r)); });
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
  void produce(Client client, ScanRequest request) {
    try {
      for (;;) {
        {
          std::unique_lock lock(mutex_);
          space_.wait(lock, [&] { return stop_ || queue_.size() < capacity_; });
          if (stop_) break;
        }
        Page page = client.scan(request);
        const bool last = !page.last_evaluated_key.has_value();
        request.exclusive_start_key = std::move(page.last_evaluated_key);
        {
          std::lock_guard lock(mutex_);
          queue_.push_back(std::move(page.items));
        }
        ready_.notify_one();
        if (last) break;
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

  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<std::vector<Item>> queue_;
  std::size_t capacity_;
  int running_;
  bool stop_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
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
