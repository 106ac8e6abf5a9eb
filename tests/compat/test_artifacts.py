"""Artifacts through the proxied artifact service: log_* then list and download byte-identical."""

import hashlib
import json
import os
from pathlib import Path

import mlflow
import numpy as np
import pytest
import yaml
from PIL import Image


def tree(root: Path) -> dict[str, bytes]:
    """{relative posix path: bytes} of every file below root."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


@pytest.fixture
def payload(tmp_path):
    """A local directory with binary, text, empty, nested and oddly named files."""
    rng = np.random.default_rng(1234)
    src = tmp_path / "src"
    (src / "nested" / "deeper").mkdir(parents=True)
    (src / "blob.bin").write_bytes(rng.integers(0, 256, 3 * 1024 * 1024 + 17, dtype=np.uint8).tobytes())
    (src / "notes.txt").write_text("line one\nline two\n", encoding="utf-8")
    (src / "empty.dat").write_bytes(b"")
    (src / "with space ünïcødé.txt").write_text("odd name", encoding="utf-8")
    (src / "nested" / "a.json").write_text('{"a": 1}', encoding="utf-8")
    (src / "nested" / "deeper" / "b.csv").write_text("x,y\n1,2\n", encoding="utf-8")
    return src


def test_log_artifact_list_download_roundtrip(client, experiment_id, payload, tmp_path):
    with mlflow.start_run() as run:
        mlflow.log_artifact(str(payload / "blob.bin"))
        mlflow.log_artifact(str(payload / "notes.txt"), artifact_path="docs/text")
        mlflow.log_artifact(str(payload / "empty.dat"))
    rid = run.info.run_id
    assert run.info.artifact_uri.startswith("mlflow-artifacts:")

    root = {f.path: f for f in client.list_artifacts(rid)}
    assert set(root) == {"blob.bin", "docs", "empty.dat"}
    assert not root["blob.bin"].is_dir and root["blob.bin"].file_size == (payload / "blob.bin").stat().st_size
    assert root["empty.dat"].file_size in (0, None)  # MLflow omits a zero file_size on the wire
    assert root["docs"].is_dir
    sub = client.list_artifacts(rid, "docs/text")
    assert [(f.path, f.is_dir, f.file_size) for f in sub] == [("docs/text/notes.txt", False, 18)]
    assert [f.path for f in mlflow.artifacts.list_artifacts(run_id=rid, artifact_path="docs")] == ["docs/text"]

    dst = tmp_path / "dl"
    dst.mkdir()
    local = client.download_artifacts(rid, "blob.bin", str(dst))
    assert Path(local).read_bytes() == (payload / "blob.bin").read_bytes()
    local = mlflow.artifacts.download_artifacts(run_id=rid, artifact_path="docs/text/notes.txt",
                                                dst_path=str(tmp_path / "dl2"))
    assert Path(local).read_bytes() == (payload / "notes.txt").read_bytes()
    whole = mlflow.artifacts.download_artifacts(run_id=rid, dst_path=str(tmp_path / "all"))
    assert tree(Path(whole)) == {
        "blob.bin": (payload / "blob.bin").read_bytes(),
        "docs/text/notes.txt": (payload / "notes.txt").read_bytes(),
        "empty.dat": b"",
    }


def test_log_artifacts_directory_tree(client, experiment_id, payload, tmp_path):
    with mlflow.start_run() as run:
        mlflow.log_artifacts(str(payload))
        mlflow.log_artifacts(str(payload / "nested"), artifact_path="copy")
    rid = run.info.run_id
    listed = {f.path: f.is_dir for f in client.list_artifacts(rid)}
    assert listed == {
        "blob.bin": False, "notes.txt": False, "empty.dat": False, "with space ünïcødé.txt": False,
        "nested": True, "copy": True,
    }
    assert {f.path for f in client.list_artifacts(rid, "nested")} == {"nested/a.json", "nested/deeper"}
    assert [f.path for f in client.list_artifacts(rid, "copy/deeper")] == ["copy/deeper/b.csv"]

    out = client.download_artifacts(rid, "", str(tmp_path / "out"))
    expected = tree(payload)
    expected.update({f"copy/{k}": v for k, v in tree(payload / "nested").items()})
    assert tree(Path(out)) == expected

    nested_only = client.download_artifacts(rid, "nested", str(tmp_path / "nested-only"))
    assert tree(Path(nested_only)) == tree(payload / "nested")


def test_log_text_and_log_dict(client, experiment_id, tmp_path):
    text = "héllo wörld\n" * 100
    d = {"b": [1, 2.5, None], "a": {"nested": "ünï", "flag": True}}
    with mlflow.start_run() as run:
        mlflow.log_text(text, "texts/greeting.txt")
        mlflow.log_dict(d, "conf/params.json")
        mlflow.log_dict(d, "conf/params.yaml")
    rid = run.info.run_id
    assert {f.path for f in client.list_artifacts(rid, "conf")} == {"conf/params.json", "conf/params.yaml"}
    got = Path(client.download_artifacts(rid, "texts/greeting.txt", str(tmp_path)))
    assert got.read_bytes() == text.encode("utf-8")
    assert json.loads(Path(client.download_artifacts(rid, "conf/params.json", str(tmp_path))).read_text()) == d
    assert yaml.safe_load(Path(client.download_artifacts(rid, "conf/params.yaml", str(tmp_path))).read_text()) == d
    assert mlflow.artifacts.load_text(f"runs:/{rid}/texts/greeting.txt") == text
    assert mlflow.artifacts.load_dict(f"runs:/{rid}/conf/params.json") == d


def test_log_image_numpy(client, experiment_id, tmp_path):
    rng = np.random.default_rng(7)
    rgb = rng.integers(0, 256, size=(32, 48, 3), dtype=np.uint8)
    gray = rng.random(size=(16, 16))  # float in [0, 1]
    with mlflow.start_run() as run:
        mlflow.log_image(rgb, "images/rgb.png")
        mlflow.log_image(gray, artifact_file="images/gray.png")
        mlflow.log_image(rgb, key="progress", step=3)  # time-stepped image logging
    rid = run.info.run_id
    listed = {f.path for f in client.list_artifacts(rid, "images")}
    assert {"images/rgb.png", "images/gray.png"} <= listed
    path = client.download_artifacts(rid, "images/rgb.png", str(tmp_path))
    with Image.open(path) as im:
        assert im.size == (48, 32)
        assert np.array_equal(np.asarray(im.convert("RGB")), rgb)
    with Image.open(client.download_artifacts(rid, "images/gray.png", str(tmp_path))) as im:
        assert im.size == (16, 16)
    # key/step logging writes files under images/ and marks the run with a tag
    assert "mlflow.loggedImages" in client.get_run(rid).data.tags
    # file names contain '+' (must not turn into spaces anywhere on the way)
    step_png = [f.path for f in client.list_artifacts(rid, "images")
                if f.path.startswith("images/progress+step+3+") and f.path.endswith(".png")]
    assert len(step_png) == 1, step_png
    with Image.open(client.download_artifacts(rid, step_png[0], str(tmp_path))) as im:
        assert np.array_equal(np.asarray(im.convert("RGB")), rgb)


def test_overwrite_artifact(client, run_id, tmp_path):
    f = tmp_path / "v.txt"
    f.write_text("first")
    client.log_artifact(run_id, str(f))
    f.write_text("second, longer")
    client.log_artifact(run_id, str(f))
    got = Path(client.download_artifacts(run_id, "v.txt", str(tmp_path / "d")))
    assert got.read_text() == "second, longer"
    assert [(x.path, x.file_size) for x in client.list_artifacts(run_id)] == [("v.txt", 14)]


def test_list_missing_path_is_empty(client, run_id):
    assert client.list_artifacts(run_id) == []
    assert client.list_artifacts(run_id, "does/not/exist") == []


def test_artifacts_isolated_between_runs(client, experiment_id, tmp_path):
    a = client.create_run(experiment_id).info.run_id
    b = client.create_run(experiment_id).info.run_id
    f = tmp_path / "only-a.txt"
    f.write_text("a")
    client.log_artifact(a, str(f))
    assert [x.path for x in client.list_artifacts(a)] == ["only-a.txt"]
    assert client.list_artifacts(b) == []


def test_raw_artifacts_list_and_get_artifact(api, client, run_id, tmp_path):
    data = os.urandom(4096)
    f = tmp_path / "raw.bin"
    f.write_bytes(data)
    client.log_artifact(run_id, str(f), artifact_path="d")

    r = api.get("artifacts/list", {"run_id": run_id})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["root_uri"] == client.get_run(run_id).info.artifact_uri
    assert body["files"] == [{"path": "d", "is_dir": True}]
    r = api.get("artifacts/list", {"run_id": run_id, "path": "d"})
    assert r.status_code == 200, r.text
    assert r.json()["files"] == [{"path": "d/raw.bin", "is_dir": False, "file_size": 4096}]

    r = api.get("/get-artifact", {"run_id": run_id, "path": "d/raw.bin"})
    assert r.status_code == 200
    assert hashlib.sha256(r.content).hexdigest() == hashlib.sha256(data).hexdigest()

    # the proxied artifact service lists basenames under the experiment/run prefix
    exp_id = client.get_run(run_id).info.experiment_id
    artifact_uri = client.get_run(run_id).info.artifact_uri
    prefix = artifact_uri.split("mlflow-artifacts:", 1)[1].lstrip("/")
    r = api.get("/api/2.0/mlflow-artifacts/artifacts", {"path": f"{prefix}/d"})
    assert r.status_code == 200, r.text
    assert r.json()["files"] == [{"path": "raw.bin", "is_dir": False, "file_size": 4096}]
    r = api.get(f"/api/2.0/mlflow-artifacts/artifacts/{prefix}/d/raw.bin")
    assert r.status_code == 200 and r.content == data
    assert exp_id in prefix
