#include "common/backoff.hpp"

#include <algorithm>
#include <random>

namespace dynamodb_mapping::detail {

std::chrono::nanoseconds full_jitter(int retry, std::chrono::milliseconds base,
                                     std::chrono::milliseconds cap) {
  // 2^20 already exceeds any sensible cap; the clamp keeps the shift defined for any retry.
  const double ceiling =
      std::min<double>(static_cast<double>(cap.count()),
                       static_cast<double>(base.count()) * double(1u << std::clamp(retry, 0, 20)));
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const double ms = std::uniform_real_distribution<double>(0.0, std::max(0.0, ceiling))(rng);
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double, std::milli>(ms));
}

}  // namespace dynamodb_mapping::detail
