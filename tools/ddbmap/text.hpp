// Text from outside (server messages, file names, keys typed or read) made safe for a terminal.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ddbmap {

/// `text` with control characters (C0, DEL, C1) and bytes that are not UTF-8 escaped as \xNN or
/// \u00NN, so nothing from a server or a file can drive the terminal; cut to at most `cap` bytes
/// of output with a note of how much was left out. Already escaped text passes unchanged.
std::string safe_text(std::string_view text, std::size_t cap = 2048);

}  // namespace ddbmap
