#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, with AddressSanitizer and UndefinedBehaviorSanitizer) and
# runs each for SECONDS (default 60), starting from the committed corpus in tests/fuzz/corpus.
# A crash, leak, sanitizer report or timeout fails the run. With --merge, new interesting inputs
# are merged into the committed corpus (to be reviewed and committed). The targets run side by
# side, one per core (DDBMAP_FUZZ_JOBS, default nproc): each still has a core for its SECONDS.
# --build-only builds the targets and stops (.ci/run builds them while other phases run).
# Usage: scripts/fuzz.sh [SECONDS] [--merge] | scripts/fuzz.sh --build-only
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DDBMAP_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds="${1:-60}"
merge="${2:-}"
jobs="${DDBMAP_FUZZ_JOBS:-$(nproc)}"
targets=(fuzz_wire fuzz_plain fuzz_response fuzz_config fuzz_sts_xml)

bash "$root/scripts/bootstrap.sh"
# shellcheck source=scripts/lib/debian.sh
source "$root/scripts/lib/debian.sh"
ensure_debian_packages clang libclang-rt-14-dev

# Only the library's objects and the five targets are compiled; a unity build with line tables
# only (-g1), as scripts/asan.sh explains.
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DDDBMAP_BUILD_FUZZERS=ON -DDDBMAP_BUILD_TESTS=OFF -DDDBMAP_BUILD_EXAMPLES=OFF -DDDBMAP_BUILD_CLI=OFF \
  -DCMAKE_UNITY_BUILD=ON -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
  >/dev/null
cmake --build "$build" --target "${targets[@]}"
[[ "$seconds" == "--build-only" ]] && exit 0

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# One target: new inputs go to its scratch directory; the committed corpus is only read.
fuzz_one() {
  local target="$1"
  mkdir -p "$work/$target" "$work/$target.cwd"
  if (cd "$work/$target.cwd" && "$build/tests/fuzz/$target" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 "$work/$target" \
    "$root/tests/fuzz/corpus/$target" 2>"$work/$target.log"); then
    echo passed >"$work/$target.result"
  else
    echo failed >"$work/$target.result"
  fi
}
echo "fuzz: ${#targets[@]} targets for ${seconds}s each, $jobs at a time"
running=0
for target in "${targets[@]}"; do
  if ((running >= jobs)); then
    wait -n
    running=$((running - 1))
  fi
  echo "fuzz: $target for ${seconds}s"
  fuzz_one "$target" &
  running=$((running + 1))
done
wait

failed=0
for target in "${targets[@]}"; do
  if [[ "$(cat "$work/$target.result" 2>/dev/null)" != passed ]]; then
    tail -n 60 "$work/$target.log"
    echo "fuzz: $target FAILED"
    failed=$((failed + 1))
    continue
  fi
  echo "fuzz: $target: $(grep -E "stat::number_of_executed_units|Done" "$work/$target.log" | tail -n 2 | tr -s ' \n' ' ')"
  if [[ "$merge" == "--merge" ]]; then
    "$build/tests/fuzz/$target" -merge=1 "$root/tests/fuzz/corpus/$target" "$work/$target" 2>/dev/null
  fi
done
if ((failed)); then
  echo "fuzz: $((${#targets[@]} - failed)) passed, $failed failed"
  exit 1
fi
echo "fuzz: all targets ran ${seconds}s without a crash, leak or sanitizer report"
echo "fuzz: ${#targets[@]} passed, 0 failed"
