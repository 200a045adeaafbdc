#!/usr/bin/env bash
# Builds the library and tests with ThreadSanitizer and runs the concurrency tests (many threads
# on one client and one mapping, parallel scan, concurrent bulk writes) on both local servers.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DDBMAP_TSAN_BUILD_DIR:-$root/build-tsan}"

bash "$root/scripts/bootstrap.sh"
# A unity build with line tables only (-g1), as scripts/asan.sh explains.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDDBMAP_BUILD_EXAMPLES=OFF \
  -DDDBMAP_HEADER_CHECKS=OFF -DCMAKE_UNITY_BUILD=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DCMAKE_CXX_FLAGS="-fsanitize=thread -fno-omit-frame-pointer -Wno-subobject-linkage" >/dev/null
cmake --build "$build" --target integration_tests unit_tests
cd "$build"
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
  ctest --output-on-failure -j "$(nproc)" -R "Thread|Bulk|GetMany|LazyIteration|Credentials|Reliability|Outcome|Bounds"
