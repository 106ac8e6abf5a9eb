// Logged models and the model registry in FileStore folders: hand-written MLflow files imported into the real
// KV store (in memory), exported back and read with the same reader, plus the line and meta codecs.

import nodeAssert from "node:assert/strict";
import * as path from "node:path";
import { exportMlruns } from "../../src/interchange/filestore/export.ts";
import { importMlruns } from "../../src/interchange/filestore/import.ts";
import { LocationMap } from "../../src/interchange/filestore/locations.ts";
import { MetaError } from "../../src/interchange/filestore/meta.ts";
import {
  formatModelMetricLine,
  MetricLineError,
  parseModelMetricLine,
} from "../../src/interchange/filestore/metric-line.ts";
import { readLoggedModelMeta, readModelVersionMeta } from "../../src/interchange/filestore/model-meta.ts";
import { readLoggedModels, readRegistry } from "../../src/interchange/filestore/models-reader.ts";
import { listExperiments } from "../../src/interchange/filestore/reader.ts";
import { EXP_ID, RUN_A, withImportSetup, write } from "./mlruns_fixture.ts";

const assertEquals = <V>(actual: V, expected: V, msg?: string) =>
  nodeAssert.deepStrictEqual(actual, expected, msg);

const LM = "m-" + "1".repeat(32);
const LM_GONE = "m-" + "2".repeat(32);

/** What MLflow 3.18 writes for a finalized model (no lifecycle_stage), a deleted one, and a registry. */
async function addModels(root: string) {
  const m = path.join(root, EXP_ID, "models", LM);
  await write(
    path.join(m, "meta.yaml"),
    `artifact_location: file://${m}/artifacts\ncreation_timestamp: 1700000001000\nexperiment_id: '${EXP_ID}'\n` +
      `last_updated_timestamp: 1700000001500\nmodel_id: ${LM}\nmodel_type: onnx\nname: net\n` +
      `source_run_id: ${RUN_A}\nstatus: 2\nstatus_message: null\n`,
  );
  await write(path.join(m, "params", "layers"), "3");
  await write(path.join(m, "tags", "team"), "a");
  await write(
    path.join(m, "metrics", "acc"),
    `1700000001100 0.5 1 ${RUN_A}\n1700000001101 0.75 2 ${RUN_A}\n1700000001102 0.7 2 ${RUN_A} val d1\n`,
  );
  await write(path.join(m, "artifacts", "MLmodel"), "flavors: {}\n");
  const g = path.join(root, EXP_ID, "models", LM_GONE);
  await write(
    path.join(g, "meta.yaml"),
    `artifact_location: file://${g}/artifacts\ncreation_timestamp: 1700000002000\nexperiment_id: '${EXP_ID}'\n` +
      `last_updated_timestamp: 1700000002001\nlifecycle_stage: deleted\nmodel_id: ${LM_GONE}\nmodel_type: null\n` +
      `name: dropped\nsource_run_id: null\nstatus: 1\nstatus_message: null\n`,
  );

  const r = path.join(root, "models", "reg");
  await write(
    path.join(r, "meta.yaml"),
    "aliases:\n  champion: '1'\ncreation_timestamp: 1700000003000\ndeployment_job_id: null\n" +
      "description: the model\nlast_updated_timestamp: 1700000003500\nname: reg\nworkspace: default\n",
  );
  await write(path.join(r, "tags", "k"), "v");
  await write(path.join(r, "aliases", "champion"), "1");
  const version = (n: number, stage: string, source: string, extra = "") =>
    write(
      path.join(r, `version-${n}`, "meta.yaml"),
      `creation_timestamp: ${1700000003000 + n}\ncurrent_stage: ${stage}\ndescription: null\n` +
        `last_updated_timestamp: ${1700000003100 + n}\nname: reg\nrun_id: ${RUN_A}\nrun_link: null\n` +
        `source: ${source}\nstatus: READY\nstatus_message: null\nstorage_location: ${source}\nuser_id: null\n` +
        `version: ${n}\n${extra}`,
    );
  await version(1, "None", `models:/${LM}`, `model_id: ${LM}\n`);
  await write(path.join(r, "version-1", "tags", "vt"), "x");
  await version(2, "Deleted_Internal", `runs:/${RUN_A}/model`);
  await version(3, "Staging", `runs:/${RUN_A}/model`);
  await version(4, "Deleted_Internal", `runs:/${RUN_A}/model`);
}

Deno.test("import of logged models and the registry keeps ids, numbers, times, stages and aliases", async () => {
  await withImportSetup("mlruns_models_", async ({ root, store, opts, warnings }) => {
    const report = await importMlruns(store, root, opts);
    assertEquals(report.loggedModels, { created: 2, updated: 0, unchanged: 0, failed: 0 });
    assertEquals(report.registeredModels, { created: 1, updated: 0, unchanged: 0, failed: 0 });
    assertEquals(warnings, []);

    const lm = await store.getLoggedModel(LM);
    assertEquals(lm.status, "LOGGED_MODEL_READY");
    assertEquals(lm.lifecycleStage, "active");
    assertEquals([lm.creationTimestamp, lm.lastUpdatedTimestamp], [1700000001000, 1700000001500]);
    assertEquals(lm.artifactUri, `mlflow-artifacts:/${EXP_ID}/models/${LM}/artifacts`);
    assertEquals(
      await Deno.readTextFile(
        path.join(opts.artifactsDestination, EXP_ID, "models", LM, "artifacts", "MLmodel"),
      ),
      "flavors: {}\n",
    );
    // The latest point per dataset, with the run that logged it.
    assertEquals(lm.metrics.map((m) => [m.value, m.step, m.datasetName, m.runId]), [
      [0.75, 2, undefined, RUN_A],
      [0.7, 2, "val", RUN_A],
    ]);
    await nodeAssert.rejects(store.getLoggedModel(LM_GONE), /not found/);
    assertEquals((await store.getLoggedModel(LM_GONE, true)).lifecycleStage, "deleted");

    const entry = await store.getRegistryEntry("reg");
    assertEquals(entry.versions.map((v) => [v.version, v.currentStage]), [["1", "None"], ["3", "Staging"]]);
    assertEquals(entry.lastVersion, 4);
    assertEquals(entry.model.aliases, [{ alias: "champion", version: "1" }]);
    assertEquals(entry.model.description, "the model");
    assertEquals(entry.versions[0].storageLocation, lm.artifactUri);
    assertEquals(entry.versions[1].storageLocation, `mlflow-artifacts:/${EXP_ID}/${RUN_A}/artifacts/model`);
    const next = await store.createModelVersion({
      name: "reg",
      source: "x",
      storageLocation: "x",
      tags: [],
    });
    assertEquals(next.version, "5");
    await store.deleteModelVersion("reg", "5");

    const again = await importMlruns(store, root, opts);
    assertEquals(again.loggedModels, { created: 0, updated: 0, unchanged: 2, failed: 0 });
    // Creating version 5 changed the model's time; the file's is written back once.
    assertEquals(again.registeredModels, { created: 0, updated: 1, unchanged: 0, failed: 0 });
    assertEquals((await importMlruns(store, root, opts)).registeredModels.unchanged, 1);
    assertEquals((await store.getRegistryEntry("reg")).lastVersion, 5);

    // A version MLflow deleted after the first import is deleted on the next.
    const v3 = path.join(root, "models", "reg", "version-3", "meta.yaml");
    await Deno.writeTextFile(v3, (await Deno.readTextFile(v3)).replace("Staging", "Deleted_Internal"));
    assertEquals((await importMlruns(store, root, opts)).registeredModels.updated, 1);
    assertEquals((await store.getRegistryEntry("reg")).versions.map((v) => v.version), ["1"]);
  }, addModels);
});

Deno.test("export writes logged models and the registry that the reader (MLflow's layout) reads back", async () => {
  await withImportSetup("mlruns_models_", async ({ tmp, root, store, opts }) => {
    await importMlruns(store, root, opts);
    await store.deleteModelVersion("reg", "3"); // the highest live version is now 1, last issued 4
    const out = path.join(tmp, "exported");
    const report = await exportMlruns(store, out, {
      artifacts: "copy",
      artifactsDestination: opts.artifactsDestination,
      warn: () => {},
    });
    assertEquals([report.loggedModels, report.registeredModels], [2, 1]);

    const exp = (await listExperiments(out, () => {})).find((e) => e.meta.experimentId === EXP_ID)!;
    const models = await readLoggedModels(exp, () => {});
    const byId = new Map(models.map((m) => [m.meta.modelId, m]));
    assertEquals(byId.get(LM_GONE)!.meta.lifecycleStage, "deleted");
    const lm = byId.get(LM)!;
    assertEquals(lm.meta.artifactLocation, `${exp.meta.artifactLocation}/models/${LM}/artifacts`);
    assertEquals(await Deno.readTextFile(path.join(lm.dir, "artifacts", "MLmodel")), "flavors: {}\n");
    assertEquals(lm.params, [{ key: "layers", value: "3" }]);
    assertEquals(lm.metrics.length, 2);

    const [reg] = await readRegistry(out, () => {});
    assertEquals(reg.aliases, [{ alias: "champion", version: "1" }]);
    // Version 1 (live) and a Deleted_Internal placeholder holding number 4.
    assertEquals(reg.versions.map((v) => [v.meta.version, v.meta.stage]), [[1, "None"], [4, undefined]]);
    // The storage location follows the model's files into the exported folder.
    assertEquals(reg.versions[0].meta.storageLocation, lm.meta.artifactLocation);
  }, addModels);
});

Deno.test("model metric lines: MLflow's 4- and 6-field forms, run id None, malformed lines", () => {
  const p = parseModelMetricLine("acc", "10 nan 3 None val d1");
  assertEquals([Number.isNaN(p.value), p.step, p.runId, p.datasetName, p.datasetDigest], [
    true,
    3,
    undefined,
    "val",
    "d1",
  ]);
  assertEquals(
    formatModelMetricLine({ key: "a", value: 1e-5, timestamp: 1, step: 2, runId: "r" }),
    "1 1e-05 2 r\n",
  );
  assertEquals(
    formatModelMetricLine({ key: "a", value: -Infinity, timestamp: 1, step: 2 }),
    "1 -inf 2 None\n",
  );
  nodeAssert.throws(() => parseModelMetricLine("a", "1 2 3"), MetricLineError);
  nodeAssert.throws(() => parseModelMetricLine("a", "1 x 3 r"), MetricLineError);
});

Deno.test("model meta: statuses by number or name, unknown stage and status refused", () => {
  const base = { model_id: LM, experiment_id: 5, name: "n" };
  assertEquals(readLoggedModelMeta({ ...base, status: 3 }).status, "LOGGED_MODEL_UPLOAD_FAILED");
  assertEquals(readLoggedModelMeta({ ...base, status: "READY" }).status, "LOGGED_MODEL_READY");
  assertEquals(readLoggedModelMeta(base).experimentId, "5");
  nodeAssert.throws(() => readLoggedModelMeta({ ...base, status: 9 }), MetaError);
  const v = { name: "r", version: 2, source: "s" };
  assertEquals(readModelVersionMeta({ ...v, current_stage: "production" }).stage, "Production");
  assertEquals(readModelVersionMeta({ ...v, current_stage: "Deleted_Internal" }).stage, undefined);
  nodeAssert.throws(() => readModelVersionMeta({ ...v, current_stage: "Gone" }), MetaError);
  nodeAssert.throws(() => readModelVersionMeta({ ...v, version: 0 }), MetaError);
});

Deno.test("location map: longest prefix wins, local spellings match, others untouched", () => {
  const m = new LocationMap();
  m.add("/data/mlruns/1/abc/artifacts", "mlflow-artifacts:/1/abc/artifacts");
  m.add("file:///data/mlruns/1/abc/artifacts/model", "s3://b/m");
  m.add("mlflow-artifacts:/9/r/artifacts/", "file:///out/9/r/artifacts");
  assertEquals(m.map("file:///data/mlruns/1/abc/artifacts/x/y"), "mlflow-artifacts:/1/abc/artifacts/x/y");
  assertEquals(m.map("file:/data/mlruns/1/abc/artifacts/model/MLmodel"), "s3://b/m/MLmodel");
  assertEquals(m.map("mlflow-artifacts:/9/r/artifacts/model"), "file:///out/9/r/artifacts/model");
  assertEquals(m.map("/data/mlruns/1/abcd"), "/data/mlruns/1/abcd");
  assertEquals(m.map("runs:/abc/model"), "runs:/abc/model");
});
