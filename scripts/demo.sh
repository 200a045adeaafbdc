#!/usr/bin/env bash
# The main job: builds the library, starts a local DynamoDB (DynamoDB Local on 127.0.0.1), runs
# examples/quickstart against it, and stops the server again, whatever happens.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${DDBMAP_BUILD_DIR:-$root/build}"

bash "$root/scripts/bootstrap.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" --target quickstart

state_dir="$(mktemp -d)"
trap '"$root/scripts/local-dynamodb.sh" stop --state-dir "$state_dir" 2>/dev/null; rm -rf "$state_dir"' EXIT
endpoint="$("$root/scripts/local-dynamodb.sh" start --state-dir "$state_dir")"
echo "demo: DynamoDB Local at $endpoint"

# The standard AWS chain picks these up; the local server accepts any credentials.
AWS_ENDPOINT_URL_DYNAMODB="$endpoint" AWS_REGION=us-east-1 \
  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \
  "$build/quickstart"
