#include "mapping/page_source.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <system_error>
#include <unordered_set>

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

Page fetch(const Client& client, const ScanRequest& r) {
  return client.scan(r);
}
Page fetch(const Client& client, const QueryRequest& r) {
  return client.query(r);
}

template <class Request>
class Sequential final : public PageSource {
 public:
  Sequential(Client client, Request request, bool prefetch, const SegmentPosition& start)
      : client_(std::move(client)), request_(std::move(request)), prefetch_(prefetch) {
    done_ = start.state == SegmentPosition::State::Done;
    if (start.state == SegmentPosition::State::After) request_.exclusive_start_key = start.key;
  }

  std::optional<SourcePage> next() override {
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
    return SourcePage{std::move(page.items), 0, std::move(page.last_evaluated_key)};
  }

 private:
  static constexpr const char* kOperation =
      std::is_same_v<Request, QueryRequest> ? "Query" : "Scan";

  static Page fetch_copy(Client client, Request request) { return fetch(client, request); }

  void start_prefetch() {
    try {
      check_thread_budget();
      pending_ = std::async(std::launch::async, &Sequential::fetch_copy, client_, request_);
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
  Parallel(Client client, ScanRequest request, std::vector<SegmentPosition> start)
      : client_(std::move(client)),
        request_(std::move(request)),
        start_(std::move(start)),
        segments_(static_cast<int>(start_.size())),
        capacity_(start_.size() * 2) {
    threads_.reserve(static_cast<std::size_t>(segments_));
    for (int s = 0; s < segments_; ++s) {
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

  std::optional<SourcePage> next() override {
    if (threads_.empty()) return next_inline();
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !queue_.empty() || running_ == 0 || error_; });
    if (error_) std::rethrow_exception(error_);
    if (queue_.empty()) return std::nullopt;
    SourcePage page = std::move(queue_.front());
    queue_.pop_front();
    space_.notify_one();
    return page;
  }

 private:
  // The request of one segment from its start position; nullopt when it is done.
  std::optional<ScanRequest> segment_request(int segment) const {
    const SegmentPosition& p = start_[static_cast<std::size_t>(segment)];
    if (p.state == SegmentPosition::State::Done) return std::nullopt;
    ScanRequest r = request_;
    r.segment = segment;
    r.total_segments = segments_;
    if (p.state == SegmentPosition::State::After) r.exclusive_start_key = p.key;
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
    std::optional<ScanRequest> request = segment_request(segment);
    if (!request) return true;
    ScanRequest& r = *request;
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
      r.exclusive_start_key = page.last_evaluated_key;
      {
        std::lock_guard lock(mutex_);
        queue_.push_back({std::move(page.items), segment, std::move(page.last_evaluated_key)});
      }
      ready_.notify_one();
      if (last) return true;
    }
  }

  // No thread could be started: the segments are scanned one after the other, a page per call.
  std::optional<SourcePage> next_inline() {
    while (!inline_request_) {
      const int s = next_segment_++;
      if (s >= segments_) return std::nullopt;
      inline_request_ = segment_request(s);
      inline_tokens_ = PageTokens();
    }
    Page page = client_.scan(*inline_request_);
    const int segment = *inline_request_->segment;
    if (page.last_evaluated_key) {
      inline_tokens_.remember(*page.last_evaluated_key, "Scan (segment)");
      inline_request_->exclusive_start_key = page.last_evaluated_key;
    } else {
      inline_request_.reset();
    }
    return SourcePage{std::move(page.items), segment, std::move(page.last_evaluated_key)};
  }

  Client client_;
  ScanRequest request_;
  std::vector<SegmentPosition> start_;
  int segments_;
  std::atomic<int> next_segment_{0};
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<SourcePage> queue_;
  std::size_t capacity_;
  int running_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
  std::vector<std::thread> threads_;
  std::optional<ScanRequest> inline_request_;
  PageTokens inline_tokens_;
};

// A statement's pages: a write's answer once, or a SELECT sent page by page with NextToken.
class Statements final : public PageSource {
 public:
  Statements(Client client, std::shared_ptr<const StatementWalk> walk)
      : client_(std::move(client)), walk_(std::move(walk)), request_(walk_->request) {}

  std::optional<SourcePage> next() override {
    if (done_) return std::nullopt;
    if (walk_->answered) {
      done_ = true;
      return SourcePage{*walk_->answered, 0, std::nullopt};
    }
    ExecuteStatementResult r = client_.execute_statement(request_);
    done_ = r.next_token.empty();
    if (!done_) {
      // A token seen before would make the walk go round for ever (hashes: tokens are long).
      if (!seen_.insert(std::hash<std::string>{}(r.next_token)).second) {
        done_ = true;
        throw ProtocolError("RepeatedPageToken",
                            "ExecuteStatement handed out a NextToken it gave before in this walk");
      }
      request_.next_token = std::move(r.next_token);
    }
    return SourcePage{std::move(r.items), 0, std::nullopt};
  }

 private:
  Client client_;
  std::shared_ptr<const StatementWalk> walk_;
  ExecuteStatementRequest request_;
  std::unordered_set<std::size_t> seen_;
  bool done_ = false;
};

}  // namespace

std::shared_ptr<const Walk> statement_walk(Client client, std::string table,
                                           std::shared_ptr<const StatementWalk> statement) {
  TokenScope scope;
  scope.table = std::move(table);
  return std::make_shared<const Walk>(Walk{std::move(client), ScanRequest{}, 1, false, nullptr,
                                           std::move(scope), std::move(statement)});
}

void check_tokens_allowed(const Walk& walk, const char* what) {
  if (!walk.statement) return;
  ValidationError e(std::string(what) +
                    " is not available for a PartiQL statement's results (execute): DynamoDB's "
                    "NextToken cannot be checked against the statement; iterate again instead");
  detail::set_error_context(e, "ExecuteStatement", walk.scope.table);
  throw e;
}

std::optional<SourcePage> Cursor::next_page() {
  if (in_page) {
    positions[static_cast<std::size_t>(segment)] =
        page_end ? SegmentPosition{SegmentPosition::State::After, *page_end}
                 : SegmentPosition{SegmentPosition::State::Done, {}};
    in_page = false;
  }
  std::optional<SourcePage> page = source->next();
  if (page) {
    segment = page->segment;
    page_end = page->last_evaluated_key;
    in_page = true;
  }
  return page;
}

// Walk is built whole: a default Client would resolve a configuration of its own.
std::shared_ptr<const Walk> scan_walk(Client client, ScanRequest request, int segments,
                                      bool prefetch,
                                      std::function<std::vector<std::string>()> key_names) {
  TokenScope scope = scope_of(request, segments);
  return std::make_shared<const Walk>(Walk{std::move(client), std::move(request), segments,
                                           prefetch, std::move(key_names), std::move(scope),
                                           nullptr});
}

std::shared_ptr<const Walk> query_walk(Client client, QueryRequest request, bool prefetch,
                                       std::function<std::vector<std::string>()> key_names) {
  TokenScope scope = scope_of(request);
  return std::make_shared<const Walk>(Walk{std::move(client), std::move(request), 1, prefetch,
                                           std::move(key_names), std::move(scope), nullptr});
}

std::vector<SegmentPosition> start_positions(const Walk& walk) {
  return std::vector<SegmentPosition>(static_cast<std::size_t>(walk.segments));
}

std::shared_ptr<PageSource> open_source(const Walk& walk, std::vector<SegmentPosition> start) {
  if (walk.statement) return std::make_shared<Statements>(walk.client, walk.statement);
  if (const auto* q = std::get_if<QueryRequest>(&walk.request)) {
    return std::make_shared<Sequential<QueryRequest>>(walk.client, *q, walk.prefetch, start[0]);
  }
  const auto& scan = std::get<ScanRequest>(walk.request);
  if (walk.segments > 1) return std::make_shared<Parallel>(walk.client, scan, std::move(start));
  return std::make_shared<Sequential<ScanRequest>>(walk.client, scan, walk.prefetch, start[0]);
}

std::optional<SourcePage> fetch_one(const Walk& walk, std::vector<SegmentPosition>& positions,
                                    int limit) {
  check_tokens_allowed(walk, "a page of results");
  const auto it = std::find_if(positions.begin(), positions.end(), [](const SegmentPosition& p) {
    return p.state != SegmentPosition::State::Done;
  });
  if (it == positions.end()) return std::nullopt;
  const int segment = static_cast<int>(it - positions.begin());
  std::optional<Item> start;
  if (it->state == SegmentPosition::State::After) start = it->key;
  Page page = std::visit(
      [&](auto r) {
        r.exclusive_start_key = start;
        if (limit > 0) r.limit = limit;
        if constexpr (std::is_same_v<decltype(r), ScanRequest>) {
          if (walk.segments > 1) {
            r.segment = segment;
            r.total_segments = walk.segments;
          }
        }
        return fetch(walk.client, r);
      },
      walk.request);
  if (page.last_evaluated_key && start && identity(*start) == identity(*page.last_evaluated_key)) {
    throw ProtocolError("RepeatedPageToken",
                        std::string(walk.scope.operation()) +
                            " answered with the page token it was given: no progress");
  }
  if (page.last_evaluated_key) {
    *it = {SegmentPosition::State::After, *page.last_evaluated_key};
  } else {
    *it = {SegmentPosition::State::Done, {}};
  }
  return SourcePage{std::move(page.items), segment, std::move(page.last_evaluated_key)};
}

}  // namespace dynamodb_mapping::detail
