// The shared full-jitter back-off: every draw within [0, min(cap, base * 2^retry)].
#include "common/backoff.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace {

using dynamodb_mapping::detail::full_jitter;
using std::chrono::milliseconds;
using std::chrono::nanoseconds;

TEST(Backoff, DrawsStayWithinTheExponentialCeiling) {
  for (int retry = 0; retry < 8; ++retry) {
    const nanoseconds ceiling = milliseconds(25) * (1 << retry);
    nanoseconds largest{0};
    for (int i = 0; i < 200; ++i) {
      const nanoseconds d = full_jitter(retry, milliseconds(25), milliseconds(20000));
      ASSERT_GE(d.count(), 0);
      ASSERT_LE(d, ceiling) << "retry " << retry;
      largest = std::max(largest, d);
    }
    // Jitter spreads the draws: 200 of them all in the lowest tenth would be a broken generator.
    EXPECT_GT(largest, ceiling / 10) << "retry " << retry;
  }
}

TEST(Backoff, TheCapHoldsForAnyRetryCount) {
  for (int retry : {9, 20, 31, 64, 1000000}) {
    for (int i = 0; i < 50; ++i) {
      const nanoseconds d = full_jitter(retry, milliseconds(500), milliseconds(2000));
      ASSERT_GE(d.count(), 0);
      ASSERT_LE(d, milliseconds(2000)) << "retry " << retry;
    }
  }
  EXPECT_EQ(full_jitter(-3, milliseconds(25), milliseconds(2000)) <= milliseconds(25), true);
  EXPECT_EQ(full_jitter(5, milliseconds(25), milliseconds(0)).count(), 0);
}

}  // namespace
