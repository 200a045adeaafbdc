// The one back-off function of the library: the client's retries and the batch engine's rounds.
#pragma once

#include <chrono>

namespace dynamodb_mapping::detail {

/// "Full jitter" (AWS Architecture Blog, "Exponential Backoff and Jitter"): a delay drawn
/// uniformly from [0, min(cap, base * 2^retry)], retry counted from 0. Thread-safe.
std::chrono::nanoseconds full_jitter(int retry, std::chrono::milliseconds base,
                                     std::chrono::milliseconds cap);

}  // namespace dynamodb_mapping::detail
