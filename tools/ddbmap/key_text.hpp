// Keys typed on the command line.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamodb_mapping/mapping.hpp"

namespace ddbmap {

/// Turns the text of a key into a Key for a table with the given key attributes (partition
/// first). For a table with only a partition key the text is the key, as it is. For a table
/// with a sort key the text is "PARTITION,SORT", split at the first comma that is not escaped;
/// "\," stands for a comma and "\\" for a backslash, and any other backslash is an error.
/// Each part is read by its attribute's type: S as text, N as a decimal number, B as base64.
/// `number_key` insists that the partition key is a number. Throws ValidationError.
dynamodb_mapping::Key parse_key(std::string_view text,
                                const std::vector<dynamodb_mapping::AttributeDefinition>& key,
                                bool number_key = false);

/// One key value typed on the command line, read by its attribute's type (S as text, N as a
/// decimal number, B as base64). Throws ValidationError.
dynamodb_mapping::Value parse_scalar(const std::string& text,
                                     const dynamodb_mapping::AttributeDefinition& attribute);

}  // namespace ddbmap
