"""Logged models and the model registry across `tracker import` / `tracker export`, checked with real MLflow:
MLflow writes a FileStore with both -> import -> the tracker server returns the same; tracker data -> export ->
MLflow reads the same from the folder (and keeps numbering versions where tracker left off)."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import mlflow
import pytest
import requests
from mlflow.entities import Metric
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from conftest import tracker


def log_models(c: MlflowClient, tmp: Path) -> dict:
    """A run, a READY logged model with params/tags/metrics/artifacts, a deleted logged model, a registered
    model with tags, description, an alias, a stage, a deleted version in the middle and a deleted last one."""
    ids: dict = {}
    eid = c.create_experiment("models-x")
    ids["exp"] = eid
    run = c.create_run(eid, run_name="trainer")
    rid = run.info.run_id
    ids["run"] = rid
    lm = c.create_logged_model(eid, name="net", source_run_id=rid, params={"layers": "3"},
                               tags={"team": "a"}, model_type="onnx")
    ids["lm"] = lm.model_id
    c.log_batch(rid, metrics=[
        Metric("acc", 0.5, 1700000000000, 1, model_id=lm.model_id),
        Metric("acc", 0.75, 1700000000001, 2, model_id=lm.model_id),
        Metric("acc", 0.7, 1700000000002, 2, model_id=lm.model_id, dataset_name="val", dataset_digest="d1"),
    ])
    src = tmp / "model-src"
    src.mkdir(exist_ok=True)
    (src / "MLmodel").write_text("flavors: {}\n")
    (src / "model.bin").write_bytes(bytes(range(200)))
    c.log_model_artifacts(lm.model_id, str(src))
    c.finalize_logged_model(lm.model_id, "READY")
    gone = c.create_logged_model(eid, name="dropped", source_run_id=rid)
    ids["gone"] = gone.model_id
    c.delete_logged_model(gone.model_id)
    c.set_terminated(rid, "FINISHED")

    c.create_registered_model("reg", tags={"k": "v"}, description="the model")
    c.create_model_version("reg", source=f"models:/{lm.model_id}", run_id=rid, tags={"vt": "x"},
                           description="first", model_id=lm.model_id)
    c.create_model_version("reg", source=f"runs:/{rid}/model", run_id=rid)
    c.create_model_version("reg", source=f"runs:/{rid}/model", run_id=rid)
    c.create_model_version("reg", source=f"runs:/{rid}/model", run_id=rid)
    c.set_registered_model_alias("reg", "champion", "1")
    c.transition_model_version_stage("reg", "3", "Staging")
    c.delete_model_version("reg", "2")
    c.delete_model_version("reg", "4")
    c.create_registered_model("empty")
    return ids


def model_snapshot(c: MlflowClient, exp_ids: list[str]) -> dict:
    models = {}
    for m in c.search_logged_models(experiment_ids=exp_ids):
        models[m.model_id] = {
            "attrs": (m.name, m.experiment_id, str(m.status), m.model_type, m.source_run_id,
                      m.creation_timestamp, m.last_updated_timestamp),
            "params": dict(m.params),
            "tags": dict(m.tags),
            "metrics": sorted((x.key, x.value, x.step, x.timestamp, x.dataset_name, x.dataset_digest, x.run_id)
                              for x in m.metrics or []),
        }
    registry = {}
    for rm in c.search_registered_models():
        versions = {}
        for v in c.search_model_versions(f"name='{rm.name}'"):
            # model_id is left out: MLflow's REST client does not read it (ModelVersion.from_proto).
            versions[str(v.version)] = (v.current_stage, v.source, v.run_id, dict(v.tags),
                                        sorted(v.aliases), v.description or None, v.status, v.creation_timestamp,
                                        v.last_updated_timestamp)
        registry[rm.name] = {
            "attrs": (rm.description or None, rm.creation_timestamp, rm.last_updated_timestamp),
            "tags": dict(rm.tags),
            "aliases": dict(rm.aliases),
            "latest": sorted((str(v.version), v.current_stage) for v in rm.latest_versions or []),
            "versions": versions,
        }
    return {"models": models, "registry": registry}


@contextlib.contextmanager
def using(uri: str):
    """MLflow's FileStore registry looks logged models up through the global tracking URI."""
    mlflow.set_tracking_uri(uri)
    mlflow.set_registry_uri(uri)
    try:
        yield
    finally:
        mlflow.set_tracking_uri(None)
        mlflow.set_registry_uri(None)


def model_files(uri: str, model_id: str) -> dict:
    with using(uri), tempfile.TemporaryDirectory() as d:
        out = Path(mlflow.artifacts.download_artifacts(f"models:/{model_id}", dst_path=d))
        return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def store_args(tmp: Path) -> list[str]:
    return ["--backend-store-uri", str(tmp / "store"), "--artifacts-destination", str(tmp / "mlartifacts")]


def test_import_of_mlflow_logged_models_and_registry(tmp_path, server_factory):
    root = tmp_path / "mlruns"
    c = MlflowClient(root.as_uri(), registry_uri=root.as_uri())
    with using(root.as_uri()):
        ids = log_models(c, tmp_path)
        expected = model_snapshot(c, [ids["exp"]])
    assert set(expected["models"]) == {ids["lm"]}
    assert set(expected["registry"]["reg"]["versions"]) == {"1", "3"}
    files = model_files(root.as_uri(), ids["lm"])

    out = tracker("import", str(root), *store_args(tmp_path))
    assert "logged models: 2 new, 0 updated, 0 unchanged, 0 failed" in out.stdout, out.stdout
    assert "registered models: 2 new, 0 updated, 0 unchanged, 0 failed" in out.stdout, out.stdout

    with server_factory(tmp_path / "store", tmp_path / "mlartifacts") as s:
        t = MlflowClient(s.uri, registry_uri=s.uri)
        assert model_snapshot(t, [ids["exp"]]) == expected
        assert str(t.get_model_version_by_alias("reg", "champion").version) == "1"
        with pytest.raises(MlflowException, match="not found"):
            t.get_logged_model(ids["gone"])
        # The model's files were copied and are served; the version points at them.
        assert model_files(s.uri, ids["lm"]) == files
        got = requests.get(f"{s.uri}/api/2.0/mlflow/model-versions/get", params={"name": "reg", "version": "1"},
                           timeout=30).json()["model_version"]
        assert got["model_id"] == ids["lm"]
        assert t.get_model_version_download_uri("reg", "1") == t.get_logged_model(ids["lm"]).artifact_location
        # Version 4 was deleted in MLflow: its number is not issued again.
        assert str(t.create_model_version("reg", source=f"runs:/{ids['run']}/model", run_id=ids["run"]).version) == "5"
        t.delete_model_version("reg", "5")

    again = tracker("import", str(root), *store_args(tmp_path))
    assert "logged models: 0 new, 0 updated, 2 unchanged, 0 failed" in again.stdout, again.stdout
    # "reg" changed in tracker since (version 5 came and went): the file's times are written back.
    assert "registered models: 0 new, 1 updated, 1 unchanged, 0 failed" in again.stdout, again.stdout
    third = tracker("import", str(root), *store_args(tmp_path))
    assert "registered models: 0 new, 0 updated, 2 unchanged, 0 failed" in third.stdout, third.stdout

    # MLflow keeps working in the folder; the next import brings exactly that.
    with using(root.as_uri()):
        c.set_logged_model_tags(ids["lm"], {"later": "yes"})
        c.set_registered_model_alias("reg", "next", "3")
    tracker("import", str(root), *store_args(tmp_path))
    with server_factory(tmp_path / "store", tmp_path / "mlartifacts") as s:
        t = MlflowClient(s.uri, registry_uri=s.uri)
        assert t.get_logged_model(ids["lm"]).tags["later"] == "yes"
        assert str(t.get_model_version_by_alias("reg", "next").version) == "3"


def test_export_of_logged_models_and_registry_is_read_by_mlflow(tmp_path, server_factory):
    store, art = tmp_path / "store", tmp_path / "mlartifacts"
    with server_factory(store, art) as s:
        t = MlflowClient(s.uri, registry_uri=s.uri)
        ids = log_models(t, tmp_path)
        expected = model_snapshot(t, [ids["exp"]])
        files = model_files(s.uri, ids["lm"])
    assert set(expected["registry"]["reg"]["versions"]) == {"1", "3"}

    out = tmp_path / "exported"
    p = tracker("export", "--format", "mlruns", str(out), *store_args(tmp_path))
    assert "2 logged model(s), 2 registered model(s)" in p.stdout, p.stdout

    c = MlflowClient(out.as_uri(), registry_uri=out.as_uri())
    with using(out.as_uri()):
        assert model_snapshot(c, [ids["exp"]]) == expected
        assert c.get_model_version("reg", "3").current_stage == "Staging"
        assert str(c.get_model_version_by_alias("reg", "champion").version) == "1"
        with pytest.raises(MlflowException):
            c.get_model_version("reg", "2")
        with pytest.raises(MlflowException):
            c.get_logged_model(ids["gone"])
        # runs:/ and models:/ sources resolve inside the exported folder.
        with tempfile.TemporaryDirectory() as d:
            got = Path(mlflow.artifacts.download_artifacts("models:/reg@champion", dst_path=d))
            assert (got / "model.bin").read_bytes() == files["model.bin"]
        # MLflow continues the numbering after the deleted last version (4).
        v = c.create_model_version("reg", source=f"runs:/{ids['run']}/model", run_id=ids["run"])
        assert v.version == 5
    assert model_files(out.as_uri(), ids["lm"]) == files

    # Exporting again rewrites the folder to the store's state.
    tracker("export", "--format", "mlruns", str(out), *store_args(tmp_path))
    with using(out.as_uri()):
        assert model_snapshot(MlflowClient(out.as_uri(), registry_uri=out.as_uri()), [ids["exp"]]) == expected

    # And the export imports back into an empty store unchanged.
    back = tmp_path / "back"
    tracker("import", str(out), "--backend-store-uri", str(back / "store"), "--artifacts-destination",
            str(back / "mlartifacts"))
    with server_factory(back / "store", back / "mlartifacts") as s:
        assert model_snapshot(MlflowClient(s.uri, registry_uri=s.uri), [ids["exp"]]) == expected
