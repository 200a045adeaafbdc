// DynamoDBMapping: one DynamoDB table as a C++ associative container.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <ranges>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "dynamodb_mapping/client.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

/// The primary key of one item: the partition key value, plus the sort key value for tables
/// that have one. Any single value converts implicitly (`mapping["id"]`, `mapping[42]`); a
/// composite key is written `mapping[{"user-1", "2026-11-24"}]`.
struct Key {
  Value partition;
  std::optional<Value> sort;

  Key() = default;
  template <class T>
  requires std::constructible_from<Value, T> Key(T&& partition_value)
      : partition(std::forward<T>(partition_value)) {}
  Key(Value partition_value, Value sort_value)
      : partition(std::move(partition_value)), sort(std::move(sort_value)) {}

  friend bool operator==(const Key&, const Key&) = default;
};

/// Prints the partition value as plain JSON, or `[partition, sort]` for a composite key.
std::ostream& operator<<(std::ostream& os, const Key& key);

/// No item has the key: thrown by `at`, by reading `mapping[key]`, by `pop` and by `del_item`.
/// Like std::map::at, it is a std::out_of_range.
class KeyError : public std::out_of_range {
 public:
  KeyError(const std::string& table, const Key& key);
  const Key& key() const noexcept { return key_; }

 private:
  Key key_;
};

/// A bulk write (`update`, `clear`) or bulk read (`get_many`) that could not finish. Every key of
/// the call is in exactly one of three groups: done (counted by `succeeded()`), certainly not
/// done (`failed()`: DynamoDB kept returning it unprocessed, or refused the request that carried
/// it before applying anything), and `unknown()`: the last request carrying it failed in a way
/// that may have been applied (a lost answer, a 5xx, AmbiguousOutcomeError), so it may or may not
/// have been written; read it to find out. Reads are never unknown. `message()` gives the exact
/// counts and the last error seen.
class BatchError : public Error {
 public:
  /// `operation` names what was done to each key ("writes to T", "reads from T").
  BatchError(const std::string& operation, std::size_t succeeded, std::vector<Key> failed,
             std::vector<Key> unknown, const std::string& reason);
  /// Every key not known to be done: failed() and then unknown().
  const std::vector<Key>& keys() const noexcept { return keys_; }
  /// The keys certainly not written (or not read).
  std::span<const Key> failed() const noexcept { return {keys_.data(), failed_}; }
  /// The keys whose write may or may not have been applied.
  std::span<const Key> unknown() const noexcept {
    return {keys_.data() + failed_, keys_.size() - failed_};
  }
  /// How many keys were written (or read), duplicates counted once.
  std::size_t succeeded() const noexcept { return succeeded_; }
  /// succeeded() + keys().size(): every distinct key of the call.
  std::size_t total() const noexcept { return succeeded_ + keys_.size(); }

 private:
  // The counts come before keys_: the constructor reads the vectors' sizes before moving them.
  std::size_t failed_;
  std::size_t succeeded_;
  std::vector<Key> keys_;
};

/// A condition or filter expression with its placeholders, e.g.
/// `{"#n > :min", {{"#n", "price"}}, {{":min", 10}}}`. Write attribute names as #placeholders:
/// reserved words such as `name` or `size` cannot appear in an expression as they are.
struct Condition {
  std::string expression;
  AttributeNames names;
  Item values;

  /// attribute_exists(attribute)
  static Condition exists(const std::string& attribute);
  /// attribute_not_exists(attribute)
  static Condition not_exists(const std::string& attribute);
  /// attribute = value
  static Condition equals(const std::string& attribute, Value value);
};

/// Marks an attribute for removal in `modify_item`: `{{"old", remove}}`.
struct Remove {
  friend bool operator==(Remove, Remove) { return true; }
};
inline constexpr Remove remove{};

/// One attribute change of `modify_item`: a value to SET, or `remove`.
using Change = std::variant<Value, Remove>;
using Changes = std::map<std::string, Change>;

/// Options for one read.
struct ReadOptions {
  bool consistent_read = false;
  /// Attributes to return (the key attributes are always added); empty: all.
  std::vector<std::string> projection;
};

/// Options for one write: a condition that must hold, or the write fails with
/// ConditionalCheckFailedError.
struct WriteOptions {
  std::optional<Condition> condition;
};

/// Options for a scan of the whole table.
struct ScanOptions {
  std::optional<Condition> filter;
  std::vector<std::string> projection;  // empty: all attributes
  bool consistent_read = false;
  /// Items per Scan request (DynamoDB's Limit); 0: as many as fit in 1 MB.
  int page_size = 0;
  /// Parallel scan: this many segments scanned at once by as many threads; 1: sequential.
  int segments = 1;
  /// Fetch the next page while the current one is consumed.
  bool prefetch = true;
};

/// A condition on the sort key, for `query`.
struct SortCondition {
  enum class Op { Eq, Lt, Le, Gt, Ge, Between, BeginsWith };
  Op op = Op::Eq;
  Value value;
  Value upper;  // Between only

  static SortCondition eq(Value v) { return {Op::Eq, std::move(v), {}}; }
  static SortCondition lt(Value v) { return {Op::Lt, std::move(v), {}}; }
  static SortCondition le(Value v) { return {Op::Le, std::move(v), {}}; }
  static SortCondition gt(Value v) { return {Op::Gt, std::move(v), {}}; }
  static SortCondition ge(Value v) { return {Op::Ge, std::move(v), {}}; }
  static SortCondition between(Value low, Value high) {
    return {Op::Between, std::move(low), std::move(high)};
  }
  static SortCondition begins_with(Value prefix) { return {Op::BeginsWith, std::move(prefix), {}}; }
};

/// Options for a query.
struct QueryOptions {
  std::optional<Condition> filter;
  std::vector<std::string> projection;
  bool consistent_read = false;
  bool descending = false;
  int page_size = 0;
  std::string index_name;  // a secondary index with the same key attribute names
};

/// Options of a mapping, fixed at construction.
struct MappingOptions {
  /// Reads (at, find, operator[], iteration) use strongly consistent reads.
  bool consistent_reads = false;
  /// Optimistic locking: when set, every put checks that this attribute still has the value
  /// the item being written carries (or that the item is new when it carries none) and writes
  /// it incremented by one; a conflict throws ConditionalCheckFailedError.
  std::string version_attribute;
  /// BatchWriteItem/BatchGetItem requests in flight at once in update, clear and get_many.
  int batch_concurrency = 4;
  /// Rounds of retrying UnprocessedItems/UnprocessedKeys (with backoff) before giving up.
  int batch_max_rounds = 12;
  /// The key schema, when known: saves the DescribeTable call on first use.
  std::vector<KeySchemaElement> key_schema;
  std::vector<AttributeDefinition> key_attribute_types;
};

class DynamoDBMapping;
namespace detail {
class PageSource;
}

/// A range over the results of a lazy, paged Scan or Query. Making it sends nothing; each
/// `begin()` starts a new Scan or Query from the first page (so a Results can be iterated again,
/// and sees the table as it is then), and pages are requested only as that iteration reaches them
/// (with `prefetch`, one page ahead), so memory stays O(page). The iterators of one `begin()` are
/// input iterators sharing their position, like std::istream_iterator.
template <class T>
class Results {
 public:
  class iterator {
   public:
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using reference = const T&;
    using pointer = const T*;
    using iterator_category = std::input_iterator_tag;

    iterator() = default;
    const T& operator*() const { return state_->page[state_->index]; }
    const T* operator->() const { return &**this; }
    iterator& operator++() {
      if (++state_->index >= state_->page.size()) state_->load();
      if (state_->done) state_.reset();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t) { return !it.state_; }

   private:
    friend class Results;
    struct State {
      std::shared_ptr<detail::PageSource> source;
      T (*convert)(const DynamoDBMapping&, Item&&);
      const DynamoDBMapping* mapping;
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
  iterator begin() const;
  std::default_sentinel_t end() const { return {}; }

 private:
  friend class DynamoDBMapping;
  using Converter = T (*)(const DynamoDBMapping&, Item&&);
  using SourceFactory = std::function<std::shared_ptr<detail::PageSource>()>;
  Results(const DynamoDBMapping* m, SourceFactory f, Converter c)
      : mapping_(m), factory_(std::move(f)), convert_(c) {}
  const DynamoDBMapping* mapping_;
  SourceFactory factory_;
  Converter convert_;
};

class ItemRef;

/// A reference to one attribute of one item, from `mapping[key]["attr"]`. Assigning issues one
/// UpdateItem (`SET #a = :v`) on an existing item; reading issues one GetItem that fetches only
/// that attribute. Both throw KeyError when the item does not exist.
class AttributeRef {
 public:
  AttributeRef& operator=(const Value& value);
  AttributeRef& operator=(const AttributeRef& other) { return *this = other.get(); }
  /// The attribute's value; KeyError when the item is absent, std::out_of_range (as
  /// std::map::at) when the attribute is.
  Value get() const;
  operator Value() const { return get(); }

 private:
  friend class ItemRef;
  AttributeRef(DynamoDBMapping& m, Key key, std::string name)
      : mapping_(&m), key_(std::move(key)), name_(std::move(name)) {}
  DynamoDBMapping* mapping_;
  Key key_;
  std::string name_;
};

/// A reference to one item, from `mapping[key]`: nothing is sent until it is used. Assigning an
/// Item puts it (PutItem); reading it gets it (GetItem, KeyError when absent); `ref["attr"]`
/// refers to one attribute; `erase("attr")` removes one (UpdateItem REMOVE).
class ItemRef {
 public:
  ItemRef& operator=(const Item& item);
  ItemRef& operator=(const ItemRef& other) { return *this = other.get(); }
  /// The whole item; KeyError when there is none.
  Item get() const;
  operator Item() const { return get(); }
  /// The item, or nullopt.
  std::optional<Item> find() const;
  AttributeRef operator[](std::string attribute) { return {*mapping_, key_, std::move(attribute)}; }
  /// Removes one attribute of an existing item (UpdateItem REMOVE); KeyError when the item is
  /// absent.
  void erase(const std::string& attribute);
  const Key& key() const { return key_; }

 private:
  friend class DynamoDBMapping;
  ItemRef(DynamoDBMapping& m, Key key) : mapping_(&m), key_(std::move(key)) {}
  DynamoDBMapping* mapping_;
  Key key_;
};

/// Prints the item (fetching it).
std::ostream& operator<<(std::ostream& os, const ItemRef& ref);

/// A set of writes applied all or nothing (TransactWriteItems, up to 100 actions).
class Transaction {
 public:
  Transaction& put(const Key& key, Item item, WriteOptions options = {});
  Transaction& modify(const Key& key, const Changes& changes, WriteOptions options = {});
  Transaction& erase(const Key& key, WriteOptions options = {});
  /// A condition on an item that is not written.
  Transaction& check(const Key& key, Condition condition);
  /// Sends the transaction: TransactionCanceledError (with a reason per action) when any
  /// condition fails or another transaction conflicts.
  void commit();

 private:
  friend class DynamoDBMapping;
  explicit Transaction(DynamoDBMapping& m) : mapping_(&m) {}
  DynamoDBMapping* mapping_;
  TransactWriteItemsRequest request_;
};

/// One DynamoDB table as an associative container from Key to Item, modelled on the Python
/// dynamodb-mapping package and on std::map. Construction sends nothing; the key schema is read
/// once (one DescribeTable) on first use and cached. Safe to use from many threads at once.
/// Every operation validates its input (key shape and type, item content) before any request
/// and throws ValidationError for what DynamoDB would refuse. README lists each operation with
/// the DynamoDB calls it makes.
class DynamoDBMapping {
 public:
  /// The table, with region, endpoint and credentials from the standard chains or `config`.
  explicit DynamoDBMapping(std::string table_name, ClientConfig config = {},
                           MappingOptions options = {});
  /// The table, through a client you configured (and may share).
  DynamoDBMapping(std::string table_name, Client client, MappingOptions options = {});
  /// The table, with explicit credentials, optional region and profile (the Python original's
  /// aws_access_key_id, aws_secret_access_key, aws_region and aws_profile).
  static DynamoDBMapping with_credentials(std::string table_name, std::string access_key_id,
                                          std::string secret_access_key, std::string region = {},
                                          std::string profile = {});

  // ---- element access ----
  /// A reference to the item under `key`; sends nothing by itself.
  ItemRef operator[](const Key& key) { return ItemRef(*this, key); }
  /// The item; KeyError when absent. One GetItem.
  Item at(const Key& key, const ReadOptions& options = {}) const;
  /// The item or nullopt. One GetItem.
  std::optional<Item> find(const Key& key, const ReadOptions& options = {}) const;
  /// Alias of find, as in the Python original's `get`.
  std::optional<Item> get(const Key& key, const ReadOptions& options = {}) const {
    return find(key, options);
  }
  /// Whether an item has the key. One GetItem that fetches only the key attributes.
  bool contains(const Key& key, bool consistent_read = false) const;

  // ---- modifiers ----
  /// Puts `item` under `key` (creating or replacing it); key attributes are filled in. Returns
  /// true when there was no item before. One PutItem.
  bool insert_or_assign(const Key& key, Item item, const WriteOptions& options = {});
  /// Puts `item` only if no item has the key; returns whether it did. One conditional PutItem.
  bool insert(const Key& key, Item item);
  /// Deletes the item; returns 1 if there was one, else 0. One DeleteItem.
  std::size_t erase(const Key& key, const WriteOptions& options = {});
  /// Deletes and returns the item; KeyError when absent. One DeleteItem.
  Item pop(const Key& key);
  /// Writes every (key, item) pair: BatchWriteItem in chunks of 25, several in flight, with
  /// UnprocessedItems retried with backoff until all are written; for duplicate keys the last
  /// pair wins (keys compare as DynamoDB compares them: 1 and 1.0 are one key). Validates
  /// everything before sending anything. Throws BatchError with the exact count of keys written
  /// and the keys not written or of unknown outcome.
  void update(std::vector<std::pair<Key, Item>> entries);
  template <std::ranges::input_range R>
  requires(!std::same_as<std::remove_cvref_t<R>, std::vector<std::pair<Key, Item>>>) void update(
      R&& entries) {
    std::vector<std::pair<Key, Item>> v;
    for (auto&& [k, item] : entries) v.emplace_back(Key(k), Item(item));
    update(std::move(v));
  }
  /// Deletes every item: a key-only Scan and batched deletes as the scan goes. Throws BatchError
  /// as update (counting the deletes of earlier batches of the same call as written).
  void clear();

  // ---- the Python original's named methods ----
  /// The item; KeyError when absent (the Python get_item). One GetItem.
  Item get_item(const Key& key, const ReadOptions& options = {}) const { return at(key, options); }
  /// Creates or replaces the item (the Python set_item/put_item). One PutItem.
  void set_item(const Key& key, Item item, const WriteOptions& options = {});
  void put_item(const Key& key, Item item, const WriteOptions& options = {}) {
    set_item(key, std::move(item), options);
  }
  /// Deletes the item; with `check_existing`, KeyError when it is absent, decided by DynamoDB in
  /// the same call (a condition), not by a read first. One DeleteItem.
  void del_item(const Key& key, bool check_existing = true);
  /// Changes some attributes in one UpdateItem: SET for values, REMOVE for `remove`. Creates the
  /// item if absent (as UpdateItem does) unless `options` has a condition. Returns the item as
  /// it is afterwards.
  Item modify_item(const Key& key, const Changes& changes, const WriteOptions& options = {});

  // ---- iteration ----
  // The views send nothing when made (apart from the first use's DescribeTable); each begin()
  // starts a new Scan or Query (see Results).
  /// Every (key, item) pair, by a lazy paged Scan.
  Results<std::pair<Key, Item>> items(const ScanOptions& options = {}) const;
  /// Every key, by a Scan that transfers only the key attributes.
  Results<Key> keys(const ScanOptions& options = {}) const;
  /// Every item, by a lazy paged Scan.
  Results<Item> values(const ScanOptions& options = {}) const;
  /// Every item, with options (filter, projection, parallel segments, ...).
  Results<Item> scan(const ScanOptions& options = {}) const { return values(options); }
  /// Range-for over (key, item) pairs: `for (const auto& [key, item] : mapping)`.
  Results<std::pair<Key, Item>>::iterator begin() const;
  std::default_sentinel_t end() const { return {}; }
  /// The items of one partition of a table with a sort key, in sort-key order, optionally
  /// limited by a condition on the sort key. Lazy paged Query.
  Results<Item> query(const Value& partition, std::optional<SortCondition> sort = std::nullopt,
                      const QueryOptions& options = {}) const;

  // ---- size ----
  /// The table's item count as DynamoDB estimates it (DescribeTable ItemCount, refreshed by
  /// DynamoDB about every six hours): cheap, possibly stale. One DescribeTable.
  std::size_t size() const;
  /// The exact number of items: a Select=COUNT Scan over all pages, which reads (and is billed
  /// for) the whole table but downloads no item.
  std::size_t count() const;
  /// Whether the table has no items: one Scan of at most one item.
  bool empty() const;

  // ---- bulk reads, transactions, TTL ----
  /// The items under `keys`, in the same order (nullopt where absent): BatchGetItem in chunks
  /// of 100, several in flight, UnprocessedKeys retried with backoff. Keys are matched as
  /// DynamoDB compares them (the item stored under 1 is found for 1.0). BatchError lists the keys
  /// that could not be read (its failed()); unknown() is always empty for reads.
  std::vector<std::optional<Item>> get_many(const std::vector<Key>& keys,
                                            bool consistent_read = false) const;
  /// Starts a transaction over several keys of this table.
  Transaction transaction() { return Transaction(*this); }
  /// Reads several items at one point in time (TransactGetItems, up to 100).
  std::vector<std::optional<Item>> get_transactionally(const std::vector<Key>& keys) const;
  /// Turns on DynamoDB's time to live on `attribute` (UpdateTimeToLive): items whose attribute
  /// holds an epoch-seconds Number in the past are deleted by DynamoDB in the background.
  void enable_ttl(const std::string& attribute);
  /// The epoch-seconds Number `from_now` in the future, for a TTL attribute.
  static Number expires_in(std::chrono::seconds from_now);

  // ---- introspection ----
  const std::string& table_name() const noexcept { return table_name_; }
  /// The key attribute names: one (partition) or two (partition, sort). Reads the schema if
  /// it is not known yet.
  std::vector<std::string> key_names() const;
  /// The key attributes with their types, partition first.
  std::vector<AttributeDefinition> key_definitions() const;
  /// The key of an item of this table (its key attributes).
  Key key_of(const Item& item) const;
  /// The key as an Item of its key attributes, for requests of your own. Throws ValidationError
  /// for a key of the wrong shape or type (this is the check every operation makes).
  Item key_attributes(const Key& key) const;
  Client& client() noexcept { return client_; }
  const Client& client() const noexcept { return client_; }

 private:
  friend class ItemRef;
  friend class AttributeRef;
  friend class Transaction;
  template <class T>
  friend class Results;
  struct Schema;

  const Schema& schema() const;
  /// A ProjectionExpression of `attributes` and the key attributes, names registered in `names`.
  std::string projection_with_keys(std::vector<std::string> attributes,
                                   AttributeNames& names) const;
  /// `item` with the key attributes of `key` filled in; ValidationError if it has others.
  Item full_item(const Key& key, Item item) const;
  /// Makes the page source of one iteration; called by each Results::begin().
  std::function<std::shared_ptr<detail::PageSource>()> scan_source(const ScanOptions& options,
                                                                   bool keys_only) const;
  /// BatchWriteItem of `requests`, de-duplicated by key (the last wins); returns how many
  /// distinct writes were done. `done_before` writes of the same call (clear) are counted in a
  /// BatchError.
  std::size_t batch_write(std::vector<WriteRequest> requests, std::size_t done_before = 0);
  /// A conditional put; after a lost answer and a refusal without the item, reads the item to
  /// tell whether the lost attempt landed.
  void put_resolving(const Key& key, const PutItemRequest& r);
  /// modify_item on an item that must exist: KeyError when it does not (one UpdateItem).
  void modify_existing(const Key& key, const Changes& changes);

  std::string table_name_;
  Client client_;
  MappingOptions options_;
  std::shared_ptr<Schema> schema_;
};

}  // namespace dynamodb_mapping
