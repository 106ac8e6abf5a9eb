"""`tracker gc` removes what `mlflow gc` removes from the same data, and nothing else (artifacts included)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from mlflow.entities import ViewType
from mlflow.tracking import MlflowClient

from conftest import tracker


def build(root, tmp) -> dict:
    """live: keep, old (deleted), logged models m_keep and m_old (deleted); dead (deleted experiment): d1 and
    logged model m_dead; dead2 (deleted): d2 deleted before it."""
    c = MlflowClient(root.as_uri())
    ids = {}
    src = tmp / "a.txt"
    src.write_text("artifact")

    def run(exp, name):
        r = c.create_run(exp, run_name=name)
        c.log_metric(r.info.run_id, "m", 1.0)
        c.log_artifact(r.info.run_id, str(src))
        ids[name] = r.info.run_id
        return r.info.run_id

    def model(exp, name):
        m = c.create_logged_model(exp, name=name)
        c.log_model_artifact(m.model_id, str(src))
        ids[name] = m.model_id
        return m.model_id

    ids["live"] = c.create_experiment("live")
    run(ids["live"], "keep")
    c.delete_run(run(ids["live"], "old"))
    model(ids["live"], "m_keep")
    c.delete_logged_model(model(ids["live"], "m_old"))
    ids["dead"] = c.create_experiment("dead")
    run(ids["dead"], "d1")
    model(ids["dead"], "m_dead")
    ids["dead2"] = c.create_experiment("dead2")
    c.delete_run(run(ids["dead2"], "d2"))
    c.delete_experiment(ids["dead"])
    c.delete_experiment(ids["dead2"])
    return ids


def survivors(c: MlflowClient) -> tuple[set, set]:
    exps = {e.experiment_id for e in c.search_experiments(view_type=ViewType.ALL)}
    runs = {r.info.run_id for r in c.search_runs(sorted(exps), run_view_type=ViewType.ALL)}
    return exps, runs


def artifact_files(root) -> set:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("case", ["all", "run-ids", "experiment-ids", "older-than"])
def test_gc_matches_mlflow_gc(tmp_path, server_factory, case):
    root = tmp_path / "mlruns"
    ids = build(root, tmp_path)
    store, art = tmp_path / "store", tmp_path / "mlartifacts"
    tracker("import", str(root), "--backend-store-uri", str(store), "--artifacts-destination", str(art))
    (art / "stray.txt").write_text("not a run")
    before = artifact_files(art)

    args = {
        "all": [],
        "run-ids": ["--run-ids", ids["old"]],
        "experiment-ids": ["--experiment-ids", ids["dead2"]],
        # Everything was deleted moments ago: nothing is old enough.
        "older-than": ["--older-than", "1d"],
    }[case]
    env = dict(os.environ, MLFLOW_TRACKING_URI=root.as_uri())
    m = subprocess.run([sys.executable, "-m", "mlflow", "gc", "--backend-store-uri", root.as_uri(), *args],
                       env=env, capture_output=True, text=True, timeout=300)
    assert m.returncode == 0, m.stderr
    want_exps, want_runs = survivors(MlflowClient(root.as_uri()))
    # Logged models MLflow removed: alone (printed) or with their experiment (folder gone).
    want_models = {n for n in ("m_keep", "m_old", "m_dead") if not list(root.rglob(f"models/{ids[n]}"))}

    out = tracker("gc", "--backend-store-uri", str(store), "--artifacts-destination", str(art), *args)
    with server_factory(store, art) as s:
        got_exps, got_runs = survivors(MlflowClient(s.uri))
    assert (got_exps, got_runs) == (want_exps, want_runs)
    removed = {name for name, rid in ids.items() if len(rid) == 32 and rid not in want_runs}
    for name in removed:
        assert f"Run with ID {ids[name]} has been permanently deleted." in out.stdout
    got_models = {n for n in ("m_keep", "m_old", "m_dead")
                  if f"Logged model with ID {ids[n]} has been permanently deleted." in out.stdout}
    assert got_models == want_models
    for n in want_models & {"m_old"}:
        assert f"Logged model with ID {ids[n]} has been permanently deleted." in m.stdout
    removed |= want_models
    # Exactly the removed runs' artifacts are gone.
    gone = {f for f in before if any(ids[n] in f for n in removed)}
    assert artifact_files(art) == before - gone
    if case == "all":
        assert gone and "stray.txt" in artifact_files(art)
        assert want_models == {"m_old", "m_dead"}


def test_gc_refuses_an_active_run_and_removes_nothing(tmp_path):
    root = tmp_path / "mlruns"
    ids = build(root, tmp_path)
    store, art = tmp_path / "store", tmp_path / "mlartifacts"
    tracker("import", str(root), "--backend-store-uri", str(store), "--artifacts-destination", str(art))
    before = artifact_files(art)
    p = tracker("gc", "--backend-store-uri", str(store), "--artifacts-destination", str(art),
                "--run-ids", f"{ids['old']},{ids['keep']}", check=False)
    assert p.returncode == 1 and "not in `deleted` lifecycle stage" in p.stderr
    assert artifact_files(art) == before
    dry = tracker("gc", "--dry-run", "--backend-store-uri", str(store), "--artifacts-destination", str(art))
    assert f"would remove run {ids['old']}" in dry.stdout
    assert artifact_files(art) == before
    bad = tracker("gc", "--older-than", "1w", "--backend-store-uri", str(store), check=False)
    assert bad.returncode == 2 and "Could not parse" in bad.stderr
