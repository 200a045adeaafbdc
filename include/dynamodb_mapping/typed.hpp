// TypedMapping<T>: a table seen as a container of your own type T (`mapping.as<Order>()`), with
// T converted by its codec (codec.hpp, DDBMAP_FIELDS).
#pragma once

#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dynamodb_mapping/codec.hpp"
#include "dynamodb_mapping/key.hpp"
#include "dynamodb_mapping/mapping.hpp"
#include "dynamodb_mapping/options.hpp"
#include "dynamodb_mapping/results.hpp"

namespace dynamodb_mapping {

/// A lazy range of typed values over a Results of items: each element is decoded from its item
/// (once, when first dereferenced) by `Decode`. Iterating sends what the Results it wraps sends.
template <class Source, class V, class Decode>
class TypedResults {
 public:
  /// An input iterator; dereferencing decodes the current item (ModelError when it does not fit).
  class iterator {
   public:
    /// @{ The std::iterator_traits of an input iterator.
    using value_type = V;
    using difference_type = std::ptrdiff_t;
    using reference = const V&;
    using pointer = const V*;
    using iterator_category = std::input_iterator_tag;
    /// @}

    iterator() = default;
    /// The current element, decoded.
    const V& operator*() const {
      if (!current_) current_.emplace((*decode_)(*it_));
      return *current_;
    }
    /// The current element, decoded.
    const V* operator->() const { return &**this; }
    /// Moves on.
    iterator& operator++() {
      ++it_;
      current_.reset();
      return *this;
    }
    /// Moves on (the old position cannot be kept: input iterator).
    void operator++(int) { ++*this; }
    /// Whether the walk is over.
    friend bool operator==(const iterator& i, std::default_sentinel_t s) { return i.it_ == s; }

   private:
    friend class TypedResults;
    iterator(typename Results<Source>::iterator it, Decode d) : it_(std::move(it)), decode_(d) {}
    typename Results<Source>::iterator it_;
    std::optional<Decode> decode_;  // optional: a Decode need not be default constructible
    mutable std::optional<V> current_;
  };

  /// Wraps `results`; nothing is sent.
  TypedResults(Results<Source> results, Decode decode)
      : results_(std::move(results)), decode_(std::move(decode)) {}
  /// Starts a new Scan or Query (see Results::begin).
  [[nodiscard]] iterator begin() const { return iterator(results_.begin(), decode_); }
  /// The end of every walk.
  std::default_sentinel_t end() const { return {}; }

 private:
  Results<Source> results_;
  Decode decode_;
};

/// One DynamoDB table as a container from Key to T, where T has a codec (DDBMAP_FIELDS,
/// codec<T>, or to_item/from_item): `auto orders = mapping.as<Order>();`. The same calls and the
/// same DynamoDB requests as DynamoDBMapping's methods of the same names, with each Item
/// converted to or from T. A handle: it shares the mapping's client, options and key schema, and
/// stays valid after the mapping is gone.
///
/// Keys are given explicitly (`orders.at("o-1")`) or, by the overloads without a key, taken from
/// the key attributes of T's item. A T whose codec lists its fields (DDBMAP_FIELDS) need not have
/// fields for the key attributes: they are filled in from the key on writes and left out before
/// decoding on reads. Reading an item that does not fit T throws ModelError with the attribute
/// path; a T that DynamoDB cannot store (a NaN, an empty set in a List) throws ValidationError,
/// as does any bad key, before anything is sent.
template <class T>
class TypedMapping {
  static_assert(ItemCodable<T>,
                "mapping.as<T>() needs a codec for T: DDBMAP_FIELDS(T, fields...) in T's "
                "namespace, a specialization of dynamodb_mapping::codec<T>, or functions "
                "Item to_item(const T&) and void from_item(const Item&, T&) beside T");

 public:
  /// The typed view of `mapping`'s table (what `mapping.as<T>()` returns).
  explicit TypedMapping(DynamoDBMapping mapping) : mapping_(std::move(mapping)) {}

  // ---- element access ----
  /// The value under `key`; KeyError when absent, ModelError when the item does not fit T. One
  /// GetItem.
  [[nodiscard]] T at(const Key& key, const ReadOptions& options = {}) const {
    return decode(mapping_.at(key, options));
  }
  /// The value under `key`, or nullopt. One GetItem.
  [[nodiscard]] std::optional<T> find(const Key& key, const ReadOptions& options = {}) const {
    std::optional<Item> item = mapping_.find(key, options);
    if (!item) return std::nullopt;
    return decode(std::move(*item));
  }
  /// Whether an item has the key (nothing is decoded). One GetItem of the key attributes.
  [[nodiscard]] bool contains(const Key& key, const ReadOptions& options = {}) const {
    return mapping_.contains(key, options);
  }

  // ---- modifiers ----
  /// Puts `value` under `key`, creating or replacing the item; true when there was none. One
  /// PutItem.
  bool insert_or_assign(const Key& key, const T& value, const WriteOptions& options = {}) {
    return mapping_.insert_or_assign(key, encode(value), options);
  }
  /// Puts `value` under the key its own key attributes make. One PutItem.
  bool insert_or_assign(const T& value, const WriteOptions& options = {}) {
    Item item = encode(value);
    const Key key = key_in(item);
    return mapping_.insert_or_assign(key, std::move(item), options);
  }
  /// Puts `value` under `key` only if no item has the key; returns whether it did. One
  /// conditional PutItem.
  bool insert(const Key& key, const T& value) { return mapping_.insert(key, encode(value)); }
  /// insert, under the key the value's own key attributes make.
  bool insert(const T& value) {
    Item item = encode(value);
    const Key key = key_in(item);
    return mapping_.insert(key, std::move(item));
  }
  /// Deletes the item; returns 1 if there was one, else 0. One DeleteItem.
  std::size_t erase(const Key& key, const WriteOptions& options = {}) {
    return mapping_.erase(key, options);
  }
  /// Writes every value, under the keys their key attributes make, as DynamoDBMapping::update
  /// (BatchWriteItem in chunks of 25; BatchError lists the keys not written). Every value is
  /// converted and checked before anything is sent.
  void update(const std::vector<T>& values) {
    std::vector<std::pair<Key, Item>> entries;
    entries.reserve(values.size());
    for (const T& v : values) {
      Item item = encode(v);
      Key key = key_in(item);
      entries.emplace_back(std::move(key), std::move(item));
    }
    mapping_.update(std::move(entries));
  }

  // ---- reads of many ----
  /// The values under `keys`, in the same order (nullopt where absent): BatchGetItem as
  /// DynamoDBMapping::get_many.
  [[nodiscard]] std::vector<std::optional<T>> get_many(const std::vector<Key>& keys,
                                                       const ReadOptions& options = {}) const {
    std::vector<std::optional<T>> out;
    out.reserve(keys.size());
    for (std::optional<Item>& item : mapping_.get_many(keys, options)) {
      if (item)
        out.emplace_back(decode(std::move(*item)));
      else
        out.emplace_back(std::nullopt);
    }
    return out;
  }

  /// Decodes one item of the table (the key attributes are dropped first when T's fields do not
  /// include them).
  struct ItemDecoder {
    /// The mapping whose table the items come from (a handle, so the range may outlive it).
    DynamoDBMapping mapping;
    /// The item as T.
    T operator()(const Item& item) const { return decode_from(mapping, Item(item)); }
  };
  /// Decodes one (key, item) pair of the table into (key, T).
  struct EntryDecoder {
    /// The mapping whose table the items come from (a handle, so the range may outlive it).
    DynamoDBMapping mapping;
    /// The pair as (key, T).
    std::pair<Key, T> operator()(const std::pair<Key, Item>& entry) const {
      return {entry.first, decode_from(mapping, Item(entry.second))};
    }
  };

  /// @{
  /// The typed ranges over a scan or query; like Results, they share the mapping's state.
  using Values = TypedResults<Item, T, ItemDecoder>;
  using Entries = TypedResults<std::pair<Key, Item>, std::pair<Key, T>, EntryDecoder>;
  /// @}

  // ---- iteration ----
  /// Every (key, value) pair, by a lazy paged Scan.
  [[nodiscard]] Entries items(const ScanOptions& options = {}) const {
    return Entries(mapping_.items(options), EntryDecoder{mapping_});
  }
  /// Every value, by a lazy paged Scan.
  [[nodiscard]] Values values(const ScanOptions& options = {}) const {
    return Values(mapping_.values(options), ItemDecoder{mapping_});
  }
  /// Range-for over (key, value) pairs: `for (const auto& [key, order] : orders)`.
  [[nodiscard]] typename Entries::iterator begin() const {
    // The walk's state is shared by the iterator; the decoder holds a handle of its own.
    return Entries(mapping_.items(), EntryDecoder{mapping_}).begin();
  }
  /// The end of the range-for.
  std::default_sentinel_t end() const { return {}; }
  /// The values of one partition, in sort-key order, as DynamoDBMapping::query.
  [[nodiscard]] Values query(const Value& partition,
                             std::optional<SortCondition> sort = std::nullopt,
                             const QueryOptions& options = {}) const {
    return Values(mapping_.query(partition, std::move(sort), options), ItemDecoder{mapping_});
  }

  // ---- conversion ----
  /// The key of `value`, from the key attributes of its item; ValidationError when T's item has
  /// none (then give the key explicitly).
  [[nodiscard]] Key key_of(const T& value) const { return key_in(encode(value)); }
  /// The Item `value` is stored as (without key attributes T lacks); ValidationError for what
  /// DynamoDB cannot store.
  [[nodiscard]] Item to_item(const T& value) const { return encode(value); }
  /// The untyped mapping this view shares its state with.
  [[nodiscard]] const DynamoDBMapping& untyped() const noexcept { return mapping_; }

 private:
  Item encode(const T& value) const { return item_from(value); }

  T decode(Item item) const { return decode_from(mapping_, std::move(item)); }

  static T decode_from(const DynamoDBMapping& mapping, Item item) {
    if constexpr (detail::adl::HasFieldNames<T>) {
      // Key attributes that T has no field for come with every item read: not an extra attribute.
      const std::span<const std::string_view> fields = detail::adl::field_names<T>();
      for (const std::string& name : mapping.key_names()) {
        bool listed = false;
        for (std::string_view f : fields) listed = listed || f == name;
        if (!listed) item.erase(name);
      }
    }
    return model_from<T>(item);
  }

  Key key_in(const Item& item) const {
    const std::vector<std::string> names = mapping_.key_names();
    for (const std::string& name : names) {
      if (!item.count(name)) {
        throw ValidationError("this value's item has no key attribute \"" + name +
                              "\"; give the key explicitly");
      }
    }
    return mapping_.key_of(item);
  }

  DynamoDBMapping mapping_;
};

template <class T>
TypedMapping<T> DynamoDBMapping::as() const {
  return TypedMapping<T>(*this);
}

}  // namespace dynamodb_mapping
