#!/usr/bin/env bash
# Bundles the TypeScript client (src/client/mod.ts) into one ES module for Node 20+ (and Deno):
# dist/client/tracker-client.mjs. npm packages (zod) are included; node:* built-ins stay imports.
# Local mode (no tracking URI) is in the file too but runs only under Deno; Node needs an http(s) URI.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
DENO="${DENO:-$(bash scripts/ensure-deno.sh)}"
mkdir -p dist/client
# --unstable-raw-imports: local mode reaches the server's modules, which may embed assets as bytes.
"$DENO" bundle --quiet --unstable-raw-imports --platform node -o dist/client/tracker-client.mjs src/client/mod.ts
echo "dist/client/tracker-client.mjs ($(wc -c <dist/client/tracker-client.mjs) bytes)"
