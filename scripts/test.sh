#!/usr/bin/env bash
# The whole test suite: static checks, Deno unit + contract tests, the Python compatibility suite with the
# real mlflow client, and the compile-safety smoke test of the bundle. Installs what it needs.
# Ends with one line "N passed, N failed, N skipped" summed over every suite.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
DENO="$(bash scripts/ensure-deno.sh)" || { echo "0 passed, 1 failed"; exit 1; }
export DENO
out="$root/test-results"
rm -rf "$out" && mkdir -p "$out"
extra_pass=0
extra_fail=0
step() { # name, command...: a pass/fail step counted as one test
  local name="$1"; shift
  echo "::: $name"
  if "$@"; then extra_pass=$((extra_pass + 1)); else echo "FAILED: $name"; extra_fail=$((extra_fail + 1)); fi
}

step "deno fmt --check" "$DENO" fmt --check
step "deno lint" "$DENO" lint
step "deno check" "$DENO" check main.ts src tests scripts

# The Python venv first: some Deno tests (client models, local mode on an MLflow folder) drive real mlflow.
PY="$(bash scripts/setup-python.sh)" || PY=""

echo "::: deno test"
"$DENO" test --unstable-kv --unstable-net -A --reporter=dot --junit-path="$out/deno.xml" tests/unit tests/contract

# Python suites, each with the real mlflow==3.18.0 client, in one venv (scripts/setup-python.sh).
py_suites=(compat models interchange serving)
if [ -n "$PY" ]; then
  for suite in "${py_suites[@]}"; do
    [ -d "tests/$suite" ] || continue
    echo "::: python suite tests/$suite (mlflow==3.18.0)"
    (cd "tests/$suite" && "$PY" -m pytest -q --junitxml="$out/py-$suite.xml" .)
  done
else
  echo "FAILED: python environment setup"; extra_fail=$((extra_fail + 1))
fi

echo "::: browser tests (Debian chromium + playwright-core)"
if bash scripts/setup-browser.sh >/dev/null; then
  browser_ok=1
  # Headless Chromium on a busy 2-core machine occasionally misses a navigation; a real defect fails twice.
  if ! "$DENO" test --unstable-kv --unstable-net -A --reporter=dot --junit-path="$out/browser.xml" tests/browser; then
    echo "browser tests failed; running them once more"
    "$DENO" test --unstable-kv --unstable-net -A --reporter=dot --junit-path="$out/browser.xml" tests/browser
  fi
else
  echo "FAILED: chromium setup"; extra_fail=$((extra_fail + 1))
fi

step "tracker bundle runs from an empty folder" bash scripts/smoke-bundle.sh
[ -f tests/serving/smoke-bundle.sh ] && step "serving bundle runs from an empty folder" bash tests/serving/smoke-bundle.sh

reports=("$out/deno.xml")
[ "${browser_ok:-0}" = 1 ] && reports+=("$out/browser.xml")
if [ -n "${PY:-}" ]; then
  for suite in "${py_suites[@]}"; do [ -d "tests/$suite" ] && reports+=("$out/py-$suite.xml"); done
fi
"$DENO" run -A scripts/junit-summary.ts --extra "$extra_pass:$extra_fail" "${reports[@]}"
