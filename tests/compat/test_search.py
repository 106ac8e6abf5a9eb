"""search_runs: DataFrame and list forms, filters on attributes/metrics/params/tags, order_by, paging."""

import math

import mlflow
import pandas as pd
import pytest
from mlflow.entities import Metric, Param, RunTag
from mlflow.exceptions import MlflowException
from mlflow.tracking import MlflowClient

from helpers import unique_name


def make_runs(client, experiment_id):
    """Four finished/failed/killed runs with known data; returns {name: run_id}."""
    spec = {
        "alpha": dict(acc=0.9, loss=0.1, model="cnn", opt="Adam", team="Vision", status="FINISHED"),
        "beta": dict(acc=0.7, loss=0.3, model="rnn", opt="adam", team="nlp", status="FINISHED"),
        "gamma": dict(acc=0.5, loss=0.5, model="cnn-large", opt="sgd", team="vision", status="FAILED"),
        "delta": dict(acc=None, loss=0.9, model="mlp", opt=None, team=None, status="KILLED"),
    }
    ids = {}
    for i, (name, d) in enumerate(spec.items()):
        run = client.create_run(experiment_id, run_name=name, start_time=1_700_000_000_000 + i * 1000)
        rid = run.info.run_id
        metrics = [Metric("loss", d["loss"], 1, 0)]
        if d["acc"] is not None:
            metrics.append(Metric("acc", d["acc"], 1, 0))
        params = [Param("model", d["model"])] + ([Param("opt", d["opt"])] if d["opt"] else [])
        tags = [RunTag("team", d["team"])] if d["team"] else []
        client.log_batch(rid, metrics=metrics, params=params, tags=tags)
        client.set_terminated(rid, status=d["status"], end_time=1_700_000_100_000 + i)
        ids[name] = rid
    return ids


@pytest.fixture(scope="module")
def shared(tracking_uri):
    """Read-only data shared by the filter/order tests of this module: (experiment_id, ids)."""
    client = MlflowClient(tracking_uri)
    exp_id = client.create_experiment(unique_name("search-shared"))
    return exp_id, make_runs(client, exp_id)


@pytest.fixture
def runs(shared):
    return shared[1]


@pytest.fixture
def experiment_id(shared):
    return shared[0]


@pytest.fixture
def own_runs(client):
    """A private experiment with the same four runs, for tests that modify them."""
    exp_id = client.create_experiment(unique_name("search-own"))
    return exp_id, make_runs(client, exp_id)


def names(experiment_id, filter_string="", order_by=None):
    found = mlflow.search_runs(
        experiment_ids=[experiment_id],
        filter_string=filter_string,
        order_by=order_by,
        output_format="list",
    )
    return [r.info.run_name for r in found]


def name_set(experiment_id, filter_string):
    return set(names(experiment_id, filter_string))


def test_dataframe_form(runs, experiment_id):
    df = mlflow.search_runs(experiment_ids=[experiment_id], order_by=["metrics.loss ASC"])
    assert isinstance(df, pd.DataFrame)
    assert len(df) == 4
    for col in ("run_id", "experiment_id", "status", "artifact_uri", "start_time", "end_time",
                "metrics.acc", "metrics.loss", "params.model", "params.opt", "tags.team",
                "tags.mlflow.runName"):
        assert col in df.columns, col
    assert list(df["tags.mlflow.runName"]) == ["alpha", "beta", "gamma", "delta"]
    assert list(df["run_id"]) == [runs[n] for n in ("alpha", "beta", "gamma", "delta")]
    assert df.loc[0, "metrics.acc"] == 0.9
    assert df.loc[0, "params.model"] == "cnn"
    assert df.loc[2, "status"] == "FAILED"
    assert (df["experiment_id"] == experiment_id).all()
    assert math.isnan(df.loc[3, "metrics.acc"])  # missing metric → NaN
    assert df.loc[3, "params.opt"] is None or pd.isna(df.loc[3, "params.opt"])


def test_list_form_and_client(client, runs, experiment_id):
    found = mlflow.search_runs(experiment_ids=[experiment_id], output_format="list")
    assert {r.info.run_id for r in found} == set(runs.values())
    one = next(r for r in found if r.info.run_id == runs["alpha"])
    assert one.data.metrics == {"acc": 0.9, "loss": 0.1}
    assert one.data.params == {"model": "cnn", "opt": "Adam"}
    assert one.data.tags["team"] == "Vision"
    via_client = client.search_runs([experiment_id])
    assert {r.info.run_id for r in via_client} == set(runs.values())


def test_default_order_is_start_time_desc(runs, experiment_id):
    assert names(experiment_id) == ["delta", "gamma", "beta", "alpha"]


@pytest.mark.parametrize(
    "filter_string, expected",
    [
        ("metrics.acc > 0.6", {"alpha", "beta"}),
        ("metrics.acc >= 0.7", {"alpha", "beta"}),
        ("metrics.acc < 0.7", {"gamma"}),
        ("metrics.acc <= 0.7", {"beta", "gamma"}),
        ("metrics.acc = 0.5", {"gamma"}),
        ("metrics.acc != 0.5", {"alpha", "beta"}),  # runs without the metric never match
        ("metric.loss < 0.35", {"alpha", "beta"}),
        ("metrics.loss > 0.2 AND metrics.acc < 0.8", {"beta", "gamma"}),
        ("metrics.`loss` = 0.9", {"delta"}),
    ],
)
def test_filter_metrics(runs, experiment_id, filter_string, expected):
    assert name_set(experiment_id, filter_string) == expected


@pytest.mark.parametrize(
    "filter_string, expected",
    [
        ("params.model = 'cnn'", {"alpha"}),
        ("params.model != 'cnn'", {"beta", "gamma", "delta"}),
        ("params.model LIKE 'cnn%'", {"alpha", "gamma"}),
        ("params.model LIKE '%n'", {"alpha", "beta"}),
        ("params.model LIKE '_lp'", {"delta"}),
        ("params.opt LIKE 'adam'", {"beta"}),  # LIKE is case-sensitive
        ("params.opt ILIKE 'adam'", {"alpha", "beta"}),
        ("params.opt ILIKE 'A%'", {"alpha", "beta"}),
        ("params.opt != 'sgd'", {"alpha", "beta"}),  # missing param never matches
        ("param.model = \"rnn\"", {"beta"}),
        ("params.model = 'cnn' AND params.opt = 'Adam'", {"alpha"}),
    ],
)
def test_filter_params(runs, experiment_id, filter_string, expected):
    assert name_set(experiment_id, filter_string) == expected


@pytest.mark.parametrize(
    "filter_string, expected",
    [
        ("tags.team = 'vision'", {"gamma"}),
        ("tags.team != 'nlp'", {"alpha", "gamma"}),
        ("tags.team LIKE 'V%'", {"alpha"}),
        ("tags.team ILIKE 'v%'", {"alpha", "gamma"}),
        ("tags.team ILIKE '%L%'", {"beta"}),
        ("tags.`mlflow.runName` = 'beta'", {"beta"}),
        ("tag.mlflow.runName LIKE '%a'", {"alpha", "beta", "gamma", "delta"}),
    ],
)
def test_filter_tags(runs, experiment_id, filter_string, expected):
    assert name_set(experiment_id, filter_string) == expected


def test_filter_attributes(runs, experiment_id):
    assert name_set(experiment_id, "attributes.status = 'FINISHED'") == {"alpha", "beta"}
    assert name_set(experiment_id, "status != 'FINISHED'") == {"gamma", "delta"}
    assert name_set(experiment_id, "attributes.run_name = 'gamma'") == {"gamma"}
    assert name_set(experiment_id, "run_name LIKE '%ta'") == {"beta", "delta"}
    assert name_set(experiment_id, "attributes.run_name ILIKE 'ALPHA'") == {"alpha"}
    assert name_set(experiment_id, f"attributes.run_id = '{runs['beta']}'") == {"beta"}
    assert name_set(
        experiment_id, f"attributes.run_id IN ('{runs['alpha']}', '{runs['delta']}')"
    ) == {"alpha", "delta"}
    assert name_set(experiment_id, f"run_id NOT IN ('{runs['alpha']}')") == {"beta", "gamma", "delta"}
    assert name_set(experiment_id, "attributes.start_time < 1700000001500") == {"alpha", "beta"}
    assert name_set(experiment_id, "attributes.start_time >= 1700000002000") == {"gamma", "delta"}
    assert name_set(experiment_id, "attributes.end_time = 1700000100002") == {"gamma"}
    assert name_set(experiment_id, "attributes.status = 'FINISHED' AND metrics.acc < 0.8") == {"beta"}


@pytest.mark.parametrize(
    "order_by, expected",
    [
        (["metrics.acc DESC"], ["alpha", "beta", "gamma", "delta"]),  # missing sorts last
        (["metrics.acc ASC"], ["gamma", "beta", "alpha", "delta"]),
        (["metrics.loss"], ["alpha", "beta", "gamma", "delta"]),
        (["params.model ASC"], ["alpha", "gamma", "delta", "beta"]),
        (["params.model DESC"], ["beta", "delta", "gamma", "alpha"]),
        (["tags.team ASC"], ["alpha", "beta", "gamma", "delta"]),
        (["attributes.start_time ASC"], ["alpha", "beta", "gamma", "delta"]),
        (["attributes.run_name DESC"], ["gamma", "delta", "beta", "alpha"]),
        (["attributes.status ASC", "metrics.loss DESC"], ["gamma", "beta", "alpha", "delta"]),
    ],
)
def test_order_by(runs, experiment_id, order_by, expected):
    assert names(experiment_id, order_by=order_by) == expected


def test_paging(client, runs, experiment_id):
    first = client.search_runs([experiment_id], max_results=3, order_by=["attributes.start_time ASC"])
    assert [r.info.run_name for r in first] == ["alpha", "beta", "gamma"]
    assert first.token
    second = client.search_runs([experiment_id], max_results=3, order_by=["attributes.start_time ASC"],
                                page_token=first.token)
    assert [r.info.run_name for r in second] == ["delta"]
    assert not second.token
    # fluent search_runs pages internally
    assert len(mlflow.search_runs([experiment_id], max_results=2, output_format="list")) == 2


def test_search_spans_experiments_and_respects_view_type(client, own_runs, exp_name):
    experiment_id, runs = own_runs
    other = client.create_experiment(exp_name + "-other")
    extra = client.create_run(other, run_name="other-run").info.run_id
    both = client.search_runs([experiment_id, other])
    assert {r.info.run_id for r in both} == set(runs.values()) | {extra}
    client.delete_run(runs["alpha"])
    assert "alpha" not in name_set(experiment_id, "")
    deleted = mlflow.search_runs([experiment_id], run_view_type=2, output_format="list")
    assert [r.info.run_name for r in deleted] == ["alpha"]


def test_search_by_experiment_names(client, runs, experiment_id):
    name = client.get_experiment(experiment_id).name
    found = mlflow.search_runs(experiment_names=[name], output_format="list")
    assert len(found) == 4


def test_empty_result_forms(client, exp_name):
    empty = client.create_experiment(exp_name)
    df = mlflow.search_runs(experiment_ids=[empty])
    assert isinstance(df, pd.DataFrame) and len(df) == 0
    assert mlflow.search_runs(experiment_ids=[empty], output_format="list") == []


@pytest.mark.parametrize(
    "bad",
    [
        "metrics.acc > 'x'",          # string against metric
        "params.model = cnn",         # unquoted string value
        "foo.bar = '1'",              # unknown entity type
        "attributes.nope = 'x'",      # unknown attribute
        "params.model ~ 'x'",         # unknown comparator
        "metrics.acc > 0.1 OR metrics.acc < 0.2",  # OR unsupported
    ],
)
def test_invalid_filter_is_invalid_parameter(client, experiment_id, bad):
    with pytest.raises(MlflowException) as ei:
        client.search_runs([experiment_id], filter_string=bad)
    assert ei.value.error_code == "INVALID_PARAMETER_VALUE"
