#include "dynamodb_mapping/error.hpp"

#include <algorithm>
#include <cstdint>

#include "error_text.hpp"

namespace dynamodb_mapping {

namespace detail {

namespace {

// The length of the well-formed UTF-8 sequence at the start of `s` (Unicode table 3-7: no
// overlong forms, no surrogates, nothing above U+10FFFF) with its code point, or 0.
std::size_t utf8_sequence(std::string_view s, std::uint32_t& cp) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char b0 = byte(0);
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range allowed for the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
    cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    cp = b0 & 0x0Fu;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    cp = b0 & 0x07u;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (s.size() < len) return 0;
  for (std::size_t i = 1; i < len; ++i) {
    const unsigned char b = byte(i);
    if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) return 0;
    cp = (cp << 6) | (b & 0x3Fu);
  }
  return len;
}

// Code points that reorder or break the displayed text without being visible themselves.
bool is_invisible_control(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string printable_text(std::string_view text, std::size_t max_bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 32);
  std::size_t i = 0;
  char escape[6];
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::uint32_t cp = 0;
    std::size_t len = c < 0x80 ? 1 : utf8_sequence(text.substr(i), cp);
    std::string_view piece;
    if (c < 0x20 || c == 0x7F || len == 0) {
      len = 1;
      escape[0] = '\\';
      escape[1] = 'x';
      escape[2] = kHex[c >> 4];
      escape[3] = kHex[c & 0xF];
      piece = {escape, 4};
    } else if (len > 1 && is_invisible_control(cp)) {
      escape[0] = '\\';
      escape[1] = 'u';
      for (int k = 0; k < 4; ++k) escape[2 + k] = kHex[(cp >> (12 - 4 * k)) & 0xF];
      piece = {escape, 6};
    } else {
      piece = text.substr(i, len);
    }
    // Whole characters and whole escapes only, so the cut never leaves broken UTF-8 behind.
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
    i += len;
  }
  if (i < text.size()) out += " ... (" + std::to_string(text.size() - i) + " bytes cut)";
  return out;
}

void set_error_context(Error& e, std::string_view operation, std::string_view table) {
  if (e.operation_.empty()) e.operation_ = operation;
  if (e.table_.empty()) e.table_ = table;
}

}  // namespace detail

namespace {
std::string what_text(const std::string& code, const std::string& message) {
  return code.empty() ? message : code + ": " + message;
}
}  // namespace

Error::Error(std::string code, std::string message, int http_status, std::string request_id)
    : std::runtime_error(what_text(code, message)),
      code_(std::move(code)),
      message_(std::move(message)),
      http_status_(http_status),
      request_id_(std::move(request_id)) {}

ValidationError::ValidationError(std::string message, int http_status, std::string request_id)
    : Error("ValidationException", std::move(message), http_status, std::move(request_id)) {}

DecodeError::DecodeError(std::string message) : Error("DecodeError", std::move(message)) {}

TypeError::TypeError(std::string message) : Error("TypeError", std::move(message)) {}

NetworkError::NetworkError(std::string code, std::string message, bool request_sent)
    : Error(std::move(code), std::move(message)), request_sent_(request_sent) {}

CancelledError::CancelledError(std::string message, bool request_sent)
    : Error("Cancelled", std::move(message)), request_sent_(request_sent) {}

CredentialsError::CredentialsError(std::string message)
    : Error("CredentialsError", std::move(message)) {}
CredentialsError::CredentialsError(std::string code, std::string message, int http_status,
                                   std::string request_id)
    : Error(std::move(code), std::move(message), http_status, std::move(request_id)) {}

ConfigError::ConfigError(std::string message) : Error("ConfigError", std::move(message)) {}

ConditionalCheckFailedError::ConditionalCheckFailedError(std::string message, int http_status,
                                                         std::string request_id,
                                                         std::shared_ptr<const Item> item)
    : Error("ConditionalCheckFailedException", std::move(message), http_status,
            std::move(request_id)),
      item_(std::move(item)) {}
ConditionalCheckFailedError::ConditionalCheckFailedError(std::string code, std::string message,
                                                         int http_status, std::string request_id,
                                                         std::shared_ptr<const Item> item)
    : Error(std::move(code), std::move(message), http_status, std::move(request_id)),
      item_(std::move(item)) {}

AmbiguousOutcomeError::AmbiguousOutcomeError(std::string message, std::exception_ptr cause,
                                             std::shared_ptr<const Item> item)
    : Error("AmbiguousOutcome", std::move(message)),
      cause_(std::move(cause)),
      item_(std::move(item)) {}

AttributeError::AttributeError(std::string message)
    : Error("AttributeNotFound", std::move(message)) {}

namespace {
// "2 s" for whole seconds, else "1500 ms".
std::string duration_text(std::chrono::milliseconds d) {
  return d.count() % 1000 == 0 ? std::to_string(d.count() / 1000) + " s"
                               : std::to_string(d.count()) + " ms";
}
}  // namespace

WaitTimeoutError::WaitTimeoutError(std::string table, std::string awaited, std::string last_status,
                                   std::chrono::milliseconds timeout)
    : Error("WaitTimeout", "table " + detail::printable_text(table, 256) + " is still " +
                               detail::printable_text(last_status, 64) + " after " +
                               duration_text(timeout) + " (waiting for " + awaited + ")"),
      awaited_(std::move(awaited)),
      last_status_(std::move(last_status)),
      timeout_(timeout) {
  detail::set_error_context(*this, "", table);
}

ProtocolError::ProtocolError(std::string code, std::string message)
    : Error(std::move(code), std::move(message)) {}

TransactionCanceledError::TransactionCanceledError(std::string message, int http_status,
                                                   std::string request_id,
                                                   std::vector<CancellationReason> reasons)
    : Error("TransactionCanceledException", std::move(message), http_status, std::move(request_id)),
      reasons_(std::move(reasons)) {}

}  // namespace dynamodb_mapping
