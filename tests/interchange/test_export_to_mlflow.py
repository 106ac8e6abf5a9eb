"""tracker data -> `tracker export --format mlruns` -> real MLflow reads the same values from the folder."""

from __future__ import annotations

import math

import mlflow
from mlflow.tracking import MlflowClient

from conftest import tracker
from mlruns_data import LOSS, log_everything, snapshot


def test_export_is_read_by_mlflow(tmp_path, server_factory):
    store, art = tmp_path / "store", tmp_path / "mlartifacts"
    with server_factory(store, art) as s:
        ids = log_everything(MlflowClient(s.uri), tmp_path)
        expected = snapshot(MlflowClient(s.uri))
    assert expected[ids["exp"]]["runs"][ids["parent"]]["artifacts"]["model/weights.bin"]

    out = tmp_path / "exported"
    p = tracker("export", "--format", "mlruns", str(out), "--backend-store-uri", str(store),
                "--artifacts-destination", str(art))
    assert "exported 3 experiment(s), 5 run(s)" in p.stdout, p.stdout
    assert (out / ".trash" / ids["trashed"] / ids["in_trash"] / "meta.yaml").exists()

    c = MlflowClient(out.as_uri())
    assert snapshot(c) == expected

    # The pandas view MLflow users read, on the exported folder.
    mlflow.set_tracking_uri(out.as_uri())
    try:
        df = mlflow.search_runs(experiment_ids=[ids["exp"]], filter_string="params.lr = '0.01'")
        assert list(df["run_id"]) == [ids["parent"]]
        assert df["metrics.loss"][0] == LOSS[-1]
        assert df["tags.mlflow.runName"][0] == "parent"
        history = c.get_metric_history(ids["parent"], "loss")
        assert [m.step for m in history] == list(range(len(LOSS)))
        assert math.isnan(history[1].value) and history[2].value == math.inf and history[3].value == -math.inf
        # MLflow can keep working in the exported folder.
        with mlflow.start_run(experiment_id=ids["exp"]) as run:
            mlflow.log_metric("after", 1.0)
        assert c.get_run(run.info.run_id).data.metrics == {"after": 1.0}
        c.restore_experiment(ids["trashed"])
        assert c.get_run(ids["in_trash"]).data.params == {"p": "v"}
    finally:
        mlflow.set_tracking_uri(None)


def test_export_again_rewrites_instead_of_appending(tmp_path, server_factory):
    store, art = tmp_path / "store", tmp_path / "mlartifacts"
    with server_factory(store, art) as s:
        ids = log_everything(MlflowClient(s.uri), tmp_path)
    out = tmp_path / "exported"
    args = ["export", "--format", "mlruns", str(out), "--backend-store-uri", str(store),
            "--artifacts-destination", str(art)]
    tracker(*args)
    first = snapshot(MlflowClient(out.as_uri()), artifacts=False)
    tracker(*args)
    assert snapshot(MlflowClient(out.as_uri()), artifacts=False) == first
    assert len(MlflowClient(out.as_uri()).get_metric_history(ids["parent"], "train/acc")) == 1000


def test_export_of_a_missing_store_is_refused(tmp_path):
    p = tracker("export", "--format", "mlruns", str(tmp_path / "o"), "--backend-store-uri",
                str(tmp_path / "nothing"), check=False)
    assert p.returncode == 2 and "no tracker store" in p.stderr
    p = tracker("export", "--format", "csv", str(tmp_path / "o"), check=False)
    assert p.returncode == 2 and "--format" in p.stderr
