// The store additions import relies on: deleteRun/deleteExperiment keep a given deletion time.

import nodeAssert from "node:assert/strict";
import { openKvStore } from "../../src/store/kv/mod.ts";

const assertEquals = <V>(actual: V, expected: V, msg?: string) =>
  nodeAssert.deepStrictEqual(actual, expected, msg);

Deno.test("deleteRun and deleteExperiment record the deletion time they are given", async () => {
  const store = await openKvStore({ path: ":memory:", defaultArtifactRoot: "mlflow-artifacts:/" });
  try {
    const exp = await store.createExperiment({ name: "times" });
    const a = await store.createRun({ experimentId: exp, userId: "u", runName: "a", startTime: 1, tags: [] });
    const b = await store.createRun({ experimentId: exp, userId: "u", runName: "b", startTime: 1, tags: [] });
    await store.deleteRun(a.info.runId, 1234);
    assertEquals((await store.getRun(a.info.runId)).info.deletedTime, 1234);
    await store.deleteExperiment(exp, 5678);
    assertEquals((await store.getExperiment(exp)).lastUpdateTime, 5678);
    // The run deleted before keeps its own time; the one deleted with the experiment gets the experiment's.
    assertEquals((await store.getRun(a.info.runId)).info.deletedTime, 1234);
    assertEquals((await store.getRun(b.info.runId)).info.deletedTime, 5678);
    const before = Date.now();
    await store.restoreExperiment(exp);
    await store.deleteRun(b.info.runId);
    nodeAssert.ok((await store.getRun(b.info.runId)).info.deletedTime! >= before, "default is now");
  } finally {
    await store.close();
  }
});
