// The TrackingStore proxy Workers use, in front of the real KV store over a MessageChannel.

import assert from "node:assert/strict";
import { MlflowError } from "../../src/errors.ts";
import { openKvStore } from "../../src/store/kv/mod.ts";
import { remoteStore, RpcPeer, serveStore } from "../../src/store/remote/mod.ts";
import type { TrackingStore } from "../../src/store/tracking-store.ts";

async function withRemote(
  fn: (remote: TrackingStore, owner: TrackingStore, workerSide: RpcPeer) => Promise<void>,
): Promise<void> {
  const owner = await openKvStore({ path: ":memory:", defaultArtifactRoot: "mlflow-artifacts:/" });
  const { port1, port2 } = new MessageChannel();
  const host = new RpcPeer(port1);
  serveStore(host, owner);
  const workerSide = new RpcPeer(port2);
  const remote = remoteStore(workerSide);
  try {
    await fn(remote, owner, workerSide);
  } finally {
    await remote.close();
    host.close();
    port1.close();
    port2.close();
    await owner.close();
  }
}

Deno.test("remote store: NaN and infinities survive a logBatch/getRun round trip", async () => {
  await withRemote(async (remote) => {
    const expId = await remote.createExperiment({ name: "nan" });
    const run = await remote.createRun({
      experimentId: expId,
      userId: "u",
      runName: "r",
      startTime: 1,
      tags: [],
    });
    await remote.logBatch(
      run.info.runId,
      [
        { key: "nan", value: NaN, timestamp: 1, step: 0 },
        { key: "inf", value: Infinity, timestamp: 1, step: 0 },
        { key: "ninf", value: -Infinity, timestamp: 1, step: 0 },
      ],
      [{ key: "p", value: "1" }],
      [],
    );
    const got = await remote.getRun(run.info.runId);
    const value = (k: string) => got.data.metrics.find((m) => m.key === k)?.value;
    assert.ok(Number.isNaN(value("nan")));
    assert.equal(value("inf"), Infinity);
    assert.equal(value("ninf"), -Infinity);
    const history = await remote.getMetricHistory(run.info.runId, "nan", { offset: 0 });
    assert.ok(Number.isNaN(history.items[0].value));
  });
});

Deno.test("remote store: store errors arrive as MlflowError with MLflow's codes", async () => {
  await withRemote(async (remote) => {
    const expect = (code: string) => (e: unknown) => {
      assert.ok(e instanceof MlflowError, String(e));
      assert.equal(e.code, code);
      assert.ok(e.message.length > 0);
      return true;
    };
    await assert.rejects(
      remote.getRun("0123456789abcdef0123456789abcdef"),
      expect("RESOURCE_DOES_NOT_EXIST"),
    );
    await assert.rejects(remote.getExperiment("999"), expect("RESOURCE_DOES_NOT_EXIST"));
    await remote.createExperiment({ name: "dup" });
    await assert.rejects(remote.createExperiment({ name: "dup" }), expect("RESOURCE_ALREADY_EXISTS"));
  });
});

Deno.test("remote store: writes go to the owner's store; close() detaches without closing it", async () => {
  await withRemote(async (remote, owner, workerSide) => {
    const id = await remote.createExperiment({ name: "seen-by-owner" });
    assert.equal((await owner.getExperiment(id)).name, "seen-by-owner");
    assert.equal(await remote.getExperimentByName("missing"), null);
    // A Worker cannot close the owner's store, even by calling the method by name.
    await assert.rejects(workerSide.call("store", "close", []), /has no method 'close'/);
    await remote.close();
    await assert.rejects(remote.getExperiment(id), /closed/);
    // The owner still works: only the proxy was closed.
    assert.equal((await owner.getExperiment(id)).name, "seen-by-owner");
  });
});
