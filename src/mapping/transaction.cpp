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

const char* action_name(TransactWriteItem::Kind kind) {
  switch (kind) {
    case TransactWriteItem::Kind::Put:
      return "Put";
    case TransactWriteItem::Kind::Update:
      return "Update";
    case TransactWriteItem::Kind::Delete:
      return "Delete";
    case TransactWriteItem::Kind::ConditionCheck:
      return "ConditionCheck";
  }
  return "";
}

// One action as a cancellation names it: its kind and the key attributes of its item.
struct ActionId {
  const char* action;
  const Item* item;  // the whole item of a Put, else the key
};

// The cancellation `e` again, with each reason naming its action's kind and key and the message
// naming the actions that failed. DynamoDB's reasons come in request order, one per action; a
// server that sends another number of them gets its reasons as they are.
TransactionCanceledError name_actions(const TransactionCanceledError& e,
                                      const detail::MappingState& m,
                                      const std::vector<ActionId>& actions) {
  std::vector<CancellationReason> reasons = e.reasons();
  std::string text = e.message();
  if (reasons.size() == actions.size()) {
    const std::vector<std::string> names = m.key_names();
    for (std::size_t i = 0; i < reasons.size(); ++i) {
      CancellationReason& r = reasons[i];
      r.action = actions[i].action;
      Item key;
      for (const std::string& name : names) {
        const auto it = actions[i].item->find(name);
        if (it != actions[i].item->end()) key.emplace(name, it->second);
      }
      const std::string described = detail::describe(m.key_of(key));
      r.key = std::make_shared<const Item>(std::move(key));
      if (!r.failed()) continue;
      text += "; action " + std::to_string(i) + " (" + r.action + ", key " + described +
              ") failed: " + r.code;
      if (!r.message.empty()) text += ": " + r.message;
      if (r.item) text += " (the stored item is in reasons()[" + std::to_string(i) + "].item)";
    }
  }
  TransactionCanceledError named(std::move(text), e.http_status(), e.request_id(),
                                 std::move(reasons));
  detail::set_error_context(named, e.operation(), e.table());
  return named;
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

Transaction& Transaction::put(const Key& key, Item item, WriteOptions options,
                              OnConditionFailure on_failure) & {
  (void)live();  // before anything else: a moved-from transaction has no mapping
  const std::string& version = mapping_->options.version_attribute;
  Item full = mapping_->full_item(key, std::move(item));
  std::optional<Condition> version_check;
  if (!version.empty()) version_check = detail::versioned_put(full, version);
  auto t = TransactWriteItem::put(mapping_->table_name, std::move(full));
  if (options.condition) apply_condition(t, *options.condition);
  if (version_check) apply_condition(t, *version_check);
  t.return_item_on_condition_failure = on_failure == OnConditionFailure::ReturnItem;
  live().request.items.push_back(std::move(t));
  return *this;
}

Transaction& Transaction::modify(const Key& key, const Changes& changes, WriteOptions options,
                                 OnConditionFailure on_failure) & {
  (void)live();  // before anything else: a moved-from transaction has no mapping
  if (changes.empty()) throw ValidationError("a transaction's modify needs at least one change");
  return update(key, detail::changes_update(changes), std::move(options), on_failure);
}

Transaction& Transaction::update(const Key& key, const Update& update, WriteOptions options,
                                 OnConditionFailure on_failure) & {
  (void)live();  // before anything else: a moved-from transaction has no mapping
  for (const auto& name : mapping_->key_names()) {
    for (const Update::Step& step : update.steps()) {
      if (step.path.attribute() == name) {
        throw ValidationError("a transaction's update cannot change key attribute \"" + name +
                              "\"");
      }
    }
  }
  // Bumps the version as update_item does (SET version = version + 1, from 0 when absent); an
  // action on the version itself is refused there.
  detail::Expression u = detail::render_update(update, mapping_->options.version_attribute);
  auto t = TransactWriteItem::update(mapping_->table_name, mapping_->key_attributes(key), u.text);
  t.expression_attribute_names = std::move(u.names);
  t.expression_attribute_values = std::move(u.values);
  if (options.condition) apply_condition(t, *options.condition);
  t.return_item_on_condition_failure = on_failure == OnConditionFailure::ReturnItem;
  live().request.items.push_back(std::move(t));
  return *this;
}

Transaction& Transaction::erase(const Key& key, WriteOptions options,
                                OnConditionFailure on_failure) & {
  (void)live();  // before anything else: a moved-from transaction has no mapping
  // As the single-item erase: no version check, only the caller's condition.
  auto t = TransactWriteItem::del(mapping_->table_name, mapping_->key_attributes(key));
  if (options.condition) apply_condition(t, *options.condition);
  t.return_item_on_condition_failure = on_failure == OnConditionFailure::ReturnItem;
  live().request.items.push_back(std::move(t));
  return *this;
}

Transaction& Transaction::check(const Key& key, Condition condition,
                                OnConditionFailure on_failure) & {
  (void)live();  // before anything else: a moved-from transaction has no mapping
  if (condition.expression.empty()) {
    throw ValidationError("a transaction's check needs a condition expression");
  }
  auto t =
      TransactWriteItem::condition_check(mapping_->table_name, mapping_->key_attributes(key), "");
  apply_condition(t, condition);
  t.return_item_on_condition_failure = on_failure == OnConditionFailure::ReturnItem;
  live().request.items.push_back(std::move(t));
  return *this;
}

Transaction&& Transaction::put(const Key& key, Item item, WriteOptions options,
                               OnConditionFailure on_failure) && {
  static_cast<Transaction&>(*this).put(key, std::move(item), std::move(options), on_failure);
  return std::move(*this);
}
Transaction&& Transaction::modify(const Key& key, const Changes& changes, WriteOptions options,
                                  OnConditionFailure on_failure) && {
  static_cast<Transaction&>(*this).modify(key, changes, std::move(options), on_failure);
  return std::move(*this);
}
Transaction&& Transaction::update(const Key& key, const Update& update, WriteOptions options,
                                  OnConditionFailure on_failure) && {
  static_cast<Transaction&>(*this).update(key, update, std::move(options), on_failure);
  return std::move(*this);
}
Transaction&& Transaction::erase(const Key& key, WriteOptions options,
                                 OnConditionFailure on_failure) && {
  static_cast<Transaction&>(*this).erase(key, std::move(options), on_failure);
  return std::move(*this);
}
Transaction&& Transaction::check(const Key& key, Condition condition,
                                 OnConditionFailure on_failure) && {
  static_cast<Transaction&>(*this).check(key, std::move(condition), on_failure);
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
  try {
    mapping_->client.transact_write_items(request);
  } catch (const TransactionCanceledError& e) {
    std::vector<ActionId> actions;
    actions.reserve(request.items.size());
    for (const TransactWriteItem& t : request.items)
      actions.push_back({action_name(t.kind), &t.item});
    throw name_actions(e, *mapping_, actions);
  }
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
  try {
    return state_->client.transact_get_items(items).items;
  } catch (const TransactionCanceledError& e) {
    std::vector<ActionId> actions;
    actions.reserve(items.size());
    for (const TransactGetItem& g : items) actions.push_back({"Get", &g.key});
    throw name_actions(e, *state_, actions);
  }
}

}  // namespace dynamodb_mapping
