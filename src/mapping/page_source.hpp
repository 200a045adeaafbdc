// Where the pages of a mapping's iteration come from: one Scan or Query continued page by page
// (with the next page fetched in the background), or a parallel Scan of several segments.
#pragma once

#include <optional>
#include <vector>

#include "dynamodb_mapping/client.hpp"

namespace dynamodb_mapping::detail {

class PageSource {
 public:
  virtual ~PageSource() = default;
  /// The items of the next page (possibly none, when a filter dropped them all), or nullopt
  /// after the last page. Rethrows the error of a failed request.
  virtual std::optional<std::vector<Item>> next() = 0;
};

/// One Scan or Query, page after page; with `prefetch`, page n+1 is requested as soon as page n
/// has arrived, so at most two pages are in memory.
std::shared_ptr<PageSource> sequential_source(Client client, ScanRequest request, bool prefetch);
std::shared_ptr<PageSource> sequential_source(Client client, QueryRequest request, bool prefetch);

/// A parallel Scan: `segments` threads each scan one segment and hand pages over through a
/// bounded queue (two pages per segment at most), in whatever order they arrive. Destroying the
/// source stops the threads after their current request.
std::shared_ptr<PageSource> parallel_scan_source(Client client, ScanRequest request, int segments);

}  // namespace dynamodb_mapping::detail
