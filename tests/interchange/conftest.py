"""Fixtures for the mlruns interchange suite: real MLflow writing/reading FileStore folders, `tracker
import|export|gc` as subprocesses, and a tracker server on the imported store.

Environment: DENO (deno binary, default `bash scripts/ensure-deno.sh`).
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
DENO_FLAGS = ["run", "--unstable-kv", "--unstable-net", "--unstable-raw-imports", "-A"]

os.environ["MLFLOW_ALLOW_FILE_STORE"] = "true"
os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"
os.environ["MLFLOW_DISABLE_TELEMETRY"] = "true"
os.environ["DO_NOT_TRACK"] = "true"
for _var in ("MLFLOW_TRACKING_URI", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_EXPERIMENT_ID", "MLFLOW_RUN_ID"):
    os.environ.pop(_var, None)


def _deno() -> str:
    if os.environ.get("DENO"):
        return os.environ["DENO"]
    out = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "ensure-deno.sh")],
        cwd=REPO_ROOT, check=True, stdout=subprocess.PIPE, text=True,
    )
    return out.stdout.strip().splitlines()[-1]


_ENTRY: list[str] | None = None


def _entry() -> list[str]:
    """`main.ts` once it lists the interchange commands, else the suite's stand-in entry."""
    global _ENTRY
    if _ENTRY is None:
        deno = _deno()
        probe = subprocess.run(
            [deno, *DENO_FLAGS, "main.ts", "import", "--help"],
            cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
        )
        if probe.returncode == 0 and "import" in probe.stdout:
            _ENTRY = [deno, *DENO_FLAGS, "main.ts"]
        else:
            _ENTRY = [deno, *DENO_FLAGS, str(REPO_ROOT / "tests" / "interchange" / "cli.ts")]
    return _ENTRY


def tracker(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Runs `tracker <args>`; output captured; fails the test on a non-zero exit when `check`."""
    argv = [*_entry(), *args]
    p = subprocess.run(argv, cwd=cwd or REPO_ROOT, capture_output=True, text=True, timeout=600,
                       stdin=subprocess.DEVNULL)
    if check and p.returncode != 0:
        raise AssertionError(
            f"{shlex.join(argv)} exited {p.returncode}\n--- stdout\n{p.stdout}\n--- stderr\n{p.stderr}"
        )
    return p


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`tracker server` on a given backend folder and artifacts destination."""

    def __init__(self, backend: Path, artifacts: Path, log: Path):
        self.port = free_port()
        self.uri = f"http://127.0.0.1:{self.port}"
        self.argv = [
            _deno(), *DENO_FLAGS, "main.ts", "server", "--host", "127.0.0.1", "--port", str(self.port),
            "--backend-store-uri", str(backend), "--artifacts-destination", str(artifacts), "--workers", "1",
        ]
        self.log = log
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        out = open(self.log, "ab")
        env = dict(os.environ)
        self.proc = subprocess.Popen(self.argv, cwd=REPO_ROOT, stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        out.close()
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited {self.proc.returncode}:\n{self.log.read_text()[-4000:]}")
            try:
                if requests.get(self.uri + "/health", timeout=2).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"server did not start:\n{self.log.read_text()[-4000:]}")

    def __exit__(self, *exc) -> None:
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(timeout=15)
        self.proc = None


@pytest.fixture
def server_factory(tmp_path):
    def make(backend: Path, artifacts: Path) -> Server:
        return Server(backend, artifacts, tmp_path / "server.log")
    return make
