#!/usr/bin/env bash
# `deno task bench [--quick] [...]`: tracker vs MLflow vs FastTrackML on loopback. Installs the pinned
# Deno and the reference servers' venv first; all arguments go to bench/main.ts (see --help there).
# BENCH_NICE=-10 runs the bench (client and all servers alike) at that priority, so other work on a
# shared machine disturbs the comparison less; negative values need root.
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
prio=()
if [ -n "${BENCH_NICE:-}" ]; then prio=(nice -n "$BENCH_NICE"); fi
exec "${prio[@]}" "$deno" run -A bench/main.ts "$@"
