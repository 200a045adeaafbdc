// The table subcommands: tables, describe, create-table, delete-table (on tables.hpp).
#include <ctime>
#include <iostream>

#include "commands.hpp"
#include "errors.hpp"
#include "io.hpp"
#include "signals.hpp"
#include "text.hpp"

namespace ddbmap {

namespace ddb = dynamodb_mapping;

namespace {

ddb::ScalarType scalar_type(const std::string& type, const std::string& spec) {
  if (type == "S") return ddb::ScalarType::String;
  if (type == "N") return ddb::ScalarType::Number;
  if (type == "B") return ddb::ScalarType::Binary;
  throw InputError("a key type is S, N or B: \"" + safe_text(spec, 256) + "\"");
}

const char* type_letter(ddb::ScalarType t) {
  return t == ddb::ScalarType::String ? "S" : t == ddb::ScalarType::Number ? "N" : "B";
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t at; (at = s.find(sep, start)) != std::string::npos; start = at + 1) {
    parts.push_back(s.substr(start, at - start));
  }
  parts.push_back(s.substr(start));
  return parts;
}

// NAME or NAME:TYPE (TYPE S, N or B; S when left out).
ddb::KeyAttribute key_attribute(const std::string& spec) {
  const auto colon = spec.rfind(':');
  const std::string name = spec.substr(0, colon);
  const std::string type = colon == std::string::npos ? "S" : spec.substr(colon + 1);
  if (name.empty()) {
    throw InputError("a key attribute is NAME or NAME:TYPE with TYPE S, N or B: \"" +
                     safe_text(spec, 256) + "\"");
  }
  return {name, scalar_type(type, spec)};
}

// NAME:PK:TYPE[:SK:TYPE]
ddb::IndexSpec index_spec(const std::string& spec) {
  const auto parts = split(spec, ':');
  if (parts.size() != 3 && parts.size() != 5) {
    throw InputError("--gsi is NAME:PK:TYPE or NAME:PK:TYPE:SK:TYPE: \"" + safe_text(spec, 256) +
                     "\"");
  }
  ddb::IndexSpec i;
  i.name = parts[0];
  i.partition_key = {parts[1], scalar_type(parts[2], spec)};
  if (parts.size() == 5) i.sort_key = ddb::KeyAttribute{parts[3], scalar_type(parts[4], spec)};
  return i;
}

// R,W as two whole numbers.
ddb::ProvisionedThroughput capacity(const std::string& spec) {
  const auto parts = split(spec, ',');
  try {
    std::size_t r_end = 0, w_end = 0;
    if (parts.size() == 2) {
      const long long r = std::stoll(parts[0], &r_end), w = std::stoll(parts[1], &w_end);
      if (r_end == parts[0].size() && w_end == parts[1].size()) return {r, w};
    }
  } catch (const std::exception&) {
  }
  throw InputError("--provisioned is READ,WRITE (capacity units): \"" + safe_text(spec, 256) +
                   "\"");
}

// Waits with a progress line on a terminal and Ctrl-C honoured (exit 130).
ddb::WaitOptions wait_options(const Args& a, const std::string& what, const std::string& goal) {
  ddb::WaitOptions w;
  w.timeout = std::chrono::milliseconds(static_cast<long long>(a.wait_timeout * 1000));
  w.should_stop = [] { return interrupted(); };
  if (stderr_is_terminal()) {
    w.on_poll = [what, goal, table = safe_text(a.table, 256)](const std::string& status,
                                                              std::chrono::milliseconds waited) {
      std::cerr << "\r" << what << ": waiting for " << table << " " << goal << " ("
                << safe_text(status, 128) << ", " << waited.count() / 1000 << " s)\x1b[K"
                << std::flush;
    };
  }
  return w;
}

// Ends the progress line, whatever the wait's outcome.
struct ProgressLine {
  ~ProgressLine() {
    if (stderr_is_terminal()) std::cerr << "\r\x1b[K" << std::flush;
  }
};

std::string key_text(const ddb::TableDescription& d, const std::vector<ddb::KeySchemaElement>& ks) {
  std::string out;
  for (const auto& k : ks) {
    if (!out.empty()) out += ", ";
    const auto type = d.attribute_type(k.attribute_name);
    out += safe_text(k.attribute_name, 256) + " (" + (type ? type_letter(*type) : "?") + ", " +
           (k.key_type == ddb::KeyType::Hash ? "partition" : "sort") + ")";
  }
  return out;
}

std::string index_text(const ddb::TableDescription& d, const ddb::SecondaryIndexDescription& i) {
  std::string out = safe_text(i.index_name, 256) + ": " + key_text(d, i.key_schema) + " [" +
                    safe_text(i.projection.projection_type, 32);
  for (std::size_t n = 0; n < i.projection.non_key_attributes.size(); ++n) {
    out += (n == 0 ? " " : ",") + safe_text(i.projection.non_key_attributes[n], 256);
  }
  out += "]";
  if (!i.index_status.empty()) out += " " + safe_text(i.index_status, 32);
  if (i.backfilling) out += " (backfilling)";
  if (i.provisioned_throughput) {
    out += ", read " + std::to_string(i.provisioned_throughput->read_capacity_units) + " write " +
           std::to_string(i.provisioned_throughput->write_capacity_units);
  }
  return out + ", " + std::to_string(i.item_count) + " items, " +
         std::to_string(i.index_size_bytes) + " bytes";
}

std::string utc_time(double seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

ddb::Value keys_json(const ddb::TableDescription& d, const std::vector<ddb::KeySchemaElement>& ks) {
  ddb::List out;
  for (const auto& k : ks) {
    const auto type = d.attribute_type(k.attribute_name);
    out.push_back(
        ddb::Map{{"AttributeName", k.attribute_name},
                 {"KeyType", k.key_type == ddb::KeyType::Hash ? "HASH" : "RANGE"},
                 {"AttributeType", type ? ddb::Value(type_letter(*type)) : ddb::Value()}});
  }
  return out;
}

ddb::Value throughput_json(const std::optional<ddb::ProvisionedThroughput>& t) {
  if (!t) return {};
  return ddb::Map{{"ReadCapacityUnits", t->read_capacity_units},
                  {"WriteCapacityUnits", t->write_capacity_units}};
}

ddb::Value indexes_json(const ddb::TableDescription& d,
                        const std::vector<ddb::SecondaryIndexDescription>& indexes) {
  ddb::List out;
  for (const auto& i : indexes) {
    ddb::List non_key(i.projection.non_key_attributes.begin(),
                      i.projection.non_key_attributes.end());
    ddb::Map m{{"IndexName", i.index_name},
               {"KeySchema", keys_json(d, i.key_schema)},
               {"Projection", ddb::Map{{"ProjectionType", i.projection.projection_type},
                                       {"NonKeyAttributes", std::move(non_key)}}},
               {"ItemCount", i.item_count},
               {"IndexSizeBytes", i.index_size_bytes},
               {"ProvisionedThroughput", throughput_json(i.provisioned_throughput)}};
    if (!i.index_status.empty()) {
      m["IndexStatus"] = i.index_status;
      m["Backfilling"] = i.backfilling;
    }
    out.push_back(std::move(m));
  }
  return out;
}

ddb::Map describe_json(const ddb::TableInfo& info) {
  const ddb::TableDescription& d = info.table;
  ddb::Value ttl;
  if (info.time_to_live) {
    ttl = ddb::Map{{"TimeToLiveStatus", info.time_to_live->time_to_live_status},
                   {"AttributeName", info.time_to_live->attribute_name}};
  }
  return ddb::Map{{"TableName", d.table_name},
                  {"TableArn", d.table_arn},
                  {"TableStatus", d.table_status},
                  {"KeySchema", keys_json(d, d.key_schema)},
                  {"BillingMode", d.billing_mode.empty() ? "PROVISIONED" : d.billing_mode},
                  {"ProvisionedThroughput", throughput_json(d.provisioned_throughput)},
                  {"ItemCount", d.item_count},
                  {"TableSizeBytes", d.table_size_bytes},
                  {"CreationDateTime", d.creation_date_time},
                  {"TimeToLive", std::move(ttl)},
                  {"GlobalSecondaryIndexes", indexes_json(d, d.global_secondary_indexes)},
                  {"LocalSecondaryIndexes", indexes_json(d, d.local_secondary_indexes)}};
}

}  // namespace

int cmd_tables(const Globals& g, const Args&) {
  const auto names = ddb::list_all_tables(ddb::Client(client_config(g)));
  Output out("-");
  for (const auto& name : names) out.line(name);
  out.commit();
  return kOk;
}

int cmd_describe(const Globals& g, const Args& a) {
  const ddb::TableInfo info = ddb::describe_table_and_ttl(open_table(g, a.table).client(), a.table);
  Output out("-");
  if (a.json_output) {
    out.line(ddb::to_plain_json(describe_json(info)));
    out.commit();
    return kOk;
  }
  const ddb::TableDescription& d = info.table;
  const auto row = [&](const char* label, const std::string& text) {
    out.line(std::string(label) + text);
  };
  row("Table:          ", safe_text(d.table_name, 256));
  row("Status:         ", safe_text(d.table_status, 64));
  row("Key:            ", key_text(d, d.key_schema));
  std::string billing = d.billing_mode.empty() ? "PROVISIONED" : safe_text(d.billing_mode, 64);
  if (d.billing_mode != "PAY_PER_REQUEST" && d.provisioned_throughput) {
    billing += " (read " + std::to_string(d.provisioned_throughput->read_capacity_units) +
               ", write " + std::to_string(d.provisioned_throughput->write_capacity_units) + ")";
  }
  row("Billing:        ", billing);
  row("Items:          ", std::to_string(d.item_count) + " (estimate, updated about every 6 h)");
  row("Size:           ", std::to_string(d.table_size_bytes) + " bytes");
  if (d.creation_date_time > 0) row("Created:        ", utc_time(d.creation_date_time));
  if (!info.time_to_live) {
    row("Time to live:   ", "not offered by this server");
  } else {
    std::string ttl = safe_text(info.time_to_live->time_to_live_status, 64);
    if (!info.time_to_live->attribute_name.empty()) {
      ttl += " (" + safe_text(info.time_to_live->attribute_name, 256) + ")";
    }
    row("Time to live:   ", ttl);
  }
  for (const auto& i : d.global_secondary_indexes) row("Global index:   ", index_text(d, i));
  for (const auto& i : d.local_secondary_indexes) row("Local index:    ", index_text(d, i));
  row("ARN:            ", safe_text(d.table_arn, 512));
  out.commit();
  return kOk;
}

int cmd_create_table(const Globals& g, const Args& a) {
  ddb::TableSpec spec;
  spec.name = a.table;
  spec.partition_key = key_attribute(a.partition_key);
  if (!a.sort_key.empty()) spec.sort_key = key_attribute(a.sort_key);
  for (const auto& gsi : a.gsi) spec.global_indexes.push_back(index_spec(gsi));
  if (!a.provisioned.empty()) spec.provisioned = capacity(a.provisioned);
  spec.ttl_attribute = a.ttl;
  const auto client = open_table(g, a.table).client();
  if (a.no_wait) {
    if (!spec.ttl_attribute.empty()) {
      throw InputError("--ttl needs the table ACTIVE: it cannot go with --no-wait");
    }
    (void)client.create_table(ddb::create_table_request(spec));
    return kOk;
  }
  ProgressLine line;
  (void)ddb::create_table(client, spec, wait_options(a, "create-table", "to be ACTIVE"));
  return kOk;
}

int cmd_delete_table(const Globals& g, const Args& a) {
  const auto client = open_table(g, a.table).client();
  if (a.no_wait) {
    (void)client.delete_table(a.table);
    return kOk;
  }
  ProgressLine line;
  ddb::delete_table(client, a.table, wait_options(a, "delete-table", "to be deleted"));
  return kOk;
}

}  // namespace ddbmap
