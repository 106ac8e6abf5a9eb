// The bundled client (dist/client/tracker-client.mjs, built by scripts/build-client.sh) under Node:
// fluent logging, FAILED on throw, artifacts, the low-level client, the exit flush, and logModel.
// Run: TRACKER_URL=http://127.0.0.1:5000 node --test tests/node/
// (tests/unit/client_node_test.ts builds the bundle, starts a tracker and runs this.)

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const BUNDLE = fileURLToPath(new URL("../../dist/client/tracker-client.mjs", import.meta.url));
const URL_ = process.env.TRACKER_URL;
const tracker = await import(BUNDLE);

test("TRACKER_URL names the tracker under test", () => {
  assert.match(URL_ ?? "", /^http:\/\//);
});

test("a run logged from Node: params, 10k batched metrics, tags, text and image artifacts", async () => {
  await tracker.setTrackingUri(URL_);
  const exp = await tracker.setExperiment("from-node");
  const runId = await tracker.withRun({ runName: "node-run" }, async (run) => {
    await tracker.logParams({ runtime: "node", version: process.version });
    for (let i = 0; i < 10_000; i++) tracker.logMetric("loss", 1 / (i + 1), { step: i });
    await tracker.logMetric("odd", Number.NaN);
    await tracker.setTag("where", "node");
    await tracker.logText("from node", "notes.txt");
    await tracker.logImage([[0, 255]], "img.png");
    return run.runId;
  });
  const client = await tracker.getClient();
  const run = await client.getRun(runId);
  assert.equal(run.info.status, "FINISHED");
  assert.equal(run.info.experimentId, exp.experimentId);
  assert.equal(run.data.params.find((p) => p.key === "runtime").value, "node");
  assert.ok(Number.isNaN(run.data.metrics.find((m) => m.key === "odd").value));
  assert.equal((await client.getMetricHistory(runId, "loss")).length, 10_000);
  const files = (await client.listRunArtifacts(runId)).map((f) => f.path);
  assert.deepEqual(files, ["img.png", "notes.txt"]);
  const dir = mkdtempSync(join(tmpdir(), "tracker-node-"));
  const local = await client.downloadArtifacts(runId, "notes.txt", dir);
  assert.equal((await import("node:fs")).readFileSync(local, "utf8"), "from node");
});

test("a run whose body throws ends FAILED", async () => {
  await tracker.setTrackingUri(URL_);
  let id;
  await assert.rejects(
    tracker.withRun((run) => {
      id = run.runId;
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.equal((await (await tracker.getClient()).getRun(id)).info.status, "FAILED");
});

test("the low-level client and TrackerError work the same in Node", async () => {
  const client = await tracker.TrackerClient.connect({ trackingUri: URL_ });
  await assert.rejects(
    client.getExperiment("123456789"),
    (e) =>
      e instanceof tracker.TrackerError && e.errorCode === "RESOURCE_DOES_NOT_EXIST" && e.httpStatus === 404,
  );
});

test("a Node program that ends without endRun flushes (beforeExit) and finishes its run", () => {
  const dir = mkdtempSync(join(tmpdir(), "tracker-node-exit-"));
  const script = join(dir, "train.mjs");
  writeFileSync(
    script,
    `import * as tracker from ${JSON.stringify(BUNDLE)};
const run = await tracker.startRun();
for (let i = 0; i < 2500; i++) tracker.logMetric("exit", i, { step: i });
console.log(run.runId);
`,
  );
  const runId = execFileSync(process.execPath, [script], {
    env: { ...process.env, MLFLOW_TRACKING_URI: URL_ },
  })
    .toString().trim();
  return (async () => {
    const client = await tracker.TrackerClient.connect({ trackingUri: URL_ });
    assert.equal((await client.getMetricHistory(runId, "exit")).length, 2500);
    assert.equal((await client.getRun(runId)).info.status, "FINISHED");
  })();
});

test("logModel from Node: an MLflow 3 logged model of the run, READY, files at its location", async () => {
  await tracker.setTrackingUri(URL_);
  const info = await tracker.withRun((run) =>
    run.logModel({ js: { module: { source: "export const predict = (rows) => rows.length;" } } })
  );
  const client = await tracker.getClient();
  const model = await client.getLoggedModel(info.modelId);
  assert.equal(model.info.status, "LOGGED_MODEL_READY");
  assert.equal(model.info.name, "model");
  assert.equal(info.modelUri, `models:/${info.modelId}`);
  const run = await client.getRun(model.info.sourceRunId);
  assert.deepEqual(run.outputs.modelOutputs, [{ modelId: info.modelId, step: 0 }]);
  assert.equal(info.mlmodel.model_id, info.modelId);
});

test("local mode is Deno-only and says so under Node", async () => {
  await tracker.setTrackingUri(join(tmpdir(), "never-created-mlruns"));
  await assert.rejects(tracker.getClient(), /local mode .* needs Deno/);
  await tracker.setTrackingUri(undefined);
});
