"""Tops up a running MLflow server's SQLite store with the benchmark's data when MLflow could not
take it over REST within the phase deadline (it seeds ~15-100 runs/s here, so 10k runs would take
minutes). Uses MLflow's own ORM models, so the rows are exactly what its SQL store would write.

stdin: {"db": "sqlite:///...", "runs": [...], "history": {...} | null}; see bench/topup.ts.
"""

import json
import sys

from sqlalchemy import create_engine, insert, select
from sqlalchemy.orm import Session

from mlflow.store.tracking.dbmodels.models import (
    SqlExperiment,
    SqlLatestMetric,
    SqlMetric,
    SqlParam,
    SqlRun,
    SqlTag,
)


def metric_row(run_uuid, m):
    return {
        "key": m["key"],
        "value": m["value"],
        "timestamp": m["timestamp"],
        "step": m["step"],
        "is_nan": False,
        "run_uuid": run_uuid,
    }


def main():
    req = json.load(sys.stdin)
    engine = create_engine(req["db"])
    with Session(engine) as s:
        runs, params, metrics, tags = [], [], [], []
        locations = {}
        for r in req["runs"]:
            exp = int(r["experiment_id"])
            if exp not in locations:
                locations[exp] = s.execute(
                    select(SqlExperiment.artifact_location).where(SqlExperiment.experiment_id == exp)
                ).scalar_one()
            uid = r["run_uuid"]
            runs.append({
                "run_uuid": uid,
                "name": r["name"],
                "source_type": "LOCAL",
                "source_name": "",
                "entry_point_name": "",
                "user_id": "bench",
                "status": "RUNNING",
                "start_time": r["start_time"],
                "source_version": "",
                "lifecycle_stage": "active",
                "artifact_uri": f"{locations[exp]}/{uid}/artifacts",
                "experiment_id": exp,
            })
            params += [{"key": p["key"], "value": p["value"], "run_uuid": uid} for p in r["params"]]
            metrics += [metric_row(uid, m) for m in r["metrics"]]
            tags += [{"key": t["key"], "value": t["value"], "run_uuid": uid} for t in r["tags"]]
        if runs:
            s.execute(insert(SqlRun), runs)
            s.execute(insert(SqlParam), params)
            s.execute(insert(SqlMetric), metrics)
            s.execute(insert(SqlLatestMetric), metrics)  # one step per key: latest = the only one
            s.execute(insert(SqlTag), tags)
        h = req.get("history")
        if h and h["points"]:
            uid = h["run_uuid"]
            rows = [metric_row(uid, m) for m in h["points"]]
            s.execute(insert(SqlMetric), rows)
            # Points arrive in increasing step order, so the last one is the latest.
            s.merge(SqlLatestMetric(**rows[-1]))
        s.commit()
    print(json.dumps({"runs": len(req["runs"]), "history": len(h["points"]) if h else 0}))


if __name__ == "__main__":
    main()
