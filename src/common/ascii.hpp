// ASCII character tests and case folding for protocol text (header names, URL schemes and
// hosts, number syntax), where the C locale functions' locale dependence is not wanted.
#pragma once

#include <string>
#include <string_view>

namespace dynamodb_mapping::detail {

/// '0' to '9'.
inline bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

/// `s` with A-Z turned to a-z; every other byte kept.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace dynamodb_mapping::detail
