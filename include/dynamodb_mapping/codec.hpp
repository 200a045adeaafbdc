// Codecs: your own types to and from Items. `codec<T>` or the functions `to_item`/`from_item`
// found by argument-dependent lookup convert a whole struct; DDBMAP_FIELDS writes those functions
// from a list of the struct's fields. The typed view of a table is in typed.hpp.
#pragma once

#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "dynamodb_mapping/error.hpp"
#include "dynamodb_mapping/export.hpp"
#include "dynamodb_mapping/number.hpp"
#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping {

/// An item (or a part of one) does not fit a typed model: an attribute the model needs is
/// missing, one is of another type (a String where the field is a Number, a Number with a
/// fraction or out of range for an integer field), or one is not in the model at all (with
/// DDBMAP_FIELDS; see there). A TypeError (code "TypeError", kind ErrorKind::Type) that also
/// says where: `path()` is the attribute path from the item down (`lines[2].price`), empty for
/// the item itself. Thrown by the decoders, and by the encoders for values DynamoDB cannot store
/// (a NaN double); the typed view reports the latter as ValidationError instead, before sending.
class DDBMAP_API ModelError : public TypeError {
 public:
  /// A problem at `path` ("lines[2].price", or "" for the item itself).
  ModelError(std::string path, std::string problem);
  /// Where: the attribute path from the item down; empty for the item itself.
  const std::string& path() const noexcept { return path_; }
  /// What, without the path ("expected N, found S").
  const std::string& problem() const noexcept { return problem_; }
  /// The same problem seen from one Map level up: inside the member or attribute `name`.
  [[nodiscard]] ModelError in_member(std::string_view name) const;
  /// The same problem seen from one List level up: inside element `index`.
  [[nodiscard]] ModelError in_element(std::size_t index) const;
  /// The error for an attribute `name` that the model `type_name` does not have.
  [[nodiscard]] static ModelError not_in_model(std::string_view name, std::string_view type_name);

 private:
  std::string path_;
  std::string problem_;
};

/// The customization point of a whole type: specialize it with `static Item to_item(const T&)`
/// and `static T from_item(const Item&)` (throwing ModelError, or any TypeError, for an item that
/// does not fit). Alternatively declare, in T's namespace, `Item to_item(const T&)` and `void
/// from_item(const Item&, T&)` (found by argument-dependent lookup; T must then be default
/// constructible), which is what DDBMAP_FIELDS does. The specialization wins when both exist.
template <class T>
struct codec {};

namespace detail {

/// The primary template of codec is empty: only a specialization has to_item.
template <class T>
concept HasCodecSpecialization = requires(const T& v, const Item& item) {
  { codec<T>::to_item(v) } -> std::convertible_to<Item>;
  { codec<T>::from_item(item) } -> std::same_as<T>;
};

// The deleted declarations stop ordinary lookup here, so that only argument-dependent lookup
// finds the user's to_item and from_item (and never a function of this library).
namespace adl {
void to_item() = delete;
void from_item() = delete;
void ddbmap_field_names() = delete;

template <class T>
concept HasItemFunctions = std::default_initializable<T> &&
    requires(const T& v, const Item& item, T& out) {
  { to_item(v) } -> std::convertible_to<Item>;
  from_item(item, out);
};

template <class T>
concept HasFieldNames = requires(const T* p) {
  { ddbmap_field_names(p) } -> std::convertible_to<std::span<const std::string_view>>;
};

template <class T>
Item call_to_item(const T& v) {
  if constexpr (HasCodecSpecialization<T>)
    return codec<T>::to_item(v);
  else
    return to_item(v);
}

template <class T>
T call_from_item(const Item& item) {
  if constexpr (HasCodecSpecialization<T>) {
    return codec<T>::from_item(item);
  } else {
    T out{};
    from_item(item, out);
    return out;
  }
}

template <class T>
std::span<const std::string_view> field_names() {
  return ddbmap_field_names(static_cast<const T*>(nullptr));
}
}  // namespace adl

}  // namespace detail

/// A type the library can convert to and from an Item: codec<T> is specialized, or to_item and
/// from_item are found for it by argument-dependent lookup (DDBMAP_FIELDS declares them).
template <class T>
concept ItemCodable = detail::HasCodecSpecialization<T> || detail::adl::HasItemFunctions<T>;

namespace detail {

template <class>
inline constexpr bool kUnsupported = false;
template <class U>
struct IsOptional : std::false_type {};
template <class U>
struct IsOptional<std::optional<U>> : std::true_type {};
template <class U>
struct IsVector : std::false_type {};
template <class U, class A>
struct IsVector<std::vector<U, A>> : std::true_type {};
template <class U>
struct IsStdSet : std::false_type {};
template <class U, class C, class A>
struct IsStdSet<std::set<U, C, A>> : std::true_type {};
template <class U>
struct IsStringMap : std::false_type {};
template <class U, class C, class A>
struct IsStringMap<std::map<std::string, U, C, A>> : std::true_type {};

/// The integer types a field may have: every integer type but bool and the character types
/// (whose values are letters more often than numbers).
template <class U>
concept FieldInteger = std::integral<U> && !std::same_as<U, bool> && !std::same_as<U, char> &&
                       !std::same_as<U, wchar_t> && !std::same_as<U, char8_t> &&
                       !std::same_as<U, char16_t> && !std::same_as<U, char32_t>;

/// Whether a field of this value is left out of the item: an empty optional or an empty set
/// (DynamoDB stores no empty set).
template <class U>
bool omitted(const U& v) {
  if constexpr (IsOptional<U>::value)
    return !v.has_value();
  else if constexpr (IsStdSet<U>::value || std::same_as<U, StringSet> ||
                     std::same_as<U, NumberSet> || std::same_as<U, BinarySet>)
    return v.empty();
  else
    return false;
}

/// "expected N, found S", as a ModelError at the value itself.
[[noreturn]] inline void mismatch(std::string_view wanted, const Value& found) {
  throw ModelError({},
                   "expected " + std::string(wanted) + ", found " + std::string(found.type_tag()));
}

template <FieldInteger U>
U integer_of(const Number& n) {
  try {
    return n.as<U>();
  } catch (const TypeError&) {
    const auto bound = [](auto b) {
      return std::is_signed_v<U> ? std::to_string(static_cast<long long>(b))
                                 : std::to_string(static_cast<unsigned long long>(b));
    };
    throw ModelError({}, "the Number " + n.text() + " is not an integer from " +
                             bound(std::numeric_limits<U>::min()) + " to " +
                             bound(std::numeric_limits<U>::max()));
  }
}

template <class U>
Value encode_value(const U& v);
template <class U>
U decode_value(const Value& v);

/// The value of a field as a DynamoDB Value (a ModelError for what DynamoDB cannot store).
template <class U>
Value encode_value(const U& v) {
  if constexpr (std::same_as<U, Value> || std::same_as<U, bool> || std::same_as<U, Number> ||
                std::same_as<U, std::string> || std::same_as<U, Binary>) {
    return Value(v);
  } else if constexpr (std::same_as<U, StringSet> || std::same_as<U, NumberSet> ||
                       std::same_as<U, BinarySet>) {
    if (v.empty()) throw ModelError({}, "an empty set cannot be stored in a List or Map");
    return Value(v);
  } else if constexpr (std::is_enum_v<U>) {
    return encode_value(static_cast<std::underlying_type_t<U>>(v));
  } else if constexpr (FieldInteger<U>) {
    return Value(Number(v));
  } else if constexpr (std::same_as<U, double> || std::same_as<U, float>) {
    if (!std::isfinite(v)) throw ModelError({}, "DynamoDB cannot store a NaN or infinite number");
    try {
      return Value(Number(static_cast<double>(v)));
    } catch (const ValidationError& e) {
      throw ModelError({}, e.message());
    }
  } else if constexpr (IsOptional<U>::value) {
    // Inside a List or Map an empty optional is NULL; a field of the item is left out instead.
    return v ? encode_value(*v) : Value(nullptr);
  } else if constexpr (IsVector<U>::value) {
    List list;
    list.reserve(v.size());
    std::size_t i = 0;
    for (const typename U::value_type& e : v) {
      try {
        list.push_back(encode_value<typename U::value_type>(e));
      } catch (const ModelError& err) {
        throw err.in_element(i);
      }
      ++i;
    }
    return Value(std::move(list));
  } else if constexpr (IsStdSet<U>::value) {
    using M = typename U::value_type;
    if (v.empty()) throw ModelError({}, "an empty set cannot be stored in a List or Map");
    if constexpr (std::same_as<M, std::string>) {
      return Value(StringSet(std::vector<std::string>(v.begin(), v.end())));
    } else if constexpr (std::same_as<M, Binary>) {
      return Value(BinarySet(std::vector<Binary>(v.begin(), v.end())));
    } else if constexpr (FieldInteger<M>) {
      std::vector<Number> members;
      members.reserve(v.size());
      for (M m : v) members.emplace_back(m);
      return Value(NumberSet(std::move(members)));
    } else {
      static_assert(kUnsupported<U>,
                    "a std::set field holds std::string, Binary or an integer type");
    }
  } else if constexpr (IsStringMap<U>::value) {
    Map map;
    for (const auto& [name, e] : v) {
      try {
        map.emplace(name, encode_value<typename U::mapped_type>(e));
      } catch (const ModelError& err) {
        throw err.in_member(name);
      }
    }
    return Value(std::move(map));
  } else if constexpr (ItemCodable<U>) {
    return Value(adl::call_to_item(v));
  } else {
    static_assert(kUnsupported<U>,
                  "no conversion for this field type: use std::string, bool, an integer type, "
                  "double, float, an enum, Number, Binary, Value, StringSet/NumberSet/BinarySet, "
                  "std::optional, std::vector, std::set, std::map<std::string, U>, or a type "
                  "with a codec (DDBMAP_FIELDS, codec<T>, or to_item/from_item)");
  }
}

/// The field's value from a DynamoDB Value; ModelError (path relative to `v`) when it does not fit.
template <class U>
U decode_value(const Value& v) {
  if constexpr (std::same_as<U, Value>) {
    return v;
  } else if constexpr (std::same_as<U, bool>) {
    if (!v.is_bool()) mismatch("BOOL", v);
    return v.as_bool();
  } else if constexpr (std::same_as<U, Number>) {
    if (!v.is_number()) mismatch("N", v);
    return v.as_number();
  } else if constexpr (std::same_as<U, std::string>) {
    if (!v.is_string()) mismatch("S", v);
    return v.as_string();
  } else if constexpr (std::same_as<U, Binary>) {
    if (!v.is_binary()) mismatch("B", v);
    return v.as_binary();
  } else if constexpr (std::same_as<U, StringSet>) {
    if (v.type() != Value::Type::StringSet) mismatch("SS", v);
    return v.as_string_set();
  } else if constexpr (std::same_as<U, NumberSet>) {
    if (v.type() != Value::Type::NumberSet) mismatch("NS", v);
    return v.as_number_set();
  } else if constexpr (std::same_as<U, BinarySet>) {
    if (v.type() != Value::Type::BinarySet) mismatch("BS", v);
    return v.as_binary_set();
  } else if constexpr (std::is_enum_v<U>) {
    return static_cast<U>(decode_value<std::underlying_type_t<U>>(v));
  } else if constexpr (FieldInteger<U>) {
    if (!v.is_number()) mismatch("N", v);
    return integer_of<U>(v.as_number());
  } else if constexpr (std::same_as<U, double> || std::same_as<U, float>) {
    if (!v.is_number()) mismatch("N", v);
    const double d = v.as_number().to_double();
    if constexpr (std::same_as<U, float>) {
      if (std::abs(d) > static_cast<double>(std::numeric_limits<float>::max())) {
        throw ModelError({}, "the Number " + v.as_number().text() + " does not fit a float");
      }
    }
    return static_cast<U>(d);
  } else if constexpr (IsOptional<U>::value) {
    if (v.is_null()) return std::nullopt;
    return decode_value<typename U::value_type>(v);
  } else if constexpr (IsVector<U>::value) {
    if (!v.is_list()) mismatch("L", v);
    U out;
    out.reserve(v.as_list().size());
    std::size_t i = 0;
    for (const Value& e : v.as_list()) {
      try {
        out.push_back(decode_value<typename U::value_type>(e));
      } catch (const ModelError& err) {
        throw err.in_element(i);
      }
      ++i;
    }
    return out;
  } else if constexpr (IsStdSet<U>::value) {
    using M = typename U::value_type;
    U out;
    if constexpr (std::same_as<M, std::string>) {
      if (v.type() != Value::Type::StringSet) mismatch("SS", v);
      out.insert(v.as_string_set().begin(), v.as_string_set().end());
    } else if constexpr (std::same_as<M, Binary>) {
      if (v.type() != Value::Type::BinarySet) mismatch("BS", v);
      out.insert(v.as_binary_set().begin(), v.as_binary_set().end());
    } else if constexpr (FieldInteger<M>) {
      if (v.type() != Value::Type::NumberSet) mismatch("NS", v);
      for (const Number& n : v.as_number_set()) out.insert(integer_of<M>(n));
    } else {
      static_assert(kUnsupported<U>,
                    "a std::set field holds std::string, Binary or an integer type");
    }
    return out;
  } else if constexpr (IsStringMap<U>::value) {
    if (!v.is_map()) mismatch("M", v);
    U out;
    for (const auto& [name, e] : v.as_map()) {
      try {
        out.emplace(name, decode_value<typename U::mapped_type>(e));
      } catch (const ModelError& err) {
        throw err.in_member(name);
      }
    }
    return out;
  } else if constexpr (ItemCodable<U>) {
    if (!v.is_map()) mismatch("M", v);
    try {
      return adl::call_from_item<U>(v.as_map());
    } catch (const ModelError&) {
      throw;
    } catch (const TypeError& e) {
      // A hand-written codec's own TypeError: the path is known from here up.
      throw ModelError({}, e.message());
    }
  } else {
    static_assert(kUnsupported<U>, "no conversion for this field type (see encode_value)");
  }
}

/// The value of a field that is not in the item: empty for an optional or a set, else a
/// ModelError.
template <class U>
U absent_value() {
  if constexpr (IsOptional<U>::value || IsStdSet<U>::value || std::same_as<U, StringSet> ||
                std::same_as<U, NumberSet> || std::same_as<U, BinarySet>)
    return U{};
  else
    throw ModelError({}, "missing");
}

/// Writes one field of a struct into `item` (DDBMAP_FIELDS).
template <class U>
void put_field(Item& item, std::string_view name, const U& v) {
  if (omitted(v)) return;
  try {
    item.emplace(std::string(name), encode_value<U>(v));
  } catch (const ModelError& err) {
    throw err.in_member(name);
  }
}

/// Reads one field of a struct from `item` (DDBMAP_FIELDS).
template <class U>
void get_field(const Item& item, std::string_view name, U& out) {
  try {
    const auto it = item.find(name);
    out = it == item.end() ? absent_value<U>() : decode_value<U>(it->second);
  } catch (const ModelError& err) {
    throw err.in_member(name);
  }
}

/// Whether no name is listed twice (checked at compile time by DDBMAP_FIELDS).
template <std::size_t N>
consteval bool distinct(const std::string_view (&names)[N]) {
  for (std::size_t i = 0; i < N; ++i) {
    for (std::size_t j = i + 1; j < N; ++j) {
      if (names[i] == names[j]) return false;
    }
  }
  return true;
}

/// ModelError for the first attribute of `item` that is not among `names`, if there is one.
inline void check_no_extra(const Item& item, std::span<const std::string_view> names,
                           std::string_view type_name) {
  std::size_t known = 0;
  for (std::string_view n : names) known += item.count(n);
  if (known == item.size()) return;
  for (const auto& [name, v] : item) {
    bool listed = false;
    for (std::string_view n : names) listed = listed || n == name;
    if (!listed) throw ModelError::not_in_model(name, type_name);
  }
}

}  // namespace detail

/// The Item of a value (through its codec). A value DynamoDB cannot store (NaN) is a
/// ValidationError naming the attribute path.
template <ItemCodable T>
Item item_from(const T& value) {
  try {
    return detail::adl::call_to_item(value);
  } catch (const ModelError& e) {
    throw ValidationError(e.path().empty() ? e.problem()
                                           : "attribute " + e.path() + ": " + e.problem());
  }
}

/// The value of type T an Item holds (through T's codec); ModelError, with the attribute path,
/// when the item does not fit T.
template <ItemCodable T>
T model_from(const Item& item) {
  try {
    return detail::adl::call_from_item<T>(item);
  } catch (const ModelError&) {
    throw;
  } catch (const TypeError& e) {
    throw ModelError({}, e.message());
  }
}

}  // namespace dynamodb_mapping

// ---- DDBMAP_FIELDS ----
// A for-each over the macro's arguments (up to 256), with C++20's __VA_OPT__: each
// DDBMAP_DETAIL_EXPAND level rescans its argument, and every rescan expands one more step of the
// recursion that DDBMAP_DETAIL_AGAIN defers.
/// @cond
#define DDBMAP_DETAIL_PARENS ()
#define DDBMAP_DETAIL_EXPAND(...) \
  DDBMAP_DETAIL_EXPAND3(DDBMAP_DETAIL_EXPAND3(DDBMAP_DETAIL_EXPAND3(__VA_ARGS__)))
#define DDBMAP_DETAIL_EXPAND3(...) \
  DDBMAP_DETAIL_EXPAND2(DDBMAP_DETAIL_EXPAND2(DDBMAP_DETAIL_EXPAND2(__VA_ARGS__)))
#define DDBMAP_DETAIL_EXPAND2(...) \
  DDBMAP_DETAIL_EXPAND1(DDBMAP_DETAIL_EXPAND1(DDBMAP_DETAIL_EXPAND1(__VA_ARGS__)))
#define DDBMAP_DETAIL_EXPAND1(...) \
  DDBMAP_DETAIL_EXPAND0(DDBMAP_DETAIL_EXPAND0(DDBMAP_DETAIL_EXPAND0(__VA_ARGS__)))
#define DDBMAP_DETAIL_EXPAND0(...) __VA_ARGS__
#define DDBMAP_DETAIL_FOR_EACH(step, ...) \
  __VA_OPT__(DDBMAP_DETAIL_EXPAND(DDBMAP_DETAIL_FOR_EACH_STEP(step, __VA_ARGS__)))
#define DDBMAP_DETAIL_FOR_EACH_STEP(step, first, ...) \
  step(first) __VA_OPT__(DDBMAP_DETAIL_AGAIN DDBMAP_DETAIL_PARENS(step, __VA_ARGS__))
#define DDBMAP_DETAIL_AGAIN() DDBMAP_DETAIL_FOR_EACH_STEP

#define DDBMAP_DETAIL_NAME(field) #field,
#define DDBMAP_DETAIL_PUT(field) \
  ::dynamodb_mapping::detail::put_field(ddbmap_item, #field, ddbmap_value.field);
#define DDBMAP_DETAIL_GET(field) \
  ::dynamodb_mapping::detail::get_field(ddbmap_item, #field, ddbmap_value.field);

#define DDBMAP_DETAIL_FIELDS(Type, allow_extra, ...)                                       \
  inline ::std::span<const ::std::string_view> ddbmap_field_names(const Type*) {           \
    static constexpr ::std::string_view names[] = {                                        \
        DDBMAP_DETAIL_FOR_EACH(DDBMAP_DETAIL_NAME, __VA_ARGS__)};                          \
    static_assert(::dynamodb_mapping::detail::distinct(names),                             \
                  "DDBMAP_FIELDS(" #Type ", ...) lists a field twice");                    \
    return names;                                                                          \
  }                                                                                        \
  inline ::dynamodb_mapping::Item to_item(const Type& ddbmap_value) {                      \
    ::dynamodb_mapping::Item ddbmap_item;                                                  \
    DDBMAP_DETAIL_FOR_EACH(DDBMAP_DETAIL_PUT, __VA_ARGS__)                                 \
    return ddbmap_item;                                                                    \
  }                                                                                        \
  inline void from_item(const ::dynamodb_mapping::Item& ddbmap_item, Type& ddbmap_value) { \
    if constexpr (!(allow_extra)) {                                                        \
      ::dynamodb_mapping::detail::check_no_extra(                                          \
          ddbmap_item, ddbmap_field_names(static_cast<const Type*>(nullptr)), #Type);      \
    }                                                                                      \
    DDBMAP_DETAIL_FOR_EACH(DDBMAP_DETAIL_GET, __VA_ARGS__)                                 \
  }
/// @endcond

/// Declares the fields of the struct `Type` once and makes its codec: `DDBMAP_FIELDS(Order, id,
/// customer, lines, total)`, written after the struct in the struct's own namespace (the
/// functions it declares, to_item, from_item and ddbmap_field_names, are found by
/// argument-dependent lookup). Each listed public member becomes the attribute of the same name.
/// Decoding is strict: an attribute that is missing (unless the field is a std::optional or a
/// set), of another type, or not listed at all is a ModelError naming its path. Listing a
/// member twice does not compile.
#define DDBMAP_FIELDS(Type, ...) DDBMAP_DETAIL_FIELDS(Type, false, __VA_ARGS__)

/// DDBMAP_FIELDS, except that attributes the struct does not list are ignored when reading
/// (items written by a newer version of a program, say). Writing the struct back replaces the
/// item, so those attributes are then lost.
#define DDBMAP_FIELDS_ALLOW_EXTRA(Type, ...) DDBMAP_DETAIL_FIELDS(Type, true, __VA_ARGS__)
