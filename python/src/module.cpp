// The extension module dynamodb_mapping._core: the C++ library under the Python package
// (python/dynamodb_mapping). The package's Python code adds the MutableMapping protocol and the
// original package's names; everything that talks to DynamoDB is here.
#include <pybind11/pybind11.h>

#include "binding.hpp"
#include "convert.hpp"
#include "errors.hpp"
#include "interrupt.hpp"

PYBIND11_MODULE(_core, m) {
  m.doc() = "The C++ core of dynamodb_mapping (dynamodb-mapping's C++ library).";
  ddbpy::init_types();
  ddbpy::init_errors(m);
  ddbpy::install_interrupt_handler();
  ddbpy::bind_table(m);
  ddbpy::bind_iteration(m);
  ddbpy::bind_builders(m);
}
