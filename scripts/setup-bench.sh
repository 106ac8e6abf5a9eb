#!/usr/bin/env bash
# Creates bench/.venv (if missing) with the two reference servers of the benchmark:
# mlflow==3.18.0 (with the fully pinned dependency closure of tests/compat/requirements.txt, installed
# --no-deps because the index lacks mlflow-skinny/mlflow-tracing 3.18.0; see that file's header) and
# fasttrackml==0.6.0, whose wheel ships the statically linked Go server as <venv>/bin/fml.
# Idempotent: a stamp records the hash of the pins + interpreter. Prints the venv path on stdout.
#
# Env: PYTHON (interpreter for the venv, default python3), BENCH_VENV (default bench/.venv).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
req="$root/tests/compat/requirements.txt"
venv="${BENCH_VENV:-$root/bench/.venv}"
py="$venv/bin/python"
stamp="$venv/.bench.stamp"
FML="fasttrackml==0.6.0"

if [ ! -x "$py" ]; then
  echo "creating venv $venv" >&2
  "${PYTHON:-python3}" -m venv "$venv" >&2
fi
want="$( { cat "$req"; echo "$FML"; "$py" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/fml" ]; then
  echo "$venv"
  exit 0
fi
echo "installing mlflow 3.18.0 + $FML into $venv (first time takes ~1 min) ..." >&2
"$py" -m pip install --quiet --disable-pip-version-check --no-deps -r "$req" "$FML" >&2
"$py" -c 'import mlflow; assert mlflow.__version__ == "3.18.0", mlflow.__version__' >&2
"$venv/bin/fml" --version >&2
echo "$want" >"$stamp"
echo "$venv"
