// Results: the lazy, paged, re-iterable range of a Scan or Query.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/key.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

class DynamoDBMapping;
class IndexView;
namespace detail {
struct Cursor;
struct Walk;
struct SegmentPosition;
struct MappingState;
}  // namespace detail

/// One page of a Scan or Query and the token of the page after it, from Results::page().
template <class T>
struct ResultPage {
  /// The page's elements. May be empty while `next_token` is not: a filter can drop every item
  /// a page read.
  std::vector<T> items;
  /// The token of the next page; empty after the last page.
  std::string next_token;
};

/// A range over the results of a lazy, paged Scan or Query. Making it sends nothing; each
/// `begin()` starts a new Scan or Query from its start, the first page or where `resume()` put it
/// (so a Results can be iterated again,
/// and sees the table as it is then), and pages are requested only as that iteration reaches them
/// (with `prefetch`, one page ahead), so memory stays O(page). The iterators of one `begin()` are
/// input iterators sharing their position, like std::istream_iterator. A Results shares the
/// mapping's client and key schema, so it stays valid after the mapping it came from is gone
/// (`auto r = DynamoDBMapping("t").items();` is safe).
///
/// Resume tokens: `page(token, limit)` returns one page and the token of the next (one request a
/// call: "next page" links), `iterator::token()` is a token that continues right after the
/// current element, and `resume(token)` is this range from a token on. A token is printable
/// text (base64url), valid in another process and with another mapping of the same table; it
/// names its table, index, kind (Scan or Query), number of segments and a digest of the query's
/// key condition, filter and order, and carries an integrity digest: a token of another table or
/// query, or a truncated or altered one, throws ValidationError before anything is sent. The
/// digests detect corruption, not forgery, and a token carries key values in the clear. The
/// results of a PartiQL statement (DynamoDBMapping::execute) have no tokens: `token()`,
/// `resume(token)` and `page()` throw ValidationError there, before anything is sent.
template <class T>
class DDBMAP_API Results {
 public:
  /// An input iterator over one walk of the results.
  class iterator {
   public:
    /// @{ The std::iterator_traits of an input iterator.
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using reference = const T&;
    using pointer = const T*;
    using iterator_category = std::input_iterator_tag;
    /// @}

    iterator() = default;
    /// The current element.
    const T& operator*() const { return state_->page[state_->index]; }
    /// The current element.
    const T* operator->() const { return &**this; }
    /// Moves on, requesting the next page when this one is used up.
    iterator& operator++() {
      if (++state_->index >= state_->page.size()) state_->load();
      if (state_->done) state_.reset();
      return *this;
    }
    /// Moves on (the old position cannot be kept: input iterator).
    void operator++(int) { ++*this; }
    /// Whether the walk is over.
    friend bool operator==(const iterator& it, std::default_sentinel_t) { return !it.state_; }
    /// A resume token that continues right after the current element (for a parallel scan:
    /// every segment where this walk has got to), for `Results::resume` or `Results::page`. An
    /// export that saves it after writing an element neither repeats nor skips one when it
    /// resumes. Sends nothing; the iterator must not be at the end. Throws ValidationError when
    /// the element lacks a key attribute (a projection cannot drop them: they are always added).
    [[nodiscard]] std::string token() const;

   private:
    friend class Results;
    struct State {
      std::shared_ptr<detail::Cursor> cursor;  // the page source and every segment's position
      T (*convert)(const detail::MappingState&, Item&&);
      std::shared_ptr<const detail::MappingState> mapping;
      std::vector<T> page;
      std::size_t index = 0;
      bool done = false;
      void load();
    };
    explicit iterator(std::shared_ptr<State> s) : state_(std::move(s)) {}
    std::shared_ptr<State> state_;
  };

  /// Starts a new Scan or Query (threads of a parallel scan included) from this range's start
  /// (after resume(): the token's position): the first page is requested here.
  [[nodiscard]] iterator begin() const;
  /// The end of every walk.
  std::default_sentinel_t end() const { return {}; }

  /// This range from `token` on (from `iterator::token()` or `page()`, possibly of another
  /// process): each begin() continues there. An empty token is this range's own start. Sends
  /// nothing; ValidationError for a token of another table, index, kind, query or number of
  /// segments, or one that is oversized (refused before it is decoded), truncated or altered.
  [[nodiscard]] Results resume(std::string_view token) const;

  /// One page and the token of the next: exactly one Scan or Query request (none when `token`
  /// says the walk is finished). An empty `token` is the first page (of this range: after
  /// resume(), where it resumes). `limit` > 0 is this page's DynamoDB Limit (items read), 0 the
  /// view's page size. With a filter a page may be empty while `next_token` is not. A parallel
  /// scan's pages go through its segments one after the other. Token errors as resume(), and
  /// ValidationError for a negative `limit`, all before anything is sent.
  [[nodiscard]] ResultPage<T> page(std::string_view token = {}, int limit = 0) const;

 private:
  friend class DynamoDBMapping;
  friend class IndexView;
  using Converter = T (*)(const detail::MappingState&, Item&&);
  DDBMAP_NO_EXPORT Results(std::shared_ptr<const detail::MappingState> m,
                           std::shared_ptr<const detail::Walk> w, Converter c)
      : mapping_(std::move(m)), walk_(std::move(w)), convert_(c) {}
  std::shared_ptr<const detail::MappingState> mapping_;
  std::shared_ptr<const detail::Walk> walk_;
  // Where each begin() starts (resume()); null: at the start.
  std::shared_ptr<const std::vector<detail::SegmentPosition>> start_;
  Converter convert_;
};

// The library instantiates the three kinds of results it hands out, and exports them (marked
// here too: GCC would otherwise hide an instantiation over the std::map of Item).
// Explicit instantiations are not API of their own: hidden from the API reference.
/// @cond
extern template class DDBMAP_API Results<Item>;
extern template class DDBMAP_API Results<Key>;
extern template class DDBMAP_API Results<std::pair<Key, Item>>;
/// @endcond

}  // namespace dynamodb_mapping
