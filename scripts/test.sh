#!/usr/bin/env bash
# Builds the library and runs every test: unit tests, then the integration tests once against
# DynamoDB Local and once against dynalite, each server started on 127.0.0.1 for the run by CTest
# and stopped after it. Usage: scripts/test.sh [extra ctest arguments]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DDBMAP_BUILD_DIR:-$root/build}"

bash "$root/scripts/bootstrap.sh"
# Benchmarks are built too (not run), so that they cannot rot.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDDBMAP_WERROR=ON \
  -DDDBMAP_BUILD_BENCH=ON -DDDBMAP_BUILD_PYTHON=ON >/dev/null
cmake --build "$build"
cd "$build"
ctest --output-on-failure -j "$(nproc)" "$@"
