// Filtering and ordering of runs and experiments. Orders marked "as mlflow 3.18" were produced by
// MLflow's own SearchUtils.sort on the same runs.

import assert from "node:assert/strict";
import type { Experiment, RunRecord, RunStatus } from "../../src/store/types.ts";
import {
  compareExperiments,
  compareRuns,
  compileExperimentFilter,
  compileRunFilter,
  effectiveExperimentOrder,
  matchesExperiment,
  matchesRun,
  parseExperimentFilter,
  parseExperimentOrderBy,
  parseRunFilter,
  parseRunOrderBy,
  sortRuns,
} from "../../src/search/mod.ts";

interface RunSpec {
  id: string;
  start: number;
  end?: number;
  name?: string;
  status?: RunStatus;
  user?: string;
  metrics?: Record<string, number>;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  datasets?: { name: string; digest: string; context?: string }[];
}

function run(s: RunSpec): RunRecord {
  return {
    info: {
      runId: s.id,
      runName: s.name ?? s.id,
      experimentId: "0",
      userId: s.user ?? "alice",
      status: s.status ?? "FINISHED",
      startTime: s.start,
      endTime: s.end,
      artifactUri: `mlflow-artifacts:/0/${s.id}/artifacts`,
      lifecycleStage: "active",
    },
    params: new Map(Object.entries(s.params ?? {})),
    tags: new Map(Object.entries(s.tags ?? {})),
    metrics: new Map(
      Object.entries(s.metrics ?? {}).map(([key, value]) => [key, { key, value, timestamp: 0, step: 0 }]),
    ),
    inputs: {
      datasetInputs: (s.datasets ?? []).map((d) => ({
        tags: d.context === undefined ? [] : [{ key: "mlflow.data.context", value: d.context }],
        dataset: { name: d.name, digest: d.digest, sourceType: "local", source: "{}" },
      })),
      modelInputs: [],
    },
    outputs: { modelOutputs: [] },
  };
}

/** Ids of the runs matching `filter`, in input order. */
const matching = (runs: RunRecord[], filter: string) => {
  const test = compileRunFilter(parseRunFilter(filter));
  return runs.filter(test).map((r) => r.info.runId);
};

const RUNS = [
  run({
    id: "a",
    start: 1,
    end: 5,
    metrics: { m: 1, acc: 0.9 },
    params: { p: "x", lr: "0.1" },
    tags: { t: "Hello.World" },
    datasets: [{ name: "train-set", digest: "d1", context: "training" }],
  }),
  run({
    id: "b",
    start: 2,
    metrics: { m: NaN },
    status: "RUNNING",
    datasets: [{ name: "other", digest: "d9" }],
  }),
  run({ id: "c", start: 3, params: { p: "y" }, tags: { t: "hello world" }, user: "bob", name: "Cat run" }),
  run({
    id: "d",
    start: 4,
    end: 3,
    metrics: { m: 2 },
    params: { p: "X" },
    datasets: [
      { name: "eval-set", digest: "d2", context: "eval" },
      { name: "train-set", digest: "d3", context: "training" },
    ],
  }),
  run({ id: "e", start: 4, metrics: { m: NaN }, tags: { t: "(a+b)*c" } }),
  run({ id: "f", start: 0 }),
  run({ id: "g", start: 5, metrics: { m: Infinity }, params: { p: "é" } }),
  run({ id: "h", start: 5, metrics: { m: -Infinity }, params: { p: "z" } }),
];

Deno.test("metrics compare against the latest value; NaN only matches !=; missing never matches", () => {
  assert.deepEqual(matching(RUNS, "metrics.m > 1"), ["d", "g"]);
  assert.deepEqual(matching(RUNS, "metrics.m >= 1"), ["a", "d", "g"]);
  assert.deepEqual(matching(RUNS, "metrics.m < 1"), ["h"]);
  assert.deepEqual(matching(RUNS, "metrics.m <= -1e308"), ["h"]);
  assert.deepEqual(matching(RUNS, "metrics.m = 2"), ["d"]);
  assert.deepEqual(matching(RUNS, "metrics.m != 1"), ["b", "d", "e", "g", "h"]); // as mlflow 3.18
  assert.deepEqual(matching(RUNS, "metrics.acc > 0.5 AND metrics.m = 1"), ["a"]);
  assert.deepEqual(matching(RUNS, "metrics.nope != 0"), []);
});

Deno.test("params and tags: equality, inequality, null checks", () => {
  assert.deepEqual(matching(RUNS, "params.p = 'x'"), ["a"]);
  assert.deepEqual(matching(RUNS, "params.p != 'x'"), ["c", "d", "g", "h"]); // runs without p excluded
  assert.deepEqual(matching(RUNS, "params.p IS NULL"), ["b", "e", "f"]);
  assert.deepEqual(matching(RUNS, "params.p IS NOT NULL"), ["a", "c", "d", "g", "h"]);
  assert.deepEqual(matching(RUNS, "tags.t IS NOT NULL AND params.p IS NULL"), ["e"]);
  assert.deepEqual(matching(RUNS, "params.lr = '0.1'"), ["a"]);
  assert.deepEqual(matching(RUNS, "params.lr = '0.10'"), []); // string, not numeric, comparison
});

Deno.test("LIKE is case-sensitive and anchored; ILIKE folds case", () => {
  assert.deepEqual(matching(RUNS, "params.p LIKE 'x'"), ["a"]); // as mlflow 3.18
  assert.deepEqual(matching(RUNS, "params.p ILIKE 'x'"), ["a", "d"]); // as mlflow 3.18
  assert.deepEqual(matching(RUNS, "params.p ILIKE 'É'"), ["g"]);
  assert.deepEqual(matching(RUNS, "tags.t LIKE 'Hello%'"), ["a"]);
  assert.deepEqual(matching(RUNS, "tags.t ILIKE 'hello%'"), ["a", "c"]);
  assert.deepEqual(matching(RUNS, "tags.t LIKE 'Hello'"), []);
  assert.deepEqual(matching(RUNS, "tags.t LIKE '%World'"), ["a"]);
  assert.deepEqual(matching(RUNS, "tags.t LIKE '%o%'"), ["a", "c"]);
  // `.` is literal, `_` is one character.
  assert.deepEqual(matching(RUNS, "tags.t LIKE 'Hello.World'"), ["a"]);
  assert.deepEqual(matching(RUNS, "tags.t ILIKE 'hello_world'"), ["a", "c"]);
  assert.deepEqual(matching(RUNS, "tags.t LIKE 'Hello.Worl'"), []);
  // Regex specials are literal.
  assert.deepEqual(matching(RUNS, "tags.t LIKE '(a+b)*c'"), ["e"]);
  assert.deepEqual(matching(RUNS, "tags.t LIKE '(a+b)%'"), ["e"]);
  assert.deepEqual(matching(RUNS, "tags.t LIKE 'aab*c'"), []);
});

Deno.test("attributes: strings, run_id lists, numeric times with missing end_time", () => {
  assert.deepEqual(matching(RUNS, "status = 'RUNNING'"), ["b"]);
  assert.deepEqual(matching(RUNS, "attributes.status != 'FINISHED'"), ["b"]);
  assert.deepEqual(matching(RUNS, "status = 'running'"), []);
  assert.deepEqual(matching(RUNS, "user_id = 'bob'"), ["c"]);
  assert.deepEqual(matching(RUNS, "run_name LIKE 'Cat%'"), ["c"]);
  assert.deepEqual(matching(RUNS, "`Run Name` ILIKE 'cat%'"), ["c"]);
  assert.deepEqual(matching(RUNS, "run_id IN ('a', 'c', 'zz')"), ["a", "c"]);
  assert.deepEqual(matching(RUNS, "run.run_id NOT IN ('a', 'c')"), ["b", "d", "e", "f", "g", "h"]);
  assert.deepEqual(matching(RUNS, "artifact_uri LIKE '%/d/artifacts'"), ["d"]);
  assert.deepEqual(matching(RUNS, "start_time >= 4"), ["d", "e", "g", "h"]);
  assert.deepEqual(matching(RUNS, "created < 1"), ["f"]);
  assert.deepEqual(matching(RUNS, "end_time > 0"), ["a", "d"]);
  assert.deepEqual(matching(RUNS, "end_time != 5"), ["d"]); // runs without end_time never match
});

Deno.test("datasets: any input may match; context comes from the input tag", () => {
  assert.deepEqual(matching(RUNS, "datasets.name = 'train-set'"), ["a", "d"]);
  assert.deepEqual(matching(RUNS, "dataset.name LIKE '%-set'"), ["a", "d"]);
  assert.deepEqual(matching(RUNS, "datasets.digest IN ('d2', 'd9')"), ["b", "d"]);
  assert.deepEqual(matching(RUNS, "datasets.context = 'eval'"), ["d"]);
  assert.deepEqual(matching(RUNS, "datasets.context = 'training'"), ["a", "d"]);
  // `!=` is "some input differs": d has a training input besides eval; runs without inputs never match.
  assert.deepEqual(matching(RUNS, "datasets.context != 'eval'"), ["a", "d"]);
  assert.deepEqual(matching(RUNS, "datasets.name NOT IN ('train-set')"), ["b", "d"]);
  assert.deepEqual(matching(RUNS, "datasets.context ILIKE 'TRAIN%' AND datasets.name = 'eval-set'"), ["d"]);
});

Deno.test("matchesRun agrees with the compiled filter", () => {
  const filter = parseRunFilter("metrics.m > 0 AND params.p IS NOT NULL");
  const compiled = compileRunFilter(filter);
  for (const r of RUNS) assert.equal(matchesRun(r, filter), compiled(r), r.info.runId);
  assert.ok(RUNS.every(compileRunFilter([])));
});

const order = (items: string[]) =>
  [...RUNS].sort(compareRuns(parseRunOrderBy(items))).map((r) => r.info.runId);

Deno.test("run ordering matches MLflow, NaN then missing last in both directions", () => {
  // Every expectation below is MLflow 3.18's SearchUtils.sort output on the same runs.
  assert.deepEqual(order([]), ["g", "h", "d", "e", "c", "b", "a", "f"]);
  assert.deepEqual(order(["metrics.m ASC"]), ["h", "a", "d", "g", "e", "b", "c", "f"]);
  assert.deepEqual(order(["metrics.m DESC"]), ["g", "d", "a", "h", "e", "b", "c", "f"]);
  assert.deepEqual(order(["params.p"]), ["d", "a", "c", "h", "g", "e", "b", "f"]);
  assert.deepEqual(order(["params.p DESC"]), ["g", "h", "c", "a", "d", "e", "b", "f"]);
  assert.deepEqual(order(["end_time"]), ["d", "a", "g", "h", "e", "c", "b", "f"]);
  assert.deepEqual(order(["end_time DESC"]), ["a", "d", "g", "h", "e", "c", "b", "f"]);
  assert.deepEqual(order(["metrics.m DESC", "params.p"]), ["g", "d", "a", "h", "e", "b", "c", "f"]);
});

Deno.test("later order terms and the base order break ties", () => {
  const runs = [
    run({ id: "r3", start: 10, params: { p: "same" }, metrics: { m: 1 } }),
    run({ id: "r1", start: 10, params: { p: "same" }, metrics: { m: 2 } }),
    run({ id: "r2", start: 20, params: { p: "same" }, metrics: { m: 1 } }),
  ];
  const ids = (items: string[]) => runs.sort(compareRuns(parseRunOrderBy(items))).map((r) => r.info.runId);
  assert.deepEqual(ids(["params.p"]), ["r2", "r1", "r3"]); // start_time DESC, then run_id ASC
  assert.deepEqual(ids(["params.p", "metrics.m DESC"]), ["r1", "r2", "r3"]);
  assert.deepEqual(ids(["metrics.m", "start_time"]), ["r3", "r2", "r1"]);
  assert.deepEqual(ids(["created DESC", "run_id DESC"]), ["r2", "r3", "r1"]);
});

Deno.test("strings order by code point, like Python and SQLite", () => {
  // UTF-16 order would put U+1F600 (surrogates 0xD83D…) before U+FB01; code point order puts it after.
  const runs = ["\u{1F600}", "\uFB01", "Z", "a", ""].map((p, i) =>
    run({ id: `r${i}`, start: 0, params: { p } })
  );
  const sorted = sortRuns(runs, parseRunOrderBy(["params.p"])).map((r) => r.params.get("p"));
  assert.deepEqual(sorted, ["", "Z", "a", "\uFB01", "\u{1F600}"]);
});

Deno.test("sortRuns gives the same order as compareRuns", () => {
  for (
    const items of [[], ["metrics.m"], ["metrics.m DESC", "params.p"], ["tags.t DESC"], [
      "status",
      "end_time",
    ]]
  ) {
    const parsed = parseRunOrderBy(items);
    assert.deepEqual(
      sortRuns(RUNS, parsed).map((r) => r.info.runId),
      [...RUNS].sort(compareRuns(parsed)).map((r) => r.info.runId),
      items.join(", "),
    );
  }
});

function exp(id: string, name: string, created: number, updated: number, tags: Record<string, string> = {}) {
  const e: Experiment = {
    experimentId: id,
    name,
    artifactLocation: `mlflow-artifacts:/${id}`,
    lifecycleStage: "active",
    creationTime: created,
    lastUpdateTime: updated,
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
  };
  return e;
}

const EXPS = [
  exp("0", "Default", 100, 100),
  exp("2", "beta", 300, 400, { team: "ml" }),
  exp("10", "Alpha", 300, 350, { team: "ML", note: "" }),
  exp("123456789012345678", "gamma", 200, 900),
];

const expIds = (filter: string) =>
  EXPS.filter(compileExperimentFilter(parseExperimentFilter(filter))).map((e) => e.experimentId);
const expOrder = (items: string[]) =>
  [...EXPS].sort(compareExperiments(parseExperimentOrderBy(items))).map((e) => e.experimentId);

Deno.test("experiment filters", () => {
  assert.deepEqual(expIds("name = 'beta'"), ["2"]);
  assert.deepEqual(expIds("name != 'beta'"), ["0", "10", "123456789012345678"]);
  assert.deepEqual(expIds("name LIKE 'a%'"), []);
  assert.deepEqual(expIds("name ILIKE 'a%'"), ["10"]);
  assert.deepEqual(expIds("creation_time >= 300"), ["2", "10"]);
  assert.deepEqual(expIds("last_update_time < 400 AND creation_time > 100"), ["10"]);
  assert.deepEqual(expIds("tags.team = 'ml'"), ["2"]);
  assert.deepEqual(expIds("tags.team ILIKE 'ml'"), ["2", "10"]);
  assert.deepEqual(expIds("tags.team != 'ml'"), ["10"]);
  assert.deepEqual(expIds("tags.team IS NULL"), ["0", "123456789012345678"]);
  assert.deepEqual(expIds("tags.note IS NOT NULL"), ["10"]);
  assert.deepEqual(expIds("tags.note = ''"), ["10"]);
  assert.deepEqual(expIds("experiment_id IN ('0', '10')"), ["0", "10"]);
  assert.deepEqual(expIds("experiment_id NOT IN ('0', '10')"), ["2", "123456789012345678"]);
  assert.ok(matchesExperiment(EXPS[0], parseExperimentFilter("")));
  assert.ok(!matchesExperiment(EXPS[0], parseExperimentFilter("name = 'x'")));
});

Deno.test("experiment ordering: default, tie-breaker, numeric ids", () => {
  // Default: creation_time DESC, experiment_id ASC (numeric, so "2" before "10").
  assert.deepEqual(expOrder([]), ["2", "10", "123456789012345678", "0"]);
  // Given terms get experiment_id DESC appended as tie-breaker.
  assert.deepEqual(expOrder(["creation_time DESC"]), ["10", "2", "123456789012345678", "0"]);
  assert.deepEqual(expOrder(["creation_time", "experiment_id"]), ["0", "123456789012345678", "2", "10"]);
  assert.deepEqual(expOrder(["name"]), ["10", "0", "2", "123456789012345678"]);
  assert.deepEqual(expOrder(["name DESC"]), ["123456789012345678", "2", "0", "10"]);
  assert.deepEqual(expOrder(["last_update_time DESC"]), ["123456789012345678", "2", "10", "0"]);
  assert.deepEqual(expOrder(["experiment_id DESC"]), ["123456789012345678", "10", "2", "0"]);
  assert.deepEqual(effectiveExperimentOrder(parseExperimentOrderBy(["experiment_id"])).length, 1);
  assert.deepEqual(effectiveExperimentOrder(parseExperimentOrderBy(["name"])).at(-1), {
    entity: "attribute",
    key: "experiment_id",
    ascending: false,
  });
});
