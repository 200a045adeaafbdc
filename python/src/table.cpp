// _core.Table: construction (credentials, region, endpoint, options) and the single-item, batch
// and size calls. Conversions happen with the GIL held; the request itself without it.
#include <pybind11/stl.h>

#include <chrono>
#include <dynamodb_mapping/client_config.hpp>
#include <dynamodb_mapping/credentials.hpp>
#include <dynamodb_mapping/error.hpp>
#include <memory>
#include <string>
#include <utility>

#include "binding.hpp"
#include "convert.hpp"
#include "errors.hpp"
#include "interrupt.hpp"

namespace ddbpy {
namespace {

using namespace pybind11::literals;

// Credentials from a Python callable returning an object with access_key, secret_key and token
// (botocore's ReadOnlyCredentials, from Credentials.get_frozen_credentials): asked before each
// request, so botocore's own refresh of an assumed role or SSO session is honoured.
class CallbackProvider : public dm::CredentialsProvider {
 public:
  explicit CallbackProvider(py::object callback) : callback_(std::move(callback)) {}
  ~CallbackProvider() override {
    py::gil_scoped_acquire gil;
    callback_ = py::object();
  }
  dm::Credentials get() override {
    py::gil_scoped_acquire gil;
    try {
      py::object c = callback_();
      dm::Credentials out;
      out.access_key_id = py::str(c.attr("access_key")).cast<std::string>();
      out.secret_access_key = py::str(c.attr("secret_key")).cast<std::string>();
      py::object token = c.attr("token");
      if (!token.is_none()) out.session_token = py::str(token).cast<std::string>();
      return out;
    } catch (py::error_already_set& e) {
      // The exception's type only: a message from user code could quote a secret.
      const std::string type = py::str(e.type().attr("__name__")).cast<std::string>();
      e.restore();
      PyErr_Clear();
      throw dm::CredentialsError("the boto3 session's credentials could not be read (" + type +
                                 ")");
    }
  }
  std::string source() const override { return "a boto3 session"; }

 private:
  py::object callback_;
};

std::chrono::milliseconds millis(double seconds) {
  if (!(seconds > 0) || seconds > 86400.0 * 365) {
    throw dm::ValidationError("a timeout is a positive number of seconds");
  }
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000.0 + 0.5));
}

PyTable make_table(const std::string& name, const std::string& region,
                   const std::string& endpoint_url, const std::string& profile,
                   const std::optional<std::string>& access_key_id,
                   const std::optional<std::string>& secret_access_key,
                   const std::optional<std::string>& session_token, py::object credentials,
                   bool consistent_read, const std::string& version_attribute, int max_attempts,
                   std::optional<double> connect_timeout, std::optional<double> read_timeout,
                   int batch_concurrency, bool verify_tls, const std::string& ca_file) {
  dm::ClientConfig config;
  config.region = region;
  config.endpoint_url = endpoint_url;
  config.profile = profile;
  if (access_key_id.has_value() != secret_access_key.has_value()) {
    throw dm::ValidationError("aws_access_key_id and aws_secret_access_key go together");
  }
  if (access_key_id) {
    config.credentials = dm::Credentials{*access_key_id, *secret_access_key,
                                         session_token.value_or(""), std::nullopt};
  } else if (!credentials.is_none()) {
    config.credentials_provider = std::make_shared<CallbackProvider>(std::move(credentials));
  }
  if (max_attempts < 0) throw dm::ValidationError("max_attempts must not be negative");
  config.max_attempts = max_attempts;
  if (connect_timeout) config.connect_timeout = millis(*connect_timeout);
  if (read_timeout) config.read_timeout = millis(*read_timeout);
  config.verify_tls = verify_tls;
  config.should_stop = interrupted;
  config.ca_file = ca_file;
  if (batch_concurrency < 1) throw dm::ValidationError("batch_concurrency must be at least 1");
  dm::MappingOptions options;
  options.default_consistent_read = consistent_read;
  options.version_attribute = version_attribute;
  options.batch_concurrency = batch_concurrency;
  // Resolving the region may ask instance metadata: a network wait, so without the GIL.
  py::gil_scoped_release nogil;
  return PyTable{dm::DynamoDBMapping(name, std::move(config), std::move(options))};
}

dm::ReadOptions read_options(bool consistent_read, py::handle projection) {
  return dm::ReadOptions{consistent_read, to_names(projection)};
}

dm::ReturnValues to_returns(const std::string& s) {
  if (s == "ALL_NEW") return dm::ReturnValues::AllNew;
  if (s == "ALL_OLD") return dm::ReturnValues::AllOld;
  if (s == "UPDATED_NEW") return dm::ReturnValues::UpdatedNew;
  if (s == "UPDATED_OLD") return dm::ReturnValues::UpdatedOld;
  if (s == "NONE") return dm::ReturnValues::None;
  throw dm::ValidationError("returns is one of ALL_NEW, ALL_OLD, UPDATED_NEW, UPDATED_OLD, NONE");
}

py::tuple names_tuple(const std::vector<std::string>& names) {
  py::tuple out(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) out[i] = py::str(names[i]);
  return out;
}

py::list optional_items(const std::vector<std::optional<dm::Item>>& items) {
  py::list out;
  for (const auto& i : items) out.append(from_optional_item(i));
  return out;
}

}  // namespace

dm::Changes to_changes(py::handle changes) {
  if (!PyDict_Check(changes.ptr()) && !py::hasattr(changes, "items")) {
    throw UnsupportedType("modifications are a mapping of attribute names to values, not " +
                          std::string(Py_TYPE(changes.ptr())->tp_name));
  }
  dm::Changes out;
  py::object items = py::reinterpret_borrow<py::object>(changes).attr("items")();
  for (py::handle kv : items) {
    py::tuple pair = py::reinterpret_borrow<py::tuple>(kv);
    if (!PyUnicode_Check(pair[0].ptr())) {
      throw dm::ValidationError("attribute names must be str");
    }
    const std::string name = utf8_of(pair[0]);
    // The original's convention: None removes the attribute.
    if (pair[1].is_none()) {
      out.insert_or_assign(name, dm::remove);
    } else {
      out.insert_or_assign(name, to_value(pair[1]));
    }
  }
  return out;
}

void bind_table(py::module_& m) {
  using Release = py::call_guard<Wait>;
  py::class_<PyTable>(m, "Table")
      .def(py::init(&make_table), "table_name"_a, py::kw_only(), "region"_a = "",
           "endpoint_url"_a = "", "profile"_a = "", "access_key_id"_a = py::none(),
           "secret_access_key"_a = py::none(), "session_token"_a = py::none(),
           "credentials"_a = py::none(), "consistent_read"_a = false, "version_attribute"_a = "",
           "max_attempts"_a = 0, "connect_timeout"_a = py::none(), "read_timeout"_a = py::none(),
           "batch_concurrency"_a = 4, "verify_tls"_a = true, "ca_file"_a = "")
      .def_property_readonly("name", [](const PyTable& t) { return t.mapping.table_name(); })
      .def("key_names",
           [](const PyTable& t) {
             std::vector<std::string> names;
             {
               Wait nogil;
               names = t.mapping.key_names();
             }
             return names_tuple(names);
           })
      .def(
          "get",
          [](const PyTable& t, py::handle key, bool consistent_read, py::handle projection) {
            const dm::Key k = to_key(key);
            const dm::ReadOptions o = read_options(consistent_read, projection);
            std::optional<dm::Item> item;
            {
              Wait nogil;
              item = t.mapping.find(k, o);
            }
            return from_optional_item(item);
          },
          "key"_a, "consistent_read"_a = false, "projection"_a = py::none())
      .def(
          "at",
          [](const PyTable& t, py::handle key, bool consistent_read, py::handle projection) {
            const dm::Key k = to_key(key);
            const dm::ReadOptions o = read_options(consistent_read, projection);
            dm::Item item;
            {
              Wait nogil;
              item = t.mapping.at(k, o);
            }
            return from_item(item);
          },
          "key"_a, "consistent_read"_a = false, "projection"_a = py::none())
      .def(
          "contains",
          [](const PyTable& t, py::handle key, bool consistent_read) {
            const dm::Key k = to_key(key);
            Wait nogil;
            return t.mapping.contains(k, dm::ReadOptions{consistent_read, {}});
          },
          "key"_a, "consistent_read"_a = false)
      .def(
          "put",
          [](PyTable& t, py::handle key, py::handle item, py::handle condition, bool return_item) {
            const dm::Key k = to_key(key);
            dm::Item i = to_item(item);
            dm::WriteOptions o{to_condition(condition), return_item};
            Wait nogil;
            t.mapping.set_item(k, std::move(i), o);
          },
          "key"_a, "item"_a, "condition"_a = py::none(),
          "return_item_on_condition_failure"_a = false)
      .def("insert",
           [](PyTable& t, py::handle key, py::handle item) {
             const dm::Key k = to_key(key);
             dm::Item i = to_item(item);
             Wait nogil;
             return t.mapping.insert(k, std::move(i));
           })
      .def(
          "delete",
          [](PyTable& t, py::handle key, bool must_exist) {
            const dm::Key k = to_key(key);
            Wait nogil;
            t.mapping.del_item(k, dm::DeleteOptions{must_exist});
          },
          "key"_a, "must_exist"_a = true)
      .def(
          "erase",
          [](PyTable& t, py::handle key, py::handle condition) {
            const dm::Key k = to_key(key);
            dm::WriteOptions o{to_condition(condition), false};
            Wait nogil;
            return t.mapping.erase(k, o) == 1;
          },
          "key"_a, "condition"_a = py::none())
      .def(
          "modify",
          [](PyTable& t, py::handle key, py::handle changes, py::handle condition) {
            const dm::Key k = to_key(key);
            const dm::Changes c = to_changes(changes);
            dm::WriteOptions o{to_condition(condition), false};
            dm::Item after;
            {
              Wait nogil;
              after = t.mapping.modify_item(k, c, o);
            }
            return from_item(after);
          },
          "key"_a, "changes"_a, "condition"_a = py::none())
      .def(
          "update",
          [](PyTable& t, py::handle key, const dm::Update& update, py::handle condition,
             bool must_exist, const std::string& returns) {
            const dm::Key k = to_key(key);
            dm::UpdateOptions o{to_condition(condition), must_exist, to_returns(returns), false};
            dm::Item result;
            {
              Wait nogil;
              result = t.mapping.update_item(k, update, o);
            }
            return from_item(result);
          },
          "key"_a, "update"_a, "condition"_a = py::none(), "must_exist"_a = false,
          "returns"_a = "ALL_NEW")
      .def("pop",
           [](PyTable& t, py::handle key) {
             const dm::Key k = to_key(key);
             dm::Item item;
             {
               Wait nogil;
               item = t.mapping.pop(k);
             }
             return from_item(item);
           })
      .def(
          "size", [](const PyTable& t) { return t.mapping.size(); }, Release())
      .def(
          "count", [](const PyTable& t) { return t.mapping.count(); }, Release())
      .def(
          "empty", [](const PyTable& t) { return t.mapping.empty(); }, Release())
      .def(
          "clear", [](PyTable& t) { t.mapping.clear(); }, Release())
      .def("put_many",
           [](PyTable& t, py::handle pairs) {
             std::vector<std::pair<dm::Key, dm::Item>> entries;
             for (py::handle kv : pairs) {
               py::tuple pair = py::tuple(py::reinterpret_borrow<py::object>(kv));
               if (pair.size() != 2) {
                 throw dm::ValidationError("put_many takes (key, item) pairs");
               }
               entries.emplace_back(to_key(pair[0]), to_item(pair[1]));
             }
             Wait nogil;
             t.mapping.update(std::move(entries));
           })
      .def(
          "get_many",
          [](const PyTable& t, py::handle keys, bool consistent_read, py::handle projection) {
            const std::vector<dm::Key> ks = to_keys(keys);
            const dm::ReadOptions o = read_options(consistent_read, projection);
            std::vector<std::optional<dm::Item>> items;
            {
              Wait nogil;
              items = t.mapping.get_many(ks, o);
            }
            return optional_items(items);
          },
          "keys"_a, "consistent_read"_a = false, "projection"_a = py::none())
      .def("get_transactionally",
           [](const PyTable& t, py::handle keys) {
             const std::vector<dm::Key> ks = to_keys(keys);
             std::vector<std::optional<dm::Item>> items;
             {
               Wait nogil;
               items = t.mapping.get_transactionally(ks);
             }
             return optional_items(items);
           })
      .def("enable_ttl",
           [](PyTable& t, const std::string& attribute) {
             Wait nogil;
             t.mapping.enable_ttl(attribute);
           })
      .def("key_of",
           [](const PyTable& t, py::handle item) {
             const dm::Item i = to_item(item);
             dm::Key k;
             {
               Wait nogil;
               k = t.mapping.key_of(i);
             }
             return from_key(k);
           })
      .def_static("expires_in", [](double seconds) {
        return from_value(dm::Value(dm::DynamoDBMapping::expires_in(
            std::chrono::seconds(static_cast<long long>(seconds)))));
      });
}

}  // namespace ddbpy
