// Export of a real KV store into FileStore files, checked file by file and by importing the result back.

import nodeAssert from "node:assert/strict";
import * as path from "node:path";
import { exportMlruns } from "../../src/interchange/filestore/export.ts";
import { importMlruns } from "../../src/interchange/filestore/import.ts";
import { openKvStore } from "../../src/store/kv/mod.ts";
import type { TrackingStore } from "../../src/store/tracking-store.ts";
import type { Run } from "../../src/store/types.ts";

const assertEquals = <V>(actual: V, expected: V, msg?: string) =>
  nodeAssert.deepStrictEqual(actual, expected, msg);

async function populate(store: TrackingStore, dest: string) {
  const exp = await store.createExperiment({ name: "exp-x", tags: [{ key: "k/nested", value: "v" }] });
  const run = await store.createRun({
    experimentId: exp,
    userId: "ann",
    runName: "on", // a YAML 1.1 boolean word: must be quoted
    startTime: 1700000000000,
    tags: [{ key: "mlflow.runName", value: "on" }, { key: "multi", value: "a\nb" }],
  });
  const id = run.info.runId;
  await store.logBatch(
    id,
    [
      { key: "loss", value: 0.5, timestamp: 10, step: 0 },
      { key: "loss", value: NaN, timestamp: 11, step: 1 },
      { key: "loss", value: Infinity, timestamp: 12, step: 2 },
      { key: "loss", value: -Infinity, timestamp: 13, step: 3 },
      { key: "train/acc", value: 3, timestamp: 14, step: 5, datasetName: "ds", datasetDigest: "abc" },
    ],
    [{ key: "lr", value: "0.1" }, { key: "opt/beta", value: "0.9" }],
    [],
  );
  await store.logInputs(id, [{
    dataset: { name: "ds", digest: "abc", sourceType: "local", source: "{}", schema: "{}" },
    tags: [{ key: "mlflow.data.context", value: "training" }],
  }], [{ modelId: "m-1" }]);
  await store.logOutputs(id, [{ modelId: "m-2", step: 3 }]);
  await store.updateRun(id, { status: "FINISHED", endTime: 1700000000999 });
  const art = path.join(dest, exp, id, "artifacts");
  await Deno.mkdir(path.join(art, "dir"), { recursive: true });
  await Deno.writeTextFile(path.join(art, "dir", "f.txt"), "content");

  const gone = await store.createRun({
    experimentId: exp,
    userId: "u",
    runName: "gone",
    startTime: 5,
    tags: [],
  });
  await store.deleteRun(gone.info.runId, 1234);
  const trashed = await store.createExperiment({ name: "trashed" });
  const inTrash = await store.createRun({
    experimentId: trashed,
    userId: "u",
    runName: "t",
    startTime: 6,
    tags: [],
  });
  await store.deleteExperiment(trashed, 4321);
  return { exp, id, gone: gone.info.runId, trashed, inTrash: inTrash.info.runId };
}

const strip = (r: Run) => ({
  ...r,
  info: { ...r.info, artifactUri: "" },
  data: {
    ...r.data,
    params: [...r.data.params].sort((a, b) => (a.key < b.key ? -1 : 1)),
    tags: [...r.data.tags].sort((a, b) => (a.key < b.key ? -1 : 1)),
    metrics: [...r.data.metrics].sort((a, b) => (a.key < b.key ? -1 : 1)),
  },
});

Deno.test("export writes MLflow's files; importing them back gives the same store", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mlruns_export_" });
  const dest = path.join(tmp, "mlartifacts");
  const out = path.join(tmp, "out");
  const store = await openKvStore({ path: ":memory:", defaultArtifactRoot: "mlflow-artifacts:/" });
  const copy = await openKvStore({ path: ":memory:", defaultArtifactRoot: "mlflow-artifacts:/" });
  try {
    const ids = await populate(store, dest);
    const warnings: string[] = [];
    const report = await exportMlruns(store, out, {
      artifacts: "copy",
      artifactsDestination: dest,
      warn: (m) => warnings.push(m),
    });
    assertEquals(warnings, []);
    assertEquals([report.experiments, report.runs, report.metricPoints, report.artifactFiles], [3, 3, 5, 1]);

    const runDir = path.join(out, ids.exp, ids.id);
    const meta = await Deno.readTextFile(path.join(runDir, "meta.yaml"));
    nodeAssert.match(meta, /^run_name: 'on'$/m);
    nodeAssert.match(meta, new RegExp(`^run_uuid: ${ids.id}$`, "m"));
    nodeAssert.match(meta, /^status: 3$/m);
    nodeAssert.match(meta, new RegExp(`^artifact_uri: file://${out}/${ids.exp}/${ids.id}/artifacts$`, "m"));
    assertEquals(
      await Deno.readTextFile(path.join(runDir, "metrics", "loss")),
      "10 0.5 0\n11 nan 1\n12 inf 2\n13 -inf 3\n",
    );
    assertEquals(await Deno.readTextFile(path.join(runDir, "metrics", "train", "acc")), "14 3.0 5 ds abc\n");
    assertEquals(await Deno.readTextFile(path.join(runDir, "params", "opt", "beta")), "0.9");
    assertEquals(await Deno.readTextFile(path.join(runDir, "tags", "multi")), "a\nb");
    assertEquals(await Deno.readTextFile(path.join(runDir, "artifacts", "dir", "f.txt")), "content");
    assertEquals(await Deno.readTextFile(path.join(out, ids.exp, "tags", "k", "nested")), "v");
    nodeAssert.match(
      await Deno.readTextFile(path.join(out, ".trash", ids.trashed, "meta.yaml")),
      /lifecycle_stage: deleted/,
    );
    nodeAssert.match(
      await Deno.readTextFile(path.join(out, ".trash", ids.trashed, ids.inTrash, "meta.yaml")),
      /deleted_time: 4321/,
    );
    nodeAssert.match(
      await Deno.readTextFile(path.join(out, ids.exp, ids.gone, "meta.yaml")),
      /deleted_time: 1234/,
    );

    const back = await importMlruns(copy, out, {
      artifacts: "copy",
      artifactsDestination: dest,
      warn: (m) => warnings.push(m),
    });
    assertEquals(back.runs.failed + back.experiments.failed, 0);
    assertEquals(warnings, []);
    for (const runId of [ids.id, ids.gone, ids.inTrash]) {
      assertEquals(strip(await copy.getRun(runId)), strip(await store.getRun(runId)), runId);
    }
    for (const key of ["loss", "train/acc"]) {
      assertEquals(
        (await copy.getMetricHistory(ids.id, key, { offset: 0 })).items,
        (await store.getMetricHistory(ids.id, key, { offset: 0 })).items,
      );
    }
    for (const e of [ids.exp, ids.trashed]) {
      const [a, b] = [await copy.getExperiment(e), await store.getExperiment(e)];
      assertEquals({ ...a, tags: a.tags }, { ...b, artifactLocation: a.artifactLocation });
    }

    // Exporting again rewrites the same files (no appended duplicates) and moves a restored experiment out of
    // the trash.
    await store.restoreExperiment(ids.trashed);
    await exportMlruns(store, out, {
      artifacts: "copy",
      artifactsDestination: dest,
      warn: (m) => warnings.push(m),
    });
    assertEquals(
      await Deno.readTextFile(path.join(runDir, "metrics", "loss")),
      "10 0.5 0\n11 nan 1\n12 inf 2\n13 -inf 3\n",
    );
    nodeAssert.ok(await Deno.stat(path.join(out, ids.trashed, ids.inTrash, "meta.yaml")));
    await nodeAssert.rejects(() => Deno.stat(path.join(out, ".trash", ids.trashed)));
  } finally {
    await store.close();
    await copy.close();
    await Deno.remove(tmp, { recursive: true });
  }
});
