#include "capacity_report.hpp"

#include <charconv>
#include <iostream>
#include <mutex>
#include <vector>

#include "text.hpp"

namespace ddbmap {

namespace ddb = dynamodb_mapping;

namespace {

std::mutex clients_mutex;
std::vector<ddb::Client>& clients() {
  static std::vector<ddb::Client> all;
  return all;
}

// The shortest text that reads back as `units` (0.5, 12, 1e+06).
std::string number(double units) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, units);
  return std::string(buf, r.ptr);
}

std::string units_text(const ddb::CapacityUnits& u) {
  return number(u.total) + " units (read " + number(u.read) + ", write " + number(u.write) + ")";
}

}  // namespace

void remember_for_capacity_report(const ddb::Client& client) {
  std::lock_guard lock(clients_mutex);
  clients().push_back(client);
}

std::string capacity_report_text(const ddb::CapacityTotals& totals) {
  const std::string prefix = "ddbmap: consumed capacity: ";
  std::string out;
  for (const auto& [name, t] : totals.tables) {
    // Names come from the server's answers: made safe for the terminal.
    const std::string table = "table " + safe_text(name, 1100);
    out += prefix + table + ": " + units_text(t.units) + " in " + std::to_string(t.requests) +
           (t.requests == 1 ? " request" : " requests") + "\n";
    if (!t.global_secondary_indexes.empty() || !t.local_secondary_indexes.empty()) {
      out += prefix + table + ", the table itself: " + units_text(t.table) + "\n";
    }
    for (const auto& [index, u] : t.global_secondary_indexes) {
      out +=
          prefix + table + ", global index " + safe_text(index, 300) + ": " + units_text(u) + "\n";
    }
    for (const auto& [index, u] : t.local_secondary_indexes) {
      out +=
          prefix + table + ", local index " + safe_text(index, 300) + ": " + units_text(u) + "\n";
    }
  }
  if (totals.tables.empty() && totals.unreadable_answers == 0) out += prefix + "none reported\n";
  if (totals.unreadable_answers > 0) {
    out += prefix + std::to_string(totals.unreadable_answers) +
           " answers without a readable ConsumedCapacity (not counted)\n";
  }
  return out;
}

CapacityReport::~CapacityReport() {
  if (!enabled_) return;
  std::lock_guard lock(clients_mutex);
  // Usually one client; several (if a command opened more) are reported together.
  ddb::CapacityTotals all;
  for (const auto& c : clients()) {
    const ddb::CapacityTotals t = c.consumed_capacity();
    all.answers += t.answers;
    all.unreadable_answers += t.unreadable_answers;
    for (const auto& [name, table] : t.tables) {
      ddb::TableCapacity& into = all.tables[name];
      into.units += table.units;
      into.table += table.table;
      for (const auto& [i, u] : table.global_secondary_indexes)
        into.global_secondary_indexes[i] += u;
      for (const auto& [i, u] : table.local_secondary_indexes) into.local_secondary_indexes[i] += u;
      into.requests += table.requests;
      into.unreadable_answers += table.unreadable_answers;
    }
  }
  std::cerr << capacity_report_text(all) << std::flush;
  clients().clear();  // before static destruction: the clients' connections close here
}

}  // namespace ddbmap
