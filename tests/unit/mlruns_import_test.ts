// Import of hand-built FileStore folders into the real KV store (in memory) and real artifact folders.

import nodeAssert from "node:assert/strict";
import * as path from "node:path";
import { importMlruns } from "../../src/interchange/filestore/import.ts";
import type { TrackingStore } from "../../src/store/tracking-store.ts";
import { EXP_ID, RUN_A, RUN_B, RUN_OLD, RUN_T, TRASH_EXP, withImportSetup, write } from "./mlruns_fixture.ts";

const assertEquals = <V>(actual: V, expected: V, msg?: string) =>
  nodeAssert.deepStrictEqual(actual, expected, msg);

async function history(store: TrackingStore, runId: string, key: string) {
  return (await store.getMetricHistory(runId, key, { offset: 0 })).items;
}

const sortTags = (t: { key: string; value: string }[]) => [...t].sort((a, b) => (a.key < b.key ? -1 : 1));

Deno.test("import keeps ids, times, states, params, tags, histories, inputs and copies artifacts", async () => {
  await withImportSetup("mlruns_import_", async ({ root, dest, store, opts, warnings }) => {
    const report = await importMlruns(store, root, opts);
    assertEquals(report.runs, { created: 4, updated: 0, unchanged: 0, failed: 0 });
    assertEquals(report.metricPoints, 9);
    assertEquals(warnings, []);

    const exp = await store.getExperiment(EXP_ID);
    assertEquals([exp.name, exp.creationTime, exp.lastUpdateTime, exp.lifecycleStage], [
      "exp-a",
      1700000000000,
      1700000000005,
      "active",
    ]);
    assertEquals(sortTags(exp.tags), [{ key: "a/b", value: "nested tag" }, { key: "team", value: "vision" }]);
    assertEquals(exp.artifactLocation, `mlflow-artifacts:/${EXP_ID}`);

    const a = await store.getRun(RUN_A);
    assertEquals([a.info.runName, a.info.userId, a.info.status, a.info.startTime, a.info.endTime], [
      "first",
      "alice",
      "FINISHED",
      1700000000100,
      1700000000900,
    ]);
    assertEquals(sortTags(a.data.params), [{ key: "lr", value: "0.01" }, { key: "opt/name", value: "adam" }]);
    assertEquals(a.data.tags.find((t) => t.key === "note")?.value, "two\nlines");
    const loss = await history(store, RUN_A, "loss");
    assertEquals(loss.map((m) => m.value), [0.5, NaN, Infinity, -Infinity, 1e-5]);
    assertEquals(loss.map((m) => m.step), [0, 1, 2, 3, 4]);
    assertEquals(await history(store, RUN_A, "train/acc"), [
      {
        key: "train/acc",
        value: 0.25,
        timestamp: 1700000000300,
        step: 7,
        datasetName: "train",
        datasetDigest: "d1g3st",
      },
    ]);
    assertEquals(a.inputs.datasetInputs, [{
      dataset: {
        name: "train",
        digest: "d1g3st",
        sourceType: "local",
        source: '{"uri": "mem"}',
        profile: '{"num_rows": 2}',
      },
      tags: [{ key: "mlflow.data.context", value: "training" }],
    }]);
    const art = path.join(dest, EXP_ID, RUN_A, "artifacts");
    assertEquals(await Deno.readTextFile(path.join(art, "model", "weights.bin")), "0123456789");
    assertEquals(await Deno.readTextFile(path.join(art, "readme.txt")), "hello");
    assertEquals(report.artifactFiles, 2);

    const b = await store.getRun(RUN_B);
    assertEquals([b.info.lifecycleStage, b.info.deletedTime, b.info.status], [
      "deleted",
      1700000005000,
      "FAILED",
    ]);
    assertEquals(b.data.tags.find((t) => t.key === "mlflow.parentRunId")?.value, RUN_A);

    const old = await store.getRun(RUN_OLD);
    assertEquals([old.info.runName, old.info.userId, old.info.lifecycleStage], ["legacy", "bob", "active"]);
    assertEquals((await history(store, RUN_OLD, "old")).map((m) => [m.value, m.step]), [[2.5, 0], [3.5, 0]]);

    const gone = await store.getExperiment(TRASH_EXP);
    assertEquals([gone.lifecycleStage, gone.lastUpdateTime], ["deleted", 1600000000005]);
    const t = await store.getRun(RUN_T);
    assertEquals([t.info.lifecycleStage, t.info.deletedTime, t.data.params], ["deleted", 1600000000005, [{
      key: "p",
      value: "1",
    }]]);
  });
});

Deno.test("re-import writes nothing new; appended points, new tags and new runs are added once", async () => {
  await withImportSetup("mlruns_import_", async ({ root, store, opts }) => {
    await importMlruns(store, root, opts);
    const again = await importMlruns(store, root, opts);
    assertEquals(again.runs, { created: 0, updated: 0, unchanged: 4, failed: 0 });
    assertEquals(again.experiments, { created: 0, updated: 0, unchanged: 3, failed: 0 });
    assertEquals(again.metricPoints, 0);
    assertEquals((await history(store, RUN_A, "loss")).length, 5);

    // MLflow kept logging to run A, and a run was restored in the trashed experiment... and deleted again.
    await Deno.writeTextFile(path.join(root, EXP_ID, RUN_A, "metrics", "loss"), "1700000000205 7.0 5\n", {
      append: true,
    });
    await write(path.join(root, EXP_ID, RUN_A, "metrics", "new"), "1700000000400 1.0 0\n");
    await write(path.join(root, EXP_ID, RUN_A, "tags", "late"), "yes");
    await write(path.join(root, EXP_ID, RUN_B, "params", "extra"), "x");
    const third = await importMlruns(store, root, opts);
    assertEquals(third.runs, { created: 0, updated: 2, unchanged: 2, failed: 0 });
    assertEquals(third.metricPoints, 2);
    const loss = await history(store, RUN_A, "loss");
    assertEquals(loss.map((m) => m.value), [0.5, NaN, Infinity, -Infinity, 1e-5, 7]);
    const a = await store.getRun(RUN_A);
    assertEquals(a.data.tags.find((t) => t.key === "late")?.value, "yes");
    assertEquals(a.data.metrics.find((m) => m.key === "loss")?.value, 7);
    // The deleted run got its new param and is deleted again with MLflow's deletion time.
    const b = await store.getRun(RUN_B);
    assertEquals([b.info.lifecycleStage, b.info.deletedTime], ["deleted", 1700000005000]);
    assertEquals(b.data.params, [{ key: "extra", value: "x" }]);
    const fourth = await importMlruns(store, root, opts);
    assertEquals(fourth.runs.unchanged, 4);
  });
});

Deno.test("lifecycle changes in the folder reach the store on re-import", async () => {
  await withImportSetup("mlruns_import_", async ({ root, store, opts }) => {
    await importMlruns(store, root, opts);
    // MLflow restored the trashed experiment (moved back, runs active) and deleted run A.
    await Deno.rename(path.join(root, ".trash", TRASH_EXP), path.join(root, TRASH_EXP));
    const expMeta = path.join(root, TRASH_EXP, "meta.yaml");
    await Deno.writeTextFile(expMeta, (await Deno.readTextFile(expMeta)).replace("deleted", "active"));
    const tMeta = path.join(root, TRASH_EXP, RUN_T, "meta.yaml");
    await Deno.writeTextFile(
      tMeta,
      (await Deno.readTextFile(tMeta)).replace("lifecycle_stage: deleted", "lifecycle_stage: active")
        .replace("deleted_time: 1600000000005", "deleted_time: null"),
    );
    const aMeta = path.join(root, EXP_ID, RUN_A, "meta.yaml");
    await Deno.writeTextFile(
      aMeta,
      (await Deno.readTextFile(aMeta)).replace("lifecycle_stage: active", "lifecycle_stage: deleted")
        .replace("deleted_time: null", "deleted_time: 1700000009999"),
    );
    await importMlruns(store, root, opts);
    assertEquals((await store.getExperiment(TRASH_EXP)).lifecycleStage, "active");
    assertEquals((await store.getRun(RUN_T)).info.lifecycleStage, "active");
    const a = await store.getRun(RUN_A);
    assertEquals([a.info.lifecycleStage, a.info.deletedTime], ["deleted", 1700000009999]);
  });
});

Deno.test("reference mode keeps file locations (relocated when the folder moved); conflicts are refused", async () => {
  await withImportSetup("mlruns_import_", async ({ tmp, root, store, opts, warnings }) => {
    const moved = path.join(tmp, "moved");
    await Deno.rename(root, moved);
    const report = await importMlruns(store, moved, { ...opts, artifacts: "reference" });
    assertEquals(report.artifactFiles, 0);
    const exp = await store.getExperiment(EXP_ID);
    assertEquals(exp.artifactLocation, `file://${moved}/${EXP_ID}`);
    assertEquals(
      (await store.getRun(RUN_A)).info.artifactUri,
      `file://${moved}/${EXP_ID}/${RUN_A}/artifacts`,
    );
    assertEquals(warnings, []);

    // Another folder whose experiment has the same name but another id, and one reusing an id.
    const other = path.join(tmp, "other");
    await write(
      path.join(other, "5", "meta.yaml"),
      "artifact_location: file:///nowhere/5\ncreation_time: 1\nexperiment_id: '5'\nlast_update_time: 1\n" +
        "lifecycle_stage: active\nname: exp-a\n",
    );
    await write(
      path.join(other, EXP_ID, "meta.yaml"),
      `artifact_location: file:///nowhere\ncreation_time: 42\nexperiment_id: '${EXP_ID}'\nlast_update_time: 42\n` +
        "lifecycle_stage: active\nname: something-else\n",
    );
    const r = await importMlruns(store, other, { ...opts, artifacts: "reference" });
    assertEquals(r.experiments.failed, 2);
    nodeAssert.ok(warnings.some((w) => w.includes("already has experiment") && w.includes("exp-a")));
    nodeAssert.ok(warnings.some((w) => w.includes("different experiment")));
    assertEquals((await store.getExperiment(EXP_ID)).name, "exp-a");
  });
});

Deno.test("malformed files are reported and skipped, the rest is imported", async () => {
  await withImportSetup("mlruns_import_", async ({ root, store, opts, warnings }) => {
    await write(path.join(root, EXP_ID, RUN_A, "metrics", "bad"), "1 2 3 4\n");
    const wrongDir = "e".repeat(32);
    await write(
      path.join(root, EXP_ID, wrongDir, "meta.yaml"),
      `run_id: ${"9".repeat(32)}\nexperiment_id: '${EXP_ID}'\nuser_id: x\nstart_time: 1\n`,
    );
    await write(path.join(root, "77", "meta.yaml"), "experiment_id: '78'\nname: mismatch\n");
    const report = await importMlruns(store, root, opts);
    assertEquals(report.runs, { created: 4, updated: 0, unchanged: 0, failed: 0 });
    nodeAssert.ok(warnings.some((w) => w.includes("'bad'") && w.includes("expected 2, 3 or 5 fields")));
    assertEquals((await store.getMetricHistory(RUN_A, "loss", { offset: 0 })).items.length, 5);
    assertEquals((await store.getMetricHistory(RUN_A, "bad", { offset: 0 })).items.length, 0);
    nodeAssert.ok(warnings.some((w) => w.includes(wrongDir)));
    nodeAssert.ok(warnings.some((w) => w.includes("mismatch") || w.includes("78")));
    await nodeAssert.rejects(() => store.getExperiment("77"));
  });
});
