#!/usr/bin/env bash
# Builds everything with AddressSanitizer and UndefinedBehaviorSanitizer and runs the whole test
# suite (both servers) under them; any report fails the run. The install check is left out: its
# consumer program is built without the sanitizers. The soak test (20,000 operations through
# faults, over a minute under ASan) is left to scripts/nightly.sh; `--with-soak` runs it here too.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DDBMAP_ASAN_BUILD_DIR:-$root/build-asan}"

bash "$root/scripts/bootstrap.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DDDBMAP_HEADER_CHECKS=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
  >/dev/null
cmake --build "$build"
cd "$build"
exclude="^install\\.|\\.Soak\\."
[[ "${1:-}" == "--with-soak" ]] && exclude="^install\\."
ASAN_OPTIONS="detect_leaks=1:abort_on_error=1" UBSAN_OPTIONS="print_stacktrace=1" \
  ctest --output-on-failure -j "$(nproc)" -E "$exclude"
