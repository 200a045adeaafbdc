#include "dynamodb_mapping/value.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>

#include "dynamodb_mapping/json.hpp"

namespace dynamodb_mapping {

namespace {

// What makes two set members the same: numbers compare by value, the rest by content.
std::string member_key(const Number& n) {
  return n.canonical();
}
const std::string& member_key(const std::string& s) {
  return s;
}
const std::vector<std::uint8_t>& member_key(const Binary& b) {
  return b.bytes;
}

template <class T>
auto sorted_keys(const std::vector<T>& members) {
  using Key = std::decay_t<decltype(member_key(members.front()))>;
  std::vector<Key> keys;
  keys.reserve(members.size());
  for (const T& m : members) keys.push_back(member_key(m));
  std::sort(keys.begin(), keys.end());
  return keys;
}

std::string describe_member(const std::string& s) {
  return "\"" + s.substr(0, 60) + "\"";
}
std::string describe_member(const Number& n) {
  return n.text();
}
std::string describe_member(const Binary& b) {
  return std::to_string(b.size()) + "-byte binary";
}

}  // namespace

template <class T>
Set<T>::Set(std::vector<T> members) : members_(std::move(members)) {
  const auto keys = sorted_keys(members_);
  const auto dup = std::adjacent_find(keys.begin(), keys.end());
  if (dup != keys.end()) {
    const auto index = std::find_if(members_.begin(), members_.end(),
                                    [&](const T& m) { return member_key(m) == *dup; });
    throw ValidationError("duplicate set member " + describe_member(*index) +
                          ": DynamoDB sets hold each member once");
  }
}

template <class T>
bool Set<T>::contains(const T& member) const {
  const auto key = member_key(member);
  return std::any_of(members_.begin(), members_.end(),
                     [&](const T& m) { return member_key(m) == key; });
}

template <class T>
bool Set<T>::insert(T member) {
  if (contains(member)) return false;
  members_.push_back(std::move(member));
  return true;
}

template <class T>
bool Set<T>::erase(const T& member) {
  const auto key = member_key(member);
  const auto it = std::find_if(members_.begin(), members_.end(),
                               [&](const T& m) { return member_key(m) == key; });
  if (it == members_.end()) return false;
  members_.erase(it);
  return true;
}

template <class T>
bool Set<T>::equals(const Set& other) const {
  return members_.size() == other.members_.size() &&
         sorted_keys(members_) == sorted_keys(other.members_);
}

template class Set<std::string>;
template class Set<Number>;
template class Set<Binary>;

std::string_view Value::type_tag() const noexcept {
  static constexpr std::string_view kTags[] = {"NULL", "BOOL", "N",  "S", "B",
                                               "SS",   "NS",   "BS", "L", "M"};
  return kTags[v_.index()];
}

void Value::type_mismatch(std::string_view wanted) const {
  throw TypeError("value of type " + std::string(type_tag()) + " read as " + std::string(wanted));
}

const Value& Value::at(std::string_view name) const {
  const Map& m = as_map();
  const auto it = m.find(name);
  if (it == m.end()) throw AttributeError("no attribute \"" + std::string(name) + "\" in map");
  return it->second;
}

const Value& Value::at(std::size_t index) const {
  const auto& l = as_list();
  if (index >= l.size()) {
    throw AttributeError("list index " + std::to_string(index) + " is out of range (size " +
                         std::to_string(l.size()) + ")");
  }
  return l[index];
}

std::string Value::to_json() const {
  return to_plain_json(*this);
}

std::ostream& operator<<(std::ostream& os, const Value& v) {
  return os << to_plain_json(v);
}

std::ostream& operator<<(std::ostream& os, const Item& item) {
  return os << to_plain_json(item);
}

}  // namespace dynamodb_mapping
