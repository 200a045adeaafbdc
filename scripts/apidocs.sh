#!/usr/bin/env bash
# Generates the API reference from the `///` comments of the public headers
# (include/dynamodb_mapping/*.hpp) with Doxygen, into build/apidocs/html (not committed; open
# build/apidocs/html/index.html). Installs Doxygen (Debian package `doxygen`) if missing.
# Any Doxygen warning fails the script (WARN_AS_ERROR = FAIL_ON_WARNINGS: every warning is
# printed, then the exit status is non-zero); CI runs it (.ci/run). Settings: docs/Doxyfile.
#
# What fails:
# - documentation errors (WARN_IF_DOC_ERROR): an unknown command, a `#name` or `\ref` that does
#   not resolve, a @param naming no parameter, a @param list that leaves parameters out
#   (WARN_IF_INCOMPLETE_DOC). WARN_NO_PARAMDOC stays off: the headers describe parameters in
#   prose, and demanding a @param for each would add text without catching mistakes.
# - anything public left undocumented (WARN_IF_UNDOCUMENTED = YES): a class or struct, a function,
#   a typedef, an enum, and also a data member. Doxygen has no switch that warns about classes and
#   functions but not about struct fields. The fields were the flood: 137 of the first run's 318
#   warnings, 103 of them the Client's request structs (GetItemRequest::table_name, ...), which
#   mirror DynamoDB's parameters one for one. Turning the check off would let undocumented
#   classes and functions through, so it stays on, and such fields are documented once per
#   struct as a member group: `/// @{` + one comment + the fields + `/// @}`
#   (DISTRIBUTE_GROUP_DOC = YES gives each field the comment). A new field joins such a group
#   or gets its own comment.
# The namespace dynamodb_mapping is documented in docs/mainpage.dox: without that Doxygen would
# not warn about undocumented free functions at all. `detail` is excluded (internal).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

source scripts/lib/debian.sh
ensure_debian_packages doxygen

out="$root/build/apidocs"
rm -rf "$out"
mkdir -p "$out"
DDBMAP_VERSION="$(sed -n 's/^project(dynamodb_mapping VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)"
export DDBMAP_VERSION
if ! doxygen docs/Doxyfile; then
  echo "apidocs: Doxygen warnings above (fix the /// comments; settings in docs/Doxyfile)" >&2
  exit 1
fi
echo "apidocs: $out/html/index.html"
