// Value: a DynamoDB AttributeValue; Item: an item (attribute name -> Value).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/number.hpp"

namespace dynamodb_mapping {

/// Raw bytes, DynamoDB's Binary type (base64 on the wire, raw bytes here).
struct DDBMAP_API Binary {
  /// The bytes.
  std::vector<std::uint8_t> bytes;

  /// No bytes.
  Binary() = default;
  /// @{
  /// These bytes.
  explicit Binary(std::vector<std::uint8_t> b) : bytes(std::move(b)) {}
  Binary(std::initializer_list<std::uint8_t> b) : bytes(b) {}
  /// @}
  /// The bytes of a string, unchanged (no encoding is applied).
  static Binary from_string(std::string_view s) { return Binary({s.begin(), s.end()}); }

  /// The number of bytes.
  std::size_t size() const noexcept { return bytes.size(); }
  /// Byte-wise lexicographic comparison.
  friend auto operator<=>(const Binary&, const Binary&) = default;
};

/// A DynamoDB set (String Set, Number Set or Binary Set). Members keep the order they were given
/// in; equality ignores order. Adding a member that is already there is refused: the
/// constructors throw ValidationError, `insert` returns false. Number members compare
/// numerically ("1.0" and "1" are the same member). An empty set is a valid C++ value but
/// DynamoDB refuses it, so validate() rejects it before any request.
template <class T>
class DDBMAP_API Set {
 public:
  /// @{
  /// As for a standard container.
  using value_type = T;
  using const_iterator = typename std::vector<T>::const_iterator;
  /// @}

  /// The empty set.
  Set() = default;
  /// @{
  /// A set of these members, in this order; throws ValidationError when two of them are equal.
  Set(std::initializer_list<T> members) : Set(std::vector<T>(members)) {}
  explicit Set(std::vector<T> members);
  /// @}

  /// Adds `member` unless an equal member is there; returns whether it was added.
  bool insert(T member);
  /// Removes the member equal to `member`; returns whether one was there.
  bool erase(const T& member);
  /// Whether a member equal to `member` is there.
  bool contains(const T& member) const;

  /// The members, in the order they were given in.
  const std::vector<T>& members() const noexcept { return members_; }
  /// @{
  /// As for a standard container, over the members in the order they were given in.
  std::size_t size() const noexcept { return members_.size(); }
  bool empty() const noexcept { return members_.empty(); }
  const_iterator begin() const noexcept { return members_.begin(); }
  const_iterator end() const noexcept { return members_.end(); }
  /// @}

  /// The same members, in any order.
  friend bool operator==(const Set& a, const Set& b) { return a.equals(b); }

 private:
  bool equals(const Set& other) const;
  std::vector<T> members_;
};

/// @{
/// DynamoDB's String Set (SS), Number Set (NS) and Binary Set (BS).
using StringSet = Set<std::string>;
using NumberSet = Set<Number>;
using BinarySet = Set<Binary>;
/// @}

class Value;
/// A DynamoDB List.
using List = std::vector<Value>;
/// A DynamoDB Map; attribute names sort in byte order. Lookups accept std::string_view.
using Map = std::map<std::string, Value, std::less<>>;
/// An item: attribute name -> Value, the shape of a DynamoDB Map.
using Item = Map;

/// Null, as a C++ value.
struct Null {
  /// Every Null equals every other.
  friend bool operator==(Null, Null) { return true; }
};

/// A DynamoDB AttributeValue: Null, Bool, Number, String, Binary, String/Number/Binary Set, List
/// or Map. Constructs implicitly from the natural C++ value (nullptr, bool, integers, double,
/// strings, Binary, sets, List, Map); typed accessors throw TypeError on a type mismatch.
/// `operator<<` prints plain JSON; see json.hpp for the wire form.
class DDBMAP_API Value {
 public:
  /// The type a Value holds, in the order of type_tag()'s tags.
  enum class Type {
    Null,
    Bool,
    Number,
    String,
    Binary,
    StringSet,
    NumberSet,
    BinarySet,
    List,
    Map
  };

  /// @{
  /// Null.
  Value() noexcept : v_(Null{}) {}
  Value(std::nullptr_t) noexcept : v_(Null{}) {}
  Value(Null) noexcept : v_(Null{}) {}
  /// @}
  /// A Bool. Only a real bool: a pointer or a string literal must never become a Bool.
  template <class B>
  requires std::same_as<B, bool> Value(B b)
  noexcept : v_(b) {}
  /// A Number, exactly, from any integer type but bool and char.
  template <std::integral T>
  requires(!std::same_as<T, bool> && !std::same_as<T, char>) Value(T n)
      : v_(dynamodb_mapping::Number(n)) {}
  /// A Number from a double (see Number(double): throws ValidationError for NaN, infinity and
  /// magnitudes DynamoDB cannot store).
  Value(double d) : v_(dynamodb_mapping::Number(d)) {}
  /// @{
  /// The value of that type: a Number, a String (from any string type), a Binary, a set, a List
  /// or a Map.
  Value(dynamodb_mapping::Number n) : v_(std::move(n)) {}
  Value(std::string s) : v_(std::move(s)) {}
  Value(std::string_view s) : v_(std::string(s)) {}
  Value(const char* s) : v_(std::string(s)) {}
  Value(dynamodb_mapping::Binary b) : v_(std::move(b)) {}
  Value(dynamodb_mapping::StringSet s) : v_(std::move(s)) {}
  Value(dynamodb_mapping::NumberSet s) : v_(std::move(s)) {}
  Value(dynamodb_mapping::BinarySet s) : v_(std::move(s)) {}
  Value(dynamodb_mapping::List l) : v_(std::move(l)) {}
  Value(dynamodb_mapping::Map m) : v_(std::move(m)) {}
  /// @}

  /// The type this value holds.
  Type type() const noexcept { return static_cast<Type>(v_.index()); }
  /// The DynamoDB type tag: "NULL", "BOOL", "N", "S", "B", "SS", "NS", "BS", "L" or "M".
  std::string_view type_tag() const noexcept;

  /// @{
  /// Whether this value holds that type (for a set, compare type()).
  bool is_null() const noexcept { return type() == Type::Null; }
  bool is_bool() const noexcept { return type() == Type::Bool; }
  bool is_number() const noexcept { return type() == Type::Number; }
  bool is_string() const noexcept { return type() == Type::String; }
  bool is_binary() const noexcept { return type() == Type::Binary; }
  bool is_list() const noexcept { return type() == Type::List; }
  bool is_map() const noexcept { return type() == Type::Map; }
  /// @}

  /// @{
  /// The value as that type; throws TypeError when it holds another.
  bool as_bool() const { return get<bool>(); }
  const dynamodb_mapping::Number& as_number() const { return get<dynamodb_mapping::Number>(); }
  const std::string& as_string() const { return get<std::string>(); }
  const dynamodb_mapping::Binary& as_binary() const { return get<dynamodb_mapping::Binary>(); }
  const StringSet& as_string_set() const { return get<StringSet>(); }
  const NumberSet& as_number_set() const { return get<NumberSet>(); }
  const BinarySet& as_binary_set() const { return get<BinarySet>(); }
  const dynamodb_mapping::List& as_list() const { return get<dynamodb_mapping::List>(); }
  dynamodb_mapping::List& as_list() { return get<dynamodb_mapping::List>(); }
  const dynamodb_mapping::Map& as_map() const { return get<dynamodb_mapping::Map>(); }
  dynamodb_mapping::Map& as_map() { return get<dynamodb_mapping::Map>(); }
  /// @}

  /// Checked numeric conversion of a Number value (see Number::as).
  template <class T>
  requires std::is_arithmetic_v<T> &&(!std::same_as<T, bool>)T as() const {
    return as_number().as<T>();
  }

  /// Map member lookup: throws TypeError when this is not a Map, and AttributeError when the
  /// name is absent.
  const Value& at(std::string_view name) const;
  /// List element lookup with bounds checking: TypeError when this is not a List, AttributeError
  /// when the index is out of range.
  const Value& at(std::size_t index) const;

  /// Plain JSON text of this value (see to_plain_json in json.hpp).
  std::string to_json() const;

  /// The same type and an equal value: Numbers compare numerically, sets without order.
  friend bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }

 private:
  template <class T>
  const T& get() const {
    if (const T* p = std::get_if<T>(&v_)) return *p;
    type_mismatch(type_name_of<T>());
  }
  template <class T>
  T& get() {
    if (T* p = std::get_if<T>(&v_)) return *p;
    type_mismatch(type_name_of<T>());
  }
  template <class T>
  static constexpr std::string_view type_name_of() {
    if constexpr (std::is_same_v<T, bool>)
      return "BOOL";
    else if constexpr (std::is_same_v<T, dynamodb_mapping::Number>)
      return "N";
    else if constexpr (std::is_same_v<T, std::string>)
      return "S";
    else if constexpr (std::is_same_v<T, dynamodb_mapping::Binary>)
      return "B";
    else if constexpr (std::is_same_v<T, StringSet>)
      return "SS";
    else if constexpr (std::is_same_v<T, NumberSet>)
      return "NS";
    else if constexpr (std::is_same_v<T, BinarySet>)
      return "BS";
    else if constexpr (std::is_same_v<T, dynamodb_mapping::List>)
      return "L";
    else
      return "M";
  }
  [[noreturn]] void type_mismatch(std::string_view wanted) const;

  std::variant<Null, bool, dynamodb_mapping::Number, std::string, dynamodb_mapping::Binary,
               StringSet, NumberSet, BinarySet, dynamodb_mapping::List, dynamodb_mapping::Map>
      v_;
};

/// Prints the value as plain JSON.
DDBMAP_API std::ostream& operator<<(std::ostream& os, const Value& v);
/// Prints the item as a plain JSON object.
DDBMAP_API std::ostream& operator<<(std::ostream& os, const Item& item);

extern template class Set<std::string>;
extern template class Set<Number>;
extern template class Set<Binary>;

}  // namespace dynamodb_mapping
