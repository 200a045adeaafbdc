// Where the pages of a mapping's iteration come from: one Scan or Query continued page by page
// (with page n+1 requested as soon as page n has arrived, so at most two pages are in memory;
// fetched on demand when no thread can be started), or a parallel Scan: up to `segments`
// threads scan the segments and hand pages over through a bounded queue (two pages per segment
// at most), in whatever order they arrive; with fewer threads each scans several segments in
// turn, with none the caller's thread scans them in next(). Destroying a source stops its
// threads after their current request. Every walk starts from positions (resume_token.hpp), so
// a resumed walk is the same code as a new one.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <variant>
#include <vector>

#include "dynamodb_mapping/client.hpp"
#include "mapping/resume_token.hpp"

namespace dynamodb_mapping::detail {

/// One page as a source hands it out: its items (possibly none, when a filter dropped them all),
/// the segment it came from (0 for a sequential walk) and its LastEvaluatedKey (none: that
/// segment is finished).
struct SourcePage {
  std::vector<Item> items;
  int segment = 0;
  std::optional<Item> last_evaluated_key;
};

class PageSource {
 public:
  virtual ~PageSource() = default;
  /// The next page, or nullopt after the last one. Rethrows the error of a failed request;
  /// throws ProtocolError "RepeatedPageToken" when the server hands out a page token a second
  /// time.
  virtual std::optional<SourcePage> next() = 0;
};

/// A PartiQL statement's walk (DynamoDBMapping::execute). A SELECT is sent page by page,
/// following NextToken, without prefetch; a write was sent once when the walk was made, and its
/// answer is replayed by every walk. Statement walks have no resume tokens.
struct StatementWalk {
  /// The statement, its parameters and options; `next_token` empty (the first page).
  ExecuteStatementRequest request;
  /// A write's answer (its items, if it had a RETURNING clause); null for a SELECT.
  std::shared_ptr<const std::vector<Item>> answered;
};

/// What one view walks, fixed when the view is made: the request (checked, placeholders in),
/// how it is sent, and which attributes make up its LastEvaluatedKey. Whoever builds a view
/// builds its Walk: a view of a secondary index gives the index's key attributes as well as the
/// table's in `key_names`.
struct Walk {
  Client client;
  /// A Scan (`segments` > 1: a parallel scan) or a Query.
  std::variant<ScanRequest, QueryRequest> request;
  int segments = 1;
  /// Fetch the next page while the current one is consumed (sequential walks only).
  bool prefetch = true;
  /// The attribute names of a LastEvaluatedKey of this walk (table key, plus the index key for
  /// an index). Called only when a token is made from an element (it may read the key schema).
  std::function<std::vector<std::string>()> key_names;
  /// What a token of this walk must match (scope_of the request).
  TokenScope scope;
  /// Set for a statement's walk: `request` is then unused, and tokens are refused.
  std::shared_ptr<const StatementWalk> statement;
};

/// A Walk of a PartiQL statement on `table` (for messages).
std::shared_ptr<const Walk> statement_walk(Client client, std::string table,
                                           std::shared_ptr<const StatementWalk> statement);

/// Throws ValidationError, before anything is sent, when `walk` is a statement's: `what` ("a
/// resume token") is not available there.
void check_tokens_allowed(const Walk& walk, const char* what);

/// A Walk of a Scan; `segments` from 1 (sequential) to 1000000.
std::shared_ptr<const Walk> scan_walk(Client client, ScanRequest request, int segments,
                                      bool prefetch,
                                      std::function<std::vector<std::string>()> key_names);
/// A Walk of a Query.
std::shared_ptr<const Walk> query_walk(Client client, QueryRequest request, bool prefetch,
                                       std::function<std::vector<std::string>()> key_names);

/// The pages of `walk` from `start` (one position per segment; Done segments are not
/// requested). Sends nothing, and starts no thread, before next() (sequential) or until made
/// (parallel: the threads start here).
std::shared_ptr<PageSource> open_source(const Walk& walk, std::vector<SegmentPosition> start);

/// The positions at the start of `walk`: every segment at its start.
std::vector<SegmentPosition> start_positions(const Walk& walk);

/// One request of `walk` continuing `positions` (the first segment not done, for a parallel
/// scan); `limit` > 0 overrides the page size. Returns the page and moves that segment's
/// position on. Throws ProtocolError "RepeatedPageToken" when the answer's LastEvaluatedKey is
/// the ExclusiveStartKey sent (no progress). Nothing is sent when every segment is done.
std::optional<SourcePage> fetch_one(const Walk& walk, std::vector<SegmentPosition>& positions,
                                    int limit);

/// One walk of a Results iterator: its source, and where every segment stands after the pages
/// consumed before the current one, so that a token can be made for any element.
struct Cursor {
  std::shared_ptr<const Walk> walk;
  std::shared_ptr<PageSource> source;
  std::vector<SegmentPosition> positions;
  /// The current page's segment and LastEvaluatedKey (valid when `in_page`).
  int segment = 0;
  std::optional<Item> page_end;
  bool in_page = false;

  /// The next page from the source, the one before it counted as consumed; nullopt at the end.
  std::optional<SourcePage> next_page();
};

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
