"""Fixtures for the model-serving suite.

Environment:
  TRACKER_SERVE_CMD  command (format string with {model} and {port}) that starts `tracker models serve`;
                     run from the repository root. Default: the serving entry module under deno.
  DENO               deno binary (default: `bash scripts/ensure-deno.sh`).
  SERVE_STARTUP_TIMEOUT  seconds to wait for GET /ping (default 120).
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = float(os.environ.get("SERVE_STARTUP_TIMEOUT", "120"))
os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ["DO_NOT_TRACK"] = "true"

import mlflow  # noqa: E402
import mlflow.onnx  # noqa: E402
from mlflow.models import infer_signature  # noqa: E402


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def deno_binary() -> str:
    if os.environ.get("DENO"):
        return os.environ["DENO"]
    out = subprocess.run(["bash", str(REPO_ROOT / "scripts" / "ensure-deno.sh")], cwd=REPO_ROOT, check=True,
                         stdout=subprocess.PIPE, text=True)
    return out.stdout.strip().splitlines()[-1]


def tracker_serve_argv(model: str, port: int, workers: int = 2, extra: list[str] | None = None) -> list[str]:
    custom = os.environ.get("TRACKER_SERVE_CMD")
    if custom:
        argv = shlex.split(custom.format(model=model, port=port))
    else:
        argv = [deno_binary(), "run", "--unstable-kv", "--unstable-net", "--unstable-raw-imports", "-A",
                "src/serving/entry.ts", "-m", model, "-p", str(port)]
    return argv + ["-w", str(workers)] + (extra or [])


class Proc:
    """A server process in its own process group, output in a log file."""

    def __init__(self, argv: list[str], port: int, log: Path, env: dict | None = None, ready_path: str = "/ping",
                 cwd: Path = REPO_ROOT, unset: tuple[str, ...] = ()):
        self.argv, self.port, self.log_path = argv, port, log
        self.uri = f"http://127.0.0.1:{port}"
        full_env = {k: v for k, v in {**os.environ, **(env or {})}.items() if k not in unset}
        with open(log, "ab") as f:
            f.write(f"\n===== {shlex.join(argv)}\n".encode())
            f.flush()
            self.proc = subprocess.Popen(argv, cwd=cwd, stdout=f, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, env=full_env, start_new_session=True)
        self.ready_path = ready_path

    def wait_ready(self, timeout: float = STARTUP_TIMEOUT) -> "Proc":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}):\n{self.log()}")
            try:
                if requests.get(self.uri + self.ready_path, timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server not ready after {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-6000:]

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=10)


def start_tracker_serve(model: str, log: Path, workers: int = 2, env: dict | None = None) -> Proc:
    port = free_port()
    return Proc(tracker_serve_argv(model, port, workers), port, log, env)


def start_mlflow_serve(model: str, log: Path) -> Proc:
    port = free_port()
    argv = [sys.executable, "-m", "mlflow", "models", "serve", "-m", model, "-p", str(port),
            "--env-manager", "local", "-w", "1"]
    # mlflow execs `uvicorn` by name: the venv's bin folder must be on PATH.
    path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    return Proc(argv, port, log, env={"PATH": path})


# --------------------------------------------------------------------------------------------
# Models: scikit-learn estimators converted with skl2onnx, saved with mlflow.onnx.save_model.


def _to_onnx(est, X, **options):
    from skl2onnx import to_onnx
    return to_onnx(est, X[:1], target_opset={"": 17, "ai.onnx.ml": 3}, **options)


def build_models(root: Path) -> dict[str, dict]:
    import pandas as pd
    from sklearn.datasets import load_diabetes, load_iris
    from sklearn.ensemble import RandomForestRegressor
    from sklearn.linear_model import LogisticRegression

    out: dict[str, dict] = {}
    Xd, yd = load_diabetes(return_X_y=True)
    Xd = Xd.astype(np.float32)  # exactly representable in the ONNX graph's float32
    reg = RandomForestRegressor(n_estimators=8, max_depth=6, random_state=0).fit(Xd, yd)
    onnx_reg = _to_onnx(reg, Xd)
    names = [f"f{i}" for i in range(Xd.shape[1])]

    p = root / "reg_tensor"
    mlflow.onnx.save_model(onnx_reg, str(p), signature=infer_signature(Xd[:5], reg.predict(Xd[:5])))
    out["reg_tensor"] = {"path": p, "est": reg, "X": Xd, "names": names, "kind": "reg"}

    p = root / "reg_columns"
    df = pd.DataFrame(Xd.astype(np.float64), columns=names)
    mlflow.onnx.save_model(onnx_reg, str(p), signature=infer_signature(df[:5], reg.predict(Xd[:5])))
    out["reg_columns"] = {"path": p, "est": reg, "X": Xd, "names": names, "kind": "reg"}

    p = root / "reg_nosig"
    mlflow.onnx.save_model(onnx_reg, str(p))
    out["reg_nosig"] = {"path": p, "est": reg, "X": Xd, "names": names, "kind": "reg"}

    Xi, yi = load_iris(return_X_y=True)
    Xi = Xi.astype(np.float32)
    clf = LogisticRegression(max_iter=1000).fit(Xi, yi)
    inames = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    p = root / "clf_zipmap"
    mlflow.onnx.save_model(_to_onnx(clf, Xi), str(p), signature=infer_signature(Xi[:5], clf.predict(Xi[:5])))
    out["clf_zipmap"] = {"path": p, "est": clf, "X": Xi, "names": inames, "kind": "clf"}

    p = root / "clf_nozipmap"
    mlflow.onnx.save_model(_to_onnx(clf, Xi, options={id(clf): {"zipmap": False}}), str(p),
                           signature=infer_signature(pd.DataFrame(Xi.astype(np.float64), columns=inames)[:5],
                                                     clf.predict(Xi[:5])))
    out["clf_nozipmap"] = {"path": p, "est": clf, "X": Xi, "names": inames, "kind": "clf"}
    return out


@pytest.fixture(scope="session")
def models(tmp_path_factory) -> dict[str, dict]:
    return build_models(tmp_path_factory.mktemp("models"))


ENGINES = ["auto", "web"]


@pytest.fixture(scope="session")
def server_pairs(models, tmp_path_factory):
    """Per model: {engine: tracker} (auto, which must pick the JS engine, and ONNX Runtime web) and the mlflow
    scoring server, all started together (MLflow's start is slow)."""
    logs = tmp_path_factory.mktemp("logs")
    pairs = {}
    for name, m in models.items():
        trackers = {e: start_tracker_serve(str(m["path"]), logs / f"tracker-{e}-{name}.log",
                                           env={"TRACKER_ONNX_RUNTIME": e}) for e in ENGINES}
        pairs[name] = (trackers, start_mlflow_serve(str(m["path"]), logs / f"mlflow-{name}.log"))
    try:
        for trackers, m in pairs.values():
            for t in trackers.values():
                t.wait_ready()
            m.wait_ready()
        yield pairs
    finally:
        for trackers, m in pairs.values():
            for t in trackers.values():
                t.stop()
            m.stop()
