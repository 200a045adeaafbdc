#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, with AddressSanitizer and UndefinedBehaviorSanitizer) and
# runs each for SECONDS (default 60), starting from the committed corpus in tests/fuzz/corpus.
# A crash, leak, sanitizer report or timeout fails the run. With --merge, new interesting inputs
# are merged into the committed corpus (to be reviewed and committed).
# Usage: scripts/fuzz.sh [SECONDS] [--merge]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DDBMAP_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${1:-60}"
merge="${2:-}"

bash "$root/scripts/bootstrap.sh"
# shellcheck source=scripts/lib/debian.sh
source "$root/scripts/lib/debian.sh"
ensure_debian_packages clang libclang-rt-14-dev

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDDBMAP_BUILD_FUZZERS=ON -DDDBMAP_BUILD_TESTS=OFF -DDDBMAP_BUILD_EXAMPLES=OFF -DDDBMAP_BUILD_CLI=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
  >/dev/null
cmake --build "$build" --target fuzz_wire fuzz_plain fuzz_response fuzz_config fuzz_sts_xml

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for target in fuzz_wire fuzz_plain fuzz_response fuzz_config fuzz_sts_xml; do
  corpus="$root/tests/fuzz/corpus/$target"
  mkdir -p "$work/$target"
  echo "fuzz: $target for ${seconds}s"
  # New inputs go to the scratch directory; the committed corpus is only read.
  (cd "$work" && "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 "$work/$target" "$corpus" 2>"$work/$target.log") ||
    { tail -n 60 "$work/$target.log"; echo "fuzz: $target FAILED"; exit 1; }
  grep -E "stat::number_of_executed_units|Done" "$work/$target.log" | tail -n 2
  if [[ "$merge" == "--merge" ]]; then
    "$build/tests/fuzz/$target" -merge=1 "$corpus" "$work/$target" 2>/dev/null
  fi
done
echo "fuzz: all targets ran ${seconds}s without a crash, leak or sanitizer report"
echo "fuzz: 5 passed, 0 failed"
