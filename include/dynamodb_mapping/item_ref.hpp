// ItemRef and AttributeRef: what `mapping[key]` and `mapping[key]["attr"]` return.
//
// They are proxy references, like std::vector<bool>::reference: objects that stand for an item
// (or one attribute of it) in the table, not values. Nothing is sent when one is made; reading
// it sends a GetItem, assigning to it a PutItem or UpdateItem, every time. So `auto r = m[k];`
// holds a reference, not a copy of the item (write `Item item = m[k];` for a copy), and
// assigning one proxy to another copies the value in the table, not the reference. A proxy
// shares the mapping's client and key schema: it stays valid after the mapping is gone.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/key.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

namespace detail {
struct MappingState;
}

class ItemRef;

/// A reference to one attribute of one item, from `mapping[key]["attr"]`. Assigning issues one
/// UpdateItem (`SET #a = :v`) on an existing item; reading issues one GetItem that fetches only
/// that attribute. Both throw KeyError when the item does not exist.
class DDBMAP_API AttributeRef {
 public:
  /// Sets the attribute of the existing item: one UpdateItem; KeyError when the item is absent.
  AttributeRef& operator=(const Value& value);
  /// Copies the value of `other` (a GetItem) into this attribute (an UpdateItem).
  AttributeRef& operator=(const AttributeRef& other) { return *this = other.get(); }
  /// Another reference to the same attribute.
  AttributeRef(const AttributeRef&) = default;
  /// The attribute's value; KeyError when the item is absent, AttributeError when the
  /// attribute is.
  [[nodiscard]] Value get() const;
  /// get()
  operator Value() const { return get(); }

 private:
  friend class ItemRef;
  AttributeRef(std::shared_ptr<detail::MappingState> m, Key key, std::string name)
      : mapping_(std::move(m)), key_(std::move(key)), name_(std::move(name)) {}
  std::shared_ptr<detail::MappingState> mapping_;
  Key key_;
  std::string name_;
};

/// A reference to one item, from `mapping[key]`: nothing is sent until it is used. Assigning an
/// Item puts it (PutItem); reading it gets it (GetItem, KeyError when absent); `ref["attr"]`
/// refers to one attribute; `erase("attr")` removes one (UpdateItem REMOVE).
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
    return {mapping_, key_, std::move(attribute)};
  }
  /// Removes one attribute of an existing item (UpdateItem REMOVE); KeyError when the item is
  /// absent.
  void erase(const std::string& attribute);
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
