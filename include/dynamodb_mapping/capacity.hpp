// Consumed capacity: what the requests of a Client cost in DynamoDB capacity units, per table and
// per index, as DynamoDB reported it (ClientConfig::track_consumed_capacity).
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace dynamodb_mapping {

/// Capacity units of one table or index: read units, write units and their total as DynamoDB
/// reported them. When an answer gives only a total (CapacityUnits, as DynamoDB Local and
/// dynalite do), the total counts as read units for a read (GetItem, BatchGetItem,
/// TransactGetItems, Query, Scan) and as write units for a write.
struct CapacityUnits {
  double read = 0;   ///< read capacity units
  double write = 0;  ///< write capacity units
  double total = 0;  ///< CapacityUnits: read and write together
  /// Adds `other`, member by member.
  CapacityUnits& operator+=(const CapacityUnits& other) {
    read += other.read;
    write += other.write;
    total += other.total;
    return *this;
  }
  /// Equal member by member.
  friend bool operator==(const CapacityUnits&, const CapacityUnits&) = default;
};

/// The totals of one table since the start (or the last reset).
struct TableCapacity {
  /// Everything the table's requests consumed, its indexes included (ConsumedCapacity's own
  /// CapacityUnits).
  CapacityUnits units;
  /// The part the table itself consumed (ConsumedCapacity.Table); when an answer lacks it, the
  /// total less the indexes' parts.
  CapacityUnits table;
  /// @{
  /// index name -> the part each global / local secondary index consumed.
  std::map<std::string, CapacityUnits> global_secondary_indexes;
  std::map<std::string, CapacityUnits> local_secondary_indexes;
  /// @}
  /// Answers that reported capacity for this table.
  std::uint64_t requests = 0;
  /// Answers of requests on this table alone whose ConsumedCapacity was absent or could not be
  /// read (not counted in the units above; the request itself succeeded).
  std::uint64_t unreadable_answers = 0;
  /// Equal member by member.
  friend bool operator==(const TableCapacity&, const TableCapacity&) = default;
};

/// One table's part of one answer's ConsumedCapacity (RequestEvent::consumed_capacity).
struct ConsumedCapacity {
  std::string table;  ///< the table, as the answer names it
  /// What the answer reported for it; `requests` and `unreadable_answers` are 0.
  TableCapacity capacity;
  /// Equal member by member.
  friend bool operator==(const ConsumedCapacity&, const ConsumedCapacity&) = default;
};

/// The totals of every table a Client's requests touched since the start (or the last reset).
struct CapacityTotals {
  /// table name (as DynamoDB reports it) -> its totals.
  std::map<std::string, TableCapacity> tables;
  /// Answers whose ConsumedCapacity was read and counted.
  std::uint64_t answers = 0;
  /// Answers whose ConsumedCapacity was absent or could not be read, whatever their tables
  /// (those of single-table requests are also in that table's `unreadable_answers`).
  std::uint64_t unreadable_answers = 0;
  /// The sum of every table's `units`.
  CapacityUnits total() const {
    CapacityUnits sum;
    for (const auto& [name, t] : tables) sum += t.units;
    return sum;
  }
  /// Equal member by member.
  friend bool operator==(const CapacityTotals&, const CapacityTotals&) = default;
};

}  // namespace dynamodb_mapping
