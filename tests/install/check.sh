#!/usr/bin/env bash
# Installs the built library into a temporary prefix, then builds and runs a consumer program
# twice: once with find_package(dynamodb_mapping), once with pkg-config.
# Usage: check.sh <build dir> <source dir of the consumer>
set -euo pipefail
build="$1" consumer="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null

cmake -S "$consumer" -B "$work/cmake-build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
"$work/cmake-build/consumer"

pc_dir="$(dirname "$(find "$work/prefix" -name dynamodb_mapping.pc | head -n 1)")"
flags="$(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs dynamodb_mapping)"
libdir="$(PKG_CONFIG_PATH="$pc_dir" pkg-config --variable=libdir dynamodb_mapping)"
# The .pc file leaves the language standard to the consumer (C++20 or later); this one asks for
# C++23.
# shellcheck disable=SC2086
g++ -std=c++23 -o "$work/pc-consumer" "$consumer/main.cpp" $flags
# A shared library is found in the prefix (the pkg-config consumer has no RPATH).
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$work/pc-consumer"
echo "install check: find_package and pkg-config consumers built and ran"
