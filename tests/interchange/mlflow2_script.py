"""Run by an MLflow 2.x interpreter (test_mlflow2.py): `write ROOT` logs a small store, `read ROOT` prints
what MLflow 2.x reads from a folder as JSON."""

from __future__ import annotations

import json
import math
import os
import sys

from mlflow.entities import ViewType
from mlflow.tracking import MlflowClient

mode, root = sys.argv[1], os.path.abspath(sys.argv[2])
c = MlflowClient("file://" + root)


def norm(v):
    return "nan" if isinstance(v, float) and math.isnan(v) else v


if mode == "write":
    e = c.create_experiment("from-mlflow-2", tags={"k": "v"})
    r = c.create_run(e, run_name="two")
    c.log_param(r.info.run_id, "p", "1")
    for i, v in enumerate([0.5, float("nan"), float("inf"), -float("inf")]):
        c.log_metric(r.info.run_id, "loss", v, timestamp=1700000000000 + i, step=i)
    src = os.path.join(root, "..", "a2.txt")
    with open(src, "w") as f:
        f.write("from 2.x")
    c.log_artifact(r.info.run_id, src)
    c.set_terminated(r.info.run_id)
    d = c.create_run(e, run_name="deleted")
    c.delete_run(d.info.run_id)
    e2 = c.create_experiment("from-mlflow-2-trashed")
    c.create_run(e2)
    c.delete_experiment(e2)
else:
    out = {}
    for e in c.search_experiments(view_type=ViewType.ALL):
        runs = {}
        for r in c.search_runs([e.experiment_id], run_view_type=ViewType.ALL):
            runs[r.info.run_id] = {
                "info": [r.info.run_name, r.info.status, r.info.start_time, r.info.end_time,
                         r.info.lifecycle_stage, r.info.user_id],
                "params": r.data.params,
                "tags": r.data.tags,
                "history": {k: [[m.timestamp, norm(m.value), m.step] for m in c.get_metric_history(r.info.run_id, k)]
                            for k in r.data.metrics},
            }
        out[e.experiment_id] = {"name": e.name, "stage": e.lifecycle_stage, "tags": e.tags, "runs": runs}
    print(json.dumps(out, sort_keys=True))
