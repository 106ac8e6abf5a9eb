// The behaviour every TrackingStore backend must show. Each backend's test file calls
// `trackingStoreContract(name, open)`; `open(dir)` returns a fresh store, and opening the same dir again
// (when `reopenable`) must show everything written before.

import { assert, assertEquals, expectCode } from "./expect.ts";
import type { SearchRunsQuery, TrackingStore } from "../../src/store/tracking-store.ts";
import type { Metric } from "../../src/store/types.ts";

export interface ContractOptions {
  /** Opens a store on `dir`; the same dir reopened must hold the same data when reopenable. */
  open: (dir: string) => Promise<TrackingStore>;
  reopenable: boolean;
}

type T = Deno.TestContext;

const search = (ids: string[], extra: Partial<SearchRunsQuery> = {}): SearchRunsQuery => ({
  experimentIds: ids,
  viewType: "ACTIVE_ONLY",
  filter: [],
  orderBy: [],
  maxResults: 1000,
  offset: 0,
  ...extra,
});

const metric = (key: string, value: number, step: number, timestamp = 1000 + step): Metric => ({
  key,
  value,
  step,
  timestamp,
});

export function trackingStoreContract(name: string, opts: ContractOptions) {
  const withStore = (title: string, fn: (s: TrackingStore, dir: string, t: T) => Promise<void>) =>
    Deno.test(`${name}: ${title}`, async (t) => {
      const dir = await Deno.makeTempDir({ prefix: "tracker-contract-" });
      const store = await opts.open(dir);
      try {
        await fn(store, dir, t);
      } finally {
        await store.close().catch(() => {});
        await Deno.remove(dir, { recursive: true });
      }
    });

  withStore("default experiment 0 exists", async (s) => {
    const e = await s.getExperiment("0");
    assertEquals(e.name, "Default");
    assertEquals(e.lifecycleStage, "active");
    assertEquals((await s.getExperimentByName("Default"))?.experimentId, "0");
  });

  withStore("experiments: create, get, names unique across deleted, rename, tags", async (s) => {
    const id = await s.createExperiment({ name: "a", tags: [{ key: "k", value: "v" }] });
    const e = await s.getExperiment(id);
    assertEquals(e.name, "a");
    assertEquals(e.tags, [{ key: "k", value: "v" }]);
    assert(e.artifactLocation.endsWith(`/${id}`) || e.artifactLocation.endsWith(id));
    await expectCode(s.createExperiment({ name: "a" }), "RESOURCE_ALREADY_EXISTS");
    await expectCode(s.getExperiment("999999"), "RESOURCE_DOES_NOT_EXIST");
    assertEquals(await s.getExperimentByName("nope"), null);

    await s.renameExperiment(id, "b");
    assertEquals((await s.getExperiment(id)).name, "b");
    assertEquals(await s.getExperimentByName("a"), null);
    const other = await s.createExperiment({ name: "c" });
    await expectCode(s.renameExperiment(other, "b"), "RESOURCE_ALREADY_EXISTS");

    await s.setExperimentTag(id, { key: "k", value: "v2" });
    await s.setExperimentTag(id, { key: "k2", value: "x" });
    assertEquals((await s.getExperiment(id)).tags.length, 2);
    await s.deleteExperimentTag(id, "k2");
    assertEquals((await s.getExperiment(id)).tags, [{ key: "k", value: "v2" }]);
    await expectCode(s.deleteExperimentTag(id, "missing"), "RESOURCE_DOES_NOT_EXIST");

    await s.deleteExperiment(other);
    await expectCode(s.createExperiment({ name: "c" }), "RESOURCE_ALREADY_EXISTS");
    assertEquals((await s.getExperimentByName("c"))?.lifecycleStage, "deleted");
  });

  withStore("experiments: delete marks runs deleted, restore brings them back", async (s) => {
    const id = await s.createExperiment({ name: "del" });
    const run = await s.createRun({ experimentId: id, userId: "u", runName: "r", startTime: 1, tags: [] });
    await s.deleteExperiment(id);
    assertEquals((await s.getExperiment(id)).lifecycleStage, "deleted");
    assertEquals((await s.getRun(run.info.runId)).info.lifecycleStage, "deleted");
    await expectCode(
      s.createRun({ experimentId: id, userId: "u", runName: "r", startTime: 1, tags: [] }),
      "INVALID_PARAMETER_VALUE",
    );
    await expectCode(s.setExperimentTag(id, { key: "a", value: "b" }), "INVALID_PARAMETER_VALUE");
    await expectCode(s.deleteExperiment(id), "RESOURCE_DOES_NOT_EXIST");
    await s.restoreExperiment(id);
    assertEquals((await s.getRun(run.info.runId)).info.lifecycleStage, "active");
    await expectCode(s.restoreExperiment(id), "RESOURCE_DOES_NOT_EXIST");
  });

  withStore("experiments: search by view type, filter, order and pages", async (s) => {
    for (const n of ["x1", "x2", "x3"]) await s.createExperiment({ name: n });
    const gone = await s.createExperiment({ name: "x4" });
    await s.deleteExperiment(gone);
    const q = { filter: [], orderBy: [], maxResults: 100, offset: 0 };
    const active = await s.searchExperiments({ ...q, viewType: "ACTIVE_ONLY" });
    assertEquals(active.items.length, 4); // Default + 3
    const deleted = await s.searchExperiments({ ...q, viewType: "DELETED_ONLY" });
    assertEquals(deleted.items.map((e) => e.name), ["x4"]);
    assertEquals((await s.searchExperiments({ ...q, viewType: "ALL" })).items.length, 5);
    const byName = await s.searchExperiments({
      ...q,
      viewType: "ALL",
      orderBy: [{ entity: "attribute", key: "name", ascending: true }],
      maxResults: 2,
    });
    assertEquals(byName.items.map((e) => e.name), ["Default", "x1"]);
    assert(byName.more);
    const filtered = await s.searchExperiments({
      ...q,
      viewType: "ACTIVE_ONLY",
      filter: [{ entity: "attribute", key: "name", op: "LIKE", value: "x%" }],
    });
    assertEquals(filtered.items.length, 3);
  });

  withStore("runs: create, get, update, tags and run name", async (s) => {
    const id = await s.createExperiment({ name: "runs" });
    const run = await s.createRun({
      experimentId: id,
      userId: "alice",
      runName: "first",
      startTime: 123,
      tags: [{ key: "mlflow.runName", value: "first" }, { key: "t", value: "1" }],
    });
    assert(/^[0-9a-f]{32}$/.test(run.info.runId));
    assertEquals(run.info.status, "RUNNING");
    assertEquals(run.info.artifactUri.endsWith(`${run.info.runId}/artifacts`), true);
    assertEquals(run.info.endTime, undefined);
    const info = await s.updateRun(run.info.runId, { status: "FINISHED", endTime: 456, runName: "renamed" });
    assertEquals(info.status, "FINISHED");
    assertEquals(info.endTime, 456);
    const got = await s.getRun(run.info.runId);
    assertEquals(got.info.runName, "renamed");
    assertEquals(got.data.tags.find((t) => t.key === "mlflow.runName")?.value, "renamed");
    await s.setRunTag(run.info.runId, { key: "mlflow.runName", value: "via-tag" });
    assertEquals((await s.getRun(run.info.runId)).info.runName, "via-tag");
    await s.deleteRunTag(run.info.runId, "t");
    await expectCode(s.deleteRunTag(run.info.runId, "t"), "RESOURCE_DOES_NOT_EXIST");
    await expectCode(s.getRun("0".repeat(32)), "RESOURCE_DOES_NOT_EXIST");
    await expectCode(
      s.createRun({ experimentId: "424242", userId: "u", runName: "r", startTime: 1, tags: [] }),
      "RESOURCE_DOES_NOT_EXIST",
    );
  });

  withStore("runs: delete/restore; deleted runs refuse writes", async (s) => {
    const run = await s.createRun({ experimentId: "0", userId: "u", runName: "r", startTime: 1, tags: [] });
    const id = run.info.runId;
    await s.deleteRun(id);
    assertEquals((await s.getRun(id)).info.lifecycleStage, "deleted");
    await expectCode(s.logBatch(id, [metric("m", 1, 0)], [], []), "INVALID_PARAMETER_VALUE");
    await expectCode(s.setRunTag(id, { key: "a", value: "b" }), "INVALID_PARAMETER_VALUE");
    await expectCode(s.updateRun(id, { status: "FAILED" }), "INVALID_PARAMETER_VALUE");
    await s.deleteRun(id); // idempotent
    await s.restoreRun(id);
    assertEquals((await s.getRun(id)).info.lifecycleStage, "active");
  });

  withStore(
    "params: equal value is fine, a changed value is refused and the batch writes nothing",
    async (s) => {
      const run = await s.createRun({ experimentId: "0", userId: "u", runName: "r", startTime: 1, tags: [] });
      const id = run.info.runId;
      await s.logBatch(id, [], [{ key: "lr", value: "0.1" }], []);
      await s.logBatch(id, [], [{ key: "lr", value: "0.1" }], []);
      await expectCode(
        s.logBatch(id, [metric("loss", 1, 0)], [{ key: "lr", value: "0.2" }], [{ key: "t", value: "x" }]),
        "INVALID_PARAMETER_VALUE",
      );
      const got = await s.getRun(id);
      assertEquals(got.data.params, [{ key: "lr", value: "0.1" }]);
      assertEquals(got.data.metrics, []);
      assertEquals(got.data.tags.some((t) => t.key === "t"), false);
      assertEquals((await s.getMetricHistory(id, "loss", { offset: 0 })).items, []);
    },
  );

  withStore(
    "metrics: latest is the largest (step, timestamp, value); history keeps order and NaN/inf",
    async (s) => {
      const run = await s.createRun({ experimentId: "0", userId: "u", runName: "r", startTime: 1, tags: [] });
      const id = run.info.runId;
      await s.logBatch(id, [metric("m", 5, 2), metric("m", NaN, 1), metric("m", Infinity, 3, 10)], [], []);
      await s.logBatch(
        id,
        [metric("m", -Infinity, 0), { ...metric("d", 1, 0), datasetName: "ds", modelId: "m-1" }],
        [],
        [],
      );
      const got = await s.getRun(id);
      const m = got.data.metrics.find((x) => x.key === "m")!;
      assertEquals([m.value, m.step], [Infinity, 3]);
      const h = await s.getMetricHistory(id, "m", { offset: 0 });
      assertEquals(h.items.map((p) => p.step), [2, 1, 3, 0]);
      assert(Number.isNaN(h.items[1].value));
      assertEquals(h.items[3].value, -Infinity);
      assertEquals(h.more, false);
      const d = await s.getMetricHistory(id, "d", { offset: 0 });
      assertEquals([d.items[0].datasetName, d.items[0].modelId], ["ds", "m-1"]);
      assertEquals((await s.getMetricHistory(id, "unknown", { offset: 0 })).items, []);
      await expectCode(s.getMetricHistory("f".repeat(32), "m", { offset: 0 }), "RESOURCE_DOES_NOT_EXIST");
    },
  );

  withStore("metrics: history as columns equals the history, from any offset across chunks", async (s) => {
    const run = await s.createRun({ experimentId: "0", userId: "u", runName: "r", startTime: 1, tags: [] });
    const id = run.info.runId;
    const points = Array.from(
      { length: 2500 },
      (_, i) => metric("m", i % 7 === 0 ? NaN : i / 3, 100 + i, i * 2),
    );
    for (let i = 0; i < points.length; i += 1000) await s.logBatch(id, points.slice(i, i + 1000), [], []);
    const all = (await s.getMetricHistory(id, "m", { offset: 0, maxResults: 10_000 })).items;
    for (const offset of [0, 999, 1000, 2499, 2500]) {
      const c = await s.getMetricHistoryColumns(id, "m", offset);
      const want = all.slice(offset);
      assertEquals(c.t.length, want.length);
      assertEquals([...c.s], want.map((p) => p.step));
      assertEquals([...c.t], want.map((p) => p.timestamp));
      assertEquals([...c.v].map(String), want.map((p) => String(p.value)));
    }
    assertEquals((await s.getMetricHistoryColumns(id, "none", 0)).v.length, 0);
  });

  withStore("changeCount changes with every kind of write and not with reads", async (s) => {
    const seen = new Set<number>([await s.changeCount()]);
    const fresh = async (what: string) => {
      const c = await s.changeCount();
      assert(!seen.has(c), `${what}: change count ${c} repeats`);
      seen.add(c);
    };
    const exp = await s.createExperiment({ name: "cc" });
    await fresh("create experiment");
    const run = await s.createRun({ experimentId: exp, userId: "u", runName: "r", startTime: 1, tags: [] });
    await fresh("create run");
    await s.logBatch(run.info.runId, [metric("m", 1, 0)], [], []);
    await fresh("log batch");
    await s.getRun(run.info.runId);
    await s.getMetricHistory(run.info.runId, "m", { offset: 0 });
    assert(seen.has(await s.changeCount()), "reads leave the count alone");
    await s.deleteRun(run.info.runId);
    await fresh("delete run");
  });

  withStore("metrics: long histories page in order across chunks", async (s) => {
    const run = await s.createRun({ experimentId: "0", userId: "u", runName: "r", startTime: 1, tags: [] });
    const id = run.info.runId;
    for (let b = 0; b < 5; b++) {
      const batch = Array.from({ length: 1000 }, (_, i) => metric("loss", (b * 1000 + i) / 10, b * 1000 + i));
      await s.logBatch(id, batch, [], []);
    }
    await s.logBatch(id, [metric("loss", 1, 5000)], [], []);
    const all = await s.getMetricHistory(id, "loss", { offset: 0 });
    assertEquals(all.items.length, 5001);
    assertEquals(all.items.every((p, i) => p.step === i), true);
    const steps: number[] = [];
    for (let offset = 0;;) {
      const page = await s.getMetricHistory(id, "loss", { offset, maxResults: 1234 });
      steps.push(...page.items.map((p) => p.step));
      offset += page.items.length;
      if (!page.more) break;
    }
    assertEquals(steps.length, 5001);
    assertEquals(steps[4321], 4321);
    const bulk = await s.getMetricHistories([id], "loss");
    assertEquals(bulk[0].length, 5001);
    assertEquals(bulk[0][7].runId, id);
  });

  withStore("runs: search by view type, filter, order and pages", async (s) => {
    const exp = await s.createExperiment({ name: "search" });
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const r = await s.createRun({
        experimentId: exp,
        userId: "u",
        runName: `r${i}`,
        startTime: 1000 + i,
        tags: [],
      });
      await s.logBatch(r.info.runId, [metric("acc", i / 100, 0)], [{ key: "i", value: String(i) }], [
        { key: "parity", value: i % 2 ? "odd" : "even" },
      ]);
      ids.push(r.info.runId);
    }
    await s.deleteRun(ids[0]);
    const all = await s.searchRuns(search([exp]));
    assertEquals(all.items.length, 24);
    assertEquals(all.items[0].info.runName, "r24"); // base order: start_time DESC
    assertEquals((await s.searchRuns(search([exp], { viewType: "DELETED_ONLY" }))).items.length, 1);
    assertEquals((await s.searchRuns(search([exp], { viewType: "ALL" }))).items.length, 25);
    const odd = await s.searchRuns(search([exp], {
      filter: [
        { entity: "tag", key: "parity", op: "=", value: "odd" },
        { entity: "metric", key: "acc", op: ">", value: 0.1 },
      ],
      orderBy: [{ entity: "metric", key: "acc", ascending: true }],
    }));
    assertEquals(odd.items.map((r) => r.info.runName), ["r11", "r13", "r15", "r17", "r19", "r21", "r23"]);
    const p1 = await s.searchRuns(search([exp], { maxResults: 10 }));
    const p3 = await s.searchRuns(search([exp], { maxResults: 10, offset: 20 }));
    assert(p1.more);
    assertEquals(p3.more, false);
    assertEquals(p3.items.length, 4);
    assertEquals((await s.searchRuns(search(["31337"]))).items, []);
  });

  withStore("runs: inputs and outputs are recorded and deduplicated", async (s) => {
    const run = await s.createRun({ experimentId: "0", userId: "u", runName: "r", startTime: 1, tags: [] });
    const id = run.info.runId;
    const ds = { name: "train", digest: "abc", sourceType: "local", source: "{}" };
    await s.logInputs(id, [{ dataset: ds, tags: [{ key: "mlflow.data.context", value: "training" }] }], []);
    await s.logInputs(id, [{ dataset: ds, tags: [{ key: "mlflow.data.context", value: "training" }] }], [
      { modelId: "m-1" },
    ]);
    await s.logOutputs(id, [{ modelId: "m-2", step: 3 }]);
    const got = await s.getRun(id);
    assertEquals(got.inputs.datasetInputs.length, 1);
    assertEquals(got.inputs.modelInputs, [{ modelId: "m-1" }]);
    assertEquals(got.outputs.modelOutputs, [{ modelId: "m-2", step: 3 }]);
  });

  withStore("concurrent writes to one run all land", async (s) => {
    const run = await s.createRun({ experimentId: "0", userId: "u", runName: "r", startTime: 1, tags: [] });
    const id = run.info.runId;
    await Promise.all(
      Array.from(
        { length: 200 },
        (_, i) => s.logBatch(id, [metric(`k${i % 7}`, i, i)], [{ key: `p${i}`, value: String(i) }], []),
      ),
    );
    const got = await s.getRun(id);
    assertEquals(got.data.params.length, 200);
    let total = 0;
    for (let k = 0; k < 7; k++) total += (await s.getMetricHistory(id, `k${k}`, { offset: 0 })).items.length;
    assertEquals(total, 200);
  });

  withStore(
    "import-style creation keeps ids and state; hard delete removes only deleted entities",
    async (s) => {
      const exp = await s.createExperiment({
        name: "imported",
        experimentId: "123456789012345678",
        creationTime: 7,
        lastUpdateTime: 8,
      });
      assertEquals(exp, "123456789012345678");
      const e = await s.getExperiment(exp);
      assertEquals([e.creationTime, e.lastUpdateTime], [7, 8]);
      const runId = "a".repeat(32);
      const run = await s.createRun({
        experimentId: exp,
        userId: "u",
        runName: "old",
        startTime: 1,
        tags: [],
        runId,
        status: "FINISHED",
        endTime: 2,
        lifecycleStage: "deleted",
        deletedTime: 3,
      });
      assertEquals([run.info.runId, run.info.status, run.info.endTime, run.info.lifecycleStage], [
        runId,
        "FINISHED",
        2,
        "deleted",
      ]);
      await expectCode(
        s.createRun({ experimentId: exp, userId: "u", runName: "x", startTime: 1, tags: [], runId }),
        "RESOURCE_ALREADY_EXISTS",
      );
      const keep = await s.createRun({
        experimentId: exp,
        userId: "u",
        runName: "keep",
        startTime: 1,
        tags: [],
      });
      await expectCode(s.hardDeleteRun(keep.info.runId), "INVALID_PARAMETER_VALUE");
      await s.restoreRun(runId);
      await s.logBatch(runId, [metric("m", 1, 0)], [], []);
      await s.deleteRun(runId);
      await s.hardDeleteRun(runId);
      await expectCode(s.getRun(runId), "RESOURCE_DOES_NOT_EXIST");
      assertEquals((await s.getRun(keep.info.runId)).info.runName, "keep");
      await expectCode(s.hardDeleteExperiment(exp), "INVALID_PARAMETER_VALUE");
      await s.deleteExperiment(exp);
      await s.hardDeleteExperiment(exp);
      await expectCode(s.getExperiment(exp), "RESOURCE_DOES_NOT_EXIST");
      await expectCode(s.getRun(keep.info.runId), "RESOURCE_DOES_NOT_EXIST");
      assertEquals(await s.getExperimentByName("imported"), null);
      await s.createExperiment({ name: "imported" }); // the name is free again
    },
  );

  withStore("artifact roots: registered once, listed in order", async (s) => {
    assertEquals(await s.artifactRoots(), []);
    await s.addArtifactRoot("/data/mlruns/1");
    await s.addArtifactRoot("/data/mlruns/2");
    await s.addArtifactRoot("/data/mlruns/1");
    assertEquals(await s.artifactRoots(), ["/data/mlruns/1", "/data/mlruns/2"]);
  });

  if (opts.reopenable) {
    Deno.test(`${name}: everything survives a reopen`, async () => {
      const dir = await Deno.makeTempDir({ prefix: "tracker-contract-" });
      try {
        let s = await opts.open(dir);
        const exp = await s.createExperiment({ name: "persist", tags: [{ key: "a", value: "b" }] });
        const run = await s.createRun({
          experimentId: exp,
          userId: "u",
          runName: "r",
          startTime: 5,
          tags: [],
        });
        const id = run.info.runId;
        const big = "x".repeat(6000);
        const params = Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: big }));
        await s.logBatch(id, [metric("m", NaN, 1), metric("m", 2, 2)], params, [{ key: "t", value: "v" }]);
        await s.updateRun(id, { status: "KILLED", endTime: 9 });
        await s.addArtifactRoot("/imported/mlruns/7");
        await s.close();
        s = await opts.open(dir);
        const got = await s.getRun(id);
        assertEquals(got.info.status, "KILLED");
        assertEquals(await s.artifactRoots(), ["/imported/mlruns/7"]);
        assertEquals(got.data.params.length, 100);
        assertEquals(got.data.params[0].value.length, 6000);
        assertEquals((await s.getExperiment(exp)).tags, [{ key: "a", value: "b" }]);
        const h = await s.getMetricHistory(id, "m", { offset: 0 });
        assert(Number.isNaN(h.items[0].value));
        assertEquals(h.items[1].value, 2);
        const found = await s.searchRuns(search([exp]));
        assertEquals(found.items.map((r) => r.info.runId), [id]);
        const next = await s.createExperiment({ name: "after-reopen" });
        assert(next !== exp);
        await s.close();
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
}
