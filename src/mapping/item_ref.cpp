// The item proxies: ItemRef (mapping[key]) and AttributeRef (mapping[key]["attr"]).
#include "dynamodb_mapping/item_ref.hpp"

#include <algorithm>
#include <ostream>

#include "mapping/expressions.hpp"
#include "mapping/state.hpp"

namespace dynamodb_mapping {

namespace {

// An update of an item that must exist: KeyError (with the answer's request id) when it does not.
// One UpdateItem.
Item update_existing(const std::shared_ptr<detail::MappingState>& m, const Key& key,
                     const Update& update, ReturnValues returns) {
  UpdateOptions o;
  o.must_exist = true;
  o.returns = returns;
  return detail::MappingAccess::make(m).update_item(key, update, o);
}

// `element` as a set: a set as it is, a scalar as a set of one.
Value as_set(const Value& element, const char* what) {
  switch (element.type()) {
    case Value::Type::StringSet:
    case Value::Type::NumberSet:
    case Value::Type::BinarySet:
      return element;
    case Value::Type::String:
      return StringSet{element.as_string()};
    case Value::Type::Number:
      return NumberSet{element.as_number()};
    case Value::Type::Binary:
      return BinarySet{element.as_binary()};
    default:
      throw ValidationError(std::string(what) + " takes a String, Number or Binary, or a set");
  }
}

// Finds `path` in `item` (what a GetItem projected on the path returns).
const Value* find_path(const Item& item, const Path& path) {
  const Value* at = nullptr;
  for (const Path::Step& s : path.steps()) {
    if (at == nullptr) {
      const auto it = item.find(s.name);
      if (it == item.end()) return nullptr;
      at = &it->second;
    } else if (s.element) {
      // A projection of one List element returns a List of that element alone.
      if (!at->is_list() || at->as_list().empty()) return nullptr;
      at = &at->as_list().front();
    } else {
      if (!at->is_map()) return nullptr;
      const auto it = at->as_map().find(s.name);
      if (it == at->as_map().end()) return nullptr;
      at = &it->second;
    }
  }
  return at;
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

void ItemRef::erase(const Path& attribute) {
  update_existing(mapping_, key_, Update().remove(attribute), ReturnValues::None);
}

Item ItemRef::update(const Update& update) {
  return update_existing(mapping_, key_, update, ReturnValues::AllNew);
}

std::ostream& operator<<(std::ostream& os, const ItemRef& ref) {
  return os << ref.get();
}

void AttributeRef::apply(const Update& update) {
  update_existing(mapping_, key_, update, ReturnValues::None);
}

AttributeRef& AttributeRef::operator=(const Value& value) {
  apply(Update().set(path_, value));
  return *this;
}

AttributeRef& AttributeRef::operator+=(const Value& n) {
  if (!n.is_number()) throw ValidationError("+= on " + path_.to_string() + " takes a Number");
  // ADD where DynamoDB allows it (top level), arithmetic inside a document.
  apply(path_.top_level() ? Update().add(path_, n) : Update().increment(path_, n));
  return *this;
}

AttributeRef& AttributeRef::operator-=(const Value& n) {
  if (!n.is_number()) throw ValidationError("-= on " + path_.to_string() + " takes a Number");
  const std::string text = n.as_number().canonical();
  const Number negated(text.front() == '-' ? text.substr(1) : "-" + text);
  return *this += negated;
}

AttributeRef& AttributeRef::insert(const Value& element) {
  apply(Update().add(path_, as_set(element, "insert")));
  return *this;
}

AttributeRef& AttributeRef::erase(const Value& element) {
  apply(Update().delete_from(path_, as_set(element, "erase")));
  return *this;
}

AttributeRef& AttributeRef::push_back(const Value& element) {
  apply(Update().append(path_, List{element}));
  return *this;
}

void AttributeRef::remove() {
  apply(Update().remove(path_));
}

Value AttributeRef::get() const {
  const detail::MappingState& m = *mapping_;
  GetItemRequest r;
  r.table_name = m.table_name;
  r.key = m.key_attributes(key_);
  r.consistent_read = m.consistent(false);
  // The key attributes come along: an empty answer means no item. (A path in a key attribute
  // is one of them: DynamoDB refuses a projection naming a path twice.)
  r.projection_expression = m.projection_with_keys({}, r.expression_attribute_names);
  const std::vector<std::string> keys = m.key_names();
  if (std::find(keys.begin(), keys.end(), path_.attribute()) == keys.end()) {
    r.projection_expression += ", " + detail::path_expression(path_, r.expression_attribute_names);
  }
  const std::optional<Item> item = m.client.get_item(r).item;
  if (!item) throw KeyError("GetItem", m.table_name, key_);
  const Value* v = find_path(*item, path_);
  if (v == nullptr) {
    AttributeError e("item " + detail::describe(key_) + " has no attribute \"" + path_.to_string() +
                     "\"");
    detail::set_error_context(e, "GetItem", m.table_name);
    throw e;
  }
  return *v;
}

}  // namespace dynamodb_mapping
