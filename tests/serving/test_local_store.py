"""runs:/ and models:/ URIs with no tracking URI: resolved from the local default store (./mlruns), through
the `tracker ui` that holds the folder while it runs, and in-process (lock taken, then released) after."""

from __future__ import annotations

import os
import subprocess

import numpy as np
import pytest
import requests

from conftest import REPO_ROOT, Proc, deno_binary, free_port

import mlflow

DENO_FLAGS = ["--config", str(REPO_ROOT / "deno.json"), "--unstable-kv", "--unstable-net",
              "--unstable-raw-imports", "-A"]
UNSET = ("MLFLOW_TRACKING_URI",)


def ui(cwd, log) -> Proc:
    port = free_port()
    argv = [deno_binary(), "run", *DENO_FLAGS, str(REPO_ROOT / "main.ts"), "ui", "--port", str(port)]
    return Proc(argv, port, log, ready_path="/health", cwd=cwd, unset=UNSET).wait_ready()


def serve_argv(uri: str, port: int) -> list[str]:
    return [deno_binary(), "run", *DENO_FLAGS, str(REPO_ROOT / "src/serving/entry.ts"), "-m", uri, "-p", str(port),
            "-w", "1"]


def serve(uri: str, cwd, log) -> Proc:
    port = free_port()
    return Proc(serve_argv(uri, port), port, log, cwd=cwd, unset=UNSET).wait_ready()


def predict_ok(proc: Proc, m: dict) -> None:
    X = m["X"][:5]
    r = requests.post(proc.uri + "/invocations", json={"inputs": X.astype(np.float64).tolist()})
    assert r.status_code == 200, r.text
    np.testing.assert_allclose(np.ravel(r.json()["predictions"]["variable"]), m["est"].predict(X), rtol=1e-5)


@pytest.fixture(scope="module")
def store(models, tmp_path_factory):
    """A folder whose ./mlruns holds a logged ONNX model (registered, with an alias) and a run with a model
    folder logged as plain artifacts, written through `tracker ui` started there with its defaults."""
    import onnx

    work = tmp_path_factory.mktemp("local-store")
    server = ui(work, work / "ui.log")
    m = models["reg_tensor"]
    try:
        mlflow.set_tracking_uri(server.uri)
        mlflow.set_experiment("local-default")
        with mlflow.start_run() as run:
            info = mlflow.onnx.log_model(onnx.load(str(m["path"] / "model.onnx")), name="model",
                                         registered_model_name="local-reg")
        with mlflow.start_run() as plain:
            mlflow.log_artifacts(str(m["path"]), "files/model")
        mlflow.MlflowClient().set_registered_model_alias("local-reg", "champion", "1")
    finally:
        mlflow.set_tracking_uri(None)
    return {"work": work, "server": server, "run_id": run.info.run_id, "plain_id": plain.info.run_id,
            "model_id": info.model_id, "m": m}


def test_uris_resolve_through_the_ui_holding_the_store(store):
    for i, uri in enumerate([f"runs:/{store['run_id']}/model", "models:/local-reg@champion",
                             f"runs:/{store['plain_id']}/files/model"]):
        proc = serve(uri, store["work"], store["work"] / f"via-ui-{i}.log")
        try:
            predict_ok(proc, store["m"])
        finally:
            proc.stop()


def test_uris_resolve_in_process_once_nobody_holds_the_store(store):
    store["server"].stop()
    work = store["work"]
    for i, uri in enumerate([f"runs:/{store['run_id']}/model", "models:/local-reg/1", "models:/local-reg@champion",
                             f"models:/{store['model_id']}", f"runs:/{store['plain_id']}/files/model"]):
        proc = serve(uri, work, work / f"local-{i}.log")
        try:
            predict_ok(proc, store["m"])
            # Read in-process, the model is served where the store keeps it (no temporary copy).
            assert os.path.realpath(work / "mlartifacts") in proc.log(), proc.log()
            if i == 0:
                # The lock was released after resolution: `tracker ui` can take the folder while serving runs.
                ui(work, work / "ui-again.log").stop()
        finally:
            proc.stop()


def test_no_tracking_uri_and_no_local_store_fails_clearly(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    p = subprocess.run(serve_argv("models:/local-reg/1", free_port()), cwd=tmp_path, capture_output=True,
                       text=True, timeout=120, env=env)
    assert p.returncode == 1, (p.stdout, p.stderr)
    assert "no local store" in p.stderr and "MLFLOW_TRACKING_URI" in p.stderr
    assert not (tmp_path / "mlruns").exists()


def test_unknown_run_in_the_local_store_fails_clearly(store):
    env = {k: v for k, v in os.environ.items() if k not in UNSET}
    p = subprocess.run(serve_argv("runs:/0123456789abcdef0123456789abcdef/model", free_port()), cwd=store["work"],
                       capture_output=True, text=True, timeout=120, env=env)
    assert p.returncode == 1, (p.stdout, p.stderr)
    assert "0123456789abcdef0123456789abcdef" in p.stderr


def test_tracking_uri_naming_a_store_folder(store, tmp_path):
    """MLFLOW_TRACKING_URI=file:<folder> (or a plain path) selects that folder instead of ./mlruns."""
    store["server"].stop()
    port = free_port()
    uri = (store["work"] / "mlruns").as_uri()
    proc = Proc(serve_argv("models:/local-reg@champion", port), port, tmp_path / "file-uri.log", cwd=tmp_path,
                env={"MLFLOW_TRACKING_URI": uri}).wait_ready()
    try:
        predict_ok(proc, store["m"])
    finally:
        proc.stop()
