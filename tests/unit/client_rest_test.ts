// The low-level client (TrackerClient / RestClient) against a real tracker process: every endpoint,
// MLflow's error format, NaN/±Infinity round trips, paging and batch splitting.

import assert from "node:assert/strict";
import { TrackerClient } from "../../src/client/client.ts";
import { TrackerError } from "../../src/client/errors.ts";
import type { Metric } from "../../src/client/types.ts";
import { join } from "node:path";
import { envOf, startTracker } from "./client_harness.ts";

async function rejects(p: Promise<unknown>, code: string, status: number): Promise<TrackerError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof TrackerError, `expected a TrackerError, got ${e}`);
    assert.equal(e.errorCode, code, e.message);
    assert.equal(e.httpStatus, status);
    return e;
  }
  assert.fail(`expected ${code}`);
}

async function everyEndpoint(t: Deno.TestContext, client: TrackerClient): Promise<void> {
  {
    let expId = "";
    await t.step("experiments: create, get, get-by-name, tags, rename, search, delete, restore", async () => {
      expId = await client.createExperiment("rest-exp", { tags: [{ key: "team", value: "a" }] });
      const exp = await client.getExperiment(expId);
      assert.equal(exp.name, "rest-exp");
      assert.equal(exp.lifecycleStage, "active");
      assert.deepEqual(exp.tags, [{ key: "team", value: "a" }]);
      assert.equal((await client.getExperimentByName("rest-exp"))?.experimentId, expId);
      assert.equal(await client.getExperimentByName("no-such-experiment"), undefined);

      await client.setExperimentTag(expId, "stage", "dev");
      await client.deleteExperimentTag(expId, "team");
      assert.deepEqual((await client.getExperiment(expId)).tags, [{ key: "stage", value: "dev" }]);

      await client.renameExperiment(expId, "rest-exp-2");
      assert.equal((await client.getExperiment(expId)).name, "rest-exp-2");

      const other = await client.createExperiment("rest-other");
      const page1 = await client.searchExperiments({ maxResults: 1, orderBy: ["name ASC"] });
      assert.equal(page1.items.length, 1);
      assert.ok(page1.nextPageToken);
      const page2 = await client.searchExperiments({
        maxResults: 1,
        orderBy: ["name ASC"],
        pageToken: page1.nextPageToken,
      });
      assert.notEqual(page2.items[0].experimentId, page1.items[0].experimentId);
      const filtered = await client.searchExperiments({ filter: "name LIKE 'rest-%'" });
      assert.deepEqual(filtered.items.map((e) => e.name).sort(), ["rest-exp-2", "rest-other"]);

      await client.deleteExperiment(other);
      const all = await client.searchAllExperiments({ viewType: "ALL" });
      assert.deepEqual(all.map((e) => e.name).sort(), ["Default", "rest-exp-2", "rest-other"]);
      const deleted = await client.searchAllExperiments({ viewType: "DELETED_ONLY" });
      assert.deepEqual(deleted.map((e) => e.experimentId), [other]);
      await client.restoreExperiment(other);
      assert.equal((await client.getExperiment(other)).lifecycleStage, "active");
    });

    await t.step("errors carry MLflow's error_code and the HTTP status", async () => {
      const dup = await rejects(client.createExperiment("rest-exp-2"), "RESOURCE_ALREADY_EXISTS", 400);
      assert.match(dup.message, /rest-exp-2/);
      await rejects(client.getExperiment("424242"), "RESOURCE_DOES_NOT_EXIST", 404);
      await rejects(client.getRun("0123456789abcdef0123456789abcdef"), "RESOURCE_DOES_NOT_EXIST", 404);
      await rejects(client.createExperiment(""), "INVALID_PARAMETER_VALUE", 400);
    });

    let runId = "";
    await t.step("runs: create, get, update, tags, params, delete, restore", async () => {
      const run = await client.createRun({
        experimentId: expId,
        runName: "r1",
        userId: "alice",
        startTime: 1_700_000_000_000,
        tags: [{ key: "k", value: "v" }],
      });
      runId = run.info.runId;
      assert.match(runId, /^[0-9a-f]{32}$/);
      assert.equal(run.info.status, "RUNNING");
      assert.equal(run.info.userId, "alice");
      assert.equal(run.info.startTime, 1_700_000_000_000);

      await client.logParam(runId, "lr", "0.1");
      await client.setTag(runId, "t1", "x");
      await client.setTag(runId, "t2", "y");
      await client.deleteTag(runId, "t2");
      await rejects(client.logParam(runId, "lr", "0.2"), "INVALID_PARAMETER_VALUE", 400);

      const info = await client.updateRun(runId, {
        status: "FINISHED",
        endTime: 1_700_000_001_000,
        runName: "r1b",
      });
      assert.equal(info.status, "FINISHED");
      assert.equal(info.endTime, 1_700_000_001_000);
      assert.equal(info.runName, "r1b");

      const got = await client.getRun(runId);
      assert.deepEqual(got.data.params, [{ key: "lr", value: "0.1" }]);
      const tags = Object.fromEntries(got.data.tags.map((t) => [t.key, t.value]));
      assert.equal(tags.t1, "x");
      assert.equal(tags.t2, undefined);
      assert.equal(tags["mlflow.runName"], "r1b");

      await client.deleteRun(runId);
      assert.equal((await client.getRun(runId)).info.lifecycleStage, "deleted");
      await rejects(client.setTag(runId, "a", "b"), "INVALID_PARAMETER_VALUE", 400);
      await client.restoreRun(runId);
      assert.equal((await client.getRun(runId)).info.lifecycleStage, "active");
    });

    await t.step("metrics: log-metric keeps NaN and ±Infinity; history pages; bulk endpoints", async () => {
      const values = [NaN, Infinity, -Infinity, 0.5, -0, 1e-300];
      for (const [i, value] of values.entries()) {
        await client.logMetric(runId, { key: "odd", value, timestamp: 1000 + i, step: i });
      }
      const history = await client.getMetricHistory(runId, "odd");
      assert.equal(history.length, values.length);
      for (const [i, m] of history.entries()) {
        assert.ok(
          Object.is(m.value, values[i]) || (m.value === 0 && values[i] === 0),
          `${m.value} vs ${values[i]}`,
        );
        assert.equal(m.step, i);
        assert.equal(m.timestamp, 1000 + i);
      }
      const page = await client.getMetricHistoryPage(runId, "odd", { maxResults: 4 });
      assert.equal(page.items.length, 4);
      assert.ok(page.nextPageToken);
      const rest = await client.getMetricHistoryPage(runId, "odd", {
        maxResults: 4,
        pageToken: page.nextPageToken,
      });
      assert.equal(rest.items.length, 2);
      assert.equal(rest.nextPageToken, undefined);

      const interval = await client.getMetricHistoryBulkInterval([runId], "odd", {
        startStep: 1,
        endStep: 3,
      });
      assert.deepEqual(interval.map((m) => m.step), [1, 2, 3]);
      assert.ok(interval.every((m) => m.runId === runId));
      const bulk = await client.getMetricHistoryBulk([runId], "odd");
      assert.equal(bulk.length, values.length);
      assert.ok(Number.isNaN(bulk[0].value));
    });

    await t.step("log-batch above MLflow's limits is split, nothing is lost", async () => {
      const metrics: Metric[] = Array.from(
        { length: 2500 },
        (_, i) => ({ key: "b", value: i, timestamp: 5000, step: i }),
      );
      const params = Array.from({ length: 150 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
      const tags = Array.from({ length: 120 }, (_, i) => ({ key: `tag${i}`, value: String(i) }));
      await client.logBatch(runId, { metrics, params, tags });
      const run = await client.getRun(runId);
      assert.equal(run.data.params.length, 151);
      assert.equal(run.data.tags.filter((t) => t.key.startsWith("tag")).length, 120);
      const history = await client.getMetricHistory(runId, "b");
      assert.deepEqual(history.map((m) => m.value), metrics.map((m) => m.value));
    });

    await t.step("search runs: filter, order, paging", async () => {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await client.createRun({ experimentId: expId, runName: `s${i}` });
        await client.logMetric(r.info.runId, { key: "acc", value: i / 10, timestamp: 1, step: 0 });
        ids.push(r.info.runId);
      }
      const best = await client.searchRuns({
        experimentIds: [expId],
        filter: "metrics.acc > 0.05",
        orderBy: ["metrics.acc DESC"],
      });
      assert.deepEqual(best.items.map((r) => r.info.runId), [ids[2], ids[1]]);
      const first = await client.searchRuns({ experimentIds: [expId], maxResults: 2 });
      assert.equal(first.items.length, 2);
      assert.ok(first.nextPageToken);
      const all = await client.searchAllRuns({ experimentIds: [expId] });
      assert.equal(all.length, 4);
      const capped = await client.searchAllRuns({ experimentIds: [expId], maxResults: 3 });
      assert.equal(capped.length, 3);
    });

    await t.step("log-model, log-inputs and run outputs", async () => {
      const model = {
        artifact_path: "model",
        flavors: { js: { data: "m.mjs" } },
        utc_time_created: "2026-01-01 00:00:00.000000",
        run_id: runId,
      };
      await client.logModel(runId, JSON.stringify(model));
      const tag = (await client.getRun(runId)).data.tags.find((t) => t.key === "mlflow.log-model.history");
      assert.ok(tag);
      assert.equal(JSON.parse(tag.value)[0].artifact_path, "model");

      await client.logInputs(runId, [{
        tags: [{ key: "mlflow.data.context", value: "training" }],
        dataset: { name: "iris", digest: "abc123", sourceType: "local", source: "{}" },
      }]);
      const inputs = (await client.getRun(runId)).inputs;
      assert.equal(inputs.datasetInputs[0].dataset.name, "iris");
      assert.deepEqual(inputs.datasetInputs[0].tags, [{ key: "mlflow.data.context", value: "training" }]);

      const lm = await client.createLoggedModel({ experimentId: expId, name: "lm", sourceRunId: runId });
      await client.logOutputs(runId, [{ modelId: lm.info.modelId, step: 3 }]);
      assert.deepEqual((await client.getRun(runId)).outputs.modelOutputs, [{
        modelId: lm.info.modelId,
        step: 3,
      }]);
    });

    await t.step("logged models: create, get, params, tags, finalize, search, list, delete", async () => {
      const lm = await client.createLoggedModel({
        experimentId: expId,
        name: "net",
        modelType: "onnx",
        params: [{ key: "layers", value: "3" }],
        tags: [{ key: "a", value: "1" }],
      });
      assert.match(lm.info.modelId, /^m-[0-9a-f]{32}$/);
      assert.equal(lm.info.status, "LOGGED_MODEL_PENDING");
      await client.logLoggedModelParams(lm.info.modelId, [{ key: "width", value: "64" }]);
      await client.setLoggedModelTags(lm.info.modelId, [{ key: "b", value: "2" }]);
      await client.deleteLoggedModelTag(lm.info.modelId, "a");
      const ready = await client.finalizeLoggedModel(lm.info.modelId, "LOGGED_MODEL_READY");
      assert.equal(ready.info.status, "LOGGED_MODEL_READY");
      const got = await client.getLoggedModel(lm.info.modelId);
      assert.deepEqual(got.info.tags, [{ key: "b", value: "2" }]);
      assert.deepEqual(got.data.params.map((p) => p.key).sort(), ["layers", "width"]);
      const found = await client.searchLoggedModels({ experimentIds: [expId], filter: "name = 'net'" });
      assert.deepEqual(found.items.map((m) => m.info.modelId), [lm.info.modelId]);
      const listing = await client.listLoggedModelArtifacts(lm.info.modelId);
      assert.deepEqual(listing.files, []);
      await client.deleteLoggedModel(lm.info.modelId);
      await rejects(client.getLoggedModel(lm.info.modelId), "RESOURCE_DOES_NOT_EXIST", 404);
    });

    await t.step("artifacts/list, health and version", async () => {
      const run = await client.createRun({ experimentId: expId });
      await client.artifactRepo(run.info.artifactUri).uploadBytes(new TextEncoder().encode("x"), "d/f.txt");
      const listed = await client.listArtifacts(run.info.runId, "d");
      assert.equal(listed.rootUri, run.info.artifactUri);
      assert.deepEqual(listed.files, [{ path: "d/f.txt", isDir: false, fileSize: 1 }]);
      assert.equal(await client.health(), true);
      assert.match(await client.serverVersion(), /^\d+\.\d+\.\d+/);
    });
  }
}

Deno.test("REST client: every tracking endpoint against a real tracker", async (t) => {
  const server = await startTracker();
  const client = await TrackerClient.connect({ trackingUri: server.url, env: envOf() });
  try {
    await everyEndpoint(t, client);
  } finally {
    await client.close();
    await server.stop();
  }
});

Deno.test("REST client: every tracking endpoint in local mode (store opened in-process)", async (t) => {
  const dir = join(await Deno.makeTempDir({ prefix: "tracker-rest-local-" }), "mlruns");
  const client = await TrackerClient.connect({ trackingUri: dir, env: envOf() });
  try {
    assert.equal(client.embedded, true);
    await everyEndpoint(t, client);
  } finally {
    await client.close();
  }
});
