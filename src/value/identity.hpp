// The identity of key values as DynamoDB compares them: a Number by its value (1, 1.0, 1E0 and
// 01 are one number), a String or Binary by its bytes. Used to match keys across requests and
// answers, to de-duplicate batches and to recognise a page token seen before.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "dynamodb_mapping/value.hpp"

namespace dynamodb_mapping::detail {

/// Appends a text that two values share exactly when DynamoDB takes them for the same value
/// (type tag, then the canonical number or the length-prefixed bytes; other types by their wire
/// JSON, which only page tokens of unusual servers would hold).
void append_identity(std::string& out, const Value& value);

/// The identity of the attributes `names` of `item`, in that order; nullopt when one is absent.
std::optional<std::string> identity(const Item& item, const std::vector<std::string>& names);

/// The identity of every attribute of `item` (names included).
std::string identity(const Item& item);

/// The page tokens of one paginated walk, as 64-bit hashes of their identity: 8 bytes a page.
class PageTokens {
 public:
  /// Records `token`; throws ProtocolError "RepeatedPageToken" when this walk has seen it before,
  /// because following it again would loop for ever.
  void remember(const Item& token, std::string_view operation);

 private:
  std::unordered_set<std::uint64_t> seen_;
};

/// The same check for a caller that keeps the hashes itself.
void remember_page_token(std::unordered_set<std::uint64_t>& seen, const Item& token,
                         std::string_view operation);

}  // namespace dynamodb_mapping::detail
