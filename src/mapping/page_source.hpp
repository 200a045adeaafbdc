// Where the pages of a mapping's iteration come from: one Scan or Query continued page by page
// (with the next page fetched in the background), or a parallel Scan of several segments.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "dynamodb_mapping/client.hpp"

namespace dynamodb_mapping::detail {

class PageSource {
 public:
  virtual ~PageSource() = default;
  /// The items of the next page (possibly none, when a filter dropped them all), or nullopt
  /// after the last page. Rethrows the error of a failed request; throws ProtocolError
  /// "RepeatedPageToken" when the server hands out a page token a second time.
  virtual std::optional<std::vector<Item>> next() = 0;
};

/// One Scan or Query, page after page; with `prefetch`, page n+1 is requested as soon as page n
/// has arrived, so at most two pages are in memory. When no thread can be started for the
/// prefetch, pages are fetched when asked for instead.
std::shared_ptr<PageSource> sequential_source(Client client, ScanRequest request, bool prefetch);
std::shared_ptr<PageSource> sequential_source(Client client, QueryRequest request, bool prefetch);

/// A parallel Scan: up to `segments` threads scan the segments and hand pages over through a
/// bounded queue (two pages per segment at most), in whatever order they arrive. When fewer
/// threads can be started, each scans several segments in turn (none at all: the caller's thread
/// scans them in next()). Destroying the source stops the threads after their current request.
std::shared_ptr<PageSource> parallel_scan_source(Client client, ScanRequest request, int segments);

/// Test hook: when not negative, how many more threads the mapping layer may start before
/// starting one fails with std::system_error (EAGAIN), as it does under a process or thread
/// limit (RLIMIT_NPROC cannot be used for that in tests that run as root).
extern std::atomic<int> thread_budget_for_testing;

/// Throws the std::system_error that thread_budget_for_testing simulates, or takes one thread
/// from the budget.
void check_thread_budget();

/// std::thread(f), or the std::system_error of a thread that cannot be started.
template <class F>
std::thread start_thread(F&& f) {
  check_thread_budget();
  return std::thread(std::forward<F>(f));
}

}  // namespace dynamodb_mapping::detail
