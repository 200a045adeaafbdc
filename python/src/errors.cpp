// C++ -> Python exception translation (errors.hpp).
#include "errors.hpp"

#include <dynamodb_mapping/error.hpp>
#include <dynamodb_mapping/key.hpp>
#include <new>

#include "convert.hpp"

namespace ddbpy {
namespace {

// dynamodb_mapping._errors, kept for the life of the process.
PyObject* g_errors = nullptr;

const char* class_name(dm::ErrorKind kind) {
  using K = dm::ErrorKind;
  switch (kind) {
    case K::Validation:
      return "ValidationError";
    case K::Decode:
      return "DecodeError";
    case K::Type:
      return "ValueTypeError";
    case K::Network:
      return "NetworkError";
    case K::Cancelled:
      return "CancelledError";
    case K::Credentials:
      return "CredentialsError";
    case K::Config:
      return "ConfigError";
    case K::Throttling:
      return "ThrottlingError";
    case K::Server:
      return "ServerError";
    case K::ResourceNotFound:
      return "ResourceNotFoundError";
    case K::ResourceInUse:
      return "ResourceInUseError";
    case K::AccessDenied:
      return "AccessDeniedError";
    case K::ConditionalCheckFailed:
      return "ConditionalCheckFailedError";
    case K::AmbiguousOutcome:
      return "AmbiguousOutcomeError";
    case K::Protocol:
      return "ProtocolError";
    case K::TransactionCanceled:
      return "TransactionCanceledError";
    case K::KeyNotFound:
      return "ItemNotFoundError";
    case K::AttributeNotFound:
      return "AttributeNotFoundError";
    case K::Batch:
      return "BatchError";
    case K::WaitTimeout:
      return "WaitTimeoutError";
    case K::Other:
      break;
  }
  return "DynamoDBMappingError";
}

py::object optional_item(const dm::Item* item) {
  return item ? py::object(from_item(*item)) : py::object(py::none());
}

py::list keys_of(std::span<const dm::Key> keys) {
  py::list out;
  for (const auto& k : keys) out.append(from_key(k));
  return out;
}

// The exception object for `e`, with its fields as attributes.
py::object python_error(const dm::Error& e) {
  py::object cls = py::reinterpret_borrow<py::object>(g_errors).attr(class_name(e.kind()));
  py::object err = cls(py::str(e.what()));
  err.attr("code") = e.code();
  err.attr("message") = e.message();
  err.attr("status") = e.http_status();
  err.attr("request_id") = e.request_id();
  err.attr("operation") = e.operation();
  err.attr("table") = e.table();
  if (const auto* k = dynamic_cast<const dm::KeyError*>(&e)) {
    err.attr("key") = from_key(k->key());
  } else if (const auto* c = dynamic_cast<const dm::ConditionalCheckFailedError*>(&e)) {
    err.attr("item") = optional_item(c->item());
  } else if (const auto* a = dynamic_cast<const dm::AmbiguousOutcomeError*>(&e)) {
    err.attr("item") = optional_item(a->item());
  } else if (const auto* b = dynamic_cast<const dm::BatchError*>(&e)) {
    err.attr("succeeded") = b->succeeded();
    err.attr("failed") = keys_of(b->failed());
    err.attr("unknown") = keys_of(b->unknown());
  } else if (const auto* t = dynamic_cast<const dm::TransactionCanceledError*>(&e)) {
    py::list reasons;
    for (const auto& r : t->reasons()) {
      reasons.append(py::make_tuple(r.code, r.message, optional_item(r.item.get())));
    }
    err.attr("reasons") = reasons;
  }
  return err;
}

void raise(const char* cls, const char* message) {
  py::object c = py::reinterpret_borrow<py::object>(g_errors).attr(cls);
  PyErr_SetObject(c.ptr(), py::str(message).ptr());
}

}  // namespace

void init_errors(py::module_& m) {
  (void)m;
  g_errors = py::module_::import("dynamodb_mapping._errors").release().ptr();
  py::register_exception_translator([](std::exception_ptr p) {
    if (!p) return;
    try {
      std::rethrow_exception(p);
    } catch (const dm::CancelledError& e) {
      // Only Ctrl-C cancels (interrupt.hpp): let Python's SIGINT handler raise what it raises
      // (KeyboardInterrupt, or the program's own), else report the cancellation.
      if (PyErr_CheckSignals() != 0) return;
      py::object err = python_error(e);
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(err.ptr())), err.ptr());
    } catch (const dm::Error& e) {
      py::object err = python_error(e);
      PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(err.ptr())), err.ptr());
    } catch (const UnsupportedType& e) {
      raise("UnsupportedTypeError", e.what());
    }
  });
}

}  // namespace ddbpy
