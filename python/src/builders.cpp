// The builders: _core.Condition (with Attr and Size to write one without placeholders),
// _core.Update (several changes in one UpdateItem), _core.SortCondition (a query's sort-key
// condition) and _core.Transaction. Each wraps the C++ builder of the same name: the Python
// layer adds no expression logic of its own.
#include <pybind11/operators.h>
#include <pybind11/stl.h>

#include <dynamodb_mapping/condition.hpp>
#include <dynamodb_mapping/transaction.hpp>
#include <dynamodb_mapping/update.hpp>
#include <memory>
#include <string>
#include <utility>

#include "binding.hpp"
#include "convert.hpp"
#include "interrupt.hpp"

namespace ddbpy {

namespace {

using namespace pybind11::literals;

// An attribute in a condition: `Attr("price") < 10`, `Attr("tags").contains("x")`.
struct PyAttr {
  dm::Path path;
};
// size(attribute), compared with a number.
struct PySize {
  dm::Size size;
};

template <class Left>
dm::Condition compare_with(const Left& left, dm::Comparison op, py::handle right) {
  if (py::isinstance<PyAttr>(right)) {
    if constexpr (std::is_same_v<Left, dm::Path>) {
      return dm::compare(left, op, right.cast<const PyAttr&>().path);
    }
  }
  return dm::compare(left, op, to_value(right));
}

template <class Cls, class Get>
void comparisons(Cls& cls, Get get) {
  using C = dm::Comparison;
  using Self = typename Cls::type;
  cls.def("__eq__", [get](const Self& s, py::handle v) { return compare_with(get(s), C::Eq, v); })
      .def("__ne__", [get](const Self& s, py::handle v) { return compare_with(get(s), C::Ne, v); })
      .def("__lt__", [get](const Self& s, py::handle v) { return compare_with(get(s), C::Lt, v); })
      .def("__le__", [get](const Self& s, py::handle v) { return compare_with(get(s), C::Le, v); })
      .def("__gt__", [get](const Self& s, py::handle v) { return compare_with(get(s), C::Gt, v); })
      .def("__ge__", [get](const Self& s, py::handle v) { return compare_with(get(s), C::Ge, v); });
  cls.attr("__hash__") = py::none();
}

dm::Item values_item(py::handle values) {
  return values.is_none() ? dm::Item{} : to_item(values);
}

dm::Value::Type type_of_tag(const std::string& tag) {
  using T = dm::Value::Type;
  static const std::pair<const char*, T> tags[] = {
      {"NULL", T::Null}, {"BOOL", T::Bool},    {"N", T::Number},     {"S", T::String},
      {"B", T::Binary},  {"SS", T::StringSet}, {"NS", T::NumberSet}, {"BS", T::BinarySet},
      {"L", T::List},    {"M", T::Map}};
  for (const auto& [name, type] : tags) {
    if (tag == name) return type;
  }
  throw dm::ValidationError("an attribute type is one of S, N, B, SS, NS, BS, BOOL, NULL, L, M");
}

void bind_transaction(py::module_& m) {
  py::class_<dm::Transaction>(m, "Transaction")
      .def(
          "put",
          [](dm::Transaction& tx, py::handle key, py::handle item, py::handle condition) {
            tx.put(to_key(key), to_item(item), dm::WriteOptions{to_condition(condition), false});
          },
          "key"_a, "item"_a, "condition"_a = py::none())
      .def(
          "modify",
          [](dm::Transaction& tx, py::handle key, py::handle changes, py::handle condition) {
            const dm::Changes c = to_changes(changes);
            tx.modify(to_key(key), c, dm::WriteOptions{to_condition(condition), false});
          },
          "key"_a, "changes"_a, "condition"_a = py::none())
      .def(
          "update",
          [](dm::Transaction& tx, py::handle key, const dm::Update& update, py::handle condition) {
            tx.update(to_key(key), update, dm::WriteOptions{to_condition(condition), false});
          },
          "key"_a, "update"_a, "condition"_a = py::none())
      .def(
          "delete",
          [](dm::Transaction& tx, py::handle key, py::handle condition) {
            tx.erase(to_key(key), dm::WriteOptions{to_condition(condition), false});
          },
          "key"_a, "condition"_a = py::none())
      .def("check",
           [](dm::Transaction& tx, py::handle key, py::handle condition) {
             auto c = to_condition(condition);
             if (!c) throw dm::ValidationError("check needs a condition");
             tx.check(to_key(key), *std::move(c));
           })
      .def("commit", &dm::Transaction::commit, py::call_guard<Wait>())
      .def("abandon", &dm::Transaction::abandon)
      .def("__len__", &dm::Transaction::size);
  auto table = py::reinterpret_borrow<py::class_<PyTable>>(m.attr("Table"));
  table.def("transaction", [](const PyTable& t) { return t.mapping.transaction(); });
}

}  // namespace

std::optional<dm::Condition> to_condition(py::handle obj) {
  if (obj.is_none()) return std::nullopt;
  if (py::isinstance<dm::Condition>(obj)) return obj.cast<dm::Condition>();
  throw dm::ValidationError(
      "a condition is a dynamodb_mapping.Condition (e.g. Attr(\"price\") < 10, or "
      "Condition(\"#p < :max\", names={...}, values={...})), not " +
      std::string(Py_TYPE(obj.ptr())->tp_name));
}

void bind_builders(py::module_& m) {
  py::class_<dm::Condition>(m, "Condition")
      .def(py::init([](const std::string& expression, std::optional<dm::AttributeNames> names,
                       py::handle values) {
             return dm::Condition{expression, names.value_or(dm::AttributeNames{}),
                                  values_item(values)};
           }),
           "expression"_a, "names"_a = py::none(), "values"_a = py::none())
      .def_readonly("expression", &dm::Condition::expression)
      .def_readonly("names", &dm::Condition::names)
      .def_property_readonly("values", [](const dm::Condition& c) { return from_item(c.values); })
      .def("__and__", [](const dm::Condition& a, const dm::Condition& b) { return a && b; })
      .def("__or__", [](const dm::Condition& a, const dm::Condition& b) { return a || b; })
      .def("__invert__", [](const dm::Condition& c) { return !c; })
      .def("__repr__", [](const dm::Condition& c) { return "Condition(" + c.expression + ")"; });

  py::class_<PyAttr> attr(m, "Attr");
  attr.def(py::init([](py::handle path) { return PyAttr{to_path(path)}; }), "path"_a);
  comparisons(attr, [](const PyAttr& a) -> const dm::Path& { return a.path; });
  attr.def("exists", [](const PyAttr& a) { return dm::attribute_exists(a.path); })
      .def("not_exists", [](const PyAttr& a) { return dm::attribute_not_exists(a.path); })
      .def("between", [](const PyAttr& a, py::handle lo,
                         py::handle hi) { return dm::between(a.path, to_value(lo), to_value(hi)); })
      .def("is_in",
           [](const PyAttr& a, py::handle values) {
             std::vector<dm::Value> vs;
             for (py::handle v : values) vs.push_back(to_value(v));
             return dm::in(a.path, vs);
           })
      .def("begins_with",
           [](const PyAttr& a, py::handle p) { return dm::begins_with(a.path, to_value(p)); })
      .def("contains",
           [](const PyAttr& a, py::handle v) { return dm::contains(a.path, to_value(v)); })
      .def("attribute_type",
           [](const PyAttr& a, const std::string& tag) {
             return dm::attribute_type(a.path, type_of_tag(tag));
           })
      .def("size", [](const PyAttr& a) { return PySize{dm::size(a.path)}; });
  py::class_<PySize> size(m, "Size");
  comparisons(size, [](const PySize& s) -> const dm::Size& { return s.size; });

  py::class_<dm::Update>(m, "Update")
      .def(py::init<>())
      .def(
          "set",
          [](dm::Update& u, py::handle p, py::handle v) -> dm::Update& {
            return u.set(to_path(p), to_value(v));
          },
          py::return_value_policy::reference_internal)
      .def(
          "set_if_not_exists",
          [](dm::Update& u, py::handle p, py::handle v) -> dm::Update& {
            return u.set_if_not_exists(to_path(p), to_value(v));
          },
          py::return_value_policy::reference_internal)
      .def(
          "increment",
          [](dm::Update& u, py::handle p, py::handle by) -> dm::Update& {
            return u.increment(to_path(p), to_value(by));
          },
          "path"_a, "by"_a = 1, py::return_value_policy::reference_internal)
      .def(
          "append",
          [](dm::Update& u, py::handle p, py::handle v) -> dm::Update& {
            return u.append(to_path(p), to_value(v));
          },
          py::return_value_policy::reference_internal)
      .def(
          "prepend",
          [](dm::Update& u, py::handle p, py::handle v) -> dm::Update& {
            return u.prepend(to_path(p), to_value(v));
          },
          py::return_value_policy::reference_internal)
      .def(
          "remove", [](dm::Update& u, py::handle p) -> dm::Update& { return u.remove(to_path(p)); },
          py::return_value_policy::reference_internal)
      .def(
          "add",
          [](dm::Update& u, py::handle p, py::handle v) -> dm::Update& {
            return u.add(to_path(p), to_value(v));
          },
          py::return_value_policy::reference_internal)
      .def(
          "delete_from",
          [](dm::Update& u, py::handle p, py::handle v) -> dm::Update& {
            return u.delete_from(to_path(p), to_value(v));
          },
          py::return_value_policy::reference_internal)
      .def("__len__", [](const dm::Update& u) { return u.steps().size(); });

  using S = dm::SortCondition;
  py::class_<S>(m, "SortCondition")
      .def_static("eq", [](py::handle v) { return S::eq(to_value(v)); })
      .def_static("lt", [](py::handle v) { return S::lt(to_value(v)); })
      .def_static("le", [](py::handle v) { return S::le(to_value(v)); })
      .def_static("gt", [](py::handle v) { return S::gt(to_value(v)); })
      .def_static("ge", [](py::handle v) { return S::ge(to_value(v)); })
      .def_static("between", [](py::handle lo,
                                py::handle hi) { return S::between(to_value(lo), to_value(hi)); })
      .def_static("begins_with", [](py::handle p) { return S::begins_with(to_value(p)); });

  bind_transaction(m);
}

}  // namespace ddbpy
