"""Durability: every write the server acknowledged survives `kill -9` and a restart on the same store.

Needs to own the server process, so it is skipped when TRACKER_URI is set.
"""

from __future__ import annotations

import threading
from collections import defaultdict

import pytest
from mlflow.entities import Metric, Param
from mlflow.tracking import MlflowClient

from helpers import unique_name

WORKERS = 8
RUNS = 4            # workers share runs (two writers per run, different keys)
BATCH = 50          # metrics per log_batch call
KILL_AFTER = 3000   # acknowledged metric points before the kill
MAX_ROUNDS = 400    # hard stop for a worker if the kill never comes


class Worker(threading.Thread):
    def __init__(self, idx: int, uri: str, run_id: str, go: threading.Event, progress):
        super().__init__(name=f"durability-{idx}", daemon=True)
        self.idx, self.uri, self.run_id, self.go, self.progress = idx, uri, run_id, go, progress
        self.key = f"w{idx}"
        self.attempted: set[tuple[int, float]] = set()
        self.acked: set[tuple[int, float]] = set()
        self.acked_params: dict[str, str] = {}
        self.stopped_by: str | None = None

    def value(self, step: int) -> float:
        return step + self.idx / 100

    def run(self):
        client = MlflowClient(self.uri)
        self.go.wait()
        step = 0
        try:
            for rnd in range(MAX_ROUNDS):
                # one log_batch of BATCH metrics + one param ...
                points = [(s, self.value(s)) for s in range(step, step + BATCH)]
                step += BATCH
                self.attempted.update(points)
                client.log_batch(
                    self.run_id,
                    metrics=[Metric(self.key, v, 1_000_000 + s, s) for s, v in points],
                    params=[Param(f"{self.key}_r{rnd}", str(rnd))],
                )
                self.acked.update(points)
                self.acked_params[f"{self.key}_r{rnd}"] = str(rnd)
                self.progress(len(points))
                # ... then one single log_metric
                s, v = step, self.value(step)
                step += 1
                self.attempted.add((s, v))
                client.log_metric(self.run_id, self.key, v, timestamp=1_000_000 + s, step=s)
                self.acked.add((s, v))
                self.progress(1)
        except Exception as e:  # the server went away: everything after this is unacknowledged
            self.stopped_by = f"{type(e).__name__}: {str(e)[:200]}"


@pytest.mark.durability
@pytest.mark.timeout(420)  # two server starts; MLflow's own server is slow to boot on a busy machine
def test_acknowledged_writes_survive_kill_9(own_server):
    server = own_server("durable")
    server.start()
    client = MlflowClient(server.uri)
    exp_id = client.create_experiment(unique_name("durability"))
    run_ids = [client.create_run(exp_id, run_name=f"r{i}").info.run_id for i in range(RUNS)]
    for rid in run_ids:
        client.log_param(rid, "before", "kill")

    lock = threading.Lock()
    total = [0]
    enough = threading.Event()

    def progress(n):
        with lock:
            total[0] += n
            if total[0] >= KILL_AFTER:
                enough.set()

    go = threading.Event()
    workers = [Worker(i, server.uri, run_ids[i % RUNS], go, progress) for i in range(WORKERS)]
    for w in workers:
        w.start()
    go.set()
    enough.wait(timeout=240)
    server.kill()  # SIGKILL to the whole process group, mid-stream
    for w in workers:
        w.join(timeout=120)
        assert not w.is_alive(), f"{w.name} still running after the kill"

    acked_total = sum(len(w.acked) for w in workers)
    assert acked_total > 0, [w.stopped_by for w in workers]
    if total[0] >= KILL_AFTER:  # the kill came mid-stream: every worker was cut off by it
        assert all(w.stopped_by for w in workers), "a worker finished before the kill"

    # Restart on the same store (new process, possibly new port) and check every acknowledged write.
    restarted = own_server("durable")  # same tmp dir => same backend store and artifact root
    restarted.start()
    rc = MlflowClient(restarted.uri)
    by_run = defaultdict(list)
    for w in workers:
        by_run[w.run_id].append(w)
    for rid, ws in by_run.items():
        run = rc.get_run(rid)
        assert run.info.status == "RUNNING"
        assert run.data.params["before"] == "kill"
        for w in ws:
            stored = {(m.step, m.value) for m in rc.get_metric_history(rid, w.key)}
            missing = w.acked - stored
            assert not missing, (
                f"{len(missing)} acknowledged points of {w.key} lost, e.g. {sorted(missing)[:5]}"
            )
            garbage = stored - w.attempted
            assert not garbage, f"{w.key}: values that were never sent: {sorted(garbage)[:5]}"
            for k, v in w.acked_params.items():
                assert run.data.params.get(k) == v, f"acknowledged param {k} lost"
            if w.acked:
                top = max(w.acked)
                assert run.data.metrics[w.key] >= top[1], "latest metric older than an acknowledged one"

    # The restarted server keeps working on the same runs.
    rc.log_metric(run_ids[0], "after", 1.0, step=0, timestamp=1)
    rc.set_terminated(run_ids[0])
    assert rc.get_run(run_ids[0]).info.status == "FINISHED"
