// Resume tokens: where a Scan or Query stands, as printable text that another process can
// continue from. A token is base64url (no padding) of a small versioned record:
//
//   version (1 byte, 1) | kind (1 byte: 0 Scan, 1 Query) | table | index | scope digest (16 bytes)
//   | total segments (varint) | per segment: state (0 start, 1 after a key, 2 done) [| key]
//   | integrity digest (16 bytes)
//
// Strings (table, index, key) are a varint length then the bytes; a key is its wire JSON. The
// scope digest is SHA-256 (cut to 16 bytes) of what chooses and orders the items (kind, index,
// key condition, filter, the placeholders they use, direction), so a token is refused on another
// query; the integrity digest is SHA-256 (cut to 16 bytes) of every byte before it, so a
// truncated or altered token is refused. Neither is a signature: they detect corruption, not
// forgery, and a token carries key values in the clear.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb_mapping/client.hpp"

namespace dynamodb_mapping::detail {

/// Where one segment of a walk stands (a sequential walk has one segment).
struct SegmentPosition {
  /// Not started, continuing after `key`, or finished.
  enum class State : std::uint8_t { Start = 0, After = 1, Done = 2 };
  State state = State::Start;
  /// State::After: the ExclusiveStartKey to continue from.
  Item key;
};

/// What a token must belong to: the table, index, kind and shape of one walk.
struct TokenScope {
  bool query = false;
  std::string table;
  std::string index;
  std::string digest;  // 16 bytes, see scope_of
  int segments = 1;
  /// "Scan" or "Query", for messages.
  const char* operation() const { return query ? "Query" : "Scan"; }
};

/// The scope of a Scan split into `segments` (1: sequential): projection, limit and consistency
/// are left out, so one token serves items(), keys() and values() and any page size.
TokenScope scope_of(const ScanRequest& request, int segments);
/// The scope of a Query (its key condition, filter and direction chosen).
TokenScope scope_of(const QueryRequest& request);

/// The longest token text accepted for `scope`: a fixed part and 16 KiB per segment (a key is
/// at most 2 KB + 1 KB of values, twice that on an index, base64-grown in the JSON).
std::size_t max_token_size(const TokenScope& scope);

/// The token text of `positions` (one per segment).
std::string encode_token(const TokenScope& scope, const std::vector<SegmentPosition>& positions);

/// The positions a token holds, after checking that it is whole and belongs to `scope`. Throws
/// ValidationError, before anything is sent, for a token over max_token_size (checked before
/// decoding), one that is not base64url, truncated or altered (integrity digest), of another
/// version, table, index, kind, number of segments or query.
std::vector<SegmentPosition> decode_token(std::string_view token, const TokenScope& scope);

/// True when every segment is done: the walk has nothing left.
bool finished(const std::vector<SegmentPosition>& positions);

}  // namespace dynamodb_mapping::detail
