"""MLflow writes an mlruns folder -> `tracker import` -> the tracker server returns the same data."""

from __future__ import annotations

import shutil

import requests
from mlflow.tracking import MlflowClient

from conftest import tracker
from mlruns_data import log_everything, snapshot


def store_args(tmp):
    return ["--backend-store-uri", str(tmp / "store"), "--artifacts-destination", str(tmp / "mlartifacts")]


def expected_from_folder(root) -> dict:
    snap = snapshot(MlflowClient(root.as_uri()))
    # tracker's store has its own Default experiment "0" (import merges into it): its times are tracker's.
    snap["0"]["times"] = None
    return snap


def from_server(uri: str) -> dict:
    snap = snapshot(MlflowClient(uri))
    snap["0"]["times"] = None
    return snap


def test_import_returns_what_mlflow_reads(tmp_path, server_factory):
    root = tmp_path / "mlruns"
    ids = log_everything(MlflowClient(root.as_uri()), tmp_path)
    # A run with MLflow 1.x/2.x-era files: legacy 2-field metric lines (step 0).
    legacy = root / ids["exp"] / ids["child"] / "metrics" / "legacy"
    legacy.write_text("1600000000000 2.5\n1600000000001 nan\n")
    expected = expected_from_folder(root)
    assert len(expected[ids["exp"]]["runs"][ids["parent"]]["history"]["train/acc"]) == 1000
    assert expected[ids["trashed"]]["stage"] == "deleted"

    out = tracker("import", str(root), *store_args(tmp_path))
    assert "runs: 5 new, 0 updated, 0 unchanged, 0 failed" in out.stdout, out.stdout

    with server_factory(tmp_path / "store", tmp_path / "mlartifacts") as s:
        got = from_server(s.uri)
        # Artifacts are served by tracker (copied under --artifacts-destination), through the proxy.
        listing = requests.get(f"{s.uri}/api/2.0/mlflow/artifacts/list",
                               params={"run_id": ids["parent"], "path": "model"}, timeout=30).json()
        assert [f["path"] for f in listing["files"]] == ["model/weights.bin"]
    assert got == expected

    # Idempotent: nothing new the second time.
    again = tracker("import", str(root), *store_args(tmp_path))
    assert "runs: 0 new, 0 updated, 5 unchanged, 0 failed" in again.stdout, again.stdout
    assert "metric points: 0;" in again.stdout

    # MLflow keeps working in the folder; the next import adds exactly that.
    c = MlflowClient(root.as_uri())
    c.log_metric(ids["parent"], "loss", 7.0, timestamp=1700000000100, step=9)
    c.set_tag(ids["parent"], "later", "x")
    late = c.create_run(ids["exp"], run_name="late")
    c.log_metric(late.info.run_id, "y", 1.0, timestamp=1700000000200, step=0)
    c.delete_run(ids["child"])
    third = tracker("import", str(root), *store_args(tmp_path))
    assert "runs: 1 new, 2 updated, 3 unchanged, 0 failed" in third.stdout, third.stdout
    expected = expected_from_folder(root)
    with server_factory(tmp_path / "store", tmp_path / "mlartifacts") as s:
        assert from_server(s.uri) == expected


def test_import_by_reference_serves_artifacts_from_the_folder(tmp_path, server_factory):
    root = tmp_path / "mlruns"
    ids = log_everything(MlflowClient(root.as_uri()), tmp_path)
    moved = tmp_path / "moved-mlruns"
    shutil.move(root, moved)  # artifact_location in meta.yaml now points to a folder that is gone
    tracker("import", str(moved), "--artifacts", "reference", *store_args(tmp_path))
    assert not (tmp_path / "mlartifacts").exists()
    with server_factory(tmp_path / "store", tmp_path / "mlartifacts") as s:
        run = MlflowClient(s.uri).get_run(ids["parent"])
        assert run.info.artifact_uri == (moved / ids["exp"] / ids["parent"] / "artifacts").as_uri()
        base = f"{s.uri}/api/2.0/mlflow/artifacts/list"
        top = requests.get(base, params={"run_id": ids["parent"]}, timeout=30).json()
        assert sorted((f["path"], f["is_dir"]) for f in top["files"]) == [("model", True), ("readme.txt", False)]
        body = requests.get(f"{s.uri}/get-artifact", params={"run_id": ids["parent"], "path": "readme.txt"},
                            timeout=30)
        assert body.status_code == 200 and body.text == "hello"


def test_import_refuses_a_folder_that_is_not_a_filestore(tmp_path):
    (tmp_path / "empty").mkdir()
    p = tracker("import", str(tmp_path / "empty"), *store_args(tmp_path), check=False)
    assert p.returncode == 1 and "not an MLflow FileStore" in p.stderr
