#!/usr/bin/env bash
# The long runs that do not fit in CI's time budget (.ci/run keeps under 45 minutes on two
# cores): the whole suite under ASan+UBSan including the soak test, and 15 minutes of fuzzing per
# target instead of CI's 40 s (two targets at a time, one per core, as in CI), merging new corpus
# entries into tests/fuzz/corpus. Run it nightly (about an hour on the 2-core machine); it stops
# by itself.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

echo "nightly: the whole suite, soak included, under AddressSanitizer and UBSan"
bash "$root/scripts/asan.sh" --with-soak

echo "nightly: fuzzing, 900 s a target"
bash "$root/scripts/fuzz.sh" "${DDBMAP_NIGHTLY_FUZZ_SECONDS:-900}" --merge
