// The container: construction, single-item reads and writes, size and TTL. The other operation
// families have their own files: key_schema.cpp, expressions.cpp, results.cpp, item_ref.cpp,
// transaction.cpp, batch.cpp.
#include "dynamodb_mapping/mapping.hpp"

#include <chrono>

#include "mapping/expressions.hpp"
#include "mapping/state.hpp"

namespace dynamodb_mapping {

namespace {

// A conditional put; after a lost answer and a refusal without the item, reads the item to tell
// whether the lost attempt landed.
void put_resolving(const detail::MappingState& m, const Key& key, const PutItemRequest& r) {
  try {
    m.client.put_item(r);
  } catch (const AmbiguousOutcomeError& e) {
    // The client settles a refusal that carries the item; a server without
    // ReturnValuesOnConditionCheckFailure (dynalite) sends none, so look: finding exactly the
    // item this put writes means its lost attempt landed.
    bool refused_without_item = false;
    try {
      if (e.cause()) std::rethrow_exception(e.cause());
    } catch (const ConditionalCheckFailedError& ccf) {
      refused_without_item = ccf.item() == nullptr;
    } catch (...) {
    }
    if (!refused_without_item) throw;
    GetItemRequest g;
    g.table_name = m.table_name;
    g.key = m.key_attributes(key);
    g.consistent_read = true;
    const std::optional<Item> now = m.client.get_item(g).item;
    if (!now || !(*now == r.item)) throw;
  }
}

// A put of `item` under `key` with the caller's condition and optimistic locking.
PutItemRequest put_request(const detail::MappingState& m, const Key& key, Item item,
                           const WriteOptions& options) {
  PutItemRequest r;
  r.table_name = m.table_name;
  r.item = m.full_item(key, std::move(item));
  r.return_item_on_condition_failure = options.return_item_on_condition_failure;
  if (options.condition) {
    detail::merge_condition(r.condition_expression, r.expression_attribute_names,
                            r.expression_attribute_values, *options.condition);
  }
  if (!m.options.version_attribute.empty()) {
    detail::merge_condition(r.condition_expression, r.expression_attribute_names,
                            r.expression_attribute_values,
                            detail::versioned_put(r.item, m.options.version_attribute));
  }
  return r;
}

// A DeleteItem of `key` that DynamoDB refuses (ConditionalCheckFailedError) when there is no
// item: "absent" is told without a read and without transferring the item.
DeleteItemRequest delete_if_exists(const detail::MappingState& m, const Key& key) {
  DeleteItemRequest r;
  r.table_name = m.table_name;
  r.key = m.key_attributes(key);
  detail::merge_condition(r.condition_expression, r.expression_attribute_names,
                          r.expression_attribute_values, attribute_exists(m.schema().partition));
  return r;
}

}  // namespace

// ---- construction ----

DynamoDBMapping::DynamoDBMapping(std::string table_name, ClientConfig config,
                                 MappingOptions options)
    : DynamoDBMapping(std::move(table_name), Client(std::move(config)), std::move(options)) {}

DynamoDBMapping::DynamoDBMapping(std::string table_name, Client client, MappingOptions options) {
  if (table_name.size() < 3 || table_name.size() > 255) {
    throw ValidationError("table name \"" + table_name + "\" must be 3 to 255 characters long");
  }
  if (options.batch_concurrency < 1 || options.batch_max_rounds < 1) {
    throw ValidationError("batch_concurrency and batch_max_rounds must be at least 1");
  }
  state_ = std::make_shared<detail::MappingState>(std::move(table_name), std::move(client),
                                                  std::move(options));
}

DynamoDBMapping DynamoDBMapping::with_credentials(std::string table_name, std::string access_key_id,
                                                  std::string secret_access_key, std::string region,
                                                  std::string profile) {
  ClientConfig c;
  c.credentials = Credentials{std::move(access_key_id), std::move(secret_access_key), "", {}};
  c.region = std::move(region);
  c.profile = std::move(profile);
  return DynamoDBMapping(std::move(table_name), std::move(c));
}

// ---- introspection ----

const std::string& DynamoDBMapping::table_name() const noexcept {
  return state_->table_name;
}

const Client& DynamoDBMapping::client() const noexcept {
  return state_->client;
}

std::vector<AttributeDefinition> DynamoDBMapping::key_definitions() const {
  const detail::KeySchema& s = state_->schema();
  std::vector<AttributeDefinition> out{{s.partition, s.partition_type}};
  if (!s.sort.empty()) out.push_back({s.sort, s.sort_type});
  return out;
}

std::vector<std::string> DynamoDBMapping::key_names() const {
  return state_->key_names();
}

Item DynamoDBMapping::key_attributes(const Key& key) const {
  return state_->key_attributes(key);
}

Key DynamoDBMapping::key_of(const Item& item) const {
  return state_->key_of(item);
}

// ---- element access ----

std::optional<Item> DynamoDBMapping::find(const Key& key, const ReadOptions& options) const {
  const detail::MappingState& m = *state_;
  GetItemRequest r;
  r.table_name = m.table_name;
  r.key = m.key_attributes(key);
  r.consistent_read = m.consistent(options.consistent_read);
  if (!options.projection.empty()) {
    r.projection_expression =
        m.projection_with_keys(options.projection, r.expression_attribute_names);
  }
  return m.client.get_item(r).item;
}

Item DynamoDBMapping::at(const Key& key, const ReadOptions& options) const {
  auto item = find(key, options);
  if (!item) throw KeyError("GetItem", state_->table_name, key);
  return std::move(*item);
}

bool DynamoDBMapping::contains(const Key& key, const ReadOptions& options) const {
  ReadOptions o;
  o.consistent_read = options.consistent_read;
  o.projection = {key_names().front()};
  return find(key, o).has_value();
}

// ---- writes ----

bool DynamoDBMapping::insert_or_assign(const Key& key, Item item, const WriteOptions& options) {
  PutItemRequest r = put_request(*state_, key, std::move(item), options);
  r.return_values = ReturnValues::AllOld;
  return !state_->client.put_item(r).attributes.has_value();
}

void DynamoDBMapping::set_item(const Key& key, Item item, const WriteOptions& options) {
  put_resolving(*state_, key, put_request(*state_, key, std::move(item), options));
}

bool DynamoDBMapping::insert(const Key& key, Item item) {
  const detail::MappingState& m = *state_;
  PutItemRequest r;
  r.table_name = m.table_name;
  r.item = m.full_item(key, std::move(item));
  detail::merge_condition(r.condition_expression, r.expression_attribute_names,
                          r.expression_attribute_values,
                          attribute_not_exists(m.schema().partition));
  if (!m.options.version_attribute.empty() && !r.item.count(m.options.version_attribute)) {
    r.item[m.options.version_attribute] = Number(1);
  }
  try {
    put_resolving(m, key, r);
    return true;
  } catch (const ConditionalCheckFailedError&) {
    return false;
  }
}

std::size_t DynamoDBMapping::erase(const Key& key, const WriteOptions& options) {
  const detail::MappingState& m = *state_;
  if (options.condition) {
    // With a condition of the caller's, its failure must surface: tell "absent" by ALL_OLD.
    DeleteItemRequest r;
    r.table_name = m.table_name;
    r.key = m.key_attributes(key);
    detail::merge_condition(r.condition_expression, r.expression_attribute_names,
                            r.expression_attribute_values, *options.condition);
    r.return_values = ReturnValues::AllOld;
    r.return_item_on_condition_failure = options.return_item_on_condition_failure;
    return m.client.delete_item(r).attributes ? 1 : 0;
  }
  // Otherwise DynamoDB says whether there was an item.
  try {
    m.client.delete_item(delete_if_exists(m, key));
    return 1;
  } catch (const ConditionalCheckFailedError&) {
    return 0;
  }
}

Item DynamoDBMapping::pop(const Key& key) {
  const detail::MappingState& m = *state_;
  // Read first: if the delete's answer is lost and its retry finds nothing, the value is not lost
  // with it; it travels in the AmbiguousOutcomeError.
  GetItemRequest g;
  g.table_name = m.table_name;
  g.key = m.key_attributes(key);
  g.consistent_read = true;
  std::optional<Item> before = m.client.get_item(g).item;
  if (!before) throw KeyError("GetItem", m.table_name, key);
  DeleteItemRequest r;
  r.table_name = m.table_name;
  r.key = std::move(g.key);
  r.return_values = ReturnValues::AllOld;
  std::optional<Item> old;
  try {
    old = m.client.delete_item(r).attributes;
  } catch (const AmbiguousOutcomeError& e) {
    AmbiguousOutcomeError with_item(
        e.message() + "; the item as read just before the delete is in item()", e.cause(),
        std::make_shared<const Item>(std::move(*before)));
    detail::set_error_context(with_item, e.operation(), e.table());
    throw with_item;
  }
  // Deleted by another writer after the read.
  if (!old) throw KeyError("DeleteItem", m.table_name, key);
  return std::move(*old);
}

void DynamoDBMapping::del_item(const Key& key, const DeleteOptions& options) {
  if (!options.must_exist) {
    DeleteItemRequest r;
    r.table_name = state_->table_name;
    r.key = state_->key_attributes(key);
    state_->client.delete_item(r);
    return;
  }
  // As erase(), with the refusal's status and request id kept in the KeyError.
  try {
    state_->client.delete_item(delete_if_exists(*state_, key));
  } catch (const ConditionalCheckFailedError& e) {
    throw KeyError("DeleteItem", state_->table_name, key, e.http_status(), e.request_id());
  }
}

Item DynamoDBMapping::update_item(const Key& key, const Update& update,
                                  const UpdateOptions& options) {
  const detail::MappingState& m = *state_;
  const std::vector<std::string> key_names = m.key_names();
  for (const Update::Step& step : update.steps()) {
    for (const auto& name : key_names) {
      if (step.path.attribute() == name) {
        throw ValidationError("an update cannot change key attribute \"" + name + "\"");
      }
    }
  }
  detail::Expression u = detail::render_update(update, m.options.version_attribute);
  UpdateItemRequest r;
  r.table_name = m.table_name;
  r.key = m.key_attributes(key);
  r.update_expression = std::move(u.text);
  r.expression_attribute_names = std::move(u.names);
  r.expression_attribute_values = std::move(u.values);
  if (options.condition) {
    detail::merge_condition(r.condition_expression, r.expression_attribute_names,
                            r.expression_attribute_values, *options.condition);
  }
  if (options.must_exist) {
    detail::merge_condition(r.condition_expression, r.expression_attribute_names,
                            r.expression_attribute_values, attribute_exists(key_names.front()));
  }
  r.return_values = options.returns;
  // With must_exist, the refusal's item tells "absent" from "the caller's condition failed".
  r.return_item_on_condition_failure = options.return_item_on_condition_failure ||
                                       (options.must_exist && options.condition.has_value());
  // The version increment is not idempotent either.
  r.idempotent = update.idempotent() && m.options.version_attribute.empty();
  try {
    return m.client.update_item(r).attributes.value_or(Item{});
  } catch (const ConditionalCheckFailedError& e) {
    if (!options.must_exist || e.item()) throw;
    // No item in the refusal: absent, or a server without ReturnValuesOnConditionCheckFailure
    // (dynalite); with a condition of the caller's, look.
    if (options.condition && contains(key, ReadOptions{.consistent_read = true})) throw;
    throw KeyError("UpdateItem", m.table_name, key, e.http_status(), e.request_id());
  }
}

Item DynamoDBMapping::modify_item(const Key& key, const Changes& changes,
                                  const WriteOptions& options) {
  if (changes.empty()) throw ValidationError("modify_item needs at least one change");
  const Update update = detail::changes_update(changes);
  UpdateOptions o;
  o.condition = options.condition;
  o.return_item_on_condition_failure = options.return_item_on_condition_failure;
  return update_item(key, update, o);
}

// ---- size ----

std::size_t DynamoDBMapping::size() const {
  return static_cast<std::size_t>(state_->client.describe_table(state_->table_name).item_count);
}

std::size_t DynamoDBMapping::count() const {
  ScanRequest r;
  r.table_name = state_->table_name;
  r.select = Select::Count;
  r.consistent_read = state_->consistent(false);
  std::size_t total = 0;
  ScanPages pages(state_->client, r);
  while (auto page = pages.next()) total += static_cast<std::size_t>(page->count);
  return total;
}

bool DynamoDBMapping::empty() const {
  ScanRequest r;
  r.table_name = state_->table_name;
  r.limit = 1;
  r.projection_expression =
      detail::projection_expression({key_names().front()}, r.expression_attribute_names);
  return state_->client.scan(r).items.empty();
}

// ---- TTL ----

void DynamoDBMapping::enable_ttl(const std::string& attribute) {
  if (attribute.empty()) throw ValidationError("the TTL attribute name must not be empty");
  state_->client.update_time_to_live(state_->table_name, {attribute, true});
}

Number DynamoDBMapping::expires_in(std::chrono::seconds from_now) {
  const auto t = std::chrono::system_clock::now() + from_now;
  return Number(static_cast<std::int64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count()));
}

}  // namespace dynamodb_mapping
