// The library's exceptions as Python's: each C++ error class is raised as the class of the same
// name in dynamodb_mapping._errors (which also subclass KeyError, ValueError, TypeError as their
// meaning asks), with the message unchanged and the fields (code, status, request id, item,
// keys) as attributes.
#pragma once

#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string>

namespace ddbpy {

/// A Python value of a type DynamoDB cannot store; raised as UnsupportedTypeError (a TypeError).
class UnsupportedType : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Looks up the Python exception classes and registers the translator.
void init_errors(pybind11::module_& m);

}  // namespace ddbpy
