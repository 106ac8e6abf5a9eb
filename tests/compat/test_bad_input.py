"""Bad input over raw HTTP: every case gets a clear 4xx {error_code, message} and changes nothing.

Requests whose path must reach the server byte-for-byte (literal `..` segments, odd encodings) go
through http.client, because requests/urllib3 normalise dot segments before sending.
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
import uuid
from pathlib import Path

import pytest

from helpers import IS_MLFLOW, assert_error, tracker_only

VALIDATION_CODES = ("INVALID_PARAMETER_VALUE", "BAD_REQUEST")


class Raw:
    """Minimal HTTP client that sends the path exactly as given."""

    def __init__(self, uri: str):
        u = urllib.parse.urlsplit(uri)
        self.host, self.port, self.prefix = u.hostname, u.port or 80, u.path.rstrip("/")

    def send(self, method: str, path: str, body: bytes | str | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            if isinstance(body, str):
                body = body.encode()
            conn.request(method, self.prefix + path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return RawResponse(method, path, resp.status, resp.getheader("content-type") or "", resp.read())
        finally:
            conn.close()


class RawResponse:
    def __init__(self, method, path, status, ctype, content):
        self.status_code, self.content, self.headers = status, content, {"content-type": ctype}
        self.text = content.decode("utf-8", "replace")
        self.request = type("Req", (), {"method": method, "url": path})()

    def json(self):
        return json.loads(self.content)


@pytest.fixture
def raw(tracking_uri):
    return Raw(tracking_uri)


def snapshot(api, run_id):
    """Everything observable about a run (and its experiment): data, info, artifact listing."""
    r = api.get("runs/get", {"run_id": run_id})
    assert r.status_code == 200, r.text
    run = r.json()["run"]
    exp_id = run["info"]["experiment_id"]
    exp = api.get("experiments/get", {"experiment_id": exp_id}).json()["experiment"]
    arts = api.get("artifacts/list", {"run_id": run_id}).json().get("files", [])
    hist = api.get("metrics/get-history", {"run_id": run_id, "metric_key": "m"}).json().get("metrics", [])
    return {"run": run, "experiment": exp, "artifacts": arts, "history": hist}


@pytest.fixture
def seeded_run(api, client, experiment_id, tmp_path):
    """A run with one param, metric, tag and artifact, plus its snapshot."""
    rid = client.create_run(experiment_id).info.run_id
    client.log_param(rid, "p", "1")
    client.log_metric(rid, "m", 1.0, step=0, timestamp=1)
    client.set_tag(rid, "t", "x")
    f = tmp_path / "keep.txt"
    f.write_text("keep")
    client.log_artifact(rid, str(f))
    return rid, snapshot(api, rid)


def post_json(raw, path, obj_or_text, content_type="application/json"):
    body = obj_or_text if isinstance(obj_or_text, str) else json.dumps(obj_or_text)
    return raw.send("POST", f"/api/2.0/mlflow/{path}", body, {"Content-Type": content_type})


# ---------------------------------------------------------------------------------------------
# Malformed bodies and wrong types


def test_malformed_json(raw, api, seeded_run):
    rid, before = seeded_run
    truncated = json.dumps({"run_id": rid, "key": "m", "value": 5, "timestamp": 2, "step": 1})[:-1]
    for body in (truncated, "{not json", "{'run_id': 'x'}", "\x00\x01garbage"):
        resp = post_json(raw, "runs/log-metric", body)
        body_json = assert_error(resp, 400)
        assert body_json["error_code"] in VALIDATION_CODES, body_json
    if not IS_MLFLOW:  # MLflow answers a truncated log-batch body with an HTML 500
        resp = post_json(raw, "runs/log-batch", '{"run_id": "%s", "params": [{"key": "q", "value": "1"}' % rid)
        assert_error(resp, 400)
    assert snapshot(api, rid) == before


@tracker_only  # MLflow answers these with an HTML 500
@pytest.mark.parametrize("body", ["[1, 2]", '"a string"', "123", "true"])
def test_json_that_is_not_an_object(raw, api, seeded_run, body):
    rid, before = seeded_run
    resp = post_json(raw, "runs/log-metric", body)
    assert resp.status_code == 400, resp.text
    assert_error(resp, 400)
    assert snapshot(api, rid) == before


def test_wrong_content_type(raw, api, seeded_run):
    rid, before = seeded_run
    body = {"run_id": rid, "key": "m", "value": 5, "timestamp": 2}
    resp = post_json(raw, "runs/log-metric", body, content_type="text/plain")
    assert_error(resp, 400, "INVALID_PARAMETER_VALUE")
    resp = raw.send("POST", "/api/2.0/mlflow/runs/log-metric", json.dumps(body))  # no Content-Type
    assert_error(resp, 400, "INVALID_PARAMETER_VALUE")
    assert snapshot(api, rid) == before


# (path, body with RID placeholder) — each must be refused with 400 INVALID_PARAMETER_VALUE.
WRONG_TYPES = [
    ("runs/log-metric", {"run_id": 31, "key": "m", "value": 1, "timestamp": 1}),
    ("runs/log-metric", {"run_id": "RID", "key": 5, "value": 1, "timestamp": 1}),
    ("runs/log-metric", {"run_id": "RID", "key": "m", "value": "abc", "timestamp": 1}),
    ("runs/log-metric", {"run_id": "RID", "key": "m", "value": 1, "timestamp": "x"}),
    ("runs/log-metric", {"run_id": "RID", "key": "m", "value": 1, "timestamp": 1, "step": "foo"}),
    ("runs/log-metric", {"run_id": "RID", "key": "m", "value": 1}),
    ("runs/log-metric", {"run_id": "RID", "key": "m", "value": None, "timestamp": 1}),
    ("runs/log-metric", {"run_id": "RID", "value": 1, "timestamp": 1}),
    ("runs/log-metric", {"key": "m", "value": 1, "timestamp": 1}),
    ("runs/log-metric", {"run_id": "RID", "key": "m", "value": 1, "timestamp": -1}),
    ("runs/log-parameter", {"run_id": "RID", "key": "q", "value": 5}),
    ("runs/log-parameter", {"run_id": "RID", "value": "v"}),
    ("runs/set-tag", {"run_id": "RID", "key": "u", "value": {"x": 1}}),
    ("runs/set-tag", {"run_id": "RID", "key": ["u"], "value": "v"}),
    ("runs/log-batch", {"run_id": "RID", "metrics": {"a": 1}}),
    ("runs/log-batch", {"run_id": "RID", "tags": "abc"}),
    ("runs/log-batch", {"run_id": "RID", "metrics": [{"key": "a", "value": 1}]}),
    ("runs/log-batch", {"run_id": "RID", "tags": [{"value": "x"}]}),
    ("runs/update", {"run_id": "RID", "status": 99}),
    ("runs/update", {"run_id": "RID", "end_time": "soon"}),
    ("runs/search", {"experiment_ids": "EXP"}),
    ("runs/search", {"experiment_ids": ["EXP"], "max_results": "abc"}),
    ("runs/search", {"experiment_ids": ["EXP"], "max_results": -1}),
    ("runs/search", {"experiment_ids": ["EXP"], "max_results": 50001}),
    ("runs/search", {"experiment_ids": ["EXP"], "filter": 5}),
    ("runs/search", {"experiment_ids": ["EXP"], "order_by": "start_time"}),
    ("runs/search", {"experiment_ids": ["EXP"], "page_token": "garbage"}),
    ("runs/create", {"experiment_id": "EXP", "start_time": "yesterday"}),
    ("experiments/create", {"name": 5}),
    ("experiments/create", {"name": ["a"]}),
    ("experiments/create", {"name": True}),
    ("experiments/create", {"name": "NAME", "tags": "notalist"}),
    ("experiments/create", {"name": "NAME", "artifact_location": "runs:/abc/def"}),
    ("experiments/create", {"name": "NAME", "artifact_location": "http://example.invalid/#/../../etc"}),
    ("experiments/create", {}),
    ("experiments/search", {"max_results": 50001}),
]


def _fill(obj, rid, exp_id, name):
    text = json.dumps(obj).replace('"RID"', json.dumps(rid)).replace('"EXP"', json.dumps(exp_id))
    return json.loads(text.replace('"NAME"', json.dumps(name)))


def _case_id(i, path, body):
    shown = json.dumps({k: v for k, v in body.items() if k != "run_id" or v != "RID"})
    return f"{i:02d}-{path}-{shown[:60]}"


@pytest.mark.parametrize("path, body", WRONG_TYPES, ids=[_case_id(i, p, b) for i, (p, b) in enumerate(WRONG_TYPES)])
def test_wrong_types_and_missing_fields(raw, api, client, seeded_run, experiment_id, exp_name, path, body):
    rid, before = seeded_run
    resp = post_json(raw, path, _fill(body, rid, experiment_id, exp_name + "-new"))
    assert_error(resp, 400, "INVALID_PARAMETER_VALUE")
    assert snapshot(api, rid) == before
    assert client.get_experiment_by_name(exp_name + "-new") is None


@tracker_only  # MLflow answers these with an HTML 500
@pytest.mark.parametrize("body", [
    {"run_id": "RID", "params": ["a"]},
    {"run_id": "RID", "metrics": [1, 2]},
    {"run_id": "RID", "key": "m", "value": [1], "timestamp": 1},
])
def test_wrong_nested_types(raw, api, seeded_run, experiment_id, body):
    rid, before = seeded_run
    path = "runs/log-batch" if ("params" in body or "metrics" in body) else "runs/log-metric"
    assert_error(post_json(raw, path, _fill(body, rid, experiment_id, "")), 400)
    assert snapshot(api, rid) == before


# ---------------------------------------------------------------------------------------------
# Over-long keys and values, too-big batches


@pytest.mark.parametrize("path, body", [
    ("runs/log-parameter", {"run_id": "RID", "key": "k" * 251, "value": "v"}),
    ("runs/log-metric", {"run_id": "RID", "key": "k" * 251, "value": 1, "timestamp": 1}),
    ("runs/set-tag", {"run_id": "RID", "key": "k" * 251, "value": "v"}),
    ("runs/log-batch", {"run_id": "RID", "params": [{"key": "k" * 251, "value": "v"}]}),
    ("runs/log-batch", {"run_id": "RID", "tags": [{"key": "ключ" * 63, "value": "v"}]}),  # 252 code points
    ("experiments/create", {"name": "n" * 501}),
    ("experiments/create", {"name": "NAME", "artifact_location": "/tmp/" + "a" * 2100}),
])
def test_over_long_keys(raw, api, seeded_run, experiment_id, path, body):
    rid, before = seeded_run
    assert_error(post_json(raw, path, _fill(body, rid, experiment_id, uuid.uuid4().hex)), 400,
                 "INVALID_PARAMETER_VALUE")
    assert snapshot(api, rid) == before


def test_over_long_values_are_truncated(api, client, run_id):
    # MLflow truncates (MLFLOW_TRUNCATE_LONG_VALUES, default on) rather than refusing.
    r = api.post("runs/log-parameter", {"run_id": run_id, "key": "lp", "value": "é" * 6001})
    assert r.status_code == 200, r.text
    r = api.post("runs/set-tag", {"run_id": run_id, "key": "lt", "value": "x" * 8001})
    assert r.status_code == 200, r.text
    data = client.get_run(run_id).data
    assert data.params["lp"] == "é" * 6000
    assert data.tags["lt"] == "x" * 8000


def _metrics(n, key="bm"):
    return [{"key": key, "value": i, "timestamp": 1, "step": i} for i in range(n)]


def _kv(n, prefix):
    return [{"key": f"{prefix}{i}", "value": "1"} for i in range(n)]


@pytest.mark.parametrize("batch", [
    {"metrics": _metrics(1001)},
    {"params": _kv(101, "bp")},
    {"tags": _kv(101, "bt")},
    {"params": _kv(100, "bp"), "tags": _kv(100, "bt"), "metrics": _metrics(801)},
], ids=["1001-metrics", "101-params", "101-tags", "1001-entities"])
def test_too_big_batches(api, seeded_run, batch):
    rid, before = seeded_run
    resp = api.post("runs/log-batch", {"run_id": rid, **batch})
    body = assert_error(resp, 400, "INVALID_PARAMETER_VALUE")
    assert "at most" in body["message"]
    assert snapshot(api, rid) == before  # nothing of the refused batch was written


@pytest.mark.parametrize("batch", [
    {"metrics": _metrics(1000)},
    {"params": _kv(100, "bp"), "tags": _kv(100, "bt"), "metrics": _metrics(800)},
], ids=["1000-metrics", "1000-entities"])
def test_batches_at_the_limit_accepted(api, client, run_id, batch):
    resp = api.post("runs/log-batch", {"run_id": run_id, **batch})
    assert resp.status_code == 200, resp.text
    assert len(client.get_metric_history(run_id, "bm")) == len(batch["metrics"])
    data = client.get_run(run_id).data
    assert len(data.params) == len(batch.get("params", []))


def test_unknown_endpoint_is_404(api):
    resp = api.get("no/such/endpoint")
    assert resp.status_code == 404
    if not IS_MLFLOW:  # MLflow's Flask answers an HTML 404 here; tracker: JSON ENDPOINT_NOT_FOUND
        assert_error(resp, 404, "ENDPOINT_NOT_FOUND")


# ---------------------------------------------------------------------------------------------
# Path traversal in artifact routes

PWNED = f"pwned-{uuid.uuid4().hex[:8]}.txt"  # name of files a successful attack would create


@pytest.fixture
def canaries(target):
    """Files just outside the artifact root (only when this suite owns the server's directories)."""
    if not target.owned:
        yield None
        return
    root = target.artifact_root
    places = [root.parent / "canary.txt", root.parent.parent / "canary.txt", root.parent / "secret" / "canary.txt"]
    for i, p in enumerate(places):
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(f"canary {i}")
    yield places
    for i, p in enumerate(places):
        assert p.exists(), f"{p} was deleted"
        assert p.read_text() == f"canary {i}", f"{p} was modified"
    stray = [p for p in root.parent.parent.rglob("*pwned*") if root not in p.parents]
    assert not stray, f"files written outside the artifact root: {stray}"
    assert not Path("/tmp", PWNED).exists(), f"/tmp/{PWNED} was written"


def _run_prefix(api, rid):
    uri = api.get("runs/get", {"run_id": rid}).json()["run"]["info"]["artifact_uri"]
    return uri.split("mlflow-artifacts:", 1)[1].lstrip("/")


def expect_refused(resp, literal_dots=False):
    """400 INVALID_PARAMETER_VALUE; a path with literal '..' segments may instead be normalised by the
    HTTP layer into another (unknown) route, which must then be a JSON 404."""
    body = assert_error(resp, (400, 404) if literal_dots else 400)
    if resp.status_code == 400:
        assert body["error_code"] == "INVALID_PARAMETER_VALUE", body
    else:
        assert body["error_code"] in ("ENDPOINT_NOT_FOUND", "RESOURCE_DOES_NOT_EXIST", "NOT_FOUND"), body


TRAVERSALS = [
    "..%2fcanary.txt",
    "..%2f..%2fcanary.txt",
    "%2e%2e%2fcanary.txt",
    "%2E%2E%2F%2E%2E%2Fcanary.txt",
    "%2e%2e/%2e%2e/canary.txt",
    "%252e%252e%252fcanary.txt",
    "%252E%252E%252F%252E%252E%252Fcanary.txt",
    "%25252e%25252e%25252fcanary.txt",
    "..%2fsecret%2fcanary.txt",
    f"..%2f{PWNED}",
    f"%252e%252e%252f%252e%252e%252f{PWNED}",
    "a%23b%2f..%2f..%2fcanary.txt",
]
# Absolute paths: only meaningful as the whole artifact path (after a prefix they are just "a//b").
ABSOLUTE = [f"%2ftmp%2f{PWNED}", f"C:/Windows/{PWNED}", f"file:%2f%2f%2ftmp%2f{PWNED}"]
LITERAL_TRAVERSALS = ["../canary.txt", "../../canary.txt", "a/../../canary.txt", f"../{PWNED}"]


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
@pytest.mark.parametrize("where", ["root", "run"])
def test_traversal_in_artifact_paths(raw, api, seeded_run, canaries, method, where):
    rid, before = seeded_run
    prefix = "" if where == "root" else _run_prefix(api, rid) + "/"
    cases = TRAVERSALS + LITERAL_TRAVERSALS + (ABSOLUTE if where == "root" else [])
    for t in cases:
        path = f"/api/2.0/mlflow-artifacts/artifacts/{prefix}{t}"
        resp = raw.send(method, path, b"pwned" if method == "PUT" else None,
                        {"Content-Type": "application/octet-stream"} if method == "PUT" else {})
        if IS_MLFLOW and method == "DELETE" and t.startswith("%2f"):
            continue  # MLflow redirects (308) to the slash-merged path; see test_traversal_absolute_path
        expect_refused(resp, literal_dots=t in LITERAL_TRAVERSALS)
        assert b"canary " not in resp.content, f"{method} {path} leaked a canary"
    assert snapshot(api, rid) == before


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_traversal_absolute_path(raw, api, seeded_run, canaries, method):
    rid, before = seeded_run
    for path in ("/api/2.0/mlflow-artifacts/artifacts/%2fetc%2fpasswd",
                 "/ajax-api/2.0/mlflow-artifacts/artifacts/%2fetc%2fpasswd"):
        resp = raw.send(method, path, b"pwned" if method == "PUT" else None)
        if IS_MLFLOW and method == "DELETE":
            # MLflow redirects to the slash-merged path (308; deleting <root>/etc/passwd, i.e.
            # nothing); tracker refuses the absolute path outright.
            assert resp.status_code in (200, 308)
            continue
        expect_refused(resp)
        assert b"root:" not in resp.content
    assert snapshot(api, rid) == before


@tracker_only  # MLflow on POSIX treats a backslash as an ordinary file-name character
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_backslash_traversal(raw, api, seeded_run, canaries, method):
    rid, before = seeded_run
    for t in ("..%5ccanary.txt", "..%5c..%5ccanary.txt", f"a%5c..%5c..%5c{PWNED}"):
        resp = raw.send(method, f"/api/2.0/mlflow-artifacts/artifacts/{t}",
                        b"pwned" if method == "PUT" else None)
        expect_refused(resp)
    assert snapshot(api, rid) == before


LIST_TRAVERSALS = ["../", "../..", "..", "a/../..", "/", "/etc", "C:/", "%2e%2e", "%2e%2e%2f",
                   "%252e%252e%252f", "..%2f..%2f", "file:///etc"]


def test_traversal_in_list_queries(raw, api, seeded_run, canaries):
    rid, before = seeded_run
    for p in LIST_TRAVERSALS:
        q = urllib.parse.quote(p, safe="")
        for base in ("/api/2.0/mlflow-artifacts/artifacts", "/ajax-api/2.0/mlflow-artifacts/artifacts"):
            expect_refused(raw.send("GET", f"{base}?path={q}"))
            expect_refused(raw.send("GET", f"{base}?path={p}"))  # unencoded in the query string
        expect_refused(raw.send("GET", f"/api/2.0/mlflow/artifacts/list?run_id={rid}&path={q}"))
        expect_refused(raw.send("GET", f"/ajax-api/2.0/mlflow/artifacts/list?run_id={rid}&path={q}"))
    assert snapshot(api, rid) == before


@tracker_only  # MLflow on POSIX treats a backslash as an ordinary file-name character
def test_backslash_in_list_queries(raw, api, seeded_run):
    rid, before = seeded_run
    for p in ("..\\", "..\\..", "C:\\"):
        q = urllib.parse.quote(p, safe="")
        expect_refused(raw.send("GET", f"/api/2.0/mlflow-artifacts/artifacts?path={q}"))
        expect_refused(raw.send("GET", f"/api/2.0/mlflow/artifacts/list?run_id={rid}&path={q}"))
    assert snapshot(api, rid) == before


def test_traversal_in_get_artifact(raw, api, seeded_run, canaries):
    rid, before = seeded_run
    for p in ("../canary.txt", "../../canary.txt", "../../../canary.txt", "a/../../canary.txt",
              "/etc/passwd", "%2e%2e%2f%2e%2e%2fcanary.txt", "%252e%252e%252fcanary.txt"):
        q = urllib.parse.quote(p, safe="")
        for path in (f"/get-artifact?run_id={rid}&path={q}", f"/get-artifact?run_uuid={rid}&path={q}"):
            resp = raw.send("GET", path)
            expect_refused(resp)
            assert b"canary " not in resp.content and b"root:" not in resp.content
    assert snapshot(api, rid) == before


def test_safe_neighbours_still_work(raw, api, seeded_run):
    """Names that merely look odd are fine: '..x', 'a..b', 'v1.2..3.txt'."""
    rid, _ = seeded_run
    prefix = _run_prefix(api, rid)
    for name in ("..x", "a..b", "v1.2..3.txt"):
        resp = raw.send("PUT", f"/api/2.0/mlflow-artifacts/artifacts/{prefix}/{name}", b"ok")
        assert resp.status_code == 200, resp.text
        got = raw.send("GET", f"/api/2.0/mlflow-artifacts/artifacts/{prefix}/{name}")
        assert got.status_code == 200 and got.content == b"ok"
    listed = {f["path"] for f in api.get("artifacts/list", {"run_id": rid}).json()["files"]}
    assert {"..x", "a..b", "v1.2..3.txt", "keep.txt"} <= listed
