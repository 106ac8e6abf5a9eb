"""MLflow 2.x FileStores: a folder written by MLflow 2.x imports into tracker, and MLflow 2.x reads what
`tracker export` writes (2.x readers need run_uuid in run meta.yaml).

Needs an MLflow 2.x interpreter: $MLFLOW2_PYTHON, else a venv with mlflow-skinny 2.22.1 is created once under
~/.cache/tracker-interchange (skipped when the package index cannot be reached)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mlflow.tracking import MlflowClient

from conftest import tracker
from mlruns_data import snapshot

MLFLOW2 = "mlflow-skinny==2.22.1"
HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def py2() -> str:
    if os.environ.get("MLFLOW2_PYTHON"):
        return os.environ["MLFLOW2_PYTHON"]
    venv = Path.home() / ".cache" / "tracker-interchange" / "mlflow2-venv"
    py = venv / "bin" / "python"
    stamp = venv / ".installed"
    if not (stamp.exists() and stamp.read_text() == MLFLOW2):
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        p = subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", MLFLOW2],
                           capture_output=True, text=True, timeout=900)
        if p.returncode != 0:
            pytest.skip(f"cannot install {MLFLOW2}: {p.stderr[-500:]}")
        stamp.write_text(MLFLOW2)
    return str(py)


def run2(py: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MLFLOW_TRACKING")}
    p = subprocess.run([py, str(HERE / "mlflow2_script.py"), *args], capture_output=True, text=True, env=env,
                       timeout=300)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_mlflow2_folder_imports(tmp_path, py2, server_factory):
    root = tmp_path / "mlruns2"
    run2(py2, "write", str(root))
    # A run's meta.yaml (<exp>/<run>/meta.yaml), not a trashed experiment's nor a registered model's.
    run_meta = next(p for p in root.glob("*/*/meta.yaml") if not p.parts[-3].startswith(".") and p.parts[-3] != "models")
    assert "run_uuid" in run_meta.read_text()
    expected = snapshot(MlflowClient(root.as_uri()))
    expected["0"]["times"] = None
    tracker("import", str(root), "--backend-store-uri", str(tmp_path / "store"), "--artifacts-destination",
            str(tmp_path / "art"))
    with server_factory(tmp_path / "store", tmp_path / "art") as s:
        got = snapshot(MlflowClient(s.uri))
    got["0"]["times"] = None
    assert got == expected
    assert any(r["artifacts"] == {"a2.txt": b"from 2.x"} for e in got.values() for r in e["runs"].values())
    with server_factory(tmp_path / "store", tmp_path / "art") as s:
        t = MlflowClient(s.uri, registry_uri=s.uri)
        [m] = t.search_registered_models()
        assert (m.name, m.description, m.tags, m.aliases) == ("reg2", "two", {"t": "1"}, {"best": "2"})
        versions = {str(v.version): (v.current_stage, dict(v.tags)) for v in t.search_model_versions("name='reg2'")}
        assert versions == {"1": ("Production", {}), "2": ("None", {"vt": "x"})}
        # Version 3 was deleted in 2.x: its number is not issued again.
        run_id = next(rid for e in got.values() for rid, r in e["runs"].items() if r["info"][0] == "two")
        assert str(t.create_model_version("reg2", f"runs:/{run_id}/model", run_id=run_id).version) == "4"


def test_mlflow2_reads_the_export(tmp_path, py2, server_factory):
    root = tmp_path / "mlruns2"
    run2(py2, "write", str(root))
    store = ["--backend-store-uri", str(tmp_path / "store"), "--artifacts-destination", str(tmp_path / "art")]
    tracker("import", str(root), *store)
    out = tmp_path / "exported"
    tracker("export", "--format", "mlruns", str(out), *store)
    seen = json.loads(run2(py2, "read", str(out)))
    orig = json.loads(run2(py2, "read", str(root)))  # MLflow 2.x on the folder it wrote
    # The registry round trip: 2.x reads back what it wrote (versions, stages, aliases, tags, times).
    assert seen["registry"] == orig["registry"]
    assert set(orig["registry"]["reg2"]["versions"]) == {"1", "2"}
    seen_by_2, original = seen["experiments"], orig["experiments"]
    # Tracker's Default experiment replaces the folder's; everything else is what 2.x wrote.
    assert seen_by_2.keys() == original.keys()
    for exp_id in original:
        assert seen_by_2[exp_id]["runs"] == original[exp_id]["runs"], exp_id
        assert seen_by_2[exp_id]["tags"] == original[exp_id]["tags"]
        assert seen_by_2[exp_id]["stage"] == original[exp_id]["stage"]
