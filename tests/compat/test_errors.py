"""Errors raised through the official client carry MLflow's error codes (and HTTP statuses)."""


import mlflow
import pytest
from mlflow.entities import Metric, Param
from mlflow.exceptions import MlflowException

from helpers import IS_MLFLOW, unique_name

UNKNOWN_RUN = "f" * 32
UNKNOWN_EXP = "987654321"


def raises(code, fn, *args, http=None, **kwargs) -> MlflowException:
    with pytest.raises(MlflowException) as ei:
        fn(*args, **kwargs)
    e = ei.value
    assert e.error_code == code, f"expected {code}, got {e.error_code}: {e.message}"
    if http is not None:
        assert e.get_http_status_code() == http, (e.get_http_status_code(), e.message)
    return e


def test_changing_a_param_value(client, run_id):
    client.log_param(run_id, "p", "1")
    e = raises("INVALID_PARAMETER_VALUE", client.log_param, run_id, "p", "2", http=400)
    assert "p" in e.message
    raises("INVALID_PARAMETER_VALUE", client.log_batch, run_id, params=[Param("p", "3")])
    with mlflow.start_run(run_id=run_id):
        raises("INVALID_PARAMETER_VALUE", mlflow.log_params, {"p": "4"})
    assert client.get_run(run_id).data.params == {"p": "1"}


@pytest.mark.parametrize("key", ["bad*key", "a$b", "../up", "a//b", "/abs", "trailing/", "./dot", "", "k" * 251])
def test_bad_keys(client, run_id, key):
    raises("INVALID_PARAMETER_VALUE", client.log_param, run_id, key, "v", http=400)
    raises("INVALID_PARAMETER_VALUE", client.log_metric, run_id, key, 1.0, http=400)
    raises("INVALID_PARAMETER_VALUE", client.set_tag, run_id, key, "v", http=400)
    raises("INVALID_PARAMETER_VALUE", client.log_batch, run_id, metrics=[Metric(key, 1.0, 1, 0)])
    data = client.get_run(run_id).data
    assert data.params == {} and data.metrics == {}
    assert key not in data.tags


def test_key_of_maximum_length_is_fine(client, run_id):
    key = "k" * 250
    client.log_param(run_id, key, "v")
    client.log_metric(run_id, key, 1.0)
    client.set_tag(run_id, key, "v")
    data = client.get_run(run_id).data
    assert data.params[key] == "v" and data.metrics[key] == 1.0 and data.tags[key] == "v"


def test_unknown_run(client):
    raises("RESOURCE_DOES_NOT_EXIST", client.get_run, UNKNOWN_RUN, http=404)
    raises("RESOURCE_DOES_NOT_EXIST", client.log_metric, UNKNOWN_RUN, "m", 1.0, http=404)
    raises("RESOURCE_DOES_NOT_EXIST", client.log_param, UNKNOWN_RUN, "p", "1", http=404)
    raises("RESOURCE_DOES_NOT_EXIST", client.set_tag, UNKNOWN_RUN, "t", "1", http=404)
    raises("RESOURCE_DOES_NOT_EXIST", client.log_batch, UNKNOWN_RUN, params=[Param("p", "1")])
    raises("RESOURCE_DOES_NOT_EXIST", client.delete_run, UNKNOWN_RUN, http=404)
    raises("RESOURCE_DOES_NOT_EXIST", client.restore_run, UNKNOWN_RUN, http=404)
    raises("RESOURCE_DOES_NOT_EXIST", client.update_run, UNKNOWN_RUN, status="FINISHED")
    with pytest.raises(MlflowException) as ei:
        mlflow.start_run(run_id=UNKNOWN_RUN)
    assert ei.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_malformed_run_id_rejected_by_client(client):
    raises("INVALID_PARAMETER_VALUE", client.get_run, "../etc")


def test_duplicate_experiment_name(client, exp_name):
    client.create_experiment(exp_name)
    raises("RESOURCE_ALREADY_EXISTS", client.create_experiment, exp_name, http=400)
    raises("RESOURCE_ALREADY_EXISTS", mlflow.create_experiment, exp_name)
    # set_experiment on an existing name just selects it
    assert mlflow.set_experiment(exp_name).name == exp_name


def test_rename_to_taken_name(client, exp_name):
    client.create_experiment(exp_name)
    other = client.create_experiment(exp_name + "-2")
    # MLflow's SQL store leaks an IntegrityError as BAD_REQUEST; the contract (and MLflow's
    # FileStore) use RESOURCE_ALREADY_EXISTS. Both are 400.
    expected = "BAD_REQUEST" if IS_MLFLOW else "RESOURCE_ALREADY_EXISTS"
    raises(expected, client.rename_experiment, other, exp_name, http=400)
    assert client.get_experiment(other).name == exp_name + "-2"


def test_invalid_experiment_names(client):
    raises("INVALID_PARAMETER_VALUE", client.create_experiment, "", http=400)
    raises("INVALID_PARAMETER_VALUE", client.create_experiment, "n" * 501, http=400)


def test_unknown_experiment(client):
    raises("RESOURCE_DOES_NOT_EXIST", client.get_experiment, UNKNOWN_EXP, http=404)
    raises("RESOURCE_DOES_NOT_EXIST", client.delete_experiment, UNKNOWN_EXP, http=404)
    raises("RESOURCE_DOES_NOT_EXIST", client.create_run, UNKNOWN_EXP, http=404)
    assert client.get_experiment_by_name(unique_name("never-created")) is None
    raises("RESOURCE_DOES_NOT_EXIST", mlflow.set_experiment, experiment_id=UNKNOWN_EXP)


def test_restore_active_experiment(client, exp_name):
    exp_id = client.create_experiment(exp_name)
    raises("RESOURCE_DOES_NOT_EXIST", client.restore_experiment, exp_id, http=404)


def test_deleted_experiment(client, exp_name):
    exp_id = client.create_experiment(exp_name)
    client.delete_experiment(exp_id)
    raises("INVALID_PARAMETER_VALUE", client.create_run, exp_id, http=400)
    raises("INVALID_PARAMETER_VALUE", client.set_experiment_tag, exp_id, "a", "b", http=400)
    raises("RESOURCE_DOES_NOT_EXIST", client.delete_experiment, exp_id, http=404)
    with pytest.raises(MlflowException) as ei:
        mlflow.set_experiment(exp_name)
    assert ei.value.error_code == "INVALID_PARAMETER_VALUE"


def test_rename_deleted_experiment(client, exp_name):
    exp_id = client.create_experiment(exp_name)
    client.delete_experiment(exp_id)
    # Deliberate difference: MLflow answers INVALID_STATE (HTTP 500, retried by clients);
    # tracker answers the user error with 400 INVALID_PARAMETER_VALUE.
    if IS_MLFLOW:
        raises("INVALID_STATE", client.rename_experiment, exp_id, exp_name + "-new", http=500)
    else:
        raises("INVALID_PARAMETER_VALUE", client.rename_experiment, exp_id, exp_name + "-new", http=400)
    assert client.get_experiment(exp_id).name == exp_name


def test_deleted_run_refuses_writes(client, experiment_id):
    rid = client.create_run(experiment_id).info.run_id
    client.log_param(rid, "kept", "1")
    client.delete_run(rid)
    raises("INVALID_PARAMETER_VALUE", client.log_metric, rid, "m", 1.0, http=400)
    raises("INVALID_PARAMETER_VALUE", client.log_param, rid, "q", "1", http=400)
    raises("INVALID_PARAMETER_VALUE", client.set_tag, rid, "t", "1", http=400)
    raises("INVALID_PARAMETER_VALUE", client.log_batch, rid, metrics=[Metric("m", 1.0, 1, 0)])
    raises("INVALID_PARAMETER_VALUE", client.set_terminated, rid, http=400)
    got = client.get_run(rid)
    assert got.data.params == {"kept": "1"} and got.data.metrics == {}
    assert got.info.status == "RUNNING"


def test_missing_tags(client, run_id, experiment_id):
    raises("RESOURCE_DOES_NOT_EXIST", client.delete_tag, run_id, "nope", http=404)
    raises("RESOURCE_DOES_NOT_EXIST", client.delete_experiment_tag, experiment_id, "nope", http=404)


def test_duplicate_param_keys_in_one_batch(client, run_id):
    e = raises("INVALID_PARAMETER_VALUE", client.log_batch, run_id,
               params=[Param("d", "1"), Param("d", "1")], http=400)
    assert "d" in e.message
    assert client.get_run(run_id).data.params == {}


def test_search_errors(client, experiment_id):
    raises("INVALID_PARAMETER_VALUE", client.search_runs, [experiment_id], max_results=50001, http=400)
    raises("INVALID_PARAMETER_VALUE", client.search_runs, [experiment_id], page_token="garbage", http=400)
    raises("INVALID_PARAMETER_VALUE", client.search_runs, [experiment_id], order_by=["metrics.x SIDEWAYS"])
    raises("INVALID_PARAMETER_VALUE", client.search_runs, [experiment_id], filter_string="metrics.x >")


def test_negative_timestamp(client, run_id):
    raises("INVALID_PARAMETER_VALUE", client.log_metric, run_id, "m", 1.0, timestamp=-1, http=400)
