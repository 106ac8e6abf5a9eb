"""The model registry through the real client: register versions from logged models, aliases,
models:/ loading by version and alias, stages, search with filters, tags, deletion, and the errors the
client branches on."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from mlflow.exceptions import MlflowException
from sklearn.linear_model import LinearRegression

import mlflow
from helpers import unique_name

REQS = ["scikit-learn"]


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.normal(size=(30, 2)), columns=["x1", "x2"])
    y = X.to_numpy() @ np.array([2.0, -1.0]) + 1.0
    return X, y


@pytest.fixture
def two_versions(client, experiment_id, data):
    """A registered model with v1 (logged with registered_model_name) and v2 (register_model on runs:/)."""
    X, y = data
    m1 = LinearRegression().fit(X, y)
    m2 = LinearRegression().fit(X, y * 2)
    name = unique_name("reg")
    with mlflow.start_run() as run:
        info1 = mlflow.sklearn.log_model(m1, name="model", registered_model_name=name, pip_requirements=REQS)
        info2 = mlflow.sklearn.log_model(m2, name="model2", pip_requirements=REQS)
    v2 = mlflow.register_model(f"runs:/{run.info.run_id}/model2", name)
    return {"name": name, "run": run, "models": (m1, m2), "infos": (info1, info2), "v2": v2}


def test_register_versions_aliases_and_load(client, two_versions, data):
    X, _ = data
    name = two_versions["name"]
    m1, m2 = two_versions["models"]
    info1, info2 = two_versions["infos"]
    assert two_versions["v2"].version == "2"
    v1 = client.get_model_version(name, "1")
    assert v1.source == f"models:/{info1.model_id}"
    assert v1.run_id == two_versions["run"].info.run_id
    assert v1.status == "READY"

    client.set_registered_model_alias(name, "champion", "2")
    assert client.get_model_version_by_alias(name, "champion").version == "2"
    assert client.get_registered_model(name).aliases == {"champion": "2"}

    np.testing.assert_allclose(mlflow.pyfunc.load_model(f"models:/{name}@champion").predict(X), m2.predict(X))
    np.testing.assert_allclose(mlflow.pyfunc.load_model(f"models:/{name}/1").predict(X), m1.predict(X))
    np.testing.assert_allclose(mlflow.pyfunc.load_model(f"models:/{name}/latest").predict(X), m2.predict(X))
    uri = client.get_model_version_download_uri(name, "1")
    assert uri == mlflow.get_logged_model(info1.model_id).artifact_location

    # The logged model records where it was registered.
    lm = mlflow.get_logged_model(info2.model_id)
    assert '"version": "2"' in lm.tags["mlflow.modelVersions"]

    client.delete_registered_model_alias(name, "champion")
    with pytest.raises(MlflowException):
        client.get_model_version_by_alias(name, "champion")


def test_search_registered_models_and_versions(client, two_versions):
    name = two_versions["name"]
    run_id = two_versions["run"].info.run_id
    other = unique_name("other")
    client.create_registered_model(other, tags={"team": "b"}, description="d")
    client.set_registered_model_tag(name, "team", "a")

    found = client.search_registered_models(filter_string=f"name = '{name}'")
    assert [m.name for m in found] == [name]
    assert found[0].tags == {"team": "a"}
    assert {m.name for m in client.search_registered_models(filter_string="tags.team = 'b'")} >= {other}
    like = client.search_registered_models(filter_string=f"name LIKE '{name[:8]}%'", max_results=1000)
    assert name in {m.name for m in like}
    ordered = client.search_registered_models(filter_string=f"name IN ('{name}', '{other}')", order_by=["name DESC"])
    assert [m.name for m in ordered] == sorted([name, other], reverse=True)

    versions = client.search_model_versions(f"name = '{name}'")
    assert [v.version for v in versions] == ["2", "1"]
    by_run = client.search_model_versions(f"run_id = '{run_id}'")
    assert {v.version for v in by_run} == {"1", "2"}
    asc = client.search_model_versions(f"name = '{name}'", order_by=["version_number ASC"])
    assert [v.version for v in asc] == ["1", "2"]
    assert [v.version for v in client.search_model_versions(f"name = '{name}' AND version_number > 1")] == ["2"]

    client.set_model_version_tag(name, "1", "validated", "yes")
    tagged = client.search_model_versions(f"name = '{name}' AND tags.validated = 'yes'")
    assert [v.version for v in tagged] == ["1"]
    client.delete_model_version_tag(name, "1", "validated")
    assert client.get_model_version(name, "1").tags == {}


def test_update_rename_stages_and_delete(client, two_versions):
    name = two_versions["name"]
    client.update_registered_model(name, description="better")
    assert client.get_registered_model(name).description == "better"
    client.update_model_version(name, "1", description="first")
    assert client.get_model_version(name, "1").description == "first"

    client.transition_model_version_stage(name, "1", "Production")
    client.transition_model_version_stage(name, "2", "production", archive_existing_versions=True)
    assert client.get_model_version(name, "1").current_stage == "Archived"
    assert [v.version for v in client.get_latest_versions(name, stages=["Production"])] == ["2"]

    new = name + "-renamed"
    client.rename_registered_model(name, new)
    assert client.get_model_version(new, "2").name == new

    client.delete_model_version(new, "1")
    with pytest.raises(MlflowException) as e:
        client.get_model_version(new, "1")
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert [v.version for v in client.search_model_versions(f"name = '{new}'")] == ["2"]

    client.delete_registered_model(new)
    with pytest.raises(MlflowException) as e:
        client.get_registered_model(new)
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    assert client.search_model_versions(f"name = '{new}'") == []


def test_registry_errors_the_client_sees(client):
    name = unique_name("err")
    client.create_registered_model(name)
    with pytest.raises(MlflowException) as e:
        client.create_registered_model(name)
    assert e.value.error_code == "RESOURCE_ALREADY_EXISTS"
    with pytest.raises(MlflowException) as e:
        client.get_registered_model(unique_name("missing"))
    assert e.value.error_code == "RESOURCE_DOES_NOT_EXIST"
    with pytest.raises(MlflowException) as e:
        client.create_registered_model("a/b")
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"
    with pytest.raises(MlflowException) as e:
        client.set_registered_model_alias(name, "latest", "1")
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"
    with pytest.raises(MlflowException) as e:
        client.search_registered_models(filter_string="name = 'x' OR name = 'y'")
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"
    with pytest.raises(MlflowException) as e:
        client.search_model_versions("version_number > 'abc'")
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"
    # A source outside the server's artifact roots is refused (CVE-2023-1177 class).
    with pytest.raises(MlflowException) as e:
        client.create_model_version(name, "file:///etc/", run_id=None)
    assert e.value.error_code == "INVALID_PARAMETER_VALUE"


def test_register_a_model_logged_as_run_artifacts(client, experiment_id, data, tmp_path):
    """2.x layout: MLmodel files under the run's own artifacts, registered from runs:/ (source = the
    run's artifact location, validated against the run)."""
    X, y = data
    model = LinearRegression().fit(X, y)
    local = tmp_path / "saved"
    mlflow.sklearn.save_model(model, str(local), pip_requirements=REQS)
    name = unique_name("artifacts")
    with mlflow.start_run() as run:
        mlflow.log_artifacts(str(local), artifact_path="model")
    mv = mlflow.register_model(f"runs:/{run.info.run_id}/model", name)
    assert mv.version == "1"
    assert mv.source.endswith(f"/{run.info.run_id}/artifacts/model")
    assert mv.run_id == run.info.run_id
    np.testing.assert_allclose(mlflow.pyfunc.load_model(f"models:/{name}/1").predict(X), model.predict(X))


def test_prompts_live_in_the_registry_but_not_in_model_searches(client):
    name = unique_name("prompt").replace("-", "_")
    p1 = mlflow.genai.register_prompt(name=name, template="Hello {{who}}", commit_message="first")
    p2 = mlflow.genai.register_prompt(name=name, template="Hi {{who}}")
    assert (p1.version, p2.version) == (1, 2)
    assert mlflow.genai.load_prompt(f"prompts:/{name}/1").format(who="x") == "Hello x"
    mlflow.genai.set_prompt_alias(name, alias="prod", version=2)
    assert mlflow.genai.load_prompt(f"prompts:/{name}@prod").template == "Hi {{who}}"
    assert name in [p.name for p in mlflow.genai.search_prompts(filter_string=f"name = '{name}'")]
    assert name not in [m.name for m in client.search_registered_models(max_results=1000)]
