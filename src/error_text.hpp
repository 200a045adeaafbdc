// Text from a server made safe to place in an exception's what(): a hostile or broken endpoint
// must not be able to drive the terminal or log viewer that prints the error (escape sequences),
// forge log lines (newlines), hide text (bidi controls), or fill memory and logs (a huge message).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dynamodb_mapping::detail {

/// Caps for an error's message and its code (codes are short names; anything longer is garbage).
inline constexpr std::size_t kMaxServerMessageBytes = 1024;
inline constexpr std::size_t kMaxServerCodeBytes = 256;

/// `text` as printable UTF-8 of at most `max_bytes` bytes plus a " ... (N bytes cut)" note when
/// it is longer (N counts the input bytes left out). Escaped: C0 controls, DEL and bytes that are
/// not valid UTF-8 as \xNN; C1 controls (U+0080..U+009F, which include the 8-bit CSI), bidi
/// controls and the Unicode line and paragraph separators as \uNNNN. Everything else, backslash
/// included, passes unchanged, so ordinary messages read as the server wrote them.
std::string printable_text(std::string_view text, std::size_t max_bytes);

}  // namespace dynamodb_mapping::detail
