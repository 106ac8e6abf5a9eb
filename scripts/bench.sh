#!/usr/bin/env bash
# `deno task bench [--quick] [...]`: tracker vs MLflow vs FastTrackML on loopback. Installs the pinned
# Deno and the reference servers' venv first; all arguments go to bench/main.ts (see --help there).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deno="$(bash "$root/scripts/ensure-deno.sh")"
for a in "$@"; do
  if [ "$a" = "-h" ] || [ "$a" = "--help" ]; then
    exec "$deno" run -A "$root/bench/main.ts" --help
  fi
done
BENCH_VENV="$(bash "$root/scripts/setup-bench.sh")"
export BENCH_VENV
cd "$root"
exec "$deno" run -A bench/main.ts "$@"
