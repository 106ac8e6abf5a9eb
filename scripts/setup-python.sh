#!/usr/bin/env bash
# Creates tests/compat/.venv (if missing) and installs the pinned requirements of the Python
# compatibility suite. Idempotent: a stamp file inside the venv records the hash of
# requirements.txt + the interpreter version, so a second run only compares hashes.
# Prints the venv's python path on stdout; progress goes to stderr.
#
# Env: PYTHON (interpreter used to create the venv, default python3),
#      COMPAT_VENV (venv directory, default tests/compat/.venv).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The compat suite's pins plus the extra pins of the other Python suites (models, serving, interchange),
# merged so one venv serves them all.
req="$(mktemp)"
trap 'rm -f "$req"' EXIT
cat "$root/tests/compat/requirements.txt" "$root"/tests/*/requirements.txt 2>/dev/null | grep -v '^\s*#' | grep -v '^\s*$' | sort -u >"$req"
venv="${COMPAT_VENV:-$root/tests/compat/.venv}"
py_host="${PYTHON:-python3}"
py="$venv/bin/python"
stamp="$venv/.requirements.stamp"

if [ ! -x "$py" ]; then
  echo "creating venv $venv" >&2
  "$py_host" -m venv "$venv" >&2
fi

want="$( { cat "$req"; "$py" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "$py"
  exit 0
fi

echo "installing the pinned Python requirements into $venv (first time takes ~1 min) ..." >&2
extra=()
# The pinned mlflow wheel may also be available locally; let pip use it if the index lacks it.
if [ -d /tmp/mlflow-src ]; then extra+=(--find-links /tmp/mlflow-src); fi
# --no-deps: see the header of requirements.txt (the closure is pinned completely there).
"$py" -m pip install --quiet --disable-pip-version-check --no-deps "${extra[@]}" -r "$req" >&2
"$py" -c 'import mlflow, pytest, pandas, numpy, PIL, requests; assert mlflow.__version__ == "3.18.0", mlflow.__version__' >&2
echo "$want" >"$stamp"
echo "$py"
