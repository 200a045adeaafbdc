// Appends JSON text to a std::string: the small, fast writer behind every request body.
#pragma once

#include <string>
#include <string_view>

namespace dynamodb_mapping::detail {

/// Appends `s` as a JSON string literal (quotes included). Escapes '"', '\\' and control
/// characters; other bytes, including UTF-8 sequences, are copied as they are.
void append_json_string(std::string& out, std::string_view s);

/// Appends `open`, then `write(element)` for each element of `range` with commas between, then
/// `close`: the shape of every JSON array and object the library writes.
template <class Range, class F>
void append_joined(std::string& out, char open, const Range& range, F&& write, char close) {
  out += open;
  bool first = true;
  for (const auto& element : range) {
    if (!first) out += ',';
    first = false;
    write(element);
  }
  out += close;
}

/// Appends a JSON object of `map`'s members, each value written by `write_value`.
template <class MapT, class F>
void append_object(std::string& out, const MapT& map, F&& write_value) {
  append_joined(
      out, '{', map,
      [&](const auto& member) {
        append_json_string(out, member.first);
        out += ':';
        write_value(member.second);
      },
      '}');
}

}  // namespace dynamodb_mapping::detail
