// The item proxies: ItemRef (mapping[key]) and AttributeRef (mapping[key]["attr"]).
#include "dynamodb_mapping/item_ref.hpp"

#include <ostream>

#include "mapping/state.hpp"

namespace dynamodb_mapping {

namespace {

// modify_item on an item that must exist: KeyError (with the answer's request id) when it does
// not. One UpdateItem.
void modify_existing(const std::shared_ptr<detail::MappingState>& m, const Key& key,
                     const Changes& changes) {
  try {
    detail::MappingAccess::make(m).modify_item(
        key, changes, WriteOptions{Condition::exists(m->key_names().front())});
  } catch (const ConditionalCheckFailedError& e) {
    throw KeyError("UpdateItem", m->table_name, key, e.http_status(), e.request_id());
  }
}

}  // namespace

ItemRef& ItemRef::operator=(const Item& item) {
  detail::MappingAccess::make(mapping_).set_item(key_, item);
  return *this;
}

Item ItemRef::get() const {
  return detail::MappingAccess::make(mapping_).at(key_);
}

std::optional<Item> ItemRef::find() const {
  return detail::MappingAccess::make(mapping_).find(key_);
}

void ItemRef::erase(const std::string& attribute) {
  modify_existing(mapping_, key_, {{attribute, remove}});
}

std::ostream& operator<<(std::ostream& os, const ItemRef& ref) {
  return os << ref.get();
}

AttributeRef& AttributeRef::operator=(const Value& value) {
  modify_existing(mapping_, key_, {{name_, value}});
  return *this;
}

Value AttributeRef::get() const {
  ReadOptions o;
  o.projection = {name_};
  // The key attributes come along: an empty answer means no item.
  const Item item = detail::MappingAccess::make(mapping_).at(key_, o);
  const auto it = item.find(name_);
  if (it == item.end()) {
    AttributeError e("item " + detail::describe(key_) + " has no attribute \"" + name_ + "\"");
    detail::set_error_context(e, "GetItem", mapping_->table_name);
    throw e;
  }
  return it->second;
}

}  // namespace dynamodb_mapping
