"""Fixtures for the MLflow-client compatibility suite.

Target selection (environment):
  TRACKER_URI     use an already running server at this URI (tests that must own the server skip).
  TRACKER_CMD     command line (format string with {port} and {tmp}) that starts the server under test;
                  run from the repository root.
  TRACKER_TARGET  "tracker" (default) or "mlflow". With "mlflow" and no TRACKER_URI/TRACKER_CMD the
                  suite starts the real `mlflow server` (sqlite backend) from this venv; tests that check
                  a deliberate tracker difference skip or adjust themselves.
  DENO            deno binary (default: `bash scripts/ensure-deno.sh`).
  TRACKER_STARTUP_TIMEOUT  seconds to wait for GET /health (default 180: a first start may compile).
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

from helpers import EXTERNAL_URI, IS_MLFLOW, TARGET, unique_name

REPO_ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT = float(os.environ.get("TRACKER_STARTUP_TIMEOUT", "180"))

# A server bug must fail fast instead of sitting in the client's retry loop for minutes.
os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
os.environ.setdefault("MLFLOW_HTTP_REQUEST_TIMEOUT", "60")
os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ["DO_NOT_TRACK"] = "true"
for _var in ("MLFLOW_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_ID", "MLFLOW_RUN_ID", "MLFLOW_ENABLE_ASYNC_LOGGING"):
    os.environ.pop(_var, None)

import mlflow  # noqa: E402  (must come after the environment is prepared)
from mlflow.tracking import MlflowClient  # noqa: E402


# --------------------------------------------------------------------------------------------
# Server processes


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def deno_binary() -> str:
    if os.environ.get("DENO"):
        return os.environ["DENO"]
    out = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "ensure-deno.sh")],
        cwd=REPO_ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


def server_command(port: int, tmp: Path) -> tuple[list[str], Path]:
    """argv that starts the server under test, and the artifact root it will use."""
    custom = os.environ.get("TRACKER_CMD")
    if custom:
        # With a custom command the artifact root is unknown; assume the tracker layout.
        return shlex.split(custom.format(port=port, tmp=tmp)), tmp / "mlartifacts"
    if IS_MLFLOW:
        art = tmp / "art"
        return [
            sys.executable, "-m", "mlflow", "server",
            "--backend-store-uri", f"sqlite:///{tmp}/m.db",
            "--artifacts-destination", str(art),
            "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
        ], art
    art = tmp / "mlartifacts"
    return [
        deno_binary(), "run", "--unstable-kv", "--unstable-net", "--unstable-raw-imports", "-A",
        "main.ts", "server", "--host", "127.0.0.1", "--port", str(port),
        "--backend-store-uri", str(tmp / "mlruns"), "--artifacts-destination", str(art),
        "--workers", "1",
    ], art


class ServerProcess:
    """One server process (own process group) with its output captured in a log file."""

    def __init__(self, tmp: Path, port: int | None = None, label: str = "server"):
        self.tmp = tmp
        self.port = port or free_port()
        self.label = label
        self.argv, self.artifact_root = server_command(self.port, tmp)
        self.log_path = tmp / f"{label}.log"
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    @property
    def uri(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start and wait for /health; on an address clash (free_port race) retry on another port."""
        for attempt in range(3):
            try:
                return self._start_once()
            except RuntimeError as e:
                if attempt == 2 or "in use" not in str(e).lower():
                    raise
                self.port = free_port()
                self.argv, self.artifact_root = server_command(self.port, self.tmp)

    def _start_once(self) -> None:
        self.starts += 1
        log = open(self.log_path, "ab")
        log.write(f"\n===== start #{self.starts}: {shlex.join(self.argv)}\n".encode())
        log.flush()
        env = dict(os.environ)
        env.pop("MLFLOW_TRACKING_URI", None)
        self.proc = subprocess.Popen(
            self.argv,
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        log.close()
        self._wait_healthy()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.label} exited with code {self.proc.returncode} before /health answered.\n"
                    f"command: {shlex.join(self.argv)}\n--- output ---\n{self.log_tail()}"
                )
            try:
                r = requests.get(self.uri + "/health", timeout=2)
                if r.status_code == 200:
                    return
                last = f"HTTP {r.status_code}: {r.text[:200]}"
            except requests.RequestException as e:
                last = type(e).__name__
            time.sleep(0.25)
        self.kill()
        raise RuntimeError(
            f"{self.label} did not answer GET /health with 200 within {STARTUP_TIMEOUT:.0f}s "
            f"(last: {last}).\ncommand: {shlex.join(self.argv)}\n--- output ---\n{self.log_tail()}"
        )

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole process group (servers may fork workers) and reap the leader."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=15)
        if sig != signal.SIGKILL:
            try:  # leftover workers
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def stop(self) -> None:
        self.kill(signal.SIGTERM)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except FileNotFoundError:
            return 0

    def log_tail(self, limit: int = 6000, since: int = 0) -> str:
        try:
            with open(self.log_path, "rb") as f:
                f.seek(max(since, self.log_size() - limit))
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return "(no log)"


@dataclass
class Target:
    """The server the suite talks to."""

    uri: str
    owned: bool  # started by this suite (so its files and process are ours)
    tmp: Path | None = None
    process: ServerProcess | None = None
    extra: dict = field(default_factory=dict)

    @property
    def artifact_root(self) -> Path | None:
        return self.process.artifact_root if self.process else None


_SESSION_TARGET: Target | None = None


@pytest.fixture(scope="session")
def target(tmp_path_factory) -> Target:
    global _SESSION_TARGET
    if EXTERNAL_URI:
        t = Target(uri=EXTERNAL_URI, owned=False)
        r = requests.get(t.uri + "/health", timeout=10)
        assert r.status_code == 200, f"TRACKER_URI {t.uri}: GET /health -> {r.status_code}"
        _SESSION_TARGET = t
        yield t
        return
    tmp = tmp_path_factory.mktemp("server")
    proc = ServerProcess(tmp, label="server")
    proc.start()
    t = Target(uri=proc.uri, owned=True, tmp=tmp, process=proc)
    _SESSION_TARGET = t
    try:
        yield t
    finally:
        died = not proc.alive()
        proc.stop()
        if died:
            sys.stderr.write(f"\n[compat] server died during the session; output:\n{proc.log_tail()}\n")


@pytest.fixture(scope="session")
def tracking_uri(target) -> str:
    os.environ["MLFLOW_TRACKING_URI"] = target.uri
    mlflow.set_tracking_uri(target.uri)
    return target.uri


@pytest.fixture(autouse=True)
def _session_server(request):
    """Every test talks to the session server, except those that run their own (durability)."""
    if request.node.get_closest_marker("durability") is None:
        request.getfixturevalue("tracking_uri")
    yield
    while mlflow.active_run() is not None:
        mlflow.end_run()


@pytest.fixture
def client(tracking_uri) -> MlflowClient:
    return MlflowClient(tracking_uri)


@pytest.fixture
def api(tracking_uri):
    """Raw HTTP helper: api.post("runs/create", {...}) -> requests.Response."""
    return RawApi(tracking_uri)


class RawApi:
    def __init__(self, base: str):
        self.base = base.rstrip("/")
        self.s = requests.Session()

    def url(self, path: str) -> str:
        if path.startswith("/"):
            return self.base + path
        return f"{self.base}/api/2.0/mlflow/{path}"

    def post(self, path: str, body=None, **kw) -> requests.Response:
        return self.s.post(self.url(path), json=body, timeout=60, **kw)

    def get(self, path: str, params=None, **kw) -> requests.Response:
        return self.s.get(self.url(path), params=params, timeout=60, **kw)

    def request(self, method: str, path: str, **kw) -> requests.Response:
        kw.setdefault("timeout", 60)
        return self.s.request(method, self.url(path), **kw)


@pytest.fixture
def exp_name(request) -> str:
    return unique_name(request.node.name[:40].replace("[", "-").replace("]", ""))


@pytest.fixture
def experiment_id(client, exp_name) -> str:
    """A fresh experiment, also made the fluent API's current experiment."""
    exp = mlflow.set_experiment(exp_name)
    return exp.experiment_id


@pytest.fixture
def run_id(client, experiment_id) -> str:
    """A fresh RUNNING run created through the client (not the fluent active run)."""
    return client.create_run(experiment_id).info.run_id


# --------------------------------------------------------------------------------------------
# Dedicated servers (durability); only possible when the suite starts servers itself.


@pytest.fixture
def own_server(tmp_path, request):
    """Factory for dedicated servers on this test's tmp dir (same dir => same store)."""
    if EXTERNAL_URI:
        pytest.skip("needs to own the server process (TRACKER_URI is set)")
    servers: list[ServerProcess] = []
    request.node._compat_servers = servers

    def make(label: str = "own") -> ServerProcess:
        sp = ServerProcess(tmp_path, label=label)
        servers.append(sp)
        return sp

    yield make
    for sp in servers:
        sp.stop()


# --------------------------------------------------------------------------------------------
# Reporting: attach the server output produced during a failing test.


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    t = _SESSION_TARGET
    item._compat_log_offset = t.process.log_size() if t and t.process else 0
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    t = _SESSION_TARGET
    if not rep.failed:
        return
    if t and t.process:
        text = t.process.log_tail(limit=8000, since=getattr(item, "_compat_log_offset", 0))
        status = "alive" if t.process.alive() else f"EXITED ({t.process.proc.returncode})"
        rep.sections.append((f"server output during this test (server {status})", text or "(none)"))
    seen = set()
    for sp in getattr(item, "_compat_servers", []):
        if sp.log_path not in seen:
            seen.add(sp.log_path)
            rep.sections.append((f"output of dedicated server {sp.log_path}", sp.log_tail(limit=8000)))


def pytest_report_header(config):
    how = EXTERNAL_URI or ("TRACKER_CMD" if os.environ.get("TRACKER_CMD") else "started by the suite")
    return f"compat target: {TARGET} ({how}); mlflow client {mlflow.__version__}"
