// Results: the lazy, paged, re-iterable range of a Scan or Query.
#pragma once

#include <cstddef>
#include <functional>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/key.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

class DynamoDBMapping;
namespace detail {
class PageSource;
struct MappingState;
}  // namespace detail

/// A range over the results of a lazy, paged Scan or Query. Making it sends nothing; each
/// `begin()` starts a new Scan or Query from the first page (so a Results can be iterated again,
/// and sees the table as it is then), and pages are requested only as that iteration reaches them
/// (with `prefetch`, one page ahead), so memory stays O(page). The iterators of one `begin()` are
/// input iterators sharing their position, like std::istream_iterator. A Results shares the
/// mapping's client and key schema, so it stays valid after the mapping it came from is gone
/// (`auto r = DynamoDBMapping("t").items();` is safe).
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

   private:
    friend class Results;
    struct State {
      std::shared_ptr<detail::PageSource> source;
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

  /// Starts a new Scan or Query (threads of a parallel scan included): the first page is
  /// requested here.
  [[nodiscard]] iterator begin() const;
  /// The end of every walk.
  std::default_sentinel_t end() const { return {}; }

 private:
  friend class DynamoDBMapping;
  using Converter = T (*)(const detail::MappingState&, Item&&);
  using SourceFactory = std::function<std::shared_ptr<detail::PageSource>()>;
  DDBMAP_NO_EXPORT Results(std::shared_ptr<const detail::MappingState> m, SourceFactory f,
                           Converter c)
      : mapping_(std::move(m)), factory_(std::move(f)), convert_(c) {}
  std::shared_ptr<const detail::MappingState> mapping_;
  SourceFactory factory_;
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
