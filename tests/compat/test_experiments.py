"""Experiments: set_experiment / create_experiment, get, search, rename, delete / restore, tags."""

import mlflow
import pytest
from mlflow.entities import ViewType
from mlflow.exceptions import MlflowException

from helpers import unique_name


def test_set_experiment_creates_then_reuses(client, exp_name):
    assert client.get_experiment_by_name(exp_name) is None
    exp = mlflow.set_experiment(exp_name)
    assert exp.name == exp_name
    assert exp.lifecycle_stage == "active"
    assert isinstance(exp.experiment_id, str) and exp.experiment_id
    again = mlflow.set_experiment(exp_name)
    assert again.experiment_id == exp.experiment_id
    by_id = mlflow.set_experiment(experiment_id=exp.experiment_id)
    assert by_id.name == exp_name
    # Runs started afterwards land in it.
    with mlflow.start_run() as run:
        assert run.info.experiment_id == exp.experiment_id


def test_create_experiment_with_tags_and_get(client, exp_name):
    exp_id = client.create_experiment(exp_name, tags={"team": "vision", "prio": "1"})
    exp = client.get_experiment(exp_id)
    assert exp.experiment_id == exp_id
    assert exp.name == exp_name
    assert exp.lifecycle_stage == "active"
    assert exp.tags["team"] == "vision" and exp.tags["prio"] == "1"
    assert exp.artifact_location  # server-chosen default
    assert exp.creation_time and exp.creation_time > 0
    assert exp.last_update_time and exp.last_update_time >= exp.creation_time
    assert client.get_experiment_by_name(exp_name).experiment_id == exp_id
    # fluent create
    other = mlflow.create_experiment(exp_name + "-fluent")
    assert other != exp_id
    assert mlflow.get_experiment(other).name == exp_name + "-fluent"


def test_run_artifact_uri_derives_from_experiment(client, exp_name):
    exp_id = client.create_experiment(exp_name)
    exp = client.get_experiment(exp_id)
    run = client.create_run(exp_id)
    assert run.info.artifact_uri == f"{exp.artifact_location.rstrip('/')}/{run.info.run_id}/artifacts"


def test_experiment_tags_set_and_delete(client, exp_name):
    exp_id = client.create_experiment(exp_name)
    client.set_experiment_tag(exp_id, "k", "v1")
    client.set_experiment_tag(exp_id, "k", "v2")  # upsert
    assert client.get_experiment(exp_id).tags["k"] == "v2"
    client.delete_experiment_tag(exp_id, "k")
    assert "k" not in client.get_experiment(exp_id).tags


def test_rename_experiment(client, exp_name):
    exp_id = client.create_experiment(exp_name)
    new = exp_name + "-renamed"
    client.rename_experiment(exp_id, new)
    assert client.get_experiment(exp_id).name == new
    assert client.get_experiment_by_name(new).experiment_id == exp_id
    assert client.get_experiment_by_name(exp_name) is None
    # the old name is free again
    reused = client.create_experiment(exp_name)
    assert reused != exp_id


def test_delete_and_restore_experiment(client, exp_name):
    exp_id = client.create_experiment(exp_name)
    run = client.create_run(exp_id)
    client.delete_experiment(exp_id)

    exp = client.get_experiment(exp_id)  # still readable
    assert exp.lifecycle_stage == "deleted"
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "deleted"
    active = {e.experiment_id for e in client.search_experiments(filter_string=f"name = '{exp_name}'")}
    assert exp_id not in active
    deleted = client.search_experiments(
        view_type=ViewType.DELETED_ONLY, filter_string=f"name = '{exp_name}'"
    )
    assert [e.experiment_id for e in deleted] == [exp_id]

    # the name of a deleted experiment stays taken
    with pytest.raises(MlflowException) as ei:
        client.create_experiment(exp_name)
    assert ei.value.error_code == "RESOURCE_ALREADY_EXISTS"

    client.restore_experiment(exp_id)
    assert client.get_experiment(exp_id).lifecycle_stage == "active"
    assert client.get_run(run.info.run_id).info.lifecycle_stage == "active"
    assert client.get_experiment_by_name(exp_name).experiment_id == exp_id


def test_search_experiments_filters_and_order(client):
    prefix = unique_name("srch")
    ids = {}
    for suffix in ("b", "a", "c"):
        ids[suffix] = client.create_experiment(f"{prefix}-{suffix}", tags={"grp": prefix, "s": suffix})
    got = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'", order_by=["name ASC"])
    assert [e.name for e in got] == [f"{prefix}-a", f"{prefix}-b", f"{prefix}-c"]
    got = client.search_experiments(filter_string=f"tags.grp = '{prefix}' AND tags.s != 'a'",
                                    order_by=["name DESC"])
    assert [e.experiment_id for e in got] == [ids["c"], ids["b"]]
    got = client.search_experiments(filter_string=f"name ILIKE '{prefix.upper()}-A'")
    assert [e.experiment_id for e in got] == [ids["a"]]
    # paging through the client
    page = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'", max_results=2,
                                      order_by=["name ASC"])
    assert len(page) == 2 and page.token
    rest = client.search_experiments(filter_string=f"name LIKE '{prefix}-%'", max_results=2,
                                     order_by=["name ASC"], page_token=page.token)
    assert [e.name for e in rest] == [f"{prefix}-c"] and not rest.token


def test_default_experiment_exists(client):
    exp = client.get_experiment("0")
    assert exp.name == "Default"
