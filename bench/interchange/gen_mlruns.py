"""Writes a FileStore folder the way MLflow 3.x lays it out (PyYAML meta, one file per param/tag, metric
lines), fast: N runs in one experiment with an 18-digit id, K metric keys x P points per run.
Usage: gen_mlruns.py OUT_DIR [--runs 1000] [--keys 2] [--points 500]"""

from __future__ import annotations

import argparse
import os
import random
import time
import uuid

import yaml


def dump(path: str, data: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        yaml.safe_dump(data, f, default_flow_style=False, allow_unicode=True, sort_keys=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--runs", type=int, default=1000)
    ap.add_argument("--keys", type=int, default=2)
    ap.add_argument("--points", type=int, default=500)
    a = ap.parse_args()
    root = os.path.abspath(a.out)
    rng = random.Random(42)
    now = int(time.time() * 1000)
    os.makedirs(os.path.join(root, ".trash"), exist_ok=True)
    for exp_id, name in (("0", "Default"), ("123456789012345678", "bench")):
        d = os.path.join(root, exp_id)
        os.makedirs(d, exist_ok=True)
        dump(os.path.join(d, "meta.yaml"), {
            "artifact_location": f"file://{d}", "creation_time": now, "experiment_id": exp_id,
            "last_update_time": now, "lifecycle_stage": "active", "name": name,
        })
    exp = os.path.join(root, "123456789012345678")
    for i in range(a.runs):
        run_id = uuid.UUID(int=rng.getrandbits(128)).hex
        rd = os.path.join(exp, run_id)
        for sub in ("metrics", "params", "artifacts", "tags"):
            os.makedirs(os.path.join(rd, sub), exist_ok=True)
        dump(os.path.join(rd, "meta.yaml"), {
            "artifact_uri": f"file://{rd}/artifacts", "end_time": now + 1000, "entry_point_name": "",
            "experiment_id": "123456789012345678", "lifecycle_stage": "active", "run_id": run_id,
            "run_name": f"run-{i}", "source_name": "", "source_type": 4, "source_version": "",
            "start_time": now + i, "status": 3, "tags": [], "user_id": "bench",
        })
        for p in range(10):
            with open(os.path.join(rd, "params", f"p{p}"), "w") as f:
                f.write(str(rng.random()))
        for t, v in (("mlflow.runName", f"run-{i}"), ("mlflow.user", "bench"), ("group", str(i % 7))):
            with open(os.path.join(rd, "tags", t), "w") as f:
                f.write(v)
        for k in range(a.keys):
            key = "loss" if k == 0 else f"train/m{k}"
            path = os.path.join(rd, "metrics", *key.split("/"))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.writelines(f"{now + s} {rng.random()} {s}\n" for s in range(a.points))
    print(f"{a.runs} runs, {a.runs * a.keys * a.points} points in {root}")


if __name__ == "__main__":
    main()
