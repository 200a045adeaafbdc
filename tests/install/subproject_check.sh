#!/usr/bin/env bash
# Builds dynamodb_mapping once more, as a shared library inside a consumer project that uses
# add_subdirectory() (tests/install/subproject), and checks on that one build:
#  1. the subproject needs neither CLI11, GTest nor Google Benchmark (find_package of them is
#     disabled), builds only the library, and the consumer program links and runs;
#  2. it installs nothing (DDBMAP_INSTALL defaults to OFF in a subproject);
#  3. the shared library exports no dynamodb_mapping::detail:: symbol (hidden visibility);
#  4. with DDBMAP_INSTALL=ON, the installed shared package works for find_package and pkg-config
#     consumers (tests/install/check.sh).
# The build directory is kept between runs, so an unchanged library is not compiled again.
# Usage: subproject_check.sh <dynamodb_mapping source dir> <work dir> [extra cmake arguments]
set -euo pipefail
src="$1" work="$2"
shift 2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build="$work/build"
mkdir -p "$work"

run() {  # runs a command quietly, printing its output only when it fails
  local log="$work/last.log"
  "$@" >"$log" 2>&1 || { cat "$log"; echo "subproject check: FAILED: $*"; exit 1; }
}

# A fresh configure every time, so that the options take their subproject defaults; the objects
# of an earlier run are kept.
rm -f "$build/CMakeCache.txt"
run cmake -S "$here/subproject" -B "$build" -G Ninja -DDDBMAP_SOURCE_DIR="$src" \
  -DBUILD_SHARED_LIBS=ON -DCMAKE_DISABLE_FIND_PACKAGE_CLI11=ON \
  -DCMAKE_DISABLE_FIND_PACKAGE_GTest=ON -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON "$@"
run cmake --build "$build"
run "$build/consumer"
echo "subproject check: built as a subproject without CLI11 or GTest; the consumer ran"

rm -rf "$work/prefix"
run cmake --install "$build" --prefix "$work/prefix"
if [[ -d "$work/prefix" && -n "$(find "$work/prefix" -type f -print -quit)" ]]; then
  find "$work/prefix" -type f
  echo "subproject check: FAILED: a subproject build installed files"
  exit 1
fi
echo "subproject check: a subproject build installs nothing"

so="$build/dynamodb_mapping/libdynamodb_mapping.so"
nm -DC --defined-only "$so" >"$work/exports.txt"
total="$(wc -l <"$work/exports.txt")"
ours="$(grep -c 'dynamodb_mapping::' "$work/exports.txt" || true)"
detail="$(grep -c 'dynamodb_mapping::detail::' "$work/exports.txt" || true)"
echo "subproject check: libdynamodb_mapping.so exports $total symbols, $ours naming" \
  "dynamodb_mapping::, $detail naming dynamodb_mapping::detail::"
if ((detail > 0)); then
  grep 'dynamodb_mapping::detail::' "$work/exports.txt" | head -n 20
  echo "subproject check: FAILED: detail:: symbols are exported (see $work/exports.txt)"
  exit 1
fi

run cmake -DDDBMAP_INSTALL=ON "$build"
run "$here/check.sh" "$build" "$here/consumer"
echo "subproject check: the installed shared library works with find_package and pkg-config"
