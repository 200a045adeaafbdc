// Python <-> DynamoDB values (convert.hpp). The rules are boto3's TypeSerializer and
// TypeDeserializer, written again here in C++ so that a value crosses the boundary once, without
// a Python-level walk; where boto3 would let DynamoDB refuse (an empty set), we refuse first.
#include "convert.hpp"

#include <cmath>
#include <cstdint>
#include <string_view>
#include <utility>

#include "errors.hpp"

namespace ddbpy {
namespace {

// DynamoDB's nesting limit for lists and maps; our own recursion stops there too, so a list
// that contains itself is an error, not a stack overflow.
constexpr int kMaxDepth = 32;
// Significant digits of a DynamoDB number.
constexpr std::size_t kMaxDigits = 38;

// Looked up at import and kept for the life of the process (the module is never unloaded).
PyObject* g_decimal = nullptr;      // decimal.Decimal
PyObject* g_binary = nullptr;       // dynamodb_mapping._types.Binary
PyObject* g_mapping_abc = nullptr;  // collections.abc.Mapping

std::string type_name(py::handle obj) {
  return std::string(Py_TYPE(obj.ptr())->tp_name);
}

bool is_decimal(py::handle obj) {
  return PyObject_IsInstance(obj.ptr(), g_decimal) == 1;
}

bool is_bytes_like(py::handle obj) {
  return PyBytes_Check(obj.ptr()) || PyByteArray_Check(obj.ptr());
}

// boto3's own Binary wraps bytes in `.value` and is not a bytes subclass: recognised by its
// module and name, so boto3 need not be importable.
bool is_boto3_binary(py::handle obj) {
  PyTypeObject* t = Py_TYPE(obj.ptr());
  return std::string_view(t->tp_name) == "Binary" && py::hasattr(obj, "value") &&
         py::str(py::handle(reinterpret_cast<PyObject*>(t)).attr("__module__"))
                 .cast<std::string>()
                 .rfind("boto3", 0) == 0;
}

dm::Binary bytes_of(py::handle obj) {
  if (PyBytes_Check(obj.ptr())) {
    char* data = nullptr;
    Py_ssize_t size = 0;
    PyBytes_AsStringAndSize(obj.ptr(), &data, &size);
    const auto* p = reinterpret_cast<const std::uint8_t*>(data);
    return dm::Binary(std::vector<std::uint8_t>(p, p + size));
  }
  if (PyByteArray_Check(obj.ptr())) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(PyByteArray_AsString(obj.ptr()));
    return dm::Binary(std::vector<std::uint8_t>(p, p + PyByteArray_Size(obj.ptr())));
  }
  return bytes_of(obj.attr("value"));  // boto3's Binary
}

}  // namespace

std::string utf8_of(py::handle obj) {
  Py_ssize_t size = 0;
  const char* data = PyUnicode_AsUTF8AndSize(obj.ptr(), &size);
  if (!data) {
    PyErr_Clear();
    throw dm::ValidationError("a string is not valid Unicode (it holds a lone surrogate)");
  }
  return std::string(data, static_cast<std::size_t>(size));
}

namespace {

// An int, exactly (its decimal text); Number checks DynamoDB's 38 digits.
dm::Number int_number(py::handle obj) {
  int overflow = 0;
  const long long v = PyLong_AsLongLongAndOverflow(obj.ptr(), &overflow);
  if (overflow == 0 && !(v == -1 && PyErr_Occurred())) return dm::Number(v);
  PyErr_Clear();
  return dm::Number(py::str(obj).cast<std::string>());
}

// A float only when its exact binary value is a decimal of at most 38 significant digits (1.5,
// 0.25, 1e20): boto3 refuses every float, and a float such as 0.1 is not the number it prints.
dm::Number float_number(py::handle obj) {
  const double d = PyFloat_AsDouble(obj.ptr());
  if (!std::isfinite(d)) throw dm::ValidationError("DynamoDB numbers cannot be NaN or infinite");
  py::object exact = py::reinterpret_borrow<py::object>(g_decimal)(obj);
  py::tuple digits = exact.attr("as_tuple")().attr("digits");
  std::size_t n = py::len(digits);
  while (n > 1 && digits[n - 1].cast<int>() == 0) --n;
  if (n > kMaxDigits) {
    throw UnsupportedType("the float " + py::repr(obj).cast<std::string>() +
                          " is not exactly a decimal number of at most 38 digits; pass a "
                          "decimal.Decimal (e.g. Decimal(\"" +
                          py::str(obj).cast<std::string>() + "\")) or an int");
  }
  return dm::Number(py::str(exact).cast<std::string>());
}

bool is_number(py::handle obj) {
  return (PyLong_Check(obj.ptr()) && !PyBool_Check(obj.ptr())) || PyFloat_Check(obj.ptr()) ||
         is_decimal(obj);
}

dm::Number number_of(py::handle obj) {
  if (PyFloat_Check(obj.ptr())) return float_number(obj);
  if (PyLong_Check(obj.ptr())) return int_number(obj);
  return dm::Number(py::str(obj).cast<std::string>());  // Decimal: its exact text
}

dm::Value set_value(py::handle obj) {
  if (PySet_GET_SIZE(obj.ptr()) == 0) {
    throw dm::ValidationError("DynamoDB cannot store an empty set");
  }
  enum class Kind { None, String, Number, Binary } kind = Kind::None;
  dm::StringSet ss;
  dm::NumberSet ns;
  dm::BinarySet bs;
  for (py::handle m : obj) {
    Kind k;
    if (PyUnicode_Check(m.ptr())) {
      k = Kind::String;
    } else if (is_number(m)) {
      k = Kind::Number;
    } else if (is_bytes_like(m) || is_boto3_binary(m)) {
      k = Kind::Binary;
    } else {
      throw UnsupportedType("a set may hold str, numbers or bytes, not " + type_name(m));
    }
    if (kind != Kind::None && k != kind) {
      throw dm::ValidationError("a set must hold members of one type: str, numbers or bytes");
    }
    kind = k;
    // Members equal in DynamoDB's eyes (1 and Decimal("1.0")) are one member in Python's set
    // too, so insert() never drops a distinct member.
    if (k == Kind::String) (void)ss.insert(utf8_of(m));
    if (k == Kind::Number) (void)ns.insert(number_of(m));
    if (k == Kind::Binary) (void)bs.insert(bytes_of(m));
  }
  if (kind == Kind::String) return dm::Value(std::move(ss));
  if (kind == Kind::Number) return dm::Value(std::move(ns));
  return dm::Value(std::move(bs));
}

dm::Value value_at(py::handle obj, int depth);

dm::Map map_value(py::handle obj, int depth) {
  dm::Map out;
  py::object items = py::reinterpret_borrow<py::object>(obj).attr("items")();
  for (py::handle kv : items) {
    py::tuple pair = py::reinterpret_borrow<py::tuple>(kv);
    py::handle k = pair[0];
    if (!PyUnicode_Check(k.ptr())) {
      throw dm::ValidationError("attribute names must be str, not " + type_name(k));
    }
    out.insert_or_assign(utf8_of(k), value_at(pair[1], depth + 1));
  }
  return out;
}

dm::Value value_at(py::handle obj, int depth) {
  if (depth > kMaxDepth) {
    throw dm::ValidationError("lists and maps are nested deeper than DynamoDB's 32 levels");
  }
  PyObject* p = obj.ptr();
  if (p == Py_None) return dm::Value(nullptr);
  if (PyBool_Check(p)) return dm::Value(p == Py_True);
  if (PyUnicode_Check(p)) return dm::Value(utf8_of(obj));
  if (PyLong_Check(p) || PyFloat_Check(p) || is_decimal(obj)) return dm::Value(number_of(obj));
  if (is_bytes_like(obj) || is_boto3_binary(obj)) return dm::Value(bytes_of(obj));
  if (PyAnySet_Check(p)) return set_value(obj);
  if (PyList_Check(p) || PyTuple_Check(p)) {
    dm::List list;
    list.reserve(static_cast<std::size_t>(py::len(obj)));
    for (py::handle e : obj) list.push_back(value_at(e, depth + 1));
    return dm::Value(std::move(list));
  }
  if (PyDict_Check(p) || PyObject_IsInstance(p, g_mapping_abc) == 1) {
    return dm::Value(map_value(obj, depth));
  }
  throw UnsupportedType("DynamoDB cannot store a value of type " + type_name(obj) +
                        " (use str, int, Decimal, bytes, bool, None, set, list or dict)");
}

bool is_key_primitive(py::handle obj) {
  return PyUnicode_Check(obj.ptr()) || is_bytes_like(obj) || is_boto3_binary(obj) ||
         is_number(obj) || PyBool_Check(obj.ptr());
}

}  // namespace

void init_types() {
  g_decimal = py::object(py::module_::import("decimal").attr("Decimal")).release().ptr();
  g_binary =
      py::object(py::module_::import("dynamodb_mapping._types").attr("Binary")).release().ptr();
  g_mapping_abc =
      py::object(py::module_::import("collections.abc").attr("Mapping")).release().ptr();
}

dm::Value to_value(py::handle obj) {
  return value_at(obj, 0);
}

dm::Item to_item(py::handle obj) {
  if (!PyDict_Check(obj.ptr()) && PyObject_IsInstance(obj.ptr(), g_mapping_abc) != 1) {
    throw UnsupportedType("an item is a mapping of attribute names to values, not " +
                          type_name(obj));
  }
  return map_value(obj, 0);
}

dm::Key to_key(py::handle obj) {
  if (is_key_primitive(obj)) return dm::Key(to_value(obj));
  if (!py::isinstance<py::iterable>(obj) || PyAnySet_Check(obj.ptr()) || PyDict_Check(obj.ptr())) {
    throw dm::ValidationError(
        "a key is a str, bytes or number, or a tuple of two of them for a "
        "table with a sort key; got " +
        type_name(obj));
  }
  py::tuple parts = py::tuple(py::reinterpret_borrow<py::object>(obj));
  for (py::handle part : parts) {
    if (!is_key_primitive(part)) {
      throw dm::ValidationError("a key value is a str, bytes or number, not " + type_name(part));
    }
  }
  if (parts.size() == 1) return dm::Key(to_value(parts[0]));
  if (parts.size() == 2) return dm::Key(to_value(parts[0]), to_value(parts[1]));
  throw dm::ValidationError(
      "a key has one value (partition key) or two (partition and sort "
      "key), not " +
      std::to_string(parts.size()));
}

std::vector<dm::Key> to_keys(py::handle iterable) {
  std::vector<dm::Key> out;
  for (py::handle k : iterable) out.push_back(to_key(k));
  return out;
}

dm::Path to_path(py::handle obj) {
  if (PyUnicode_Check(obj.ptr())) return dm::Path(utf8_of(obj));
  std::optional<dm::Path> path;
  for (py::handle step : obj) {
    if (!path) {
      if (!PyUnicode_Check(step.ptr())) {
        throw dm::ValidationError("a path starts with an attribute name (str)");
      }
      path = dm::Path(utf8_of(step));
    } else if (PyUnicode_Check(step.ptr())) {
      path = std::move(*path)[utf8_of(step)];
    } else if (PyLong_Check(step.ptr()) && !PyBool_Check(step.ptr())) {
      path = std::move(*path)[step.cast<long long>()];
    } else {
      throw dm::ValidationError("a path step is an attribute name (str) or a list index (int)");
    }
  }
  if (!path) throw dm::ValidationError("an attribute path is empty");
  return *std::move(path);
}

std::vector<std::string> to_names(py::handle obj) {
  std::vector<std::string> out;
  if (obj.is_none()) return out;
  // One name: a projection's str is an attribute name, never split (the original's
  // ProjectionExpression text is split by the Python layer, _options.py).
  if (PyUnicode_Check(obj.ptr())) return {utf8_of(obj)};
  for (py::handle n : obj) {
    if (!PyUnicode_Check(n.ptr())) throw dm::ValidationError("attribute names must be str");
    out.push_back(utf8_of(n));
  }
  return out;
}

py::object from_value(const dm::Value& v) {
  using T = dm::Value::Type;
  switch (v.type()) {
    case T::Null:
      return py::none();
    case T::Bool:
      return py::bool_(v.as_bool());
    case T::Number:
      return py::reinterpret_borrow<py::object>(g_decimal)(v.as_number().text());
    case T::String: {
      const std::string& s = v.as_string();
      return py::reinterpret_steal<py::object>(
          PyUnicode_DecodeUTF8(s.data(), static_cast<Py_ssize_t>(s.size()), "surrogateescape"));
    }
    case T::Binary: {
      const auto& b = v.as_binary().bytes;
      return py::reinterpret_borrow<py::object>(g_binary)(
          py::bytes(reinterpret_cast<const char*>(b.data()), b.size()));
    }
    case T::StringSet: {
      py::set out;
      for (const auto& m : v.as_string_set()) out.add(py::str(m));
      return out;
    }
    case T::NumberSet: {
      py::set out;
      for (const auto& m : v.as_number_set()) {
        out.add(py::reinterpret_borrow<py::object>(g_decimal)(m.text()));
      }
      return out;
    }
    case T::BinarySet: {
      py::set out;
      for (const auto& m : v.as_binary_set()) {
        out.add(py::reinterpret_borrow<py::object>(g_binary)(
            py::bytes(reinterpret_cast<const char*>(m.bytes.data()), m.bytes.size())));
      }
      return out;
    }
    case T::List: {
      const auto& l = v.as_list();
      py::list out(l.size());
      for (std::size_t i = 0; i < l.size(); ++i) out[i] = from_value(l[i]);
      return out;
    }
    case T::Map:
      return from_item(v.as_map());
  }
  return py::none();
}

py::dict from_item(const dm::Item& item) {
  py::dict out;
  for (const auto& [name, value] : item) out[py::str(name)] = from_value(value);
  return out;
}

py::object from_optional_item(const std::optional<dm::Item>& item) {
  if (!item) return py::none();
  return from_item(*item);
}

py::object from_key(const dm::Key& key) {
  if (!key.sort) return from_value(key.partition);
  return py::make_tuple(from_value(key.partition), from_value(*key.sort));
}

}  // namespace ddbpy
