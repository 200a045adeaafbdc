// Appends JSON text to a std::string: the small, fast writer behind every request body.
#pragma once

#include <string>
#include <string_view>

namespace dynamodb_mapping::detail {

/// Appends `s` as a JSON string literal (quotes included). Escapes '"', '\\' and control
/// characters; other bytes, including UTF-8 sequences, are copied as they are.
void append_json_string(std::string& out, std::string_view s);

}  // namespace dynamodb_mapping::detail
