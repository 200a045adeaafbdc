#include <openssl/evp.h>

#include "dynamodb_mapping/json.hpp"

namespace dynamodb_mapping {

namespace {
bool is_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
         c == '/';
}
}  // namespace

std::string base64_encode(const Binary& data) {
  std::string out(4 * ((data.size() + 2) / 3) + 1, '\0');  // +1: EVP_EncodeBlock writes a NUL
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.bytes.data(),
                                static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Binary base64_decode(std::string_view text) {
  // EVP_DecodeBlock tolerates whitespace and does not report padding, so check the form first.
  if (text.size() % 4 != 0) {
    throw DecodeError("base64 text length " + std::to_string(text.size()) +
                      " is not a multiple of 4");
  }
  std::size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  for (std::size_t i = 0; i < text.size() - padding; ++i) {
    if (!is_base64_char(text[i])) {
      throw DecodeError("invalid base64 character at offset " + std::to_string(i));
    }
  }
  Binary out;
  if (text.empty()) return out;
  out.bytes.resize(text.size() / 4 * 3);
  const int n =
      EVP_DecodeBlock(out.bytes.data(), reinterpret_cast<const unsigned char*>(text.data()),
                      static_cast<int>(text.size()));
  if (n < 0) throw DecodeError("invalid base64 text");
  out.bytes.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

}  // namespace dynamodb_mapping
