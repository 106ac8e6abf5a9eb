"""Benchmark of the mlruns interchange: import of a FileStore with 1k runs / 1M metric points into tracker
(time and peak RSS), re-import (nothing to do), export back to mlruns, against MLflow reading the same
folder completely and `mlflow migrate-filestore` (FileStore -> SQLite) on it. One run of each; treat the
numbers as +-30% (2 shared cores).

Usage (repository root): tests/compat/.venv/bin/python bench/interchange/run.py [--runs 1000] [--keys 2]
  [--points 500] [--out bench/out/interchange]
Writes <out>/result.json and prints a table."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DENO_FLAGS = ["run", "--unstable-kv", "--unstable-net", "--unstable-raw-imports", "-A"]

# Runs one command in a child and reports its wall time and peak RSS (ru_maxrss of waited children).
WRAPPER = r"""
import json, resource, subprocess, sys, time
t = time.monotonic()
with open(sys.argv[1], "ab") as log:
    rc = subprocess.run(sys.argv[2:], stdout=log, stderr=log, stdin=subprocess.DEVNULL).returncode
print(json.dumps({"seconds": time.monotonic() - t, "rc": rc,
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""


def measure(name: str, argv: list[str], log: Path, env: dict | None = None) -> dict:
    with open(log, "ab") as f:
        f.write(f"\n===== {name}: {' '.join(argv)}\n".encode())
    out = subprocess.run([sys.executable, "-c", WRAPPER, str(log), *argv], capture_output=True, text=True,
                         env=env, check=True, cwd=ROOT)
    r = json.loads(out.stdout)
    if r["rc"] != 0:
        raise SystemExit(f"{name} failed (exit {r['rc']}); see {log}")
    print(f"{name:<34} {r['seconds']:8.1f} s  {r['max_rss_mb']:8.0f} MiB", flush=True)
    return {"name": name, **r}


def deno() -> str:
    return subprocess.run(["bash", "scripts/ensure-deno.sh"], cwd=ROOT, check=True, capture_output=True,
                          text=True).stdout.strip().splitlines()[-1]


def tracker_entry(d: str) -> list[str]:
    probe = subprocess.run([d, *DENO_FLAGS, "main.ts", "import", "--help"], cwd=ROOT, capture_output=True,
                           text=True)
    if probe.returncode == 0:
        return [d, *DENO_FLAGS, "main.ts"]
    return [d, *DENO_FLAGS, "tests/interchange/cli.ts"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--keys", type=int, default=2)
    ap.add_argument("--points", type=int, default=500)
    ap.add_argument("--out", default="bench/out/interchange")
    a = ap.parse_args()
    out = (ROOT / a.out).resolve()
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    log = out / "log.txt"
    mlruns = out / "mlruns"
    subprocess.run([sys.executable, str(ROOT / "bench/interchange/gen_mlruns.py"), str(mlruns), "--runs",
                    str(a.runs), "--keys", str(a.keys), "--points", str(a.points)], check=True)
    tr = tracker_entry(deno())
    store = ["--backend-store-uri", str(out / "store"), "--artifacts-destination", str(out / "mlartifacts")]
    env = dict(os.environ, MLFLOW_ALLOW_FILE_STORE="true", MLFLOW_DISABLE_TELEMETRY="true")
    results = [
        measure("tracker import", [*tr, "import", str(mlruns), *store], log),
        measure("tracker import again (no-op)", [*tr, "import", str(mlruns), *store], log),
        measure("tracker export --format mlruns", [*tr, "export", "--format", "mlruns", str(out / "exported"),
                                                   *store], log),
        measure("mlflow: read folder (all histories)", [sys.executable, str(ROOT / "bench/interchange/mlflow_read.py"),
                                                        str(mlruns)], log, env),
        measure("mlflow migrate-filestore (sqlite)", [sys.executable, "-m", "mlflow", "migrate-filestore",
                                                      "--source", str(mlruns), "--target",
                                                      f"sqlite:///{out / 'mlflow.db'}", "--no-progress"], log, env),
    ]
    text = log.read_text()
    summary = {"runs": a.runs, "points": a.runs * a.keys * a.points, "results": results,
               "import_output": [line for line in text.splitlines() if line.startswith(("runs:", "metric points"))][:2]}
    (out / "result.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary["import_output"]))


if __name__ == "__main__":
    main()
