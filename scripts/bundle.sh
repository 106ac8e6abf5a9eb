#!/usr/bin/env bash
# Bundles tracker into one self-contained file, dist/tracker.js (npm packages included). It runs anywhere
# Deno does: deno run --unstable-kv --unstable-net -A dist/tracker.js ui
# The Workers of `server -w N` are started from this same file, so nothing else needs to ship with it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
DENO="${DENO:-$(bash scripts/ensure-deno.sh)}"
mkdir -p dist
# --unstable-raw-imports lets modules embed assets `with { type: "bytes" }`; harmless when none do.
"$DENO" bundle --quiet --unstable-raw-imports --platform deno -o dist/tracker.js main.ts
echo "dist/tracker.js ($(wc -c <dist/tracker.js) bytes)"
