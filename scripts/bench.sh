#!/usr/bin/env bash
# The benchmarks: builds them in Release mode, installs the peers (Debian's boto3 and Go SDK, the
# npm JavaScript SDK into .deps/bench-npm), starts DynamoDB Local on 127.0.0.1, then runs
#   1. the workloads with us, our Python package and every peer, side by side (bench/run.py:
#      table with ratios; the Python package against boto3, and both modules' import times),
#   2. the microbenchmarks (signing, 1 MB page decode, client CPU per GetItem),
#   3. peak RSS while iterating tables of growing size,
# and stops the server. Usage: scripts/bench.sh [N=10000] [REPEAT=3]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DDBMAP_BENCH_BUILD_DIR:-$root/build-bench}"
deps="$root/.deps"
n="${1:-10000}" repeat="${2:-3}"

bash "$root/scripts/bootstrap.sh"
# shellcheck source=scripts/lib/debian.sh
source "$root/scripts/lib/debian.sh"
ensure_debian_packages golang-go golang-github-aws-aws-sdk-go-dev python3-boto3
if [[ ! -d "$deps/bench-npm/node_modules/@aws-sdk/lib-dynamodb" ]]; then
  mkdir -p "$deps/bench-npm"
  [[ -f "$deps/bench-npm/package.json" ]] || echo '{"private": true}' >"$deps/bench-npm/package.json"
  npm install --prefix "$deps/bench-npm" --no-audit --no-fund --loglevel=error \
    @aws-sdk/client-dynamodb@3 @aws-sdk/lib-dynamodb@3 >/dev/null
fi
(cd "$root/bench/peers/go_workloads" &&
  GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$deps/gocache" go build -o "$deps/go_workloads" .)

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DDDBMAP_BUILD_BENCH=ON \
  -DDDBMAP_BUILD_TESTS=OFF -DDDBMAP_BUILD_PYTHON=ON >/dev/null
cmake --build "$build" --target client_bench iteration_rss workloads python_package

state_dir="$(mktemp -d)"
trap '"$root/scripts/local-dynamodb.sh" stop --state-dir "$state_dir" 2>/dev/null; rm -rf "$state_dir"' EXIT
endpoint="$("$root/scripts/local-dynamodb.sh" start --state-dir "$state_dir")"
export DDBMAP_BENCH_ENDPOINT="$endpoint"
echo "bench: DynamoDB Local at $endpoint; $(nproc) cores; $(date -u +%F)"

echo; echo "== workloads, side by side =="
/usr/bin/python3 "$root/bench/run.py" "$endpoint" "$n" "$repeat" "$build/bench/workloads" \
  "$deps/go_workloads" "$deps/bench-npm/node_modules" "$build/python"

echo; echo "== microbenchmarks =="
"$build/bench/client_bench"

echo; echo "== peak RSS growth while iterating (values(), 1 MB pages) =="
"$build/bench/iteration_rss" 10000 50000 100000
