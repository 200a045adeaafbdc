#!/usr/bin/env bash
# Builds the benchmarks in Release mode, starts DynamoDB Local on 127.0.0.1 for them, runs them
# and stops the server. Extra arguments go to the benchmark binary (e.g. --benchmark_filter=Sign).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DDBMAP_BENCH_BUILD_DIR:-$root/build-bench}"

bash "$root/scripts/bootstrap.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDDBMAP_BUILD_BENCH=ON \
  -DDDBMAP_BUILD_TESTS=OFF >/dev/null
cmake --build "$build" --target client_bench iteration_rss

state_dir="$(mktemp -d)"
trap '"$root/scripts/local-dynamodb.sh" stop --state-dir "$state_dir" 2>/dev/null; rm -rf "$state_dir"' EXIT
DDBMAP_BENCH_ENDPOINT="$("$root/scripts/local-dynamodb.sh" start --state-dir "$state_dir")"
export DDBMAP_BENCH_ENDPOINT
"$build/bench/client_bench" "$@"
echo
echo "Peak RSS growth while iterating (values(), default 1 MB pages):"
"$build/bench/iteration_rss" 10000 50000 100000
