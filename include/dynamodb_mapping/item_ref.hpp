// ItemRef and AttributeRef: what `mapping[key]` and `mapping[key]["attr"]` return.
//
// They are proxy references, like std::vector<bool>::reference: objects that stand for an item
// (or one attribute of it) in the table, not values. Nothing is sent when one is made; reading
// it sends a GetItem, assigning to it a PutItem or UpdateItem, every time. So `auto r = m[k];`
// holds a reference, not a copy of the item (write `Item item = m[k];` for a copy), and
// assigning one proxy to another copies the value in the table, not the reference. A proxy
// shares the mapping's client and key schema: it stays valid after the mapping is gone.
#pragma once

#include <concepts>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/key.hpp"
#include "dynamodb_mapping/path.hpp"
#include "dynamodb_mapping/update.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

namespace detail {
struct MappingState;
}

class ItemRef;

/// A reference to one attribute of one item, from `mapping[key]["attr"]`, or to a place inside
/// one: `mapping[key]["a"]["b"][3]`. Every write is ONE UpdateItem on an existing item (KeyError
/// when the item is absent), atomic on the server, never a read-modify-write:
/// - `= v` sets the path (SET); a nested path needs its parent Map or List to exist;
/// - `+= n` / `-= n` adds to a Number (ADD on a top-level attribute, SET p = if_not_exists(p, 0)
///   + n inside one), from 0 when absent;
/// - `insert(x)` / `erase(x)` add elements to / remove them from a set (ADD / DELETE; a scalar
///   is one element; top-level attributes only);
/// - `push_back(x)` appends one element to a List (list_append, from an empty List);
/// - `remove()` removes the attribute or the place inside it (REMOVE).
///
/// `+=`, `-=` and `push_back` are not idempotent: when the answer to one is lost, it is not sent
/// again and AmbiguousOutcomeError says it may have been applied (README, "Retries and lost
/// answers"). Reading issues one GetItem that fetches only that path.
class DDBMAP_API AttributeRef {
 public:
  /// Sets the path in the existing item: one UpdateItem; KeyError when the item is absent.
  AttributeRef& operator=(const Value& value);
  /// Copies the value of `other` (a GetItem) into this attribute (an UpdateItem).
  AttributeRef& operator=(const AttributeRef& other) { return *this = other.get(); }
  /// Another reference to the same attribute.
  AttributeRef(const AttributeRef&) = default;
  /// Adds the Number `n` (ADD, or SET with arithmetic inside a document): one UpdateItem.
  AttributeRef& operator+=(const Value& n);
  /// Subtracts the Number `n`: one UpdateItem.
  AttributeRef& operator-=(const Value& n);
  /// Adds `element` (a scalar, or a set of them) to the set: one UpdateItem ADD.
  AttributeRef& insert(const Value& element);
  /// Removes `element` (a scalar, or a set of them) from the set: one UpdateItem DELETE.
  AttributeRef& erase(const Value& element);
  /// Appends `element` to the List: one UpdateItem SET with list_append.
  AttributeRef& push_back(const Value& element);
  /// Removes the attribute (or the Map member or List element): one UpdateItem REMOVE.
  void remove();
  /// Member `key` of this Map attribute; sends nothing by itself.
  [[nodiscard]] AttributeRef operator[](std::string key) const {
    return {mapping_, key_, path_[std::move(key)]};
  }
  /// Member `key` of this Map attribute.
  [[nodiscard]] AttributeRef operator[](const char* key) const { return (*this)[std::string(key)]; }
  /// Element `index` of this List attribute.
  template <std::integral I>
  requires(!std::same_as<I, bool> && !std::same_as<I, char>) [[nodiscard]] AttributeRef operator[](
      I index) const {
    return {mapping_, key_, path_[index]};
  }
  /// The value; KeyError when the item is absent, AttributeError when the path is.
  [[nodiscard]] Value get() const;
  /// get()
  operator Value() const { return get(); }
  /// The path this refers to.
  const Path& path() const { return path_; }

 private:
  friend class ItemRef;
  AttributeRef(std::shared_ptr<detail::MappingState> m, Key key, Path path)
      : mapping_(std::move(m)), key_(std::move(key)), path_(std::move(path)) {}
  void apply(const Update& update);
  std::shared_ptr<detail::MappingState> mapping_;
  Key key_;
  Path path_;
};

/// A reference to one item, from `mapping[key]`: nothing is sent until it is used. Assigning an
/// Item puts it (PutItem); reading it gets it (GetItem, KeyError when absent); `ref["attr"]`
/// refers to one attribute; `erase("attr")` removes one (UpdateItem REMOVE); `update(u)` applies an
/// Update to it.
class DDBMAP_API ItemRef {
 public:
  /// Creates or replaces the item: one PutItem (as set_item).
  ItemRef& operator=(const Item& item);
  /// Copies the item `other` refers to (a GetItem) under this key (a PutItem).
  ItemRef& operator=(const ItemRef& other) { return *this = other.get(); }
  /// Another reference to the same item.
  ItemRef(const ItemRef&) = default;
  /// The whole item; KeyError when there is none.
  [[nodiscard]] Item get() const;
  /// get()
  operator Item() const { return get(); }
  /// The item, or nullopt.
  [[nodiscard]] std::optional<Item> find() const;
  /// A reference to one attribute of the item; sends nothing by itself.
  AttributeRef operator[](std::string attribute) const {
    return {mapping_, key_, Path(std::move(attribute))};
  }
  /// A reference to one attribute of the item.
  AttributeRef operator[](const char* attribute) const { return (*this)[std::string(attribute)]; }
  /// Removes one attribute (or a place inside one) of an existing item (UpdateItem REMOVE);
  /// KeyError when the item is absent.
  void erase(const Path& attribute);
  /// Applies `update` to the existing item: one UpdateItem; KeyError when the item is absent.
  /// Returns the item as it is afterwards.
  Item update(const Update& update);
  /// The key this refers to.
  const Key& key() const { return key_; }

 private:
  friend class DynamoDBMapping;
  ItemRef(std::shared_ptr<detail::MappingState> m, Key key)
      : mapping_(std::move(m)), key_(std::move(key)) {}
  std::shared_ptr<detail::MappingState> mapping_;
  Key key_;
};

/// Prints the item (fetching it).
DDBMAP_API std::ostream& operator<<(std::ostream& os, const ItemRef& ref);

}  // namespace dynamodb_mapping
