"""Runs: start_run (incl. nested), params, tags, end_run statuses, get_run, delete/restore, rename."""

import re
import time

import mlflow
import pytest
from mlflow.entities import RunStatus, ViewType

RUN_ID_RE = re.compile(r"^[0-9a-f]{32}$")


def test_start_run_fields(client, experiment_id):
    before = int(time.time() * 1000) - 5_000  # tolerate clock granularity, not a timing assertion
    with mlflow.start_run(run_name="first-run", tags={"team": "x"}, description="hello") as run:
        run_id = run.info.run_id
        assert RUN_ID_RE.match(run_id)
        got = client.get_run(run_id)
        assert got.info.status == "RUNNING"
        assert got.info.end_time is None
        assert got.info.lifecycle_stage == "active"
    got = client.get_run(run_id)
    assert got.info.run_id == run_id
    assert got.info.experiment_id == experiment_id
    assert got.info.run_name == "first-run"
    assert got.info.status == "FINISHED"
    assert got.info.start_time >= before
    assert got.info.end_time >= got.info.start_time
    assert got.info.artifact_uri.endswith(f"/{run_id}/artifacts")
    tags = got.data.tags
    assert tags["mlflow.runName"] == "first-run"
    assert tags["team"] == "x"
    assert tags["mlflow.note.content"] == "hello"
    assert tags["mlflow.source.type"] == "LOCAL"
    assert "mlflow.user" in tags
    assert got.info.user_id == tags["mlflow.user"]


def test_server_names_unnamed_run(client, experiment_id):
    run = client.create_run(experiment_id)
    name = run.info.run_name
    assert name, "server must generate a run name"
    assert client.get_run(run.info.run_id).data.tags["mlflow.runName"] == name


def test_nested_runs(client, experiment_id):
    with mlflow.start_run(run_name="parent") as parent:
        with mlflow.start_run(run_name="child", nested=True) as child:
            with mlflow.start_run(run_name="grandchild", nested=True) as grandchild:
                assert mlflow.active_run().info.run_id == grandchild.info.run_id
            assert mlflow.active_run().info.run_id == child.info.run_id
    pid, cid, gid = parent.info.run_id, child.info.run_id, grandchild.info.run_id
    assert client.get_run(cid).data.tags["mlflow.parentRunId"] == pid
    assert client.get_run(gid).data.tags["mlflow.parentRunId"] == cid
    assert "mlflow.parentRunId" not in client.get_run(pid).data.tags
    children = mlflow.search_runs(
        experiment_ids=[experiment_id],
        filter_string=f"tags.mlflow.parentRunId = '{pid}'",
        output_format="list",
    )
    assert [r.info.run_id for r in children] == [cid]
    for rid in (pid, cid, gid):
        assert client.get_run(rid).info.status == "FINISHED"


def test_resume_run_by_id(client, experiment_id):
    with mlflow.start_run() as run:
        mlflow.log_param("p", "1")
    with mlflow.start_run(run_id=run.info.run_id):
        assert client.get_run(run.info.run_id).info.status == "RUNNING"
        mlflow.log_param("q", "2")
    got = client.get_run(run.info.run_id)
    assert got.data.params == {"p": "1", "q": "2"}
    assert got.info.status == "FINISHED"


def test_log_params(client, experiment_id):
    with mlflow.start_run() as run:
        assert mlflow.log_param("lr", 0.01) == 0.01
        mlflow.log_param("name", "résumé ✓")
        mlflow.log_param("empty", "")
        mlflow.log_params({"epochs": 10, "opt": "adam", "none": None})
        mlflow.log_param("lr", 0.01)  # same value again is fine
    params = client.get_run(run.info.run_id).data.params
    assert params == {
        "lr": "0.01",
        "name": "résumé ✓",
        "empty": "",
        "epochs": "10",
        "opt": "adam",
        "none": "None",
    }


def test_long_param_value_kept(client, run_id):
    value = "v" * 6000  # MAX_PARAM_VAL_LENGTH
    client.log_param(run_id, "long", value)
    assert client.get_run(run_id).data.params["long"] == value


def test_set_tags_and_delete_tag(client, experiment_id):
    with mlflow.start_run() as run:
        mlflow.set_tag("stage", "dev")
        mlflow.set_tag("stage", "prod")  # tags are mutable
        mlflow.set_tags({"a": 1, "b": "two", "unicode ключ": "значение"})
        mlflow.delete_tag("a")
    tags = client.get_run(run.info.run_id).data.tags
    assert tags["stage"] == "prod"
    assert tags["b"] == "two"
    assert tags["unicode ключ"] == "значение"
    assert "a" not in tags
    client.delete_tag(run.info.run_id, "b")
    assert "b" not in client.get_run(run.info.run_id).data.tags


def test_long_tag_value_kept(client, run_id):
    value = "t" * 8000
    client.set_tag(run_id, "long", value)
    assert client.get_run(run_id).data.tags["long"] == value


@pytest.mark.parametrize("status", ["FINISHED", "FAILED", "KILLED", "SCHEDULED", "RUNNING"])
def test_end_run_with_each_status(client, experiment_id, status):
    run = mlflow.start_run()
    mlflow.end_run(status=status)
    assert mlflow.active_run() is None
    info = client.get_run(run.info.run_id).info
    assert info.status == status
    assert RunStatus.from_string(info.status) == getattr(RunStatus, status)
    assert info.end_time is not None and info.end_time >= info.start_time


def test_context_manager_marks_failed_on_exception(client, experiment_id):
    with pytest.raises(ZeroDivisionError):
        with mlflow.start_run() as run:
            1 / 0
    assert client.get_run(run.info.run_id).info.status == "FAILED"


def test_set_terminated_and_update_run(client, run_id):
    client.set_terminated(run_id, status="KILLED", end_time=1_700_000_000_123)
    info = client.get_run(run_id).info
    assert info.status == "KILLED"
    assert info.end_time == 1_700_000_000_123
    client.update_run(run_id, status="FINISHED")
    assert client.get_run(run_id).info.status == "FINISHED"


def test_rename_run(client, run_id):
    client.update_run(run_id, name="renamed-once")
    got = client.get_run(run_id)
    assert got.info.run_name == "renamed-once"
    assert got.data.tags["mlflow.runName"] == "renamed-once"
    client.set_tag(run_id, "mlflow.runName", "renamed-twice")
    got = client.get_run(run_id)
    assert got.info.run_name == "renamed-twice"


def test_delete_and_restore_run(client, experiment_id):
    keep = client.create_run(experiment_id).info.run_id
    gone = client.create_run(experiment_id).info.run_id
    client.delete_run(gone)
    assert client.get_run(gone).info.lifecycle_stage == "deleted"  # still readable
    client.delete_run(gone)  # idempotent

    def ids(view):
        return {r.info.run_id for r in client.search_runs([experiment_id], run_view_type=view)}

    assert ids(ViewType.ACTIVE_ONLY) == {keep}
    assert ids(ViewType.DELETED_ONLY) == {gone}
    assert ids(ViewType.ALL) == {keep, gone}

    client.restore_run(gone)
    assert client.get_run(gone).info.lifecycle_stage == "active"
    assert ids(ViewType.ACTIVE_ONLY) == {keep, gone}


def test_get_run_returns_latest_metrics_params_tags(client, run_id):
    client.log_metric(run_id, "m", 1.0, step=0, timestamp=1000)
    client.log_metric(run_id, "m", 3.0, step=2, timestamp=1001)
    client.log_metric(run_id, "m", 2.0, step=1, timestamp=1002)
    client.log_param(run_id, "p", "v")
    client.set_tag(run_id, "t", "w")
    data = client.get_run(run_id).data
    assert data.metrics == {"m": 3.0}  # latest = highest step
    assert data.params == {"p": "v"}
    assert data.tags["t"] == "w"
