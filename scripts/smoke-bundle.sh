#!/usr/bin/env bash
# Compile-safety check: builds dist/tracker.js, copies it alone into an empty folder and runs it there with
# an empty DENO_DIR (so nothing can come from the project or a cache), as `ui` and as `server -w 2`.
# Each must answer /health, create an experiment and a run over REST and read them back, and exit 0 on
# SIGTERM. Exit code 0 only if all of that works. SMOKE_SKIP_BUILD=1 reuses an existing dist/tracker.js.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DENO="${DENO:-$(bash "$root/scripts/ensure-deno.sh")}"
export DENO
[ "${SMOKE_SKIP_BUILD:-}" = 1 ] || bash "$root/scripts/bundle.sh" >/dev/null

work="$(mktemp -d "${TMPDIR:-/tmp}/tracker-smoke.XXXXXX")"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "smoke-bundle: FAIL: $*" >&2; [ -f "$log" ] && sed 's/^/  | /' "$log" >&2; exit 1; }

# json_field FIELD: first "FIELD":"value" (string) in the JSON on stdin.
json_field() { grep -o "\"$1\": *\"[^\"]*\"" | head -n1 | sed 's/.*: *"\(.*\)"/\1/'; }

post() { curl -sS --fail-with-body -X POST -H 'content-type: application/json' -d "$2" "$1"; }

smoke() { # name, tracker arguments...
  local name="$1"; shift
  local dir="$work/$name"
  mkdir -p "$dir/deno-dir"
  cp "$root/dist/tracker.js" "$dir/"
  log="$dir/server.log"
  (cd "$dir" && DENO_DIR="$dir/deno-dir" exec "$DENO" run --unstable-kv --unstable-net -A tracker.js "$@" --port 0) \
    >"$log" 2>&1 &
  server_pid=$!

  # --port 0: the startup line names the port the server got.
  local url="" i
  for i in $(seq 1 300); do
    url="$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$log" | head -n1)"
    [ -n "$url" ] && break
    kill -0 "$server_pid" 2>/dev/null || fail "$name: exited before listening"
    sleep 0.1
  done
  [ -n "$url" ] || fail "$name: no startup line"

  local api="$url/api/2.0/mlflow" health exp_id got run_id got_run
  health="$(curl -sS "$url/health")" || fail "$name: /health unreachable"
  [ "$health" = OK ] || fail "$name: /health said '$health'"
  exp_id="$(post "$api/experiments/create" "{\"name\":\"smoke-$name\"}" | json_field experiment_id)" ||
    fail "$name: experiments/create"
  [ -n "$exp_id" ] || fail "$name: no experiment_id"
  got="$(curl -sS --fail-with-body "$api/experiments/get-by-name?experiment_name=smoke-$name" | json_field experiment_id)" ||
    fail "$name: experiments/get-by-name"
  [ "$got" = "$exp_id" ] || fail "$name: read back experiment '$got', expected '$exp_id'"
  run_id="$(post "$api/runs/create" "{\"experiment_id\":\"$exp_id\",\"start_time\":1}" | json_field run_id)" ||
    fail "$name: runs/create"
  post "$api/runs/log-batch" "{\"run_id\":\"$run_id\",\"metrics\":[{\"key\":\"m\",\"value\":\"NaN\",\"timestamp\":1,\"step\":0}]}" \
    >/dev/null || fail "$name: runs/log-batch"
  got_run="$(curl -sS --fail-with-body "$api/runs/get?run_id=$run_id")" || fail "$name: runs/get"
  grep -q '"value": *"NaN"' <<<"$got_run" || fail "$name: metric not read back: $got_run"

  kill -TERM "$server_pid"
  local code=0
  wait "$server_pid" || code=$?
  server_pid=""
  [ "$code" = 0 ] || fail "$name: exit code $code after SIGTERM"
  echo "smoke-bundle: $name ok ($url)"
}

smoke ui ui
smoke server-w2 server -w 2
echo "smoke-bundle: all ok"
