// What the client may do about a request whose attempt may have been applied by DynamoDB although
// its answer never arrived (a timeout or reset after sending, a 5xx, a broken body).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "client/capacity.hpp"

namespace dynamodb_mapping::detail {

enum class Replay {
  /// Sending it again cannot change the answer: reads, unconditional puts and deletes that return
  /// nothing, batch writes, idempotent updates without conditions.
  Safe,
  /// It may be sent again, but after an attempt that may have been applied a refusal (condition
  /// failed, table exists, TTL already on) may be that attempt's own doing: the call resolves it
  /// from what the refusal carries, or reports AmbiguousOutcomeError.
  Resolve,
  /// Never sent again after an attempt that may have been applied (an update with counters or
  /// ADD would apply twice): AmbiguousOutcomeError at once.
  Never,
};

/// A 200 answer, whether an earlier attempt of the same call may have been applied, and the
/// answer's ConsumedCapacity when the request asked for it (nullopt: not asked, or unreadable).
struct Sent {
  std::string body;
  bool after_doubt = false;
  std::optional<std::vector<CapacityEntry>> capacity{};
};

}  // namespace dynamodb_mapping::detail
