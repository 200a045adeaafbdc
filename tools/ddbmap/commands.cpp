#include "commands.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "capacity_report.hpp"
#include "errors.hpp"
#include "io.hpp"
#include "key_text.hpp"
#include "progress.hpp"
#include "signals.hpp"
#include "text.hpp"

namespace ddbmap {

namespace ddb = dynamodb_mapping;

namespace {

std::chrono::milliseconds millis(double seconds) {
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
}

ddb::Key key_arg(const ddb::DynamoDBMapping& m, const Args& a) {
  return parse_key(a.key, m.key_definitions(), a.number_key);
}

int not_found(const Args& a) {
  std::cerr << "ddbmap: not found: " << safe_text(a.key, 512) << '\n';
  return kNotFound;
}

}  // namespace

std::string item_json(const ddb::Item& item, bool wire) {
  return wire ? ddb::to_wire_json(item) : ddb::to_plain_json(item);
}

std::string debug_line(const ddb::RequestEvent& e) {
  auto millis_text = [](std::chrono::nanoseconds d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1fms", std::chrono::duration<double, std::milli>(d).count());
    return std::string(buf);
  };
  std::string line = "ddbmap: debug: " + safe_text(e.operation, 64);
  if (!e.table.empty()) line += " table=" + safe_text(e.table, 256);
  line += " attempt=" + std::to_string(e.attempt) + " status=" + std::to_string(e.http_status);
  if (!e.error_code.empty()) line += " error=" + safe_text(e.error_code, 256);
  line += " " + millis_text(e.latency) + " sent=" + std::to_string(e.bytes_sent) +
          "B received=" + std::to_string(e.bytes_received) + "B";
  if (!e.request_id.empty()) line += " id=" + safe_text(e.request_id, 128);
  if (!e.consumed_capacity.empty()) {
    double units = 0;
    for (const auto& c : e.consumed_capacity) units += c.capacity.units.total;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", units);
    line += std::string(" capacity=") + buf;
  }
  if (e.may_have_been_applied) line += " may-have-been-applied";
  switch (e.decision) {
    case ddb::RetryDecision::Done:
      line += " done";
      break;
    case ddb::RetryDecision::Retry:
      line += " retry-in=" + millis_text(e.backoff);
      break;
    case ddb::RetryDecision::GiveUp:
      line += " gives-up";
      break;
  }
  return line + '\n';
}

ddb::ClientConfig client_config(const Globals& g) {
  ddb::ClientConfig c;
  c.endpoint_url = g.endpoint_url;
  c.region = g.region;
  c.profile = g.profile;
  c.ca_file = g.ca_bundle;
  if (g.connect_timeout > 0) c.connect_timeout = millis(g.connect_timeout);
  if (g.read_timeout > 0) c.read_timeout = millis(g.read_timeout);
  // Ctrl-C cuts a wait for an answer or a retry back-off short instead of waiting it out.
  c.should_stop = [] { return stop_waiting(); };
  c.track_consumed_capacity = g.consumed_capacity;
  if (g.debug) {
    // One write per line, so that lines from the batch engine's threads do not interleave.
    c.on_request = [](const ddb::RequestEvent& e) { std::cerr << debug_line(e) << std::flush; };
  }
  c.credentials_provider = ddbmap_credentials(g);
  return c;
}

ddb::Client open_client(const Globals& g) {
  ddb::Client client(client_config(g));
  if (g.consumed_capacity) remember_for_capacity_report(client);
  return client;
}

ddb::DynamoDBMapping open_table(const Globals& g, const std::string& table) {
  ddb::MappingOptions o;
  o.default_consistent_read = g.consistent;
  return ddb::DynamoDBMapping(table, open_client(g), o);
}

ddb::Item parse_item(const std::string& json, bool wire, const std::string& where) {
  try {
    return wire ? ddb::item_from_wire_json(json) : ddb::item_from_plain_json(json);
  } catch (const ddb::DecodeError& e) {
    throw InputError(where + ": " + safe_text(e.message()));
  }
}

bool stderr_is_terminal() {
  return ::isatty(STDERR_FILENO) == 1;
}

int cmd_get(const Globals& g, const Args& a) {
  auto m = open_table(g, a.table);
  const auto item = m.find(key_arg(m, a));
  if (!item) return not_found(a);
  Output out("-");
  out.line(item_json(*item, a.wire));
  out.commit();
  return kOk;
}

int cmd_put(const Globals& g, const Args& a) {
  auto m = open_table(g, a.table);
  const ddb::Key key = key_arg(m, a);
  ddb::Item item = parse_item(a.json, a.wire, "JSON argument");
  if (a.only_new) {
    if (!m.insert(key, std::move(item))) {
      std::cerr << "ddbmap: condition failed: the item exists: " << safe_text(a.key, 512) << '\n';
      return kConditionFailed;
    }
    return kOk;
  }
  m.set_item(key, std::move(item));
  return kOk;
}

int cmd_set(const Globals& g, const Args& a) {
  auto m = open_table(g, a.table);
  ddb::Value v;
  try {
    v = a.wire ? ddb::value_from_wire_json(a.json) : ddb::value_from_plain_json(a.json);
  } catch (const ddb::DecodeError& e) {
    throw InputError("JSON argument: " + safe_text(e.message()));
  }
  try {
    m[key_arg(m, a)][a.attribute] = v;
  } catch (const ddb::KeyError&) {
    return not_found(a);
  }
  return kOk;
}

int cmd_del(const Globals& g, const Args& a) {
  auto m = open_table(g, a.table);
  if (m.erase(key_arg(m, a)) == 0) return not_found(a);
  return kOk;
}

int cmd_len(const Globals& g, const Args& a) {
  auto m = open_table(g, a.table);
  Output out("-");
  out.line(std::to_string(a.exact ? m.count() : m.size()));
  out.commit();
  return kOk;
}

namespace {

// The lines of ls/scan/export, up to --limit, with the interruption checked after each.
template <class Check>
void scan_lines(ddb::DynamoDBMapping& m, const Args& a, const ddb::ScanOptions& o, Output& out,
                Progress& progress, std::uint64_t& n, Check&& stop_if_interrupted) {
  const auto limit = static_cast<std::uint64_t>(a.limit);
  if (a.limit != 0) {
    if (a.keys_only) {
      for (const ddb::Key& k : m.keys(o)) {
        out.line(item_json(m.key_attributes(k), a.wire));
        if (++n == limit) break;
        stop_if_interrupted();
      }
    } else {
      for (const ddb::Item& item : m.values(o)) {
        out.line(item_json(item, a.wire));
        ++n;
        progress.update(n, n);
        if (n == limit) break;
        stop_if_interrupted();
      }
    }
  }
}

}  // namespace

int cmd_scan_out(const Globals& g, const Args& a, bool is_export) {
  auto m = open_table(g, a.table);
  ddb::ScanOptions o;
  o.segments = a.segments;
  o.consistent_read = g.consistent;
  if (a.page_size > 0) o.page_size = a.page_size;
  if (a.limit >= 0 && a.limit <= 1000) {
    o.page_size = static_cast<int>(std::max(1L, a.limit));  // do not fetch 1 MB to show 5 items
    o.prefetch = false;
  }
  // Opened before the first request, so that an unwritable target fails before any work.
  Output out(is_export ? a.file : "-");
  // The estimate for the ETA costs one DescribeTable: only when a bar is shown.
  const bool bar = is_export && stderr_is_terminal();
  Progress progress(bar, "export", bar ? std::optional<std::uint64_t>(m.size()) : std::nullopt);
  std::uint64_t n = 0;
  auto stop_if_interrupted = [&] {
    if (!interrupted()) return;
    progress.finish();
    throw Interrupted("interrupted: " + std::to_string(n) + " items written" +
                      (is_export && a.file != "-" ? "; " + safe_text(a.file, 512) +
                                                        " left as it was (the export is incomplete)"
                                                  : ""));
  };
  try {
    scan_lines(m, a, o, out, progress, n, stop_if_interrupted);
  } catch (const ddb::CancelledError&) {
    stop_if_interrupted();  // a wait cut short by the signal: reported as the interruption
    throw;
  }
  stop_if_interrupted();
  out.commit();
  progress.finish();
  if (is_export && a.file != "-") std::cerr << "ddbmap: exported " << n << " items\n";
  return kOk;
}

}  // namespace ddbmap
