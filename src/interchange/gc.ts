// `tracker gc`: permanently removes deleted runs and experiments, and their artifacts, with MLflow's
// selection rules (`mlflow gc`):
// - runs: the given --run-ids, else every deleted run (deleted at least --older-than ago, when given);
// - experiments: the given --experiment-ids, else every deleted experiment (last updated before now minus
//   --older-than, when given); their deleted runs are removed with them;
// - logged models: the given --logged-model-ids, else every deleted logged model (last updated at least
//   --older-than ago, when given), as `mlflow gc` does since 3.x; the logged models of removed experiments go
//   with them (with their artifacts);
// - a named run, experiment or logged model that is not deleted, or not old enough, is an error.
// Unlike MLflow, everything is checked before anything is removed, so an error removes nothing.
// Artifacts are removed only from a run's own `<run_id>/artifacts` folder, then empty parent folders up to
// the experiment's location; nothing outside those folders is ever touched.

import * as path from "node:path";
import { resolveArtifactDir } from "../artifacts/resolve.ts";
import { getOrNull } from "../store/get-or-null.ts";
import { hasModelStores } from "../store/model-store.ts";
import type { LoggedModel } from "../store/model-types.ts";
import { allExperiments, allRuns } from "../store/scan.ts";
import type { TrackingStore } from "../store/tracking-store.ts";
import type { Experiment, RunInfo, ViewType } from "../store/types.ts";

export class GcError extends Error {}

/** MLflow's `#d#h#m#s` duration (each part optional, decimals allowed) in milliseconds. */
export function parseOlderThan(text: string): number {
  const m = /^(?:([.\d]+?)d)?(?:([.\d]+?)h)?(?:([.\d]+?)m)?(?:([.\d]+?)s)?$/.exec(text);
  if (text === "" || m === null) {
    throw new GcError(
      `Could not parse any time information from '${text}'. Examples of valid strings: '8h', '2d8h5m20s', '2m4s'`,
    );
  }
  const units = [86_400_000, 3_600_000, 60_000, 1000];
  let ms = 0;
  for (let i = 0; i < 4; i++) {
    const part = m[i + 1];
    if (part === undefined) continue;
    if (!/^(?:\d+\.?\d*|\.\d+)$/.test(part)) throw new GcError(`'${part}' in '${text}' is not a number`);
    ms += Number(part) * units[i];
  }
  return Math.trunc(ms);
}

export interface GcOptions {
  /** Minimum age in ms (from parseOlderThan); undefined = any age. */
  olderThan?: number;
  runIds?: string[];
  experimentIds?: string[];
  loggedModelIds?: string[];
  /** Folder behind `mlflow-artifacts:` URIs. */
  artifactsDestination: string;
  /** Reference time (tests); default now. */
  now?: number;
}

export interface GcPlan {
  runs: RunInfo[];
  experiments: Experiment[];
  /** Named deleted logged models, and every logged model of the removed experiments. */
  loggedModels: LoggedModel[];
}

/** The infos of every run of these experiments in the view. */
async function runsOf(store: TrackingStore, experimentIds: string[], viewType: ViewType): Promise<RunInfo[]> {
  return (await allRuns(store, experimentIds, viewType)).map((r) => r.info);
}

async function getOrFail<T>(what: string, f: () => Promise<T>): Promise<T> {
  const found = await getOrNull(f);
  if (found === null) throw new GcError(`${what} does not exist`);
  return found;
}

/** Decides what gc removes; throws GcError (removing nothing) when a named item may not be removed. */
export async function planGc(store: TrackingStore, opts: GcOptions): Promise<GcPlan> {
  const now = opts.now ?? Date.now();
  const age = opts.olderThan;
  const oldEnough = (deletedTime: number | undefined) =>
    age === undefined || deletedTime === undefined || now - deletedTime >= age;

  // Experiments first: their runs join the run list.
  let experiments: Experiment[];
  if (opts.experimentIds && opts.experimentIds.length > 0) {
    experiments = [];
    for (const id of new Set(opts.experimentIds)) {
      experiments.push(await getOrFail(`Experiment ${id}`, () => store.getExperiment(id)));
    }
    const active = experiments.filter((e) => e.lifecycleStage !== "deleted").map((e) => e.experimentId);
    if (active.length > 0) {
      throw new GcError(
        `Experiments ${active.join(", ")} are not in the deleted lifecycle stage. ` +
          "Only experiments in the deleted lifecycle stage can be hard-deleted.",
      );
    }
    if (age !== undefined) {
      const young = experiments.filter((e) => e.lastUpdateTime >= now - age).map((e) => e.experimentId);
      if (young.length > 0) {
        throw new GcError(`Experiments ${young.join(", ")} are not older than the required age.`);
      }
    }
  } else {
    experiments = (await allExperiments(store, "DELETED_ONLY")).filter((e) =>
      age === undefined || e.lastUpdateTime < now - age
    );
  }

  const runs = new Map<string, RunInfo>();
  if (opts.runIds && opts.runIds.length > 0) {
    for (const id of new Set(opts.runIds)) {
      const info = (await getOrFail(`Run ${id}`, () => store.getRun(id))).info;
      runs.set(id, info);
    }
  } else {
    const everyExperiment = (await allExperiments(store, "ALL")).map((e) => e.experimentId);
    for (const info of await runsOf(store, everyExperiment, "DELETED_ONLY")) {
      if (oldEnough(info.deletedTime)) runs.set(info.runId, info);
    }
  }
  const expIds = experiments.map((e) => e.experimentId);
  for (const info of await runsOf(store, expIds, "DELETED_ONLY")) runs.set(info.runId, info);

  for (const info of runs.values()) {
    if (info.lifecycleStage !== "deleted") {
      throw new GcError(
        `Run ${info.runId} is not in \`deleted\` lifecycle stage. Only runs in \`deleted\` lifecycle stage can be deleted.`,
      );
    }
    if (!oldEnough(info.deletedTime)) {
      throw new GcError(`Run ${info.runId} is not older than the required age.`);
    }
  }
  // A deleted experiment can still hold a run restored on its own; it goes with the experiment.
  for (const info of await runsOf(store, expIds, "ALL")) {
    if (!runs.has(info.runId)) runs.set(info.runId, info);
  }
  const loggedModels = await planLoggedModels(store, opts, expIds, now);
  return { runs: [...runs.values()], experiments, loggedModels };
}

async function planLoggedModels(
  store: TrackingStore,
  opts: GcOptions,
  expIds: string[],
  now: number,
): Promise<LoggedModel[]> {
  const wanted = opts.loggedModelIds ?? [];
  if (!hasModelStores(store)) {
    if (wanted.length > 0) throw new GcError("this store keeps no logged models");
    return [];
  }
  const out = new Map<string, LoggedModel>();
  if (opts.loggedModelIds === undefined || opts.loggedModelIds.length === 0) {
    const age = opts.olderThan ?? 0;
    for (const e of await allExperiments(store, "ALL")) {
      for (const m of await store.listLoggedModels(e.experimentId)) {
        if (m.lifecycleStage === "deleted" && m.lastUpdatedTimestamp <= now - age) out.set(m.modelId, m);
      }
    }
  }
  for (const id of new Set(wanted)) {
    const m = await getOrFail(`Logged model ${id}`, () => store.getLoggedModel(id, true));
    if (m.lifecycleStage !== "deleted") {
      throw new GcError(
        `Logged model ${id} is not in \`deleted\` lifecycle stage. ` +
          "Only logged models in `deleted` lifecycle stage can be deleted.",
      );
    }
    if (opts.olderThan !== undefined && now - m.lastUpdatedTimestamp < opts.olderThan) {
      throw new GcError(`Logged model ${id} is not older than the required age.`);
    }
    out.set(id, m);
  }
  // Every model of a removed experiment goes with it.
  for (const id of expIds) for (const m of await store.listLoggedModels(id)) out.set(m.modelId, m);
  return [...out.values()];
}

export interface GcReport {
  runs: number;
  experiments: number;
  loggedModels: number;
  artifactDirs: number;
}

/** Removes what `plan` lists: each run's artifacts then the run, then the experiments. */
export async function executeGc(
  store: TrackingStore,
  plan: GcPlan,
  opts: GcOptions,
  log: (line: string) => void,
  warn: (line: string) => void,
): Promise<GcReport> {
  const report: GcReport = { runs: 0, experiments: 0, loggedModels: 0, artifactDirs: 0 };
  const inExperiment = new Set(plan.experiments.map((e) => e.experimentId));
  for (const info of plan.runs) {
    if (await removeRunArtifacts(info, opts, warn)) report.artifactDirs++;
    // Runs of removed experiments go with hardDeleteExperiment (which also takes runs not deleted).
    if (!inExperiment.has(info.experimentId)) await store.hardDeleteRun(info.runId);
    report.runs++;
    log(`Run with ID ${info.runId} has been permanently deleted.`);
  }
  for (const m of plan.loggedModels) {
    if (await removeOwnFolder(m.artifactUri, ["models", m.modelId, "artifacts"], opts, warn)) {
      report.artifactDirs++;
    }
    // Models of removed experiments go with hardDeleteExperiment.
    if (!inExperiment.has(m.experimentId) && hasModelStores(store)) {
      await store.hardDeleteLoggedModels({ modelId: m.modelId });
    }
    report.loggedModels++;
    log(`Logged model with ID ${m.modelId} has been permanently deleted.`);
  }
  for (const e of plan.experiments) {
    await store.hardDeleteExperiment(e.experimentId);
    await pruneEmptyDir(e.artifactLocation, opts);
    report.experiments++;
    log(`Experiment with ID ${e.experimentId} has been permanently deleted.`);
  }
  return report;
}

async function localDir(uri: string, opts: GcOptions): Promise<string | null> {
  try {
    return await resolveArtifactDir(uri, { artifactsDestination: opts.artifactsDestination });
  } catch {
    return null;
  }
}

/** Deletes `<...>/<run_id>/artifacts` and the run folder when that leaves it empty. */
function removeRunArtifacts(info: RunInfo, opts: GcOptions, warn: (m: string) => void): Promise<boolean> {
  return removeOwnFolder(info.artifactUri, [info.runId, "artifacts"], opts, warn);
}

/**
 * Deletes the folder behind `uri` only when its path ends with `tail` (so it is unmistakably the item's own
 * folder), then the parents named in `tail` that this leaves empty.
 */
async function removeOwnFolder(
  uri: string,
  tail: string[],
  opts: GcOptions,
  warn: (m: string) => void,
): Promise<boolean> {
  const dir = await localDir(uri, opts);
  if (dir === null) {
    warn(`artifacts at '${uri}' are not on this machine; not deleted`);
    return false;
  }
  const parts = dir.split(path.sep);
  if (parts.slice(-tail.length).join("/") !== tail.join("/")) {
    warn(`artifact folder ${dir} is not '${tail.join("/")}'; not deleted`);
    return false;
  }
  let removed = false;
  try {
    await Deno.remove(dir, { recursive: true });
    removed = true;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  let parent = path.dirname(dir);
  for (let i = 1; i < tail.length; i++, parent = path.dirname(parent)) {
    if (!(await Deno.remove(parent).then(() => true, () => false))) break; // only succeeds when empty
  }
  return removed;
}

/** Removes an experiment's artifact folder when nothing is left in it (never the destination root). */
async function pruneEmptyDir(uri: string, opts: GcOptions) {
  const dir = await localDir(uri, opts);
  if (dir === null || dir === path.resolve(opts.artifactsDestination) || dir === "/") return;
  await Deno.remove(dir).catch(() => {}); // only succeeds when empty
}
