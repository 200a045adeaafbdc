// The state files of `export --resume` and `import --resume`: one plain JSON object, replaced
// atomically (a temporary file beside it, fsync, rename, fsync of the directory), so that after
// a crash the file holds either the old state or the new one, never a mix.
#pragma once

#include <optional>
#include <string>

#include "dynamodb_mapping/value.hpp"

namespace ddbmap {

/// The state in `path`, or nullopt when there is no such file. Throws InputError when it is not
/// a state file of `kind` ("export" or "import"), IoError when it cannot be read.
std::optional<dynamodb_mapping::Item> load_state(const std::string& path, const std::string& kind);

/// Replaces `path` with `state` (its "kind" field set), durably: temporary file, fsync, rename,
/// directory fsync. Throws IoError.
void save_state(const std::string& path, const std::string& kind, dynamodb_mapping::Item state);

/// Removes the state file once the work it describes is complete.
void remove_state(const std::string& path);

/// A field of a state; InputError naming the file when it is missing or of another type.
std::string state_text(const dynamodb_mapping::Item& s, const std::string& field,
                       const std::string& path);
/// A whole-number field; InputError as state_text.
std::uint64_t state_number(const dynamodb_mapping::Item& s, const std::string& field,
                           const std::string& path);

/// InputError unless the state's `field` is `expected`: the state belongs to another command
/// (table, file, format, segments).
void check_state(const dynamodb_mapping::Item& s, const std::string& field,
                 const std::string& expected, const std::string& path);

}  // namespace ddbmap
