// The pieces of the extension module dynamodb_mapping._core, one file each: the table (single
// items, batches, size), iteration (scan, query, PartiQL), and the builders (conditions,
// updates, sort-key conditions, transactions). Every call that may wait on the network releases
// the GIL; Python objects are converted before it is released and after it is taken back.
#pragma once

#include <pybind11/pybind11.h>

#include <dynamodb_mapping/mapping.hpp>

namespace ddbpy {

namespace py = pybind11;
namespace dm = dynamodb_mapping;

/// One table: the C++ DynamoDBMapping the Python DynamoDBMapping delegates to.
struct PyTable {
  dm::DynamoDBMapping mapping;
};

/// An optional Condition argument: None, a Condition, or (expression, names, values).
std::optional<dm::Condition> to_condition(py::handle obj);

/// A modify_item changes mapping: each value SET, each None REMOVEd (the original's convention).
dm::Changes to_changes(py::handle changes);

void bind_table(py::module_& m);
void bind_iteration(py::module_& m);
void bind_builders(py::module_& m);

}  // namespace ddbpy
