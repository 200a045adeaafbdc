// DynamoDBMapping: one DynamoDB table as a C++ associative container.
#pragma once

#include <chrono>
#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <ranges>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "dynamodb_mapping/capacity.hpp"
#include "dynamodb_mapping/client_config.hpp"
#include "dynamodb_mapping/condition.hpp"
#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/index.hpp"
#include "dynamodb_mapping/item_ref.hpp"
#include "dynamodb_mapping/key.hpp"
#include "dynamodb_mapping/options.hpp"
#include "dynamodb_mapping/results.hpp"
#include "dynamodb_mapping/statement.hpp"
#include "dynamodb_mapping/transaction.hpp"
#include "dynamodb_mapping/types.hpp"
#include "dynamodb_mapping/update.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

class Client;
template <class T>
class TypedMapping;
namespace detail {
struct MappingAccess;
}

/// One DynamoDB table as an associative container from Key to Item, modelled on the Python
/// dynamodb-mapping package and on std::map. Construction sends nothing; the key schema is read
/// once (one DescribeTable) on first use and cached. Safe to use from many threads at once.
/// Every operation validates its input (key shape and type, item content) before any request
/// and throws ValidationError for what DynamoDB would refuse. README lists each operation with
/// the DynamoDB calls it makes.
///
/// A DynamoDBMapping is a handle: copies share one client, key schema cache and options, and
/// copying costs a reference count. The views, proxies and transactions it hands out share the
/// same state, so they stay valid after the mapping is gone.
class DDBMAP_API DynamoDBMapping {
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
  /// Another handle on the same table state. There is no move: moving copies, so a handle
  /// never becomes empty.
  DynamoDBMapping(const DynamoDBMapping&) = default;
  /// Makes this a handle on the state of `other`.
  DynamoDBMapping& operator=(const DynamoDBMapping&) = default;

  // ---- element access ----
  /// A reference to the item under `key` (a proxy: see item_ref.hpp); sends nothing by itself.
  ItemRef operator[](const Key& key) const { return ItemRef(state_, key); }
  /// The item; KeyError when absent. One GetItem.
  [[nodiscard]] Item at(const Key& key, const ReadOptions& options = {}) const;
  /// The item or nullopt. One GetItem.
  [[nodiscard]] std::optional<Item> find(const Key& key, const ReadOptions& options = {}) const;
  /// Whether an item has the key. One GetItem that fetches only the key attributes
  /// (`options.projection` is not used).
  [[nodiscard]] bool contains(const Key& key, const ReadOptions& options = {}) const;

  // ---- modifiers ----
  /// Puts `item` under `key` (creating or replacing it); key attributes are filled in. Returns
  /// true when there was no item before. One PutItem.
  bool insert_or_assign(const Key& key, Item item, const WriteOptions& options = {});
  /// Puts `item` only if no item has the key; returns whether it did. One conditional PutItem.
  bool insert(const Key& key, Item item);
  /// Applies `update` (SET, REMOVE, ADD, DELETE, increments, list appends; see update.hpp) to the
  /// item in ONE UpdateItem, atomically on the server: `m.update_item(k,
  /// Update().increment("views").set("seen", true))`. Creates the item when absent unless
  /// `options.must_exist` (then KeyError). With the mapping's version_attribute, also bumps the
  /// version. Returns what `options.returns` asks for (by default the item afterwards; empty
  /// for None). Only an idempotent update (Update::idempotent) is sent again after a lost answer;
  /// any other throws AmbiguousOutcomeError then. ValidationError before sending for a key
  /// attribute in the update, overlapping paths, or a bad operand.
  Item update_item(const Key& key, const Update& update, const UpdateOptions& options = {});
  /// Deletes the item; returns 1 if there was one, else 0. One DeleteItem.
  std::size_t erase(const Key& key, const WriteOptions& options = {});
  /// Deletes and returns the item; KeyError when absent. One consistent GetItem, then one
  /// DeleteItem (so a lost answer cannot lose the value: see AmbiguousOutcomeError::item()).
  [[nodiscard]] Item pop(const Key& key);
  /// Writes every (key, item) pair: BatchWriteItem in chunks of 25, several in flight, with
  /// UnprocessedItems retried with backoff until all are written; for duplicate keys the last
  /// pair wins (keys compare as DynamoDB compares them: 1 and 1.0 are one key). Validates
  /// everything before sending anything. Throws BatchError with the exact count of keys written
  /// and the keys not written or of unknown outcome.
  void update(std::vector<std::pair<Key, Item>> entries);
  /// update() from any range of (key, item) pairs, e.g. a std::map<std::string, Item>.
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

  // ---- iteration ----
  // The views send nothing when made (apart from the first use's DescribeTable); each begin()
  // starts a new Scan or Query (see Results).
  /// Every (key, item) pair, by a lazy paged Scan.
  [[nodiscard]] Results<std::pair<Key, Item>> items(const ScanOptions& options = {}) const;
  /// Every key, by a Scan that transfers only the key attributes.
  [[nodiscard]] Results<Key> keys(const ScanOptions& options = {}) const;
  /// Every item, by a lazy paged Scan (with options: filter, projection, parallel segments...).
  [[nodiscard]] Results<Item> values(const ScanOptions& options = {}) const;
  /// Range-for over (key, item) pairs: `for (const auto& [key, item] : mapping)`.
  [[nodiscard]] Results<std::pair<Key, Item>>::iterator begin() const;
  /// The end of the range-for.
  std::default_sentinel_t end() const { return {}; }
  /// The secondary index `name` as a read-only view with its own key (index.hpp). Sends
  /// nothing; its first use reads the index key schemas (one DescribeTable).
  [[nodiscard]] IndexView index(std::string name) const;
  /// The items of one partition of a table with a sort key, in sort-key order, optionally
  /// limited by a condition on the sort key. Lazy paged Query. With `options.index_name`, the
  /// same as `index(name).query(...)`: the partition and sort conditions are on the index's key.
  [[nodiscard]] Results<Item> query(const Value& partition,
                                    std::optional<SortCondition> sort = std::nullopt,
                                    const QueryOptions& options = {}) const;

  // ---- PartiQL ----
  /// Runs one PartiQL statement with the values of its `?` parameters, as written: the mapping
  /// neither rewrites it nor checks which table it names (README, "PartiQL"). A SELECT gives a
  /// lazy paged range, like query(): each begin() sends ExecuteStatement page by page (NextToken,
  /// `options.page_size` items read per request), and no resume tokens (token(), resume() and
  /// page() throw ValidationError). Any other statement (INSERT, UPDATE, DELETE) is a write, sent
  /// once here, and the range replays its answer (the items of a RETURNING clause, else none).
  /// ValidationError before sending for an empty or oversized statement or an invalid parameter.
  [[nodiscard]] Results<Item> execute(const std::string& statement,
                                      const std::vector<Value>& parameters = {},
                                      const StatementOptions& options = {}) const;
  /// Runs 1 to 25 statements in one BatchExecuteStatement (all reads or all writes: DynamoDB
  /// refuses a mix) and returns one response per statement, in order; a statement's failure is
  /// in its response, not thrown. A batch with a write is not sent again after a lost answer
  /// (AmbiguousOutcomeError).
  [[nodiscard]] std::vector<StatementResponse> execute_batch(
      const std::vector<Statement>& statements, const StatementOptions& options = {}) const;

  // ---- size ----
  /// The table's item count as DynamoDB estimates it (DescribeTable ItemCount, refreshed by
  /// DynamoDB about every six hours): cheap, possibly stale. One DescribeTable.
  [[nodiscard]] std::size_t size() const;
  /// The exact number of items: a Select=COUNT Scan over all pages, which reads (and is billed
  /// for) the whole table but downloads no item.
  [[nodiscard]] std::size_t count() const;
  /// Whether the table has no items: one Scan of at most one item.
  [[nodiscard]] bool empty() const;

  // ---- bulk reads, transactions, TTL ----
  /// The items under `keys`, in the same order (nullopt where absent): BatchGetItem in chunks
  /// of 100, several in flight, UnprocessedKeys retried with backoff. Keys are matched as
  /// DynamoDB compares them (the item stored under 1 is found for 1.0). BatchError lists the keys
  /// that could not be read (its failed()); unknown() is always empty for reads.
  [[nodiscard]] std::vector<std::optional<Item>> get_many(const std::vector<Key>& keys,
                                                          const ReadOptions& options = {}) const;
  /// Starts a transaction over several keys of this table; nothing is sent before its commit().
  [[nodiscard]] Transaction transaction() const;
  /// Reads several items at one point in time (TransactGetItems, up to 100).
  [[nodiscard]] std::vector<std::optional<Item>> get_transactionally(
      const std::vector<Key>& keys) const;
  /// Turns on DynamoDB's time to live on `attribute` (UpdateTimeToLive): items whose attribute
  /// holds an epoch-seconds Number in the past are deleted by DynamoDB in the background.
  void enable_ttl(const std::string& attribute);
  /// The epoch-seconds Number `from_now` in the future, for a TTL attribute.
  static Number expires_in(std::chrono::seconds from_now);

  /// The table as a container of your own type T (typed.hpp): `mapping.as<Order>()`. T needs a
  /// codec (DDBMAP_FIELDS, codec<T>, or to_item/from_item). Sends nothing; shares this state.
  template <class T>
  [[nodiscard]] TypedMapping<T> as() const;

  // ---- introspection ----
  /// The table's name.
  const std::string& table_name() const noexcept;
  /// The key attribute names: one (partition) or two (partition, sort). Reads the schema if
  /// it is not known yet.
  [[nodiscard]] std::vector<std::string> key_names() const;
  /// The key attributes with their types, partition first.
  [[nodiscard]] std::vector<AttributeDefinition> key_definitions() const;
  /// The key of an item of this table (its key attributes).
  [[nodiscard]] Key key_of(const Item& item) const;
  /// The key as an Item of its key attributes, for requests of your own. Throws ValidationError
  /// for a key of the wrong shape or type (this is the check every operation makes).
  [[nodiscard]] Item key_attributes(const Key& key) const;
  /// The client this mapping sends through (shared with its copies).
  const Client& client() const noexcept;
  /// The capacity this table's requests consumed, its indexes included, as DynamoDB reported
  /// it, since the start or the last reset; all zero unless the client was made with
  /// ClientConfig::track_consumed_capacity. The totals are the client's, per table: every
  /// mapping (and Client call) on this table through the same client adds to them and sees
  /// them. Sends nothing.
  [[nodiscard]] TableCapacity consumed_capacity() const;
  /// Sets this table's totals in the client to zero (for every mapping sharing them).
  void reset_consumed_capacity() const;

  // ---- the Python original's names (compatibility) ----
  // The Python dynamodb-mapping package's methods, kept under its names. Each is either an alias
  // of a container call above (named on it) or, for set_item, del_item and modify_item, the one
  // spelling of what it does.
  /// The Python `get`: find().
  [[nodiscard]] std::optional<Item> get(const Key& key, const ReadOptions& options = {}) const {
    return find(key, options);
  }
  /// The Python `get_item`: at().
  [[nodiscard]] Item get_item(const Key& key, const ReadOptions& options = {}) const {
    return at(key, options);
  }
  /// The Python `scan`: values().
  [[nodiscard]] Results<Item> scan(const ScanOptions& options = {}) const {
    return values(options);
  }
  /// Creates or replaces the item without reporting whether it existed (what `m[k] = item`
  /// does). One PutItem; with a condition or optimistic locking, a lost answer is settled by
  /// reading the item back.
  void set_item(const Key& key, Item item, const WriteOptions& options = {});
  /// The Python `put_item`: set_item().
  void put_item(const Key& key, Item item, const WriteOptions& options = {}) {
    set_item(key, std::move(item), options);
  }
  /// Deletes the item; with `options.must_exist` (the default, the Python `check_existing`),
  /// KeyError when it is absent, decided by DynamoDB in the same call. One DeleteItem.
  void del_item(const Key& key, const DeleteOptions& options = {});
  /// Changes some attributes in one UpdateItem: SET for values, REMOVE for `remove`. Creates the
  /// item if absent (as UpdateItem does) unless `options` has a condition. Returns the item as
  /// it is afterwards.
  Item modify_item(const Key& key, const Changes& changes, const WriteOptions& options = {});

 private:
  friend struct detail::MappingAccess;
  explicit DynamoDBMapping(std::shared_ptr<detail::MappingState> state)
      : state_(std::move(state)) {}
  std::shared_ptr<detail::MappingState> state_;
};

}  // namespace dynamodb_mapping
