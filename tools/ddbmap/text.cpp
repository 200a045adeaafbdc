#include "text.hpp"

#include <cstdio>

namespace ddbmap {

namespace {

// Length of the valid UTF-8 sequence at `s` (1..4), or 0 if the bytes there are not one.
std::size_t utf8_length(std::string_view s) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(0);
  std::size_t n = c < 0x80           ? 1
                  : (c >> 5) == 0x6  ? 2
                  : (c >> 4) == 0xE  ? 3
                  : (c >> 3) == 0x1E ? 4
                                     : 0;
  if (n == 0 || n > s.size()) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    if ((b(i) & 0xC0) != 0x80) return 0;
  }
  // Overlong forms and surrogates are not UTF-8 either.
  if ((n == 2 && c < 0xC2) || (n == 3 && c == 0xE0 && b(1) < 0xA0) ||
      (n == 3 && c == 0xED && b(1) >= 0xA0) || (n == 4 && c == 0xF0 && b(1) < 0x90) ||
      (n == 4 && c > 0xF4) || (n == 4 && c == 0xF4 && b(1) >= 0x90)) {
    return 0;
  }
  return n;
}

}  // namespace

std::string safe_text(std::string_view text, std::size_t cap) {
  std::string out;
  std::size_t i = 0;
  char hex[8];
  while (i < text.size() && out.size() < cap) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_length(text.substr(i));
    if (n == 0 || c < 0x20 || c == 0x7F) {
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
      ++i;
    } else if (n == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {
      // U+0080..U+009F: C1 controls, which some terminals obey (CSI is U+009B).
      std::snprintf(hex, sizeof hex, "\\u%04X", static_cast<unsigned char>(text[i + 1]));
      out += hex;
      i += 2;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  if (i < text.size()) out += "... (" + std::to_string(text.size() - i) + " more bytes)";
  return out;
}

}  // namespace ddbmap
