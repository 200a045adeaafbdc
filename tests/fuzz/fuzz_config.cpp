// libFuzzer target: the AWS shared config/credentials file parser.
#include <cstdint>
#include <string_view>

#include "auth/shared_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto sections = dynamodb_mapping::detail::parse_ini(
      std::string_view(reinterpret_cast<const char*>(data), size));
  for (const auto& [name, keys] : sections) {
    for (const auto& [k, v] : keys) {
      if (k.empty() && v.size() > size) __builtin_trap();  // nothing is invented
    }
  }
  return 0;
}
