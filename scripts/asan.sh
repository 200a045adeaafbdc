#!/usr/bin/env bash
# Builds everything with AddressSanitizer and UndefinedBehaviorSanitizer and runs the whole test
# suite (both servers) under them; any report fails the run. The install check is left out: its
# consumer program is built without the sanitizers. The soak test (20,000 operations through
# faults, over a minute under ASan) is left to scripts/nightly.sh; `--with-soak` runs it here too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DDBMAP_ASAN_BUILD_DIR:-$root/build-asan}"

bash "$root/scripts/bootstrap.sh"
# A unity build (CMake batches of 8 sources per translation unit: the standard library, simdjson
# and the public headers parsed once per batch instead of once per file) with line tables only
# (-g1: sanitizer reports keep their file:line stacks, without the full debug information), for
# less compile and link time. A helper defined in an anonymous namespace in two sources of a
# target collides in a batch: give it a name of its own. g++ takes a batch's sources for headers
# and warns of the test fixtures in anonymous namespaces (-Wsubobject-linkage; harmless, each
# fixture has one source). Still Debug, so the transaction checks (DDBMAP_CHECK_TRANSACTIONS)
# stay on.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DDDBMAP_HEADER_CHECKS=OFF -DCMAKE_UNITY_BUILD=ON -DCMAKE_CXX_FLAGS_DEBUG=-g1 \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -Wno-subobject-linkage" \
  >/dev/null
cmake --build "$build"
cd "$build"
exclude="^install\\.|\\.Soak\\."
[[ "${1:-}" == "--with-soak" ]] && exclude="^install\\."
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1" \
  ctest --output-on-failure -j "$(nproc)" -E "$exclude"
