// --consumed-capacity: the capacity every command's requests consumed, on stderr at the end.
#pragma once

#include <string>

#include "dynamodb_mapping/client.hpp"

namespace ddbmap {

/// Remembers `client` (made with ClientConfig::track_consumed_capacity) for the report.
void remember_for_capacity_report(const dynamodb_mapping::Client& client);

/// The report: one line per table and per index, "ddbmap: consumed capacity: ..."; a line for
/// answers that reported none, if any.
std::string capacity_report_text(const dynamodb_mapping::CapacityTotals& totals);

/// When enabled, prints on stderr, as it goes out of scope (after the command, whether it
/// succeeded, failed or was interrupted), the totals of every client remembered.
class CapacityReport {
 public:
  /// Prints at the end only when `enabled`.
  explicit CapacityReport(bool enabled) : enabled_(enabled) {}
  ~CapacityReport();
  CapacityReport(const CapacityReport&) = delete;
  CapacityReport& operator=(const CapacityReport&) = delete;

 private:
  bool enabled_;
};

}  // namespace ddbmap
