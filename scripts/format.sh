#!/usr/bin/env bash
# Formats every C++ source git knows about with the repository's .clang-format (CI checks it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
git ls-files --cached --others --exclude-standard '*.hpp' '*.cpp' | xargs clang-format -i
