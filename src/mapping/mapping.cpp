#include "dynamodb_mapping/mapping.hpp"

#include <algorithm>
#include <atomic>
#include <ctime>
#include <mutex>
#include <ostream>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "dynamodb_mapping/json.hpp"
#include "dynamodb_mapping/validate.hpp"
#include "mapping/page_source.hpp"
#include "value/identity.hpp"

namespace dynamodb_mapping {

// ---- small types ----

std::ostream& operator<<(std::ostream& os, const Key& key) {
  if (!key.sort) return os << key.partition;
  return os << '[' << key.partition << ',' << *key.sort << ']';
}

namespace {
std::string describe(const Key& key) {
  std::ostringstream s;
  s << key;
  std::string text = s.str();
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  return text;
}
}  // namespace

KeyError::KeyError(const std::string& table, const Key& key)
    : std::out_of_range("no item with key " + describe(key) + " in table " + table), key_(key) {}

Condition Condition::exists(const std::string& attribute) {
  return {"attribute_exists(#_c)", {{"#_c", attribute}}, {}};
}
Condition Condition::not_exists(const std::string& attribute) {
  return {"attribute_not_exists(#_c)", {{"#_c", attribute}}, {}};
}
Condition Condition::equals(const std::string& attribute, Value value) {
  return {"#_c = :_c", {{"#_c", attribute}}, {{":_c", std::move(value)}}};
}

// ---- schema ----

struct DynamoDBMapping::Schema {
  std::mutex mutex;
  bool loaded = false;
  std::string partition, sort;  // sort empty: no sort key
  ScalarType partition_type = ScalarType::String, sort_type = ScalarType::String;
};

namespace {

const char* type_tag(ScalarType t) {
  return t == ScalarType::String ? "S" : t == ScalarType::Number ? "N" : "B";
}

bool has_type(const Value& v, ScalarType t) {
  return (t == ScalarType::String && v.is_string()) || (t == ScalarType::Number && v.is_number()) ||
         (t == ScalarType::Binary && v.is_binary());
}

// Placeholders the mapping generates start with an underscore ("#_pk", ":_v0"), which keeps them
// apart from the ones users write in their own conditions.
constexpr const char* kPk = "#_pk";
constexpr const char* kSk = "#_sk";
constexpr const char* kVersion = "#_ver";

// Adds a user condition to an expression being built; ValidationError when a placeholder is
// used twice with different meanings.
void merge_condition(std::string& expression, AttributeNames& names, Item& values,
                     const Condition& c) {
  if (c.expression.empty()) return;
  for (const auto& [k, v] : c.names) {
    const auto [it, added] = names.emplace(k, v);
    if (!added && it->second != v) {
      throw ValidationError("placeholder " + k + " names both \"" + it->second + "\" and \"" + v +
                            "\"");
    }
  }
  for (const auto& [k, v] : c.values) {
    const auto [it, added] = values.emplace(k, v);
    if (!added && !(it->second == v)) {
      throw ValidationError("placeholder " + k + " is given two different values");
    }
  }
  expression =
      expression.empty() ? c.expression : "(" + expression + ") AND (" + c.expression + ")";
}

// "#_p0, #_p1" for the attribute names, registering them in `names`. DynamoDB refuses a path
// named twice, so repeats (the key attributes are always added) are dropped.
std::string projection_expression(const std::vector<std::string>& attributes,
                                  AttributeNames& names) {
  std::string out;
  std::vector<std::string_view> seen;
  for (const std::string& attribute : attributes) {
    if (std::find(seen.begin(), seen.end(), attribute) != seen.end()) continue;
    seen.push_back(attribute);
    const std::string ph = "#_p" + std::to_string(seen.size() - 1);
    names[ph] = attribute;
    if (!out.empty()) out += ", ";
    out += ph;
  }
  return out;
}

struct Update {
  std::string expression;
  AttributeNames names;
  Item values;
};

// One UpdateItem expression for a set of changes: SET for values, REMOVE for `remove`; with a
// version attribute, also SET it one higher (starting from 1).
Update update_from_changes(const Changes& changes, const std::string& version_attribute = {}) {
  Update u;
  std::string set, rem;
  std::size_t i = 0;
  for (const auto& [attribute, change] : changes) {
    if (attribute.empty()) throw ValidationError("attribute names must not be empty");
    const std::string name = "#_a" + std::to_string(i);
    u.names[name] = attribute;
    if (const Value* v = std::get_if<Value>(&change)) {
      validate_value(*v);
      const std::string value = ":_v" + std::to_string(i);
      u.values[value] = *v;
      set += (set.empty() ? "SET " : ", ") + name + " = " + value;
    } else {
      rem += (rem.empty() ? "REMOVE " : ", ") + name;
    }
    ++i;
  }
  if (!version_attribute.empty()) {
    u.names[kVersion] = version_attribute;
    u.values[":_zero"] = 0;
    u.values[":_one"] = 1;
    set += std::string(set.empty() ? "SET " : ", ") + kVersion + " = if_not_exists(" + kVersion +
           ", :_zero) + :_one";
  }
  u.expression = set + (set.empty() || rem.empty() ? "" : " ") + rem;
  return u;
}

}  // namespace

// ---- construction ----

DynamoDBMapping::DynamoDBMapping(std::string table_name, ClientConfig config,
                                 MappingOptions options)
    : DynamoDBMapping(std::move(table_name), Client(std::move(config)), std::move(options)) {}

DynamoDBMapping::DynamoDBMapping(std::string table_name, Client client, MappingOptions options)
    : table_name_(std::move(table_name)),
      client_(std::move(client)),
      options_(std::move(options)),
      schema_(std::make_shared<Schema>()) {
  if (table_name_.size() < 3 || table_name_.size() > 255) {
    throw ValidationError("table name \"" + table_name_ + "\" must be 3 to 255 characters long");
  }
  if (options_.batch_concurrency < 1 || options_.batch_max_rounds < 1) {
    throw ValidationError("batch_concurrency and batch_max_rounds must be at least 1");
  }
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

const DynamoDBMapping::Schema& DynamoDBMapping::schema() const {
  Schema& s = *schema_;
  std::lock_guard lock(s.mutex);
  if (s.loaded) return s;
  std::vector<KeySchemaElement> keys = options_.key_schema;
  std::vector<AttributeDefinition> types = options_.key_attribute_types;
  if (keys.empty()) {
    const TableDescription d = client_.describe_table(table_name_);
    keys = d.key_schema;
    types = d.attribute_definitions;
  }
  for (const auto& k : keys)
    (k.key_type == KeyType::Hash ? s.partition : s.sort) = k.attribute_name;
  if (s.partition.empty()) throw ValidationError("table " + table_name_ + " has no partition key");
  for (const auto& t : types) {
    if (t.attribute_name == s.partition) s.partition_type = t.attribute_type;
    if (t.attribute_name == s.sort) s.sort_type = t.attribute_type;
  }
  s.loaded = true;
  return s;
}

std::vector<AttributeDefinition> DynamoDBMapping::key_definitions() const {
  const Schema& s = schema();
  std::vector<AttributeDefinition> out{{s.partition, s.partition_type}};
  if (!s.sort.empty()) out.push_back({s.sort, s.sort_type});
  return out;
}

std::vector<std::string> DynamoDBMapping::key_names() const {
  const Schema& s = schema();
  if (s.sort.empty()) return {s.partition};
  return {s.partition, s.sort};
}

// ---- keys and items ----

Item DynamoDBMapping::key_attributes(const Key& key) const {
  const Schema& s = schema();
  auto check = [&](const Value& v, const std::string& name, ScalarType type, std::size_t max) {
    if (!has_type(v, type)) {
      throw ValidationError("key attribute \"" + name + "\" of table " + table_name_ +
                            " is of type " + type_tag(type) + ", but the key given is of type " +
                            std::string(v.type_tag()));
    }
    validate_value(v);
    const std::size_t size = v.is_string()   ? v.as_string().size()
                             : v.is_binary() ? v.as_binary().size()
                                             : 1;
    if (size == 0) throw ValidationError("key attribute \"" + name + "\" must not be empty");
    if (size > max) {
      throw ValidationError("key attribute \"" + name + "\" is " + std::to_string(size) +
                            " bytes; DynamoDB allows " + std::to_string(max));
    }
  };
  if (s.sort.empty() && key.sort) {
    throw ValidationError("table " + table_name_ + " has only a partition key (\"" + s.partition +
                          "\"), but the key given has a sort value");
  }
  if (!s.sort.empty() && !key.sort) {
    throw ValidationError("table " + table_name_ + " has a partition key (\"" + s.partition +
                          "\") and a sort key (\"" + s.sort +
                          "\"): give both, as {partition, sort}");
  }
  // Key size limits: Developer Guide, "Service, account, and table quotas" (2048 and 1024 bytes).
  check(key.partition, s.partition, s.partition_type, 2048);
  Item item{{s.partition, key.partition}};
  if (key.sort) {
    check(*key.sort, s.sort, s.sort_type, 1024);
    item.emplace(s.sort, *key.sort);
  }
  return item;
}

Item DynamoDBMapping::full_item(const Key& key, Item item) const {
  for (auto& [name, v] : key_attributes(key)) {
    const auto it = item.find(name);
    if (it != item.end() && !(it->second == v)) {
      throw ValidationError("the item's key attribute \"" + name + "\" differs from the key given");
    }
    item.insert_or_assign(name, std::move(v));
  }
  validate_item(item);
  return item;
}

std::string DynamoDBMapping::projection_with_keys(std::vector<std::string> attributes,
                                                  AttributeNames& names) const {
  for (auto& name : key_names()) attributes.push_back(std::move(name));
  return projection_expression(attributes, names);
}

Key DynamoDBMapping::key_of(const Item& item) const {
  const Schema& s = schema();
  const auto p = item.find(s.partition);
  if (p == item.end())
    throw DecodeError("an item of table " + table_name_ + " has no partition key");
  if (s.sort.empty()) return Key(p->second);
  const auto k = item.find(s.sort);
  if (k == item.end()) throw DecodeError("an item of table " + table_name_ + " has no sort key");
  return Key(p->second, k->second);
}

// ---- element access ----

std::optional<Item> DynamoDBMapping::find(const Key& key, const ReadOptions& options) const {
  GetItemRequest r;
  r.table_name = table_name_;
  r.key = key_attributes(key);
  r.consistent_read = options.consistent_read || options_.consistent_reads;
  if (!options.projection.empty()) {
    r.projection_expression =
        projection_with_keys(options.projection, r.expression_attribute_names);
  }
  return client_.get_item(r).item;
}

Item DynamoDBMapping::at(const Key& key, const ReadOptions& options) const {
  auto item = find(key, options);
  if (!item) throw KeyError(table_name_, key);
  return std::move(*item);
}

bool DynamoDBMapping::contains(const Key& key, bool consistent_read) const {
  ReadOptions o;
  o.consistent_read = consistent_read;
  o.projection = {key_names().front()};
  return find(key, o).has_value();
}

// ---- writes ----

namespace {
// Adds optimistic locking to a put of `item`: the stored version must be the one the item
// carries (or the item must be new), and the written version is one more.
void add_version_check(PutItemRequest& r, const std::string& attribute) {
  const auto it = r.item.find(attribute);
  Condition c;
  if (it == r.item.end()) {
    c = {"attribute_not_exists(" + std::string(kVersion) + ")", {{kVersion, attribute}}, {}};
    r.item[attribute] = Number(1);
  } else {
    const Number expected = it->second.as_number();
    c = {std::string(kVersion) + " = :_ver", {{kVersion, attribute}}, {{":_ver", expected}}};
    it->second = Number(expected.as<std::int64_t>() + 1);
  }
  merge_condition(r.condition_expression, r.expression_attribute_names,
                  r.expression_attribute_values, c);
}
}  // namespace

bool DynamoDBMapping::insert_or_assign(const Key& key, Item item, const WriteOptions& options) {
  PutItemRequest r;
  r.table_name = table_name_;
  r.item = full_item(key, std::move(item));
  r.return_values = ReturnValues::AllOld;
  if (options.condition) {
    merge_condition(r.condition_expression, r.expression_attribute_names,
                    r.expression_attribute_values, *options.condition);
  }
  if (!options_.version_attribute.empty()) add_version_check(r, options_.version_attribute);
  return !client_.put_item(r).attributes.has_value();
}

void DynamoDBMapping::set_item(const Key& key, Item item, const WriteOptions& options) {
  PutItemRequest r;
  r.table_name = table_name_;
  r.item = full_item(key, std::move(item));
  if (options.condition) {
    merge_condition(r.condition_expression, r.expression_attribute_names,
                    r.expression_attribute_values, *options.condition);
  }
  if (!options_.version_attribute.empty()) add_version_check(r, options_.version_attribute);
  put_resolving(key, r);
}

void DynamoDBMapping::put_resolving(const Key& key, const PutItemRequest& r) {
  try {
    client_.put_item(r);
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
    g.table_name = table_name_;
    g.key = key_attributes(key);
    g.consistent_read = true;
    const std::optional<Item> now = client_.get_item(g).item;
    if (!now || !(*now == r.item)) throw;
  }
}

bool DynamoDBMapping::insert(const Key& key, Item item) {
  PutItemRequest r;
  r.table_name = table_name_;
  r.item = full_item(key, std::move(item));
  r.condition_expression = "attribute_not_exists(#_pk)";
  r.expression_attribute_names = {{kPk, schema().partition}};
  if (!options_.version_attribute.empty() && !r.item.count(options_.version_attribute)) {
    r.item[options_.version_attribute] = Number(1);
  }
  try {
    put_resolving(key, r);
    return true;
  } catch (const ConditionalCheckFailedError&) {
    return false;
  }
}

std::size_t DynamoDBMapping::erase(const Key& key, const WriteOptions& options) {
  DeleteItemRequest r;
  r.table_name = table_name_;
  r.key = key_attributes(key);
  if (options.condition) {
    // With a condition of the caller's, its failure must surface: tell "absent" by ALL_OLD.
    merge_condition(r.condition_expression, r.expression_attribute_names,
                    r.expression_attribute_values, *options.condition);
    r.return_values = ReturnValues::AllOld;
    return client_.delete_item(r).attributes ? 1 : 0;
  }
  // Otherwise DynamoDB says whether there was an item, and nothing is transferred.
  r.condition_expression = "attribute_exists(#_pk)";
  r.expression_attribute_names = {{kPk, schema().partition}};
  try {
    client_.delete_item(r);
    return 1;
  } catch (const ConditionalCheckFailedError&) {
    return 0;
  }
}

Item DynamoDBMapping::pop(const Key& key) {
  // Read first: if the delete's answer is lost and its retry finds nothing, the value is not lost
  // with it; it travels in the AmbiguousOutcomeError.
  GetItemRequest g;
  g.table_name = table_name_;
  g.key = key_attributes(key);
  g.consistent_read = true;
  std::optional<Item> before = client_.get_item(g).item;
  if (!before) throw KeyError(table_name_, key);
  DeleteItemRequest r;
  r.table_name = table_name_;
  r.key = std::move(g.key);
  r.return_values = ReturnValues::AllOld;
  std::optional<Item> old;
  try {
    old = client_.delete_item(r).attributes;
  } catch (const AmbiguousOutcomeError& e) {
    throw AmbiguousOutcomeError(
        e.message() + "; the item as read just before the delete is in item()", e.cause(),
        std::make_shared<const Item>(std::move(*before)));
  }
  if (!old) throw KeyError(table_name_, key);  // deleted by another writer after the read
  return std::move(*old);
}

void DynamoDBMapping::del_item(const Key& key, bool check_existing) {
  if (!check_existing) {
    DeleteItemRequest r;
    r.table_name = table_name_;
    r.key = key_attributes(key);
    client_.delete_item(r);
    return;
  }
  if (erase(key) == 0) throw KeyError(table_name_, key);
}

Item DynamoDBMapping::modify_item(const Key& key, const Changes& changes,
                                  const WriteOptions& options) {
  if (changes.empty()) throw ValidationError("modify_item needs at least one change");
  for (const auto& name : key_names()) {
    if (changes.count(name)) {
      throw ValidationError("modify_item cannot change key attribute \"" + name + "\"");
    }
  }
  Update u = update_from_changes(changes, options_.version_attribute);
  UpdateItemRequest r;
  r.table_name = table_name_;
  r.key = key_attributes(key);
  r.update_expression = std::move(u.expression);
  r.expression_attribute_names = std::move(u.names);
  r.expression_attribute_values = std::move(u.values);
  if (options.condition) {
    merge_condition(r.condition_expression, r.expression_attribute_names,
                    r.expression_attribute_values, *options.condition);
  }
  r.return_values = ReturnValues::AllNew;
  // SET to values and REMOVE leave the same item when applied twice; the version increment does
  // not, so a versioned update is never sent again after an attempt that may have been applied.
  r.idempotent = options_.version_attribute.empty();
  return client_.update_item(r).attributes.value_or(Item{});
}

// ---- proxies ----

ItemRef& ItemRef::operator=(const Item& item) {
  mapping_->set_item(key_, item);
  return *this;
}

Item ItemRef::get() const {
  return mapping_->at(key_);
}

std::optional<Item> ItemRef::find() const {
  return mapping_->find(key_);
}

void DynamoDBMapping::modify_existing(const Key& key, const Changes& changes) {
  try {
    modify_item(key, changes, WriteOptions{Condition::exists(key_names().front())});
  } catch (const ConditionalCheckFailedError&) {
    throw KeyError(table_name_, key);
  }
}

void ItemRef::erase(const std::string& attribute) {
  mapping_->modify_existing(key_, {{attribute, remove}});
}

std::ostream& operator<<(std::ostream& os, const ItemRef& ref) {
  return os << ref.get();
}

AttributeRef& AttributeRef::operator=(const Value& value) {
  mapping_->modify_existing(key_, {{name_, value}});
  return *this;
}

Value AttributeRef::get() const {
  ReadOptions o;
  o.projection = {name_};
  const Item item = mapping_->at(key_, o);  // the key attributes come along: absent == no item
  const auto it = item.find(name_);
  if (it == item.end()) {
    throw std::out_of_range("item " + describe(key_) + " has no attribute \"" + name_ + "\"");
  }
  return it->second;
}

// ---- iteration ----

template <class T>
void Results<T>::iterator::State::load() {
  page.clear();
  index = 0;
  while (auto items = source->next()) {
    if (items->empty()) continue;  // a filter may leave a page empty; the scan goes on
    page.reserve(items->size());
    for (Item& item : *items) page.push_back(convert(*mapping, std::move(item)));
    return;
  }
  done = true;
}

template <class T>
typename Results<T>::iterator Results<T>::begin() const {
  auto state = std::make_shared<typename iterator::State>();
  state->source = factory_();  // a new walk each time: Results can be iterated again
  state->convert = convert_;
  state->mapping = mapping_;
  state->load();
  if (state->done) return iterator();
  return iterator(std::move(state));
}

template class Results<Item>;
template class Results<Key>;
template class Results<std::pair<Key, Item>>;

namespace {
Item as_item(const DynamoDBMapping&, Item&& item) {
  return std::move(item);
}
Key as_key(const DynamoDBMapping& m, Item&& item) {
  return m.key_of(item);
}
std::pair<Key, Item> as_entry(const DynamoDBMapping& m, Item&& item) {
  Key k = m.key_of(item);
  return {std::move(k), std::move(item)};
}
}  // namespace

std::function<std::shared_ptr<detail::PageSource>()> DynamoDBMapping::scan_source(
    const ScanOptions& options, bool keys_only) const {
  if (options.segments < 1 || options.segments > 1000000) {
    throw ValidationError("segments must be from 1 to 1000000");
  }
  if (options.page_size < 0) throw ValidationError("page_size must not be negative");
  ScanRequest r;
  r.table_name = table_name_;
  r.consistent_read = options.consistent_read || options_.consistent_reads;
  if (options.page_size > 0) r.limit = options.page_size;
  if (keys_only || !options.projection.empty()) {
    r.projection_expression = projection_with_keys(
        keys_only ? std::vector<std::string>{} : options.projection, r.expression_attribute_names);
  }
  if (options.filter) {
    merge_condition(r.filter_expression, r.expression_attribute_names,
                    r.expression_attribute_values, *options.filter);
  }
  // The request is built (and checked) now; requests are sent, and threads started, only by
  // the source that each begin() makes.
  const int segments = options.segments;
  const bool prefetch = options.prefetch;
  return [client = client_, r = std::move(r), segments, prefetch] {
    return segments > 1 ? detail::parallel_scan_source(client, r, segments)
                        : detail::sequential_source(client, r, prefetch);
  };
}

Results<std::pair<Key, Item>> DynamoDBMapping::items(const ScanOptions& options) const {
  return {this, scan_source(options, false), &as_entry};
}

Results<Key> DynamoDBMapping::keys(const ScanOptions& options) const {
  return {this, scan_source(options, true), &as_key};
}

Results<Item> DynamoDBMapping::values(const ScanOptions& options) const {
  return {this, scan_source(options, false), &as_item};
}

Results<std::pair<Key, Item>>::iterator DynamoDBMapping::begin() const {
  return items().begin();
}

Results<Item> DynamoDBMapping::query(const Value& partition, std::optional<SortCondition> sort,
                                     const QueryOptions& options) const {
  const Schema& s = schema();
  QueryRequest r;
  r.table_name = table_name_;
  r.index_name = options.index_name;
  r.consistent_read = options.consistent_read || options_.consistent_reads;
  r.scan_index_forward = !options.descending;
  if (options.page_size < 0) throw ValidationError("page_size must not be negative");
  if (options.page_size > 0) r.limit = options.page_size;
  if (s.sort.empty() && sort) {
    throw ValidationError("table " + table_name_ + " has no sort key to put a condition on");
  }
  // key_attributes checks the partition value; it wants a whole key, so without a sort
  // condition the sort part is a stand-in of the sort key's own type (any other type would be
  // refused). A sort value, when given, is checked the same way.
  const auto stand_in = [](ScalarType t) {
    return t == ScalarType::String   ? Value("x")
           : t == ScalarType::Number ? Value(0)
                                     : Value(Binary{0});
  };
  key_attributes(s.sort.empty() ? Key(partition)
                                : Key(partition, sort ? sort->value : stand_in(s.sort_type)));
  r.expression_attribute_names[kPk] = s.partition;
  r.expression_attribute_values[":_pk"] = partition;
  r.key_condition_expression = "#_pk = :_pk";
  if (sort) {
    if (!has_type(sort->value, s.sort_type) ||
        (sort->op == SortCondition::Op::Between && !has_type(sort->upper, s.sort_type))) {
      throw ValidationError(std::string("sort key condition values must be of type ") +
                            type_tag(s.sort_type));
    }
    using Op = SortCondition::Op;
    if (sort->op == Op::Between) validate_value(sort->upper);
    // DynamoDB's begins_with takes a String or Binary only.
    if (sort->op == Op::BeginsWith && s.sort_type == ScalarType::Number) {
      throw ValidationError("begins_with needs a String or Binary sort key; \"" + s.sort +
                            "\" is a Number");
    }
    r.expression_attribute_names[kSk] = s.sort;
    r.expression_attribute_values[":_sk"] = sort->value;
    if (sort->op == Op::Between) {
      r.key_condition_expression += " AND #_sk BETWEEN :_sk AND :_hi";
      r.expression_attribute_values[":_hi"] = sort->upper;
    } else if (sort->op == Op::BeginsWith) {
      r.key_condition_expression += " AND begins_with(#_sk, :_sk)";
    } else {
      static constexpr const char* kComparison[] = {"=", "<", "<=", ">", ">="};  // Eq .. Ge
      r.key_condition_expression +=
          std::string(" AND #_sk ") + kComparison[static_cast<int>(sort->op)] + " :_sk";
    }
  }
  if (!options.projection.empty()) {
    r.projection_expression =
        projection_with_keys(options.projection, r.expression_attribute_names);
  }
  if (options.filter) {
    merge_condition(r.filter_expression, r.expression_attribute_names,
                    r.expression_attribute_values, *options.filter);
  }
  return {
      this,
      [client = client_, r = std::move(r)] { return detail::sequential_source(client, r, true); },
      &as_item};
}

// ---- size ----

std::size_t DynamoDBMapping::size() const {
  return static_cast<std::size_t>(client_.describe_table(table_name_).item_count);
}

std::size_t DynamoDBMapping::count() const {
  ScanRequest r;
  r.table_name = table_name_;
  r.select = Select::Count;
  r.consistent_read = options_.consistent_reads;
  std::size_t total = 0;
  ScanPages pages(client_, r);
  while (auto page = pages.next()) total += static_cast<std::size_t>(page->count);
  return total;
}

bool DynamoDBMapping::empty() const {
  ScanRequest r;
  r.table_name = table_name_;
  r.limit = 1;
  r.projection_expression =
      projection_expression({key_names().front()}, r.expression_attribute_names);
  return client_.scan(r).items.empty();
}

// ---- bulk ----

std::vector<std::optional<Item>> DynamoDBMapping::get_transactionally(
    const std::vector<Key>& keys) const {
  std::vector<TransactGetItem> items;
  for (const Key& k : keys) items.push_back(TransactGetItem::get(table_name_, key_attributes(k)));
  return client_.transact_get_items(items).items;
}

// ---- transactions ----

namespace {
void apply_condition(TransactWriteItem& t, const Condition& condition) {
  merge_condition(t.condition_expression, t.expression_attribute_names,
                  t.expression_attribute_values, condition);
}

// Optimistic locking for a put of `item`, as the single-item put does it: returns the condition
// (the stored version is the one the item carries, or there is no item when it carries none)
// and sets the item's version to the next one.
Condition versioned_put(Item& item, const std::string& attribute) {
  const auto it = item.find(attribute);
  if (it == item.end()) {
    item[attribute] = Number(1);
    return {"attribute_not_exists(" + std::string(kVersion) + ")", {{kVersion, attribute}}, {}};
  }
  const Number expected = it->second.as_number();
  it->second = Number(expected.as<std::int64_t>() + 1);
  return {std::string(kVersion) + " = :_ver", {{kVersion, attribute}}, {{":_ver", expected}}};
}
}  // namespace

Transaction& Transaction::put(const Key& key, Item item, WriteOptions options) {
  const std::string& version = mapping_->options_.version_attribute;
  Item full = mapping_->full_item(key, std::move(item));
  std::optional<Condition> version_check;
  if (!version.empty()) version_check = versioned_put(full, version);
  auto t = TransactWriteItem::put(mapping_->table_name(), std::move(full));
  if (options.condition) apply_condition(t, *options.condition);
  if (version_check) apply_condition(t, *version_check);
  request_.items.push_back(std::move(t));
  return *this;
}

Transaction& Transaction::modify(const Key& key, const Changes& changes, WriteOptions options) {
  if (changes.empty()) throw ValidationError("a transaction's modify needs at least one change");
  for (const auto& name : mapping_->key_names()) {
    if (changes.count(name)) {
      throw ValidationError("a transaction's modify cannot change key attribute \"" + name + "\"");
    }
  }
  const std::string& version = mapping_->options_.version_attribute;
  if (!version.empty() && changes.count(version)) {
    // The update already sets it one higher; DynamoDB refuses two changes of one attribute.
    throw ValidationError("\"" + version + "\" is the version attribute, which modify maintains");
  }
  // Bumps the version as modify_item does (SET version = version + 1, from 0 when absent).
  Update u = update_from_changes(changes, version);
  auto t = TransactWriteItem::update(mapping_->table_name(), mapping_->key_attributes(key),
                                     u.expression);
  t.expression_attribute_names = std::move(u.names);
  t.expression_attribute_values = std::move(u.values);
  if (options.condition) apply_condition(t, *options.condition);
  request_.items.push_back(std::move(t));
  return *this;
}

Transaction& Transaction::erase(const Key& key, WriteOptions options) {
  // As the single-item erase: no version check, only the caller's condition.
  auto t = TransactWriteItem::del(mapping_->table_name(), mapping_->key_attributes(key));
  if (options.condition) apply_condition(t, *options.condition);
  request_.items.push_back(std::move(t));
  return *this;
}

Transaction& Transaction::check(const Key& key, Condition condition) {
  if (condition.expression.empty()) {
    throw ValidationError("a transaction's check needs a condition expression");
  }
  auto t =
      TransactWriteItem::condition_check(mapping_->table_name(), mapping_->key_attributes(key), "");
  apply_condition(t, condition);
  request_.items.push_back(std::move(t));
  return *this;
}

void Transaction::commit() {
  if (request_.items.empty()) throw ValidationError("a transaction needs at least one action");
  if (request_.items.size() > 100) {
    throw ValidationError("a transaction holds at most 100 actions; this one has " +
                          std::to_string(request_.items.size()));
  }
  // DynamoDB refuses two actions on one item; keys compare as DynamoDB compares them.
  const std::vector<std::string> names = mapping_->key_names();
  std::set<std::string> seen;
  for (const TransactWriteItem& t : request_.items) {
    if (!seen.insert(detail::identity(t.item, names).value_or(std::string())).second) {
      throw ValidationError("a transaction may act on each item once; " +
                            describe(mapping_->key_of(t.item)) + " appears twice");
    }
  }
  mapping_->client_.transact_write_items(request_);
}

// ---- TTL ----

void DynamoDBMapping::enable_ttl(const std::string& attribute) {
  if (attribute.empty()) throw ValidationError("the TTL attribute name must not be empty");
  client_.update_time_to_live(table_name_, {attribute, true});
}

Number DynamoDBMapping::expires_in(std::chrono::seconds from_now) {
  const auto t = std::chrono::system_clock::now() + from_now;
  return Number(static_cast<std::int64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count()));
}

}  // namespace dynamodb_mapping
