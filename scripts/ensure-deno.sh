#!/usr/bin/env bash
# Prints the path of a pinned Deno, installing it from npm into .tools/ when missing.
set -euo pipefail
DENO_VERSION="2.9.6"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/.tools/node_modules/.bin/deno"
if [ -x "$bin" ] && "$bin" --version 2>/dev/null | grep -q "deno $DENO_VERSION"; then
  echo "$bin"; exit 0
fi
if command -v deno >/dev/null 2>&1 && deno --version 2>/dev/null | grep -q "deno $DENO_VERSION"; then
  command -v deno; exit 0
fi
mkdir -p "$root/.tools"
echo "installing deno $DENO_VERSION from npm into .tools/ ..." >&2
npm install --silent --no-audit --no-fund --prefix "$root/.tools" "deno@$DENO_VERSION" >&2
echo "$bin"
