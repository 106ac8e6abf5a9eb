"""MLflow 3 logged models through the real client: log_model, runs:/ and models:/ loading, search,
metrics attached through model_id, tags and params, datasets on runs, and the client-visible errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from mlflow.exceptions import MlflowException
from mlflow.models import infer_signature
from sklearn.linear_model import LinearRegression

import mlflow
from helpers import IS_MLFLOW, unique_name

# Given requirements skip the client's slow inference (a subprocess that re-imports the model).
REQS = ["scikit-learn"]


@pytest.fixture(scope="module")
def trained():
    rng = np.random.default_rng(7)
    X = pd.DataFrame(rng.normal(size=(40, 3)), columns=["a", "b", "c"])
    y = X.to_numpy() @ np.array([1.5, -2.0, 0.25]) + 0.5
    return X, y, LinearRegression().fit(X, y)


def test_sklearn_log_model_and_load_from_runs_uri(experiment_id, trained):
    X, y, model = trained
    signature = infer_signature(X, model.predict(X))
    with mlflow.start_run() as run:
        info = mlflow.sklearn.log_model(
            model, name="model", signature=signature, input_example=X.head(3), pip_requirements=REQS
        )
    assert info.model_id.startswith("m-")
    assert info.model_uri == f"models:/{info.model_id}"

    lm = mlflow.get_logged_model(info.model_id)
    assert lm.name == "model"
    assert lm.source_run_id == run.info.run_id
    assert lm.experiment_id == experiment_id
    assert str(lm.status) == "READY"
    assert lm.artifact_location.endswith(f"/models/{info.model_id}/artifacts")

    expected = model.predict(X)
    for uri in (f"runs:/{run.info.run_id}/model", info.model_uri):
        loaded = mlflow.pyfunc.load_model(uri)
        np.testing.assert_allclose(loaded.predict(X), expected)
        assert loaded.metadata.get_input_schema().input_names() == ["a", "b", "c"]
    np.testing.assert_allclose(mlflow.sklearn.load_model(info.model_uri).predict(X), expected)

    # The run lists the model as an output; its own artifact root holds no model files (3.x layout).
    got = mlflow.get_run(run.info.run_id)
    assert [o.model_id for o in got.outputs.model_outputs] == [info.model_id]
    # (the client lists `<root>/artifacts` as `artifacts/<name>`)
    files = {f.path.rsplit("/", 1)[-1] for f in mlflow.artifacts.list_artifacts(artifact_uri=lm.artifact_location)}
    assert {"MLmodel", "input_example.json", "requirements.txt"} <= files
    # list_artifacts(run_id, "model") finds the model's files through logged-models/search.
    listed = {f.path for f in mlflow.MlflowClient().list_artifacts(run.info.run_id, "model")}
    assert {"model/MLmodel", "model/requirements.txt"} <= listed


def test_download_artifacts_of_a_logged_model(experiment_id, trained, tmp_path):
    _, _, model = trained
    with mlflow.start_run() as run:
        mlflow.sklearn.log_model(model, name="m1", pip_requirements=REQS)
    local = mlflow.artifacts.download_artifacts(f"runs:/{run.info.run_id}/m1", dst_path=str(tmp_path))
    assert (tmp_path / "m1" / "MLmodel").exists() or any(p.name == "MLmodel" for p in tmp_path.rglob("*")), local


def test_search_logged_models_filters_and_orders(client, experiment_id, trained):
    _, _, model = trained
    ids = {}
    with mlflow.start_run() as run:
        for name, acc in (("alpha", 0.7), ("beta", 0.9)):
            info = mlflow.sklearn.log_model(model, name=name, params={"depth": str(len(name))}, pip_requirements=REQS)
            ids[name] = info.model_id
            mlflow.log_metric("acc", acc, model_id=info.model_id)

    found = mlflow.search_logged_models(experiment_ids=[experiment_id], output_format="list")
    assert {m.name for m in found} == {"alpha", "beta"}
    by_name = mlflow.search_logged_models(
        experiment_ids=[experiment_id], filter_string="name = 'beta'", output_format="list"
    )
    assert [m.model_id for m in by_name] == [ids["beta"]]
    better = mlflow.search_logged_models(
        experiment_ids=[experiment_id], filter_string="metrics.acc > 0.8", output_format="list"
    )
    assert [m.name for m in better] == ["beta"]
    ordered = mlflow.search_logged_models(
        experiment_ids=[experiment_id],
        order_by=[{"field_name": "metrics.acc", "ascending": True}],
        output_format="list",
    )
    assert [m.name for m in ordered] == ["alpha", "beta"]
    params = mlflow.search_logged_models(
        experiment_ids=[experiment_id], filter_string="params.depth = '4'", output_format="list"
    )
    assert [m.name for m in params] == ["beta"]
    df = mlflow.search_logged_models(experiment_ids=[experiment_id])
    assert len(df) == 2

    lm = mlflow.get_logged_model(ids["beta"])
    got = [(m.key, m.value, m.run_id) for m in lm.metrics]
    if IS_MLFLOW:
        # MLflow's SQL store lists every point, including ones log_model copied from the run's history.
        assert ("acc", 0.9, run.info.run_id) in got
    else:
        # tracker keeps the latest point per (key, dataset), and keeps model_id in the run's history, so
        # log_model does not copy alpha's point onto beta.
        assert got == [("acc", 0.9, run.info.run_id)]
    assert lm.params == {"depth": "4"}


def test_logged_model_tags_finalize_and_delete(client, experiment_id):
    lm = mlflow.initialize_logged_model(name="manual", tags={"t": "1"}, model_type="agent")
    assert str(lm.status) == "PENDING"
    mlflow.set_logged_model_tags(lm.model_id, {"t": "2", "u": "x"})
    client.delete_logged_model_tag(lm.model_id, "u")
    got = mlflow.get_logged_model(lm.model_id)
    assert {k: v for k, v in got.tags.items() if not k.startswith("mlflow.")} == {"t": "2"}
    assert got.model_type == "agent"
    done = mlflow.finalize_logged_model(lm.model_id, "READY")
    assert str(done.status) == "READY"
    client.delete_logged_model(lm.model_id)
    with pytest.raises(MlflowException) as e:
        mlflow.get_logged_model(lm.model_id)
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"


def test_logged_model_errors_the_client_sees(client, experiment_id):
    with pytest.raises(MlflowException) as e:
        mlflow.get_logged_model("m-" + "0" * 32)
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException) as e:
        mlflow.initialize_logged_model(name="bad/name")
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"
    with pytest.raises(MlflowException) as e:
        mlflow.search_logged_models(experiment_ids=[experiment_id], filter_string="metrics.acc > 'x'")
    # MLflow answers this user error with a 500; tracker with 400.
    assert e.value.error_code == ("INTERNAL_ERROR" if IS_MLFLOW else "INVALID_PARAMETER_VALUE")
    with pytest.raises(MlflowException) as e:
        mlflow.search_logged_models(experiment_ids=[experiment_id], filter_string="name = 'a' OR name = 'b'")
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"


def test_log_input_pandas_dataset_shows_on_run(client, experiment_id, trained):
    X, y, _ = trained
    df = X.assign(y=y)
    dataset = mlflow.data.from_pandas(df, name="train-set", targets="y")
    with mlflow.start_run() as run:
        mlflow.log_input(dataset, context="training")
    inputs = client.get_run(run.info.run_id).inputs.dataset_inputs
    assert len(inputs) == 1
    d = inputs[0].dataset
    assert d.name == "train-set"
    assert d.digest == dataset.digest
    assert d.source_type == "code"
    assert "y" in d.schema
    assert {t.key: t.value for t in inputs[0].tags} == {"mlflow.data.context": "training"}
    runs = mlflow.search_runs([experiment_id], filter_string="datasets.name = 'train-set'")
    assert list(runs["run_id"]) == [run.info.run_id]


def test_metric_with_model_id_and_dataset(experiment_id, trained):
    X, y, model = trained
    dataset = mlflow.data.from_pandas(X.assign(y=y), name=unique_name("eval"), targets="y")
    with mlflow.start_run():
        info = mlflow.sklearn.log_model(model, name="m", pip_requirements=REQS)
        mlflow.log_metric("rmse", 0.5, step=1, model_id=info.model_id, dataset=dataset)
        mlflow.log_metric("rmse", 0.25, step=2, model_id=info.model_id, dataset=dataset)
    lm = mlflow.get_logged_model(info.model_id)
    got = [(m.key, m.value, m.dataset_name) for m in lm.metrics]
    if IS_MLFLOW:
        assert ("rmse", 0.25, dataset.name) in got  # every point
    else:
        assert got == [("rmse", 0.25, dataset.name)]  # the latest point per (key, dataset)
    found = mlflow.search_logged_models(
        experiment_ids=[experiment_id],
        filter_string="metrics.rmse < 0.3",
        datasets=[{"dataset_name": dataset.name}],
        output_format="list",
    )
    # MLflow 3.18's handler turns the absent digest into `digest = NULL`, which matches nothing.
    assert [m.model_id for m in found] == ([] if IS_MLFLOW else [info.model_id])
