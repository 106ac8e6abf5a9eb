#!/usr/bin/env bash
# Compile-safety of `tracker models serve`: bundle the serving entry into one file, run it from an empty
# folder (no source tree, no node_modules), and serve an ONNX model on both engines (tracker's JS engine, and
# ONNX Runtime with its .wasm embedded in the bundle; Workers started from the bundle itself) and a JS model.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DENO="${DENO:-$(bash "$root/scripts/ensure-deno.sh")}"
work="$(mktemp -d)"
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$root"
"$DENO" bundle --quiet --unstable-raw-imports --platform deno -o "$work/bin/serve.js" src/serving/entry.ts
"$DENO" run -A tests/serving/write_models.ts "$work/models"
mkdir -p "$work/empty"
cd "$work/empty"
for target in linear:js linear:web js:auto; do
  model="${target%%:*}" engine="${target##*:}"
  port=$(( 20000 + RANDOM % 20000 ))
  TRACKER_ONNX_RUNTIME="$engine" "$DENO" run --unstable-raw-imports --no-config -A "$work/bin/serve.js" -m "$work/models/$model" -p "$port" -w 2 \
    >"$work/$model.log" 2>&1 &
  pid=$!
  ready=""
  for _ in $(seq 1 1200); do
    curl -fs "http://127.0.0.1:$port/ping" >/dev/null 2>&1 && { ready=1; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$ready" ] || { echo "bundle smoke ($target): server not ready"; cat "$work/$model.log"; exit 1; }
  if [ "$model" = linear ]; then
    body='{"inputs": [[1,1,1,1,1,1,1,1,1,1]]}'; want='{"predictions": {"variable": [[55.5]]}}'
  else
    body='{"dataframe_records": [{"x": 1.5}, {"x": 4}]}'; want='{"predictions": [3, 8]}'
  fi
  got=$(curl -s -H 'content-type: application/json' -d "$body" "http://127.0.0.1:$port/invocations")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  if [ "$got" != "$want" ]; then
    echo "bundle smoke ($target): got '$got', want '$want'"; cat "$work/$model.log"; exit 1
  fi
  case "$engine" in
    js) grep -q "JS engine" "$work/$model.log" ;;
    web) grep -q "ONNX Runtime web" "$work/$model.log" ;;
  esac || { echo "bundle smoke ($target): wrong engine"; cat "$work/$model.log"; exit 1; }
  echo "bundle smoke ($target): ok"
done
