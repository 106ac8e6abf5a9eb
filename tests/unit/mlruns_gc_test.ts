// `tracker gc` on a real KV store and real artifact folders: what it removes, exactly, and nothing else.

import nodeAssert from "node:assert/strict";
import * as path from "node:path";
import { executeGc, GcError, type GcOptions, parseOlderThan, planGc } from "../../src/interchange/gc.ts";
import { openKvStore } from "../../src/store/kv/mod.ts";
import type { TrackingStore } from "../../src/store/tracking-store.ts";

const assertEquals = <V>(actual: V, expected: V, msg?: string) =>
  nodeAssert.deepStrictEqual(actual, expected, msg);

const DAY = 86_400_000;
const NOW = 1_800_000_000_000;

async function files(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string, rel: string) {
    for await (const e of Deno.readDir(dir)) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) await walk(path.join(dir, e.name), r);
      else out.push(r);
    }
  }
  await walk(root, "");
  return out.sort();
}

interface World {
  store: TrackingStore;
  dest: string;
  tmp: string;
  ids: Record<string, string>;
}

/**
 * Experiment "live" (active) with runs: keep (active), old (deleted 10 days ago), recent (deleted 1 hour ago);
 * experiment "dead" deleted 10 days ago with runs d1 (deleted with it) and d2 (deleted earlier);
 * experiment "fresh" deleted 1 hour ago with run f1. Every run has one artifact file; a stray file sits in
 * the destination root.
 */
async function world(): Promise<World> {
  const tmp = await Deno.makeTempDir({ prefix: "mlruns_gc_" });
  const dest = path.join(tmp, "mlartifacts");
  const store = await openKvStore({ path: ":memory:", defaultArtifactRoot: "mlflow-artifacts:/" });
  const ids: Record<string, string> = {};
  const run = async (exp: string, name: string) => {
    const r = await store.createRun({
      experimentId: exp,
      userId: "u",
      runName: name,
      startTime: 1,
      tags: [],
    });
    ids[name] = r.info.runId;
    const dir = path.join(dest, exp, r.info.runId, "artifacts");
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(path.join(dir, "a.txt"), name);
    return r.info.runId;
  };
  ids.live = await store.createExperiment({ name: "live" });
  await run(ids.live, "keep");
  await store.deleteRun(await run(ids.live, "old"), NOW - 10 * DAY);
  await store.deleteRun(await run(ids.live, "recent"), NOW - 3_600_000);
  ids.dead = await store.createExperiment({ name: "dead" });
  await run(ids.dead, "d1");
  await store.deleteRun(await run(ids.dead, "d2"), NOW - 20 * DAY);
  await store.deleteExperiment(ids.dead, NOW - 10 * DAY);
  ids.fresh = await store.createExperiment({ name: "fresh" });
  await run(ids.fresh, "f1");
  await store.deleteExperiment(ids.fresh, NOW - 3_600_000);
  await Deno.writeTextFile(path.join(dest, "stray.txt"), "not a run");
  return { store, dest, tmp, ids };
}

async function gc(w: World, opts: Partial<GcOptions>) {
  const full: GcOptions = { artifactsDestination: w.dest, now: NOW, ...opts };
  const plan = await planGc(w.store, full);
  const lines: string[] = [];
  const report = await executeGc(w.store, plan, full, (l) => lines.push(l), (l) => lines.push(`warn ${l}`));
  return { plan, report, lines };
}

async function runExists(store: TrackingStore, id: string) {
  return await store.getRun(id).then(() => true, () => false);
}

async function survivors(w: World) {
  const out: string[] = [];
  for (const name of ["keep", "old", "recent", "d1", "d2", "f1"]) {
    if (await runExists(w.store, w.ids[name])) out.push(name);
  }
  for (const name of ["live", "dead", "fresh"]) {
    if (await w.store.getExperiment(w.ids[name]).then(() => true, () => false)) out.push(`exp:${name}`);
  }
  return out;
}

const artifact = (w: World, exp: string, run: string) => `${w.ids[exp]}/${w.ids[run]}/artifacts/a.txt`;

/** Runs `fn` on a fresh world; closes its store and removes its folder afterwards. */
async function withWorld(fn: (w: World) => Promise<void>): Promise<void> {
  const w = await world();
  try {
    await fn(w);
  } finally {
    await w.store.close();
    await Deno.remove(w.tmp, { recursive: true });
  }
}

Deno.test("parseOlderThan reads MLflow's #d#h#m#s format", () => {
  assertEquals(parseOlderThan("1d2h3m4s"), DAY + 2 * 3_600_000 + 3 * 60_000 + 4000);
  assertEquals(parseOlderThan("1.5h"), 5_400_000);
  assertEquals(parseOlderThan("30d"), 30 * DAY);
  assertEquals(parseOlderThan("0s"), 0);
  for (const bad of ["", "1w", "d", "1h1d", "1.2.3d", "-1d"]) {
    nodeAssert.throws(() => parseOlderThan(bad), GcError, bad);
  }
});

Deno.test("gc without options removes every deleted run and experiment with their artifacts, nothing else", async () => {
  await withWorld(async (w) => {
    const { report, lines } = await gc(w, {});
    assertEquals(await survivors(w), ["keep", "exp:live"]);
    assertEquals(await files(w.dest), [artifact(w, "live", "keep"), "stray.txt"]);
    assertEquals([report.runs, report.experiments, report.artifactDirs], [5, 2, 5]);
    nodeAssert.ok(lines.includes(`Run with ID ${w.ids.old} has been permanently deleted.`));
    nodeAssert.ok(lines.includes(`Experiment with ID ${w.ids.dead} has been permanently deleted.`));
    // Empty folders of removed runs and experiments are gone too.
    assertEquals([...Deno.readDirSync(w.dest)].map((e) => e.name).sort(), [w.ids.live, "stray.txt"].sort());
  });
});

Deno.test("gc --older-than keeps what was deleted more recently", async () => {
  await withWorld(async (w) => {
    await gc(w, { olderThan: parseOlderThan("1d") });
    assertEquals(await survivors(w), ["keep", "recent", "f1", "exp:live", "exp:fresh"]);
    assertEquals(
      await files(w.dest),
      [
        artifact(w, "fresh", "f1"),
        artifact(w, "live", "keep"),
        artifact(w, "live", "recent"),
        "stray.txt",
      ].sort(),
    );
  });
});

Deno.test("gc --run-ids removes those runs (and, as mlflow gc does, deleted experiments), not other runs", async () => {
  await withWorld(async (w) => {
    await gc(w, { runIds: [w.ids.old] });
    assertEquals(await survivors(w), ["keep", "recent", "exp:live"]);
  });
});

Deno.test("gc --experiment-ids removes those experiments and every deleted run (mlflow's rule)", async () => {
  await withWorld(async (w) => {
    await gc(w, { experimentIds: [w.ids.fresh] });
    // The deleted runs of "dead" go too (every deleted run does); the experiment itself stays, empty.
    assertEquals(await survivors(w), ["keep", "exp:live", "exp:dead"]);
    assertEquals(await files(w.dest), [artifact(w, "live", "keep"), "stray.txt"]);
  });
});

Deno.test("gc refuses active or too recent named items and then removes nothing", async () => {
  await withWorld(async (w) => {
    const before = await files(w.dest);
    const cases: Partial<GcOptions>[] = [
      { runIds: [w.ids.old, w.ids.keep] },
      { experimentIds: [w.ids.live] },
      { runIds: [w.ids.recent], olderThan: parseOlderThan("1d") },
      { experimentIds: [w.ids.fresh], olderThan: parseOlderThan("1d") },
      { runIds: ["0".repeat(32)] },
      { experimentIds: ["424242"] },
    ];
    for (const c of cases) {
      await nodeAssert.rejects(
        () => planGc(w.store, { artifactsDestination: w.dest, now: NOW, ...c }),
        GcError,
      );
    }
    assertEquals(await survivors(w), [
      "keep",
      "old",
      "recent",
      "d1",
      "d2",
      "f1",
      "exp:live",
      "exp:dead",
      "exp:fresh",
    ]);
    assertEquals(await files(w.dest), before);
  });
});

Deno.test("gc --logged-model-ids removes deleted logged models and their artifacts; models go with experiments", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mlruns_gc_models_" });
  const dest = path.join(tmp, "mlartifacts");
  const store = await openKvStore({ path: ":memory:", defaultArtifactRoot: "mlflow-artifacts:/" });
  try {
    const live = await store.createExperiment({ name: "live" });
    const dead = await store.createExperiment({ name: "dead" });
    const model = async (exp: string, name: string) => {
      const m = await store.createLoggedModel({ experimentId: exp, name, params: [], tags: [] });
      const dir = path.join(dest, exp, "models", m.modelId, "artifacts");
      await Deno.mkdir(dir, { recursive: true });
      await Deno.writeTextFile(path.join(dir, "MLmodel"), name);
      return m.modelId;
    };
    const keep = await model(live, "keep");
    const gone = await model(live, "gone");
    const inDead = await model(dead, "in-dead");
    await store.deleteLoggedModel(gone);
    await store.deleteExperiment(dead);
    const opts = { artifactsDestination: dest };

    await nodeAssert.rejects(() => planGc(store, { ...opts, loggedModelIds: [keep] }), GcError);
    await nodeAssert.rejects(
      () => planGc(store, { ...opts, loggedModelIds: [gone], olderThan: parseOlderThan("1d") }),
      GcError,
    );
    // Without ids, every deleted logged model old enough (mlflow gc 3.x), and those of removed experiments.
    const byDefault = await planGc(store, opts);
    assertEquals(byDefault.loggedModels.map((m) => m.modelId).sort(), [gone, inDead].sort());
    const young = await planGc(store, { ...opts, olderThan: parseOlderThan("1d") });
    assertEquals(young.loggedModels, []);
    const plan = await planGc(store, { ...opts, loggedModelIds: [gone] });
    assertEquals(plan.loggedModels.map((m) => m.modelId).sort(), [gone, inDead].sort());
    await executeGc(store, plan, opts, () => {}, () => {});

    await nodeAssert.rejects(() => store.getLoggedModel(gone, true));
    await nodeAssert.rejects(() => store.getLoggedModel(inDead, true));
    assertEquals((await store.getLoggedModel(keep)).modelId, keep);
    assertEquals(await files(dest), [`${live}/models/${keep}/artifacts/MLmodel`]);
  } finally {
    await store.close();
    await Deno.remove(tmp, { recursive: true });
  }
});
