// ReturnConsumedCapacity in a request body and ConsumedCapacity in an answer (capacity.hpp).
#include <cmath>

#include "client/capacity.hpp"
#include "client/protocol_json.hpp"

namespace dynamodb_mapping::detail {

using namespace protocol;

namespace {

// DynamoDB's table names (or a table ARN, which a request may name) and index names.
bool valid_name(std::string_view name, std::size_t max, bool arn_characters) {
  if (name.empty() || name.size() > max) return false;
  for (char c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '_' || c == '-' || c == '.';
    if (!plain && !(arn_characters && (c == ':' || c == '/'))) return false;
  }
  return true;
}

double get_units(od::value v) {
  double d = 0;
  if (v.get_double().get(d) || !std::isfinite(d) || d < 0 || d > kMaxCapacityUnits) {
    unexpected("a capacity that is not a finite number from 0 to 1e9");
  }
  return d;
}

// The three numbers of a Capacity (or of ConsumedCapacity itself); `other` gets the members
// that are not numbers of it.
struct RawUnits {
  std::optional<double> total, read, write;
  bool take(std::string_view k, od::value v) {
    if (k == "CapacityUnits")
      total = get_units(v);
    else if (k == "ReadCapacityUnits")
      read = get_units(v);
    else if (k == "WriteCapacityUnits")
      write = get_units(v);
    else
      return false;
    return true;
  }
  CapacityUnits units(bool read_operation) const {
    if (!total && !read && !write) unexpected("a capacity without CapacityUnits");
    CapacityUnits u;
    if (read || write) {
      u.read = read.value_or(0);
      u.write = write.value_or(0);
      u.total = total.value_or(u.read + u.write);
    } else {
      u.total = *total;
      (read_operation ? u.read : u.write) = *total;
    }
    return u;
  }
};

CapacityUnits get_capacity(od::value v, bool read_operation) {
  od::object obj;
  if (v.get_object().get(obj)) unexpected("a capacity that is not an object");
  RawUnits raw;
  for (auto field : obj) {
    const std::string_view k = field.unescaped_key();
    raw.take(k, field.value());  // other members (future ones) are skipped
  }
  return raw.units(read_operation);
}

void get_indexes(od::value v, bool read_operation, std::map<std::string, CapacityUnits>& out) {
  od::object obj;
  if (v.get_object().get(obj)) unexpected("indexes that are not an object");
  for (auto field : obj) {
    const std::string_view name = field.unescaped_key();
    if (!valid_name(name, 255, false)) unexpected("an index name DynamoDB cannot send");
    if (out.size() >= kMaxCapacityIndexes) unexpected("too many indexes");
    out[std::string(name)] += get_capacity(field.value(), read_operation);
  }
}

CapacityEntry get_entry(od::value v, bool read_operation) {
  od::object obj;
  if (v.get_object().get(obj)) unexpected("a ConsumedCapacity that is not an object");
  CapacityEntry e;
  RawUnits raw;
  bool has_table_part = false;
  for (auto field : obj) {
    const std::string_view k = field.unescaped_key();
    od::value value = field.value();
    if (raw.take(k, value)) continue;
    if (k == "TableName") {
      std::string_view name;
      if (value.get_string().get(name) || !valid_name(name, 1024, true)) {
        unexpected("a TableName DynamoDB cannot send");
      }
      e.table = std::string(name);
    } else if (k == "Table") {
      e.capacity.table = get_capacity(value, read_operation);
      has_table_part = true;
    } else if (k == "GlobalSecondaryIndexes") {
      get_indexes(value, read_operation, e.capacity.global_secondary_indexes);
    } else if (k == "LocalSecondaryIndexes") {
      get_indexes(value, read_operation, e.capacity.local_secondary_indexes);
    }
  }
  if (e.table.empty()) unexpected("a ConsumedCapacity without TableName");
  e.capacity.units = raw.units(read_operation);
  if (!has_table_part) {
    // The table's own part is what the indexes leave of the total.
    CapacityUnits rest = e.capacity.units;
    auto subtract = [&](const std::map<std::string, CapacityUnits>& indexes) {
      for (const auto& [name, u] : indexes) {
        rest.read -= u.read;
        rest.write -= u.write;
        rest.total -= u.total;
      }
    };
    subtract(e.capacity.global_secondary_indexes);
    subtract(e.capacity.local_secondary_indexes);
    e.capacity.table = {std::max(rest.read, 0.0), std::max(rest.write, 0.0),
                        std::max(rest.total, 0.0)};
  }
  return e;
}

}  // namespace

std::string with_return_consumed_capacity(std::string_view body) {
  static constexpr std::string_view kMember = R"("ReturnConsumedCapacity":"INDEXES")";
  std::string out;
  out.reserve(body.size() + kMember.size() + 3);
  out += '{';
  out += kMember;
  std::size_t rest = body.find('{');
  rest = rest == std::string_view::npos ? body.size() : rest + 1;
  const std::size_t next = body.find_first_not_of(" \t\r\n", rest);
  if (next == std::string_view::npos || body[next] == '}') {
    out += '}';  // an empty object (or none): the member alone
  } else {
    out += ',';
    out.append(body.substr(rest));
  }
  return out;
}

bool reads_capacity(std::string_view operation) {
  for (std::string_view prefix : {"Get", "BatchGet", "TransactGet", "Query", "Scan"}) {
    if (operation.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::optional<std::vector<CapacityEntry>> decode_consumed_capacity(std::string_view answer,
                                                                   bool read) {
  try {
    return with_document(answer, "ConsumedCapacity", [&](od::document& doc) {
      std::optional<std::vector<CapacityEntry>> entries;
      for_each_field(doc, [&](std::string_view k, od::value v) {
        if (k != "ConsumedCapacity") return;
        if (entries) unexpected("ConsumedCapacity twice");
        entries.emplace();
        od::json_type type;
        if (v.type().get(type)) unexpected("a ConsumedCapacity that is not JSON");
        if (type != od::json_type::array) {
          entries->push_back(get_entry(v, read));
          return;
        }
        for (auto e : v.get_array()) {
          if (entries->size() >= kMaxCapacityTables) unexpected("too many ConsumedCapacity");
          entries->push_back(get_entry(e.value(), read));
        }
      });
      return entries;
    });
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace dynamodb_mapping::detail
