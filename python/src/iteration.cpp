// _core.Results and its iterators: scans, queries and PartiQL statements as lazy, re-iterable
// Python iterables. A page is fetched without the GIL; one iterator may be shared between
// threads (its own mutex orders them), and each element is converted to Python objects once.
#include <pybind11/stl.h>

#include <dynamodb_mapping/results.hpp>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "binding.hpp"
#include "convert.hpp"
#include "interrupt.hpp"

namespace ddbpy {
namespace {

using namespace pybind11::literals;

py::object to_python(const dm::Item& item) {
  return from_item(item);
}
py::object to_python(const dm::Key& key) {
  return from_key(key);
}
py::object to_python(const std::pair<dm::Key, dm::Item>& kv) {
  return py::make_tuple(from_key(kv.first), from_item(kv.second));
}

// One walk over the results: the first next() starts the Scan or Query.
template <class T>
class PyIterator {
 public:
  explicit PyIterator(dm::Results<T> results) : results_(std::move(results)) {}
  PyIterator(const PyIterator&) = delete;
  PyIterator& operator=(const PyIterator&) = delete;
  // Dropping a walk waits for its page prefetch or parallel-scan threads, which may need the GIL
  // themselves (credentials from a boto3 session): wait without it.
  ~PyIterator() {
    py::gil_scoped_release nogil;
    it_ = {};
  }

  py::object next() {
    Wait nogil;
    std::lock_guard lock(mu_);
    if (!started_) {
      it_ = results_.begin();
      started_ = true;
    } else if (it_ != std::default_sentinel) {
      ++it_;
    }
    if (it_ == std::default_sentinel) {
      py::gil_scoped_acquire gil;
      throw py::stop_iteration();
    }
    py::gil_scoped_acquire gil;
    return to_python(*it_);
  }

  std::string token() {
    std::lock_guard lock(mu_);
    if (!started_ || it_ == std::default_sentinel) {
      throw dm::ValidationError("a resume token needs an iterator positioned on an element");
    }
    return it_.token();
  }

 private:
  dm::Results<T> results_;
  typename dm::Results<T>::iterator it_;
  bool started_ = false;
  std::mutex mu_;
};

template <class T>
void bind_results(py::module_& m, const char* name, const char* iterator_name) {
  py::class_<PyIterator<T>>(m, iterator_name)
      .def("__iter__", [](py::object self) { return self; })
      .def("__next__", &PyIterator<T>::next)
      .def("token", &PyIterator<T>::token,
           "A resume token continuing right after the current element.");
  py::class_<dm::Results<T>>(m, name)
      .def("__iter__", [](const dm::Results<T>& r) { return std::make_unique<PyIterator<T>>(r); })
      .def("resume",
           [](const dm::Results<T>& r, const std::string& token) { return r.resume(token); })
      .def(
          "page",
          [](const dm::Results<T>& r, const std::string& token, int limit) {
            dm::ResultPage<T> page;
            {
              Wait nogil;
              page = r.page(token, limit);
            }
            py::list items;
            for (const auto& e : page.items) items.append(to_python(e));
            return py::make_tuple(items, page.next_token);
          },
          "token"_a = "", "limit"_a = 0);
}

dm::ScanOptions scan_options(py::handle projection, py::handle filter, bool consistent_read,
                             int page_size, int segments, bool prefetch) {
  if (page_size < 0) throw dm::ValidationError("page_size must not be negative");
  if (segments < 1) throw dm::ValidationError("segments must be at least 1");
  return dm::ScanOptions{
      to_condition(filter), to_names(projection), consistent_read, page_size, segments, prefetch};
}

}  // namespace

void bind_iteration(py::module_& m) {
  bind_results<dm::Item>(m, "ItemResults", "ItemIterator");
  bind_results<dm::Key>(m, "KeyResults", "KeyIterator");
  bind_results<std::pair<dm::Key, dm::Item>>(m, "PairResults", "PairIterator");

  auto table = py::reinterpret_borrow<py::class_<PyTable>>(m.attr("Table"));
  table
      .def(
          "scan",
          [](const PyTable& t, py::handle projection, py::handle filter, bool consistent_read,
             int page_size, int segments, bool prefetch) {
            return t.mapping.values(
                scan_options(projection, filter, consistent_read, page_size, segments, prefetch));
          },
          py::kw_only(), "projection"_a = py::none(), "filter"_a = py::none(),
          "consistent_read"_a = false, "page_size"_a = 0, "segments"_a = 1, "prefetch"_a = true)
      .def(
          "keys",
          [](const PyTable& t, py::handle filter, bool consistent_read, int page_size,
             int segments) {
            return t.mapping.keys(
                scan_options(py::none(), filter, consistent_read, page_size, segments, true));
          },
          py::kw_only(), "filter"_a = py::none(), "consistent_read"_a = false, "page_size"_a = 0,
          "segments"_a = 1)
      .def(
          "items",
          [](const PyTable& t, py::handle projection, py::handle filter, bool consistent_read,
             int page_size, int segments) {
            return t.mapping.items(
                scan_options(projection, filter, consistent_read, page_size, segments, true));
          },
          py::kw_only(), "projection"_a = py::none(), "filter"_a = py::none(),
          "consistent_read"_a = false, "page_size"_a = 0, "segments"_a = 1)
      .def(
          "query",
          [](const PyTable& t, py::handle partition, std::optional<dm::SortCondition> sort,
             py::handle filter, py::handle projection, bool consistent_read, bool descending,
             int page_size, const std::string& index) {
            if (page_size < 0) throw dm::ValidationError("page_size must not be negative");
            const dm::Value p = to_value(partition);
            dm::QueryOptions o{to_condition(filter),
                               to_names(projection),
                               consistent_read,
                               descending,
                               page_size,
                               index};
            Wait nogil;  // an index's key schema may be read here
            return t.mapping.query(p, std::move(sort), o);
          },
          "partition"_a, "sort"_a = py::none(), py::kw_only(), "filter"_a = py::none(),
          "projection"_a = py::none(), "consistent_read"_a = false, "descending"_a = false,
          "page_size"_a = 0, "index"_a = "")
      .def(
          "execute",
          [](const PyTable& t, const std::string& statement, py::handle parameters,
             bool consistent_read) {
            std::vector<dm::Value> params;
            if (!parameters.is_none()) {
              for (py::handle p : parameters) params.push_back(to_value(p));
            }
            dm::StatementOptions o;
            o.consistent_read = consistent_read;
            Wait nogil;  // a write statement is sent here
            return t.mapping.execute(statement, params, o);
          },
          "statement"_a, "parameters"_a = py::none(), py::kw_only(), "consistent_read"_a = false);
}

}  // namespace ddbpy
