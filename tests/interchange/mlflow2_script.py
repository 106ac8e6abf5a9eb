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
c = MlflowClient("file://" + root, registry_uri="file://" + root)


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
    # The 2.x registry: tags, a description, an alias, a stage, a deleted last version.
    c.create_registered_model("reg2", tags={"t": "1"}, description="two")
    for _ in range(3):
        c.create_model_version("reg2", source=f"runs:/{r.info.run_id}/model", run_id=r.info.run_id)
    c.set_registered_model_alias("reg2", "best", "2")
    c.transition_model_version_stage("reg2", "1", "Production")
    c.set_model_version_tag("reg2", "2", "vt", "x")
    c.delete_model_version("reg2", "3")
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
    registry = {}
    for m in c.search_registered_models():
        registry[m.name] = {
            "model": [m.description, m.creation_timestamp, m.last_updated_timestamp, m.tags, m.aliases],
            "versions": {str(v.version): [v.current_stage, v.source, v.run_id, v.tags, v.creation_timestamp]
                         for v in c.search_model_versions(f"name='{m.name}'")},
        }
    print(json.dumps({"experiments": out, "registry": registry}, sort_keys=True))
