// Transactions: TransactWriteItems built action by action, and TransactGetItems.
#include "dynamodb_mapping/transaction.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <set>

#include "mapping/expressions.hpp"
#include "mapping/state.hpp"
#include "value/identity.hpp"

namespace dynamodb_mapping {

struct Transaction::Actions {
  TransactWriteItemsRequest request;
  bool committed = false;
  int uncaught_at_start = std::uncaught_exceptions();
};

Transaction::Actions& Transaction::live() {
  if (!actions_) throw ValidationError("this transaction was moved from");
  if (actions_->committed) {
    throw ValidationError("this transaction was committed; start a new one for more actions");
  }
  return *actions_;
}

namespace {
void apply_condition(TransactWriteItem& t, const Condition& condition) {
  detail::merge_condition(t.condition_expression, t.expression_attribute_names,
                          t.expression_attribute_values, condition);
}
}  // namespace

Transaction::Transaction(std::shared_ptr<detail::MappingState> m)
    : mapping_(std::move(m)), actions_(std::make_unique<Actions>()) {}
Transaction::Transaction(Transaction&&) noexcept = default;
Transaction& Transaction::operator=(Transaction&& other) noexcept {
  if (this != &other) {
    Transaction dropped(std::move(*this));  // checked as any other transaction going away
    mapping_ = std::move(other.mapping_);
    actions_ = std::move(other.actions_);
  }
  return *this;
}

Transaction::~Transaction() {
#ifdef DDBMAP_CHECK_TRANSACTIONS
  // A transaction with actions that is neither committed nor abandoned is a lost write. Leaving
  // the scope by an exception (a builder call refusing an action, say) is not that.
  if (actions_ && !actions_->committed && !actions_->request.items.empty() &&
      std::uncaught_exceptions() <= actions_->uncaught_at_start) {
    std::fprintf(stderr,
                 "dynamodb_mapping: a Transaction with %zu action(s) on table %s was destroyed "
                 "without commit() or abandon()\n",
                 actions_->request.items.size(), mapping_->table_name.c_str());
    std::abort();
  }
#endif
}

Transaction& Transaction::put(const Key& key, Item item, WriteOptions options) & {
  (void)live();  // before anything else: a moved-from transaction has no mapping
  const std::string& version = mapping_->options.version_attribute;
  Item full = mapping_->full_item(key, std::move(item));
  std::optional<Condition> version_check;
  if (!version.empty()) version_check = detail::versioned_put(full, version);
  auto t = TransactWriteItem::put(mapping_->table_name, std::move(full));
  if (options.condition) apply_condition(t, *options.condition);
  if (version_check) apply_condition(t, *version_check);
  live().request.items.push_back(std::move(t));
  return *this;
}

Transaction& Transaction::modify(const Key& key, const Changes& changes, WriteOptions options) & {
  (void)live();  // before anything else: a moved-from transaction has no mapping
  if (changes.empty()) throw ValidationError("a transaction's modify needs at least one change");
  for (const auto& name : mapping_->key_names()) {
    if (changes.count(name)) {
      throw ValidationError("a transaction's modify cannot change key attribute \"" + name + "\"");
    }
  }
  const std::string& version = mapping_->options.version_attribute;
  if (!version.empty() && changes.count(version)) {
    // The update already sets it one higher; DynamoDB refuses two changes of one attribute.
    throw ValidationError("\"" + version + "\" is the version attribute, which modify maintains");
  }
  // Bumps the version as modify_item does (SET version = version + 1, from 0 when absent).
  detail::Expression u = detail::update_from_changes(changes, version);
  auto t = TransactWriteItem::update(mapping_->table_name, mapping_->key_attributes(key), u.text);
  t.expression_attribute_names = std::move(u.names);
  t.expression_attribute_values = std::move(u.values);
  if (options.condition) apply_condition(t, *options.condition);
  live().request.items.push_back(std::move(t));
  return *this;
}

Transaction& Transaction::erase(const Key& key, WriteOptions options) & {
  (void)live();  // before anything else: a moved-from transaction has no mapping
  // As the single-item erase: no version check, only the caller's condition.
  auto t = TransactWriteItem::del(mapping_->table_name, mapping_->key_attributes(key));
  if (options.condition) apply_condition(t, *options.condition);
  live().request.items.push_back(std::move(t));
  return *this;
}

Transaction& Transaction::check(const Key& key, Condition condition) & {
  (void)live();  // before anything else: a moved-from transaction has no mapping
  if (condition.expression.empty()) {
    throw ValidationError("a transaction's check needs a condition expression");
  }
  auto t =
      TransactWriteItem::condition_check(mapping_->table_name, mapping_->key_attributes(key), "");
  apply_condition(t, condition);
  live().request.items.push_back(std::move(t));
  return *this;
}

Transaction&& Transaction::put(const Key& key, Item item, WriteOptions options) && {
  static_cast<Transaction&>(*this).put(key, std::move(item), std::move(options));
  return std::move(*this);
}
Transaction&& Transaction::modify(const Key& key, const Changes& changes, WriteOptions options) && {
  static_cast<Transaction&>(*this).modify(key, changes, std::move(options));
  return std::move(*this);
}
Transaction&& Transaction::erase(const Key& key, WriteOptions options) && {
  static_cast<Transaction&>(*this).erase(key, std::move(options));
  return std::move(*this);
}
Transaction&& Transaction::check(const Key& key, Condition condition) && {
  static_cast<Transaction&>(*this).check(key, std::move(condition));
  return std::move(*this);
}

void Transaction::commit() {
  if (!actions_) throw ValidationError("this transaction was moved from");
  actions_->committed = true;  // whatever happens next, it was not forgotten
  const TransactWriteItemsRequest& request = actions_->request;
  if (request.items.empty()) throw ValidationError("a transaction needs at least one action");
  if (request.items.size() > 100) {
    throw ValidationError("a transaction holds at most 100 actions; this one has " +
                          std::to_string(request.items.size()));
  }
  // DynamoDB refuses two actions on one item; keys compare as DynamoDB compares them.
  const std::vector<std::string> names = mapping_->key_names();
  std::set<std::string> seen;
  for (const TransactWriteItem& t : request.items) {
    if (!seen.insert(detail::identity(t.item, names).value_or(std::string())).second) {
      throw ValidationError("a transaction may act on each item once; " +
                            detail::describe(mapping_->key_of(t.item)) + " appears twice");
    }
  }
  mapping_->client.transact_write_items(request);
}

void Transaction::abandon() noexcept {
  if (actions_) actions_->request.items.clear();
}

std::size_t Transaction::size() const noexcept {
  return actions_ ? actions_->request.items.size() : 0;
}

Transaction DynamoDBMapping::transaction() const {
  return Transaction(state_);
}

std::vector<std::optional<Item>> DynamoDBMapping::get_transactionally(
    const std::vector<Key>& keys) const {
  std::vector<TransactGetItem> items;
  for (const Key& k : keys) {
    items.push_back(TransactGetItem::get(state_->table_name, state_->key_attributes(k)));
  }
  return state_->client.transact_get_items(items).items;
}

}  // namespace dynamodb_mapping
