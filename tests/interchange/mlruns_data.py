"""What the round-trip tests log with real MLflow, and a comparable snapshot of what a client reads back."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from mlflow.entities import Dataset, DatasetInput, InputTag, Metric, ViewType
from mlflow.tracking import MlflowClient

LOSS = [0.5, float("nan"), float("inf"), -float("inf"), 1e-5, 1e16, 123.0, -0.0, 2.5]


def log_everything(c: MlflowClient, tmp: Path) -> dict:
    """Experiments, runs, params, tags, metric histories (NaN/inf), datasets, artifacts, nested runs,
    deleted runs and a deleted experiment, logged through `c` (a FileStore or a tracking server)."""
    ids: dict = {}
    eid = c.create_experiment("interchange-a", tags={"team": "vision", "a/b": "nested tag", "uni": "héllo ✓"})
    ids["exp"] = eid
    parent = c.create_run(eid, run_name="parent", tags={"mlflow.user": "alice"})
    pid = parent.info.run_id
    ids["parent"] = pid
    c.log_param(pid, "lr", "0.01")
    c.log_param(pid, "opt/name", "adam")
    c.log_param(pid, "long", "x" * 500)
    for step, v in enumerate(LOSS):
        c.log_metric(pid, "loss", v, timestamp=1700000000000 + step, step=step)
    c.log_batch(pid, metrics=[Metric("train/acc", i / 1000, 1700000001000 + i, i) for i in range(1000)])
    c.set_tag(pid, "note", "two\nlines")
    c.set_tag(pid, "on", "yes")
    c.log_inputs(pid, datasets=[DatasetInput(
        Dataset(name="ds", digest="abc123", source_type="local", source='{"uri": "mem"}', schema=None,
                profile='{"num_rows": 2}'),
        tags=[InputTag("mlflow.data.context", "training")],
    )])
    src = tmp / "artifact-src"
    (src / "model").mkdir(parents=True, exist_ok=True)
    (src / "readme.txt").write_text("hello")
    (src / "model" / "weights.bin").write_bytes(bytes(range(256)) * 40)
    c.log_artifact(pid, str(src / "readme.txt"))
    c.log_artifacts(pid, str(src / "model"), "model")
    c.set_terminated(pid, "FINISHED", end_time=1700000009000)

    child = c.create_run(eid, run_name="child", tags={"mlflow.parentRunId": pid})
    ids["child"] = child.info.run_id
    c.log_metric(child.info.run_id, "m", 1.0, timestamp=1700000002000, step=0)
    c.set_terminated(child.info.run_id, "FAILED", end_time=1700000003000)

    gone = c.create_run(eid, run_name="gone")
    ids["gone"] = gone.info.run_id
    c.log_metric(gone.info.run_id, "x", 3.0, timestamp=1700000004000, step=0)
    c.delete_run(gone.info.run_id)

    zero = c.create_run("0", run_name="in-default")
    ids["zero"] = zero.info.run_id
    c.log_param(zero.info.run_id, "p", "1")

    e2 = c.create_experiment("interchange-trashed")
    ids["trashed"] = e2
    t = c.create_run(e2, run_name="t")
    ids["in_trash"] = t.info.run_id
    c.log_param(t.info.run_id, "p", "v")
    c.delete_experiment(e2)
    return ids


def _norm(v: float):
    return "nan" if isinstance(v, float) and math.isnan(v) else v


def _artifacts(c: MlflowClient, run_id: str, path: str | None = None) -> dict:
    out = {}
    for f in c.list_artifacts(run_id, path):
        if f.is_dir:
            out.update(_artifacts(c, run_id, f.path))
        else:
            with tempfile.TemporaryDirectory() as d:
                out[f.path] = Path(c.download_artifacts(run_id, f.path, d)).read_bytes()
    return out


def snapshot(c: MlflowClient, artifacts: bool = True) -> dict:
    """Everything a client reads, keyed by ids; artifact locations are left out (they differ by design)."""
    out = {}
    for e in c.search_experiments(view_type=ViewType.ALL, max_results=1000):
        runs = {}
        for r in c.search_runs([e.experiment_id], run_view_type=ViewType.ALL, max_results=1000):
            info = r.info
            runs[info.run_id] = {
                "info": (info.run_name, info.status, info.start_time, info.end_time, info.lifecycle_stage,
                         info.user_id, info.experiment_id),
                "params": dict(r.data.params),
                "tags": dict(r.data.tags),
                "metrics": {k: _norm(v) for k, v in r.data.metrics.items()},
                "history": {
                    k: [(m.timestamp, _norm(m.value), m.step) for m in c.get_metric_history(info.run_id, k)]
                    for k in r.data.metrics
                },
                "inputs": sorted(
                    (d.dataset.name, d.dataset.digest, d.dataset.source_type, d.dataset.source,
                     d.dataset.schema, d.dataset.profile, tuple(sorted((t.key, t.value) for t in d.tags)))
                    for d in r.inputs.dataset_inputs
                ),
                "artifacts": _artifacts(c, info.run_id) if artifacts and info.lifecycle_stage == "active" else None,
            }
        out[e.experiment_id] = {
            "name": e.name,
            "stage": e.lifecycle_stage,
            "times": (e.creation_time, e.last_update_time),
            "tags": dict(e.tags),
            "runs": runs,
        }
    return out
