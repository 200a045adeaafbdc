// libFuzzer target: the STS answer reader (expat) and the three readers built on it. Each must
// return or throw CredentialsError; nothing else, and never a crash.
#include <cstdint>
#include <string_view>

#include "auth/sts.hpp"
#include "dynamodb_mapping/error.hpp"

namespace ddb = dynamodb_mapping;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view xml(reinterpret_cast<const char*>(data), size);
  if (const auto leaves = ddb::detail::parse_sts_xml(xml)) {
    for (const auto& [path, text] : *leaves) {
      if (text.size() > size || path.empty()) __builtin_trap();  // nothing is invented
    }
  }
  (void)ddb::detail::read_error_answer(xml);
  try {
    (void)ddb::detail::read_credentials_answer(xml, "AssumeRole");
  } catch (const ddb::CredentialsError&) {
  }
  try {
    (void)ddb::detail::read_caller_identity_answer(xml);
  } catch (const ddb::CredentialsError&) {
  }
  return 0;
}
