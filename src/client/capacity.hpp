// Consumed capacity (ClientConfig::track_consumed_capacity): asking for it in a request body,
// reading it from an answer (protocol_capacity.cpp), and the totals a Client keeps (capacity.cpp).
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb_mapping/capacity.hpp"

namespace dynamodb_mapping::detail {

/// Bounds on what one answer may report; beyond them the answer's capacity is unreadable.
inline constexpr std::size_t kMaxCapacityTables = 100;   // a transaction or batch: 100 at most
inline constexpr std::size_t kMaxCapacityIndexes = 100;  // per kind (GSI, LSI) and table
inline constexpr double kMaxCapacityUnits = 1e9;  // per number; a real answer stays far below

/// One table's part of one answer (the public type of RequestEvent::consumed_capacity).
using CapacityEntry = ConsumedCapacity;

/// The request `body` (a JSON object, as every encoder writes it) with
/// "ReturnConsumedCapacity":"INDEXES" as its first member.
std::string with_return_consumed_capacity(std::string_view body);

/// The ConsumedCapacity of an answer: one object (single-item calls, Query, Scan) or an array
/// of them (batches, transactions). nullopt when it is absent or unreadable: not JSON, a member
/// of the wrong type, a number that is not finite, negative or over kMaxCapacityUnits, a table
/// or index name that DynamoDB could not have sent, more entries than the bounds. A total
/// without the read/write split counts as read units when `read` (the operation only reads),
/// else as write units. Never throws DecodeError.
std::optional<std::vector<CapacityEntry>> decode_consumed_capacity(std::string_view answer,
                                                                   bool read);

/// Whether `operation` only reads (its bare CapacityUnits are read units).
bool reads_capacity(std::string_view operation);

/// The totals of one Client and its copies; thread-safe.
class CapacityLedger {
 public:
  /// Adds the ConsumedCapacity of `answer`, the 200 answer of `operation`; one that cannot be
  /// read counts as unreadable (and in the table of `table`, the request's only table, if any).
  void add(std::string_view operation, std::string_view table, std::string_view answer);
  /// The same with the answer's ConsumedCapacity already read (nullopt: unreadable).
  void add(std::string_view table, const std::optional<std::vector<CapacityEntry>>& entries);
  CapacityTotals totals() const;
  TableCapacity table(const std::string& name) const;
  void reset();
  void reset(const std::string& name);

 private:
  mutable std::mutex mutex_;
  CapacityTotals totals_;
};

}  // namespace dynamodb_mapping::detail
