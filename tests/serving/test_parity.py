"""tracker models serve vs mlflow models serve (and scikit-learn): same status, same predictions, same error
codes, for every request layout of the scoring protocol and for bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
import requests
from conftest import ENGINES

MODELS = ["reg_tensor", "reg_columns", "reg_nosig", "clf_zipmap", "clf_nozipmap"]

# Where MLflow 3.18 fails a valid request and tracker answers it: (model, case) -> reason. tracker's answer must
# then equal its own answer to the same rows sent as `dataframe_split`.
MLFLOW_BUGS = {
    (model, case): "MLflow cannot read CSV for an unnamed tensor signature (TensorSpec dtype given to pandas)"
    for model in ("reg_tensor", "clf_zipmap")
    for case in ("csv", "csv_charset")
}


def parquet(df, **kw) -> bytes:
    import io

    buf = io.BytesIO()
    df.to_parquet(buf, **kw)
    return buf.getvalue()


def cases(m: dict) -> dict[str, tuple[str, str | bytes]]:
    import pandas as pd

    X = m["X"][:3].astype(np.float64)
    names = m["names"]
    rows = X.tolist()
    records = [dict(zip(names, r)) for r in rows]
    csv = ",".join(names) + "\n" + "\n".join(",".join(repr(v) for v in r) for r in rows) + "\n"
    j = "application/json"
    pq = "application/vnd.apache.parquet"
    df = pd.DataFrame(rows, columns=names)
    return {
        "split": (j, json.dumps({"dataframe_split": {"columns": names, "data": rows}})),
        "split_no_columns": (j, json.dumps({"dataframe_split": {"data": rows}})),
        "split_with_index": (j, json.dumps({"dataframe_split": {"index": [5, 6, 7], "columns": names, "data": rows}})),
        "split_reordered": (j, json.dumps({"dataframe_split": {"columns": names[::-1], "data": [r[::-1] for r in rows]}})),
        "records": (j, json.dumps({"dataframe_records": records})),
        "records_extra_column": (j, json.dumps({"dataframe_records": [{**r, "extra": 1} for r in records]})),
        "instances": (j, json.dumps({"instances": rows})),
        "inputs": (j, json.dumps({"inputs": rows})),
        "inputs_one_row": (j, json.dumps({"inputs": rows[:1]})),
        "instances_records": (j, json.dumps({"instances": records})),
        "inputs_dict": (j, json.dumps({"inputs": {"X": rows}})),
        "params": (j, json.dumps({"inputs": rows, "params": {"p": 1}})),
        "csv": ("text/csv", csv),
        "csv_charset": ("text/csv; charset=utf-8", csv),
        "parquet": (pq, parquet(df)),
        "parquet_gzip_index": (pq, parquet(df.set_axis([5, 6, 7]), compression="gzip")),
        "parquet_float32_v2": (pq, parquet(df.astype("float32"), data_page_version="2.0")),
        "parquet_uncompressed_reordered": (pq, parquet(df[names[::-1]], compression=None)),
        # bad input
        "missing_column": (j, json.dumps({"dataframe_split": {"columns": names[1:], "data": [r[1:] for r in rows]}})),
        "wrong_type": (j, json.dumps({"dataframe_records": [{**r, names[0]: "abc"} for r in records]})),
        "wrong_shape": (j, json.dumps({"inputs": [r[:-1] for r in rows]})),
        "strings_in_inputs": (j, json.dumps({"inputs": [["a"] * len(names)]})),
        "empty_body": (j, ""),
        "not_json": (j, "{nope"),
        "json_list": (j, json.dumps([1, 2])),
        "two_layouts": (j, json.dumps({"inputs": rows, "instances": rows})),
        "legacy_layout": (j, json.dumps({"columns": names, "data": rows})),
        "split_not_dict": (j, json.dumps({"dataframe_split": rows})),
        "records_not_list": (j, json.dumps({"dataframe_records": records[0]})),
        "unsupported_type": ("text/plain", "1,2,3"),
        "bad_charset": ("application/json; charset=latin-1", json.dumps({"inputs": rows})),
        "bad_param": ("application/json; format=pandas-split", json.dumps({"inputs": rows})),
        "csv_bad_value": ("text/csv", ",".join(names) + "\n" + ",".join(["x"] * len(names)) + "\n"),
        "csv_empty": ("text/csv", ""),
        "parquet_missing_column": (pq, parquet(df[names[1:]])),
        "parquet_wrong_type": (pq, parquet(df.assign(**{names[0]: ["abc"] * len(rows)}))),
        "parquet_not_parquet": (pq, b"PAR1 this is not parquet"),
    }


def post(uri: str, ctype: str, body: str | bytes) -> requests.Response:
    data = body.encode() if isinstance(body, str) else body
    return requests.post(uri + "/invocations", data=data, headers={"Content-Type": ctype}, timeout=60)


def assert_close(a, b, path="predictions"):
    if isinstance(a, dict):
        assert isinstance(b, dict) and sorted(a) == sorted(b), f"{path}: keys {list(a)} vs {list(b)}"
        for k in a:
            assert_close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), f"{path}: {a!r:.200} vs {b!r:.200}"
        for i, (x, y) in enumerate(zip(a, b)):
            assert_close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) or isinstance(b, float):
        assert abs(a - b) <= 1e-5 * max(1.0, abs(b)), f"{path}: {a} vs {b}"
    else:
        assert a == b, f"{path}: {a!r} vs {b!r}"


def test_auto_serves_these_models_on_the_js_engine(server_pairs):
    for name, (trackers, _) in server_pairs.items():
        assert "(onnx, JS engine)" in trackers["auto"].log(), (name, trackers["auto"].log())
        assert "(onnx, ONNX Runtime web)" in trackers["web"].log(), (name, trackers["web"].log())


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("model", MODELS)
def test_same_answers_as_mlflow(model, engine, models, server_pairs):
    trackers, ref = server_pairs[model]
    tracker = trackers[engine]
    mismatches = []
    for case, (ctype, body) in cases(models[model]).items():
        t, r = post(tracker.uri, ctype, body), post(ref.uri, ctype, body)
        if (model, case) in MLFLOW_BUGS:
            assert r.status_code == 400, f"{case}: MLflow now answers {r.status_code}; drop the MLFLOW_BUGS entry"
            same = post(tracker.uri, *cases(models[model])["split"])
            assert t.status_code == 200 and t.json() == same.json(), (case, t.text[:300])
            continue
        try:
            assert t.status_code == r.status_code, f"status {t.status_code} vs mlflow {r.status_code}: {t.text[:300]}"
            if r.status_code == 200:
                assert_close(t.json(), r.json())
            elif r.headers.get("content-type", "").startswith("application/json") and r.text.startswith("{"):
                assert t.json()["error_code"] == r.json()["error_code"], (t.text[:300], r.text[:300])
                assert t.json()["message"]
        except AssertionError as e:
            mismatches.append(f"{case}: {e}\n  tracker: {t.text[:400]}\n  mlflow:  {r.text[:400]}")
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("model", ["reg_columns", "reg_nosig"])
def test_parquet_bodies_are_predicted(model, models, server_pairs):
    """Valid Parquet bodies get predictions from both servers, the same ones. (Where MLflow refuses a Parquet
    DataFrame, a float32 tensor signature or the classifier's single-tensor graph, tracker refuses it too:
    test_same_answers_as_mlflow compares those.)"""
    trackers, ref = server_pairs[model]
    tracker = trackers["auto"]
    all_cases = cases(models[model])
    for case in ("parquet", "parquet_gzip_index", "parquet_float32_v2", "parquet_uncompressed_reordered"):
        t, r = post(tracker.uri, *all_cases[case]), post(ref.uri, *all_cases[case])
        assert (t.status_code, r.status_code) == (200, 200), (case, t.text[:300], r.text[:300])
        assert_close(t.json(), r.json())


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("model", ["reg_tensor", "reg_columns", "reg_nosig"])
def test_regressor_matches_sklearn(model, engine, models, server_pairs):
    m = models[model]
    X = m["X"][:50]
    expected = m["est"].predict(X)
    tracker = server_pairs[model][0][engine]
    r = post(tracker.uri, "application/json",
             json.dumps({"dataframe_split": {"columns": m["names"], "data": X.astype(np.float64).tolist()}}))
    assert r.status_code == 200, r.text
    preds = r.json()["predictions"]
    got = [row["variable"] for row in preds] if isinstance(preds, list) else np.ravel(preds["variable"])
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("engine", ENGINES)
def test_classifier_matches_sklearn(engine, models, server_pairs):
    m = models["clf_zipmap"]
    X = m["X"][::7]
    tracker = server_pairs["clf_zipmap"][0][engine]
    r = post(tracker.uri, "application/json", json.dumps({"inputs": X.astype(np.float64).tolist()}))
    assert r.status_code == 200, r.text
    p = r.json()["predictions"]
    assert p["output_label"] == m["est"].predict(X).tolist()
    proba = np.array([[row[str(c)] for c in range(3)] for row in p["output_probability"]])
    np.testing.assert_allclose(proba, m["est"].predict_proba(X), rtol=1e-5, atol=1e-5)


def test_ping_health_version(server_pairs):
    trackers, ref = server_pairs["reg_tensor"]
    tracker = trackers["auto"]
    for route in ("/ping", "/health"):
        t, r = requests.get(tracker.uri + route), requests.get(ref.uri + route)
        assert (t.status_code, t.text) == (r.status_code, r.text) == (200, "\n")
    assert requests.get(tracker.uri + "/version").text == requests.get(ref.uri + "/version").text == "3.18.0"


def test_huge_body_is_refused(server_pairs):
    tracker = server_pairs["reg_tensor"][0]["auto"]
    body = b'{"inputs": [' + b"[0.0],"  * (12 * 1024 * 1024) + b"[0.0]]}"
    r = requests.post(tracker.uri + "/invocations", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 413
    assert r.json()["error_code"] == "BAD_REQUEST"
    assert requests.get(tracker.uri + "/ping").status_code == 200


def test_metrics(server_pairs):
    tracker = server_pairs["reg_tensor"][0]["auto"]
    text = requests.get(tracker.uri + "/metrics").text
    assert 'tracker_serving_requests_total{status="200"}' in text
    assert "tracker_serving_request_duration_seconds_bucket" in text
    assert "tracker_serving_queue_depth 0" in text
