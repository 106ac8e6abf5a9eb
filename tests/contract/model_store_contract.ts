// The behaviour every LoggedModelStore + RegistryStore backend must show. A backend's test file calls
// `modelStoreContract(name, open)`; `open(dir)` returns a fresh store, and opening the same dir again
// (when `reopenable`) must show everything written before.

import { assert, assertEquals, expectCode } from "./expect.ts";
import type { FullStore, SearchLoggedModelsQuery } from "../../src/store/model-store.ts";
import type { LoggedModel } from "../../src/store/model-types.ts";

export interface ModelContractOptions {
  open: (dir: string) => Promise<FullStore>;
  reopenable: boolean;
}

const search = (ids: string[], extra: Partial<SearchLoggedModelsQuery> = {}): SearchLoggedModelsQuery => ({
  experimentIds: ids,
  filter: [],
  datasets: [],
  orderBy: [],
  maxResults: 100,
  offset: 0,
  ...extra,
});

const names = (models: LoggedModel[]) => models.map((m) => m.name);

export function modelStoreContract(name: string, opts: ModelContractOptions) {
  const withStore = (title: string, fn: (s: FullStore, dir: string) => Promise<void>) =>
    Deno.test(`${name}: ${title}`, async () => {
      const dir = await Deno.makeTempDir({ prefix: "tracker-models-contract-" });
      const store = await opts.open(dir);
      try {
        await fn(store, dir);
      } finally {
        await store.close().catch(() => {});
        await Deno.remove(dir, { recursive: true });
      }
    });

  withStore("logged models: create, get, finalize, tags, params, delete", async (s) => {
    const exp = await s.createExperiment({ name: "lm" });
    const m = await s.createLoggedModel({
      experimentId: exp,
      name: "model",
      modelType: "sklearn",
      sourceRunId: "r1",
      params: [{ key: "alpha", value: "0.5" }],
      tags: [{ key: "t", value: "1" }],
    });
    assert(/^m-[0-9a-f]{32}$/.test(m.modelId), m.modelId);
    assertEquals(m.status, "LOGGED_MODEL_PENDING");
    assertEquals(m.artifactUri, `mlflow-artifacts:/${exp}/models/${m.modelId}/artifacts`);
    assertEquals(m.params, [{ key: "alpha", value: "0.5" }]);
    assertEquals((await s.getLoggedModel(m.modelId)).sourceRunId, "r1");

    const ready = await s.finalizeLoggedModel(m.modelId, "LOGGED_MODEL_READY");
    assertEquals(ready.status, "LOGGED_MODEL_READY");
    assert(ready.lastUpdatedTimestamp >= m.lastUpdatedTimestamp);

    await s.setLoggedModelTags(m.modelId, [{ key: "t", value: "2" }, { key: "u", value: "x" }, {
      key: "u",
      value: "y",
    }]);
    await s.logLoggedModelParams(m.modelId, [{ key: "beta", value: "1" }]);
    const got = await s.getLoggedModel(m.modelId);
    assertEquals(got.tags, [{ key: "t", value: "2" }, { key: "u", value: "y" }]);
    assertEquals(got.params.map((p) => p.key), ["alpha", "beta"]);
    await s.deleteLoggedModelTag(m.modelId, "u");
    await expectCode(s.deleteLoggedModelTag(m.modelId, "u"), "RESOURCE_DOES_NOT_EXIST");

    await s.deleteLoggedModel(m.modelId);
    await expectCode(s.getLoggedModel(m.modelId), "RESOURCE_DOES_NOT_EXIST");
    // Writes still reach a deleted model, as in MLflow's SQL store.
    await s.setLoggedModelTags(m.modelId, [{ key: "after", value: "delete" }]);
    assertEquals((await s.getLoggedModel(m.modelId, true)).tags.at(-1), { key: "after", value: "delete" });
    assertEquals((await s.getLoggedModel(m.modelId, true)).lifecycleStage, "deleted");
    assertEquals((await s.searchLoggedModels(search([exp]))).items, []);
    await expectCode(s.getLoggedModel("m-" + "0".repeat(32)), "RESOURCE_DOES_NOT_EXIST");
  });

  withStore("logged models: experiment must exist and be active", async (s) => {
    await expectCode(
      s.createLoggedModel({ experimentId: "424242", name: "x", params: [], tags: [] }),
      "RESOURCE_DOES_NOT_EXIST",
    );
    const exp = await s.createExperiment({ name: "gone" });
    await s.deleteExperiment(exp);
    await expectCode(
      s.createLoggedModel({ experimentId: exp, name: "x", params: [], tags: [] }),
      "INVALID_PARAMETER_VALUE",
    );
  });

  withStore("logged models: metrics with model_id attach (latest per key and dataset)", async (s) => {
    const exp = await s.createExperiment({ name: "metrics" });
    const m = await s.createLoggedModel({ experimentId: exp, name: "m", params: [], tags: [] });
    const run = await s.createRun({ experimentId: exp, userId: "u", runName: "r", startTime: 1, tags: [] });
    const runId = run.info.runId;
    await s.logBatch(
      runId,
      [
        { key: "acc", value: 0.5, timestamp: 10, step: 1, modelId: m.modelId },
        { key: "acc", value: 0.7, timestamp: 11, step: 2, modelId: m.modelId },
        { key: "acc", value: 0.9, timestamp: 12, step: 0, modelId: m.modelId },
        {
          key: "acc",
          value: 0.1,
          timestamp: 13,
          step: 5,
          modelId: m.modelId,
          datasetName: "d",
          datasetDigest: "x",
        },
        { key: "other", value: NaN, timestamp: 1, step: 0 },
        { key: "orphan", value: 1, timestamp: 1, step: 0, modelId: "m-" + "f".repeat(32) },
      ],
      [],
      [],
    );
    const got = await s.getLoggedModel(m.modelId);
    const byDs = Object.fromEntries(got.metrics.map((p) => [`${p.key}/${p.datasetName ?? ""}`, p]));
    assertEquals(Object.keys(byDs).sort(), ["acc/", "acc/d"]);
    assertEquals(byDs["acc/"].value, 0.7);
    assertEquals(byDs["acc/"].runId, runId);
    assertEquals(byDs["acc/d"].value, 0.1);
    // The run itself keeps its own latest values as before.
    assertEquals((await s.getRun(runId)).data.metrics.find((x) => x.key === "acc")?.value, 0.1);
  });

  withStore("logged models: search by filter, datasets, order and pages", async (s) => {
    const e1 = await s.createExperiment({ name: "s1" });
    const e2 = await s.createExperiment({ name: "s2" });
    const run = await s.createRun({ experimentId: e1, userId: "u", runName: "r", startTime: 1, tags: [] });
    const ids: string[] = [];
    for (const [i, n] of ["a", "b", "c"].entries()) {
      const m = await s.createLoggedModel({
        experimentId: e1,
        name: n,
        params: [{ key: "p", value: String(i) }],
        tags: i === 0 ? [{ key: "k", value: "v" }] : [],
      });
      ids.push(m.modelId);
      await s.logBatch(
        run.info.runId,
        [
          {
            key: "acc",
            value: i / 10,
            timestamp: 1,
            step: 0,
            modelId: m.modelId,
            datasetName: i === 2 ? "t" : "e",
          },
        ],
        [],
        [],
      );
      await new Promise((r) => setTimeout(r, 2)); // distinct creation times
    }
    await s.createLoggedModel({ experimentId: e2, name: "elsewhere", params: [], tags: [] });

    assertEquals(names((await s.searchLoggedModels(search([e1]))).items), ["c", "b", "a"]);
    assertEquals(names((await s.searchLoggedModels(search([e1, e2]))).items).length, 4);
    const f = (filter: SearchLoggedModelsQuery["filter"], extra: Partial<SearchLoggedModelsQuery> = {}) =>
      s.searchLoggedModels(search([e1], { filter, ...extra })).then((r) => names(r.items));
    assertEquals(await f([{ entity: "attribute", key: "name", op: "=", value: "b" }]), ["b"]);
    assertEquals(await f([{ entity: "metric", key: "acc", op: ">", value: 0.05 }]), ["c", "b"]);
    assertEquals(await f([{ entity: "param", key: "p", op: "IN", value: ["0", "2"] }]), ["c", "a"]);
    assertEquals(await f([{ entity: "tag", key: "k", op: "=", value: "v" }]), ["a"]);
    assertEquals(await f([], { datasets: [{ datasetName: "t" }] }), ["c"]);
    assertEquals(
      await f([{ entity: "metric", key: "acc", op: ">=", value: 0 }], { datasets: [{ datasetName: "e" }] }),
      ["b", "a"],
    );
    assertEquals(
      await f([], { orderBy: [{ entity: "metric", key: "acc", ascending: true }] }),
      ["a", "b", "c"],
    );
    assertEquals(await f([], { orderBy: [{ entity: "attribute", key: "name", ascending: true }] }), [
      "a",
      "b",
      "c",
    ]);

    const p1 = await s.searchLoggedModels(search([e1], { maxResults: 2 }));
    assert(p1.more);
    const p2 = await s.searchLoggedModels(search([e1], { maxResults: 2, offset: 2 }));
    assert(!p2.more);
    assertEquals([...names(p1.items), ...names(p2.items)], ["c", "b", "a"]);
  });

  withStore("logged models: hard delete (gc) of deleted models and with their experiment", async (s, dir) => {
    const exp = await s.createExperiment({ name: "gc" });
    const keep = await s.createLoggedModel({ experimentId: exp, name: "keep", params: [], tags: [] });
    const gone = await s.createLoggedModel({ experimentId: exp, name: "gone", params: [], tags: [] });
    await expectCode(s.hardDeleteLoggedModels({ modelId: gone.modelId }), "INVALID_PARAMETER_VALUE");
    await s.deleteLoggedModel(gone.modelId);
    await s.hardDeleteLoggedModels({ modelId: gone.modelId });
    await expectCode(s.getLoggedModel(gone.modelId, true), "RESOURCE_DOES_NOT_EXIST");
    await s.deleteExperiment(exp);
    await s.hardDeleteExperiment(exp);
    await expectCode(s.getLoggedModel(keep.modelId, true), "RESOURCE_DOES_NOT_EXIST");
    if (opts.reopenable) {
      await s.close();
      const again = await opts.open(dir);
      try {
        await expectCode(again.getLoggedModel(keep.modelId, true), "RESOURCE_DOES_NOT_EXIST");
        await expectCode(again.getLoggedModel(gone.modelId, true), "RESOURCE_DOES_NOT_EXIST");
      } finally {
        await again.close();
      }
    }
  });

  withStore("registry: models, tags, rename, update, delete", async (s) => {
    const rm = await s.createRegisteredModel("m1", [{ key: "k", value: "v" }], "desc");
    assertEquals(rm.name, "m1");
    assertEquals(rm.description, "desc");
    assertEquals(rm.tags, [{ key: "k", value: "v" }]);
    await expectCode(s.createRegisteredModel("m1", []), "RESOURCE_ALREADY_EXISTS");
    await expectCode(s.getRegisteredModel("nope"), "RESOURCE_DOES_NOT_EXIST");

    await s.setRegisteredModelTag("m1", { key: "k2", value: "v2" });
    await s.deleteRegisteredModelTag("m1", "k");
    await s.deleteRegisteredModelTag("m1", "absent"); // no error, as in MLflow's SQL store
    assertEquals((await s.getRegisteredModel("m1")).tags, [{ key: "k2", value: "v2" }]);
    assertEquals((await s.updateRegisteredModel("m1", "new")).description, "new");
    assertEquals((await s.updateRegisteredModel("m1", undefined)).description, undefined);

    await s.createModelVersion({ name: "m1", source: "src", storageLocation: "loc", tags: [] });
    await s.createRegisteredModel("taken", []);
    await expectCode(s.renameRegisteredModel("m1", "taken"), "RESOURCE_ALREADY_EXISTS");
    const renamed = await s.renameRegisteredModel("m1", "m2");
    assertEquals(renamed.name, "m2");
    assertEquals((await s.getModelVersion("m2", "1")).name, "m2");
    await expectCode(s.getRegisteredModel("m1"), "RESOURCE_DOES_NOT_EXIST");

    await s.deleteRegisteredModel("m2");
    await expectCode(s.getRegisteredModel("m2"), "RESOURCE_DOES_NOT_EXIST");
    await expectCode(s.getModelVersion("m2", "1"), "RESOURCE_DOES_NOT_EXIST");
    // The name is free again, and numbering starts over for the new model.
    await s.createRegisteredModel("m2", []);
    assertEquals(
      (await s.createModelVersion({ name: "m2", source: "s", storageLocation: "l", tags: [] })).version,
      "1",
    );
  });

  withStore("registry: versions, numbering, stages, latest, aliases, tags", async (s) => {
    await s.createRegisteredModel("m", []);
    const v1 = await s.createModelVersion({
      name: "m",
      source: "models:/m-1",
      storageLocation: "mlflow-artifacts:/1/models/m-1/artifacts",
      runId: "r1",
      modelId: "m-1",
      description: "first",
      tags: [{ key: "t", value: "1" }],
    });
    assertEquals(v1.version, "1");
    assertEquals(v1.status, "READY");
    assertEquals(v1.currentStage, "None");
    assertEquals(v1.storageLocation, "mlflow-artifacts:/1/models/m-1/artifacts");
    const v2 = await s.createModelVersion({ name: "m", source: "b", storageLocation: "b", tags: [] });
    assertEquals(v2.version, "2");
    await expectCode(
      s.createModelVersion({ name: "nope", source: "b", storageLocation: "b", tags: [] }),
      "RESOURCE_DOES_NOT_EXIST",
    );

    await s.setRegisteredModelAlias("m", "champion", "1");
    await s.setRegisteredModelAlias("m", "champion", "2"); // moves
    await expectCode(s.setRegisteredModelAlias("m", "x", "9"), "RESOURCE_DOES_NOT_EXIST");
    assertEquals((await s.getModelVersionByAlias("m", "champion")).version, "2");
    assertEquals((await s.getModelVersionByAlias("m", "champion")).aliases, ["champion"]);
    assertEquals((await s.getModelVersionByAlias("m", "LATEST")).version, "2");
    await expectCode(s.getModelVersionByAlias("m", "nope"), "INVALID_PARAMETER_VALUE");
    assertEquals((await s.getRegisteredModel("m")).aliases, [{ alias: "champion", version: "2" }]);

    await s.transitionModelVersionStage("m", "1", "Production", false);
    await s.transitionModelVersionStage("m", "2", "Production", true);
    assertEquals((await s.getModelVersion("m", "1")).currentStage, "Archived");
    await expectCode(s.transitionModelVersionStage("m", "1", "Archived", true), "INVALID_PARAMETER_VALUE");
    const latest = await s.getLatestVersions("m", []);
    assertEquals(latest.map((v) => [v.version, v.currentStage]), [["2", "Production"], ["1", "Archived"]]);
    assertEquals((await s.getLatestVersions("m", ["Staging"])).length, 0);
    assertEquals((await s.getRegisteredModel("m")).latestVersions.map((v) => v.version), ["2", "1"]);

    await s.setModelVersionTag("m", "1", { key: "t", value: "2" });
    assertEquals((await s.getModelVersion("m", "1")).tags, [{ key: "t", value: "2" }]);
    await s.deleteModelVersionTag("m", "1", "t");
    assertEquals((await s.getModelVersion("m", "1")).tags, []);
    assertEquals((await s.updateModelVersion("m", "1", "d")).description, "d");

    await s.deleteModelVersion("m", "2");
    await expectCode(s.getModelVersion("m", "2"), "RESOURCE_DOES_NOT_EXIST");
    await expectCode(s.getModelVersionByAlias("m", "champion"), "INVALID_PARAMETER_VALUE");
    // Deleted numbers are never reused.
    assertEquals(
      (await s.createModelVersion({ name: "m", source: "c", storageLocation: "c", tags: [] })).version,
      "3",
    );
  });

  withStore("registry: search models and versions, prompts hidden by default", async (s) => {
    await s.createRegisteredModel("alpha", [{ key: "team", value: "a" }]);
    await s.createRegisteredModel("beta", [{ key: "team", value: "b" }]);
    await s.createRegisteredModel("prompt1", [{ key: "mlflow.prompt.is_prompt", value: "true" }]);
    for (const n of ["alpha", "beta", "alpha"]) {
      await s.createModelVersion({
        name: n,
        source: `s-${n}`,
        storageLocation: "l",
        runId: `run-${n}`,
        tags: [],
      });
    }
    const q = { filter: [], orderBy: [], maxResults: 100, offset: 0 };
    assertEquals((await s.searchRegisteredModels(q)).items.map((m) => m.name), ["alpha", "beta"]);
    assertEquals(
      (await s.searchRegisteredModels({
        ...q,
        filter: [{ entity: "tag", key: "mlflow.prompt.is_prompt", op: "=", value: "true" }],
      })).items.map((m) => m.name),
      ["prompt1"],
    );
    assertEquals(
      (await s.searchRegisteredModels({
        ...q,
        filter: [{ entity: "tag", key: "team", op: "=", value: "b" }],
      }))
        .items.map((m) => m.name),
      ["beta"],
    );
    const page = await s.searchRegisteredModels({ ...q, maxResults: 1 });
    assert(page.more);
    assertEquals(
      (await s.searchModelVersions({
        ...q,
        filter: [{ entity: "attribute", key: "name", op: "=", value: "alpha" }],
      })).items.map((v) => v.version),
      ["2", "1"],
    );
    assertEquals(
      (await s.searchModelVersions({
        ...q,
        filter: [{ entity: "attribute", key: "run_id", op: "IN", value: ["run-beta"] }],
      })).items.map((v) => `${v.name}/${v.version}`),
      ["beta/1"],
    );
  });

  withStore(
    "import/export: listLoggedModels and putLoggedModel keep ids, times and deleted models",
    async (s) => {
      const exp = await s.createExperiment({ name: "io" });
      const live = await s.createLoggedModel({ experimentId: exp, name: "live", params: [], tags: [] });
      const gone = await s.createLoggedModel({ experimentId: exp, name: "gone", params: [], tags: [] });
      await s.deleteLoggedModel(gone.modelId);
      assertEquals((await s.listLoggedModels(exp)).map((m) => m.name).sort(), ["gone", "live"]);

      const imported: LoggedModel = {
        modelId: "m-" + "a".repeat(32),
        experimentId: exp,
        name: "from-mlflow",
        artifactUri: "file:///elsewhere/artifacts",
        creationTimestamp: 1000,
        lastUpdatedTimestamp: 2000,
        status: "LOGGED_MODEL_READY",
        lifecycleStage: "active",
        tags: [{ key: "k", value: "v" }],
        params: [{ key: "p", value: "1" }],
        metrics: [],
      };
      await s.putLoggedModel(imported);
      assertEquals(await s.getLoggedModel(imported.modelId), imported);
      // Putting again replaces (idempotent re-import), it does not duplicate.
      await s.putLoggedModel({ ...imported, name: "renamed", lifecycleStage: "deleted" });
      await expectCode(s.getLoggedModel(imported.modelId), "RESOURCE_DOES_NOT_EXIST");
      assertEquals((await s.getLoggedModel(imported.modelId, true)).name, "renamed");
      assertEquals((await s.listLoggedModels(exp)).length, 3);
      assertEquals(names((await s.searchLoggedModels(search([exp]))).items), ["live"]);
      await expectCode(s.putLoggedModel({ ...imported, experimentId: "424242" }), "RESOURCE_DOES_NOT_EXIST");
      assertEquals(live.status, "LOGGED_MODEL_PENDING");
    },
  );

  withStore(
    "import/export: registry entries read back as written; version numbers never go down",
    async (s) => {
      await s.createRegisteredModel("b", []);
      await s.createRegisteredModel("a", [{ key: "k", value: "v" }]);
      for (let i = 0; i < 3; i++) {
        await s.createModelVersion({
          name: "a",
          source: "s",
          storageLocation: "l",
          tags: [],
        });
      }
      await s.deleteModelVersion("a", "3");
      await s.setRegisteredModelAlias("a", "champ", "2");
      assertEquals(await s.listRegisteredModelNames(), ["a", "b"]);

      const entry = await s.getRegistryEntry("a");
      assertEquals(entry.versions.map((v) => v.version), ["1", "2"]);
      assertEquals(entry.lastVersion, 3);
      assertEquals(entry.model.aliases, [{ alias: "champ", version: "2" }]);
      await expectCode(s.getRegistryEntry("nope"), "RESOURCE_DOES_NOT_EXIST");

      // Written into another store name and back: the same entry, and the next version continues after 3.
      await s.putRegistryEntry({ ...entry, model: { ...entry.model, name: "copy" } });
      const copy = await s.getRegistryEntry("copy");
      assertEquals(copy.model.tags, [{ key: "k", value: "v" }]);
      assertEquals(copy.versions.map((v) => [v.name, v.version]), [["copy", "1"], ["copy", "2"]]);
      assertEquals((await s.getModelVersionByAlias("copy", "champ")).version, "2");
      assertEquals(
        (await s.createModelVersion({ name: "copy", source: "s", storageLocation: "l", tags: [] })).version,
        "4",
      );
      // Replacing with fewer versions removes the others, but a lower lastVersion is ignored.
      await s.putRegistryEntry({ ...copy, versions: copy.versions.slice(0, 1), lastVersion: 1 });
      const after = await s.getRegistryEntry("copy");
      assertEquals(after.versions.map((v) => v.version), ["1"]);
      assertEquals(after.lastVersion, 4);
      await expectCode(s.getModelVersion("copy", "2"), "RESOURCE_DOES_NOT_EXIST");
      assertEquals(await s.listRegisteredModelNames(), ["a", "b", "copy"]);
    },
  );

  if (opts.reopenable) {
    Deno.test(`${name}: logged models and the registry survive a reopen`, async () => {
      const dir = await Deno.makeTempDir({ prefix: "tracker-models-contract-" });
      try {
        let s = await opts.open(dir);
        const exp = await s.createExperiment({ name: "keep" });
        const m = await s.createLoggedModel({ experimentId: exp, name: "m", params: [], tags: [] });
        await s.finalizeLoggedModel(m.modelId, "LOGGED_MODEL_READY");
        const run = await s.createRun({
          experimentId: exp,
          userId: "u",
          runName: "r",
          startTime: 1,
          tags: [],
        });
        await s.logBatch(
          run.info.runId,
          [{ key: "nan", value: NaN, timestamp: 1, step: 0, modelId: m.modelId }],
          [],
          [],
        );
        await s.createRegisteredModel("reg", [{ key: "k", value: "v" }]);
        await s.createModelVersion({ name: "reg", source: "s", storageLocation: "l", tags: [] });
        await s.setRegisteredModelAlias("reg", "a", "1");
        await s.renameRegisteredModel("reg", "reg2");
        await s.createRegisteredModel("gone", []);
        await s.deleteRegisteredModel("gone");
        await s.close();

        s = await opts.open(dir);
        try {
          const got = await s.getLoggedModel(m.modelId);
          assertEquals(got.status, "LOGGED_MODEL_READY");
          assert(Number.isNaN(got.metrics[0].value));
          assertEquals((await s.getModelVersionByAlias("reg2", "a")).version, "1");
          await expectCode(s.getRegisteredModel("reg"), "RESOURCE_DOES_NOT_EXIST");
          await expectCode(s.getRegisteredModel("gone"), "RESOURCE_DOES_NOT_EXIST");
          assertEquals(
            (await s.createModelVersion({ name: "reg2", source: "s", storageLocation: "l", tags: [] }))
              .version,
            "2",
          );
        } finally {
          await s.close();
        }
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
}
