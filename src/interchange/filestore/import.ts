// `tracker import`: loads an MLflow FileStore into a TrackingStore, keeping MLflow's ids, times and states.
// Re-importing is safe: what exists is compared and only the difference is written (new params and tags,
// changed status, metric points past those already stored, lifecycle changes), so nothing is duplicated.
// Metric files are append-only in MLflow, so "points past those already stored" is exactly what was
// logged since the last import.

import * as path from "node:path";
import { resolveArtifactDir } from "../../artifacts/resolve.ts";
import { isMlflowError } from "../../errors.ts";
import { getOrNull } from "../../store/get-or-null.ts";
import { hasModelStores } from "../../store/model-store.ts";
import { allRuns } from "../../store/scan.ts";
import type { TrackingStore } from "../../store/tracking-store.ts";
import type { DatasetInput, Experiment, Metric, Run, Tag } from "../../store/types.ts";
import { copyTree } from "./copy-tree.ts";
import { importLoggedModel, importRegisteredModel, type ModelImportCtx } from "./import-models.ts";
import { LocationMap } from "./locations.ts";
import { fileUri, isDir, localPathOf } from "./local-uri.ts";
import { MetricLineError } from "./metric-line.ts";
import { readLoggedModels, readRegistry } from "./models-reader.ts";
import { mapPool } from "./pool.ts";
import { countingWarn, type Progress } from "./progress.ts";
import {
  type FsExperiment,
  type FsRun,
  listExperiments,
  listRunDirs,
  readMetricPoints,
  readRun,
} from "./reader.ts";

/**
 * `copy`: local artifacts are copied under the store's default artifact root (what `tracker server`
 * serves), so the import no longer needs the mlruns folder. `reference`: experiments keep their artifact
 * locations and runs read their artifacts where MLflow left them. Remote locations (s3:, mlflow-artifacts:)
 * are always referenced.
 */
export type ArtifactMode = "copy" | "reference";

export interface ImportOptions {
  artifacts: ArtifactMode;
  /** Folder behind `mlflow-artifacts:` URIs, to find where copied artifacts go. */
  artifactsDestination: string;
  warn: (message: string) => void;
  progress?: Progress;
  /** Runs imported at once (the store group-commits concurrent writes). */
  concurrency?: number;
  /** Points per logBatch call; bounds memory for huge histories. */
  batchSize?: number;
}

export interface Counts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export interface ImportReport {
  experiments: Counts;
  runs: Counts;
  metricPoints: number;
  artifactFiles: number;
  artifactBytes: number;
  loggedModels: Counts;
  registeredModels: Counts;
  warnings: number;
}

const counts = (): Counts => ({ created: 0, updated: 0, unchanged: 0, failed: 0 });
type Outcome = "created" | "updated" | "unchanged";

class Conflict extends Error {}

export async function importMlruns(
  store: TrackingStore,
  root: string,
  opts: ImportOptions,
): Promise<ImportReport> {
  const report: ImportReport = {
    experiments: counts(),
    runs: counts(),
    metricPoints: 0,
    artifactFiles: 0,
    artifactBytes: 0,
    loggedModels: counts(),
    registeredModels: counts(),
    warnings: 0,
  };
  const warn = countingWarn(report, opts);
  const absRoot = path.resolve(root);
  const experiments = await listExperiments(absRoot, warn);
  const runDirs = new Map<string, string[]>();
  let total = 0;
  for (const e of experiments) {
    const dirs = await listRunDirs(e);
    runDirs.set(e.meta.experimentId, dirs);
    total += dirs.length;
  }
  opts.progress?.total(total);

  const ctx: Ctx = { store, opts, report, warn, locations: new LocationMap() };
  for (const fsExp of experiments) {
    const dirs = runDirs.get(fsExp.meta.experimentId)!;
    try {
      const outcome = await importExperiment(ctx, fsExp, dirs);
      report.experiments[outcome]++;
    } catch (e) {
      report.experiments.failed++;
      warn(`experiment ${fsExp.meta.experimentId} (${fsExp.meta.name}): ${describe(e)}`);
      opts.progress?.tick(dirs.length);
    }
  }
  const registry = await readRegistry(absRoot, warn);
  if (registry.length > 0) {
    const mctx = modelCtx(ctx);
    if (mctx === null) {
      warn(`${registry.length} registered model(s) not imported: this store has no registry`);
    }
    await mapPool(mctx === null ? [] : registry, opts.concurrency ?? 16, async (rm) => {
      try {
        report.registeredModels[await importRegisteredModel(mctx!, rm)]++;
      } catch (e) {
        report.registeredModels.failed++;
        warn(`registered model '${rm.meta.name}': ${describe(e)}`);
      }
    });
  }
  return report;
}

/** What the model import needs, or null when the store keeps no logged models or registry. */
function modelCtx(ctx: Ctx): ModelImportCtx | null {
  const store = ctx.store;
  if (!hasModelStores(store)) return null;
  return {
    store,
    locations: ctx.locations,
    warn: ctx.warn,
    copy: (sources, targetUri, label) => copyArtifactsInto(ctx, sources, targetUri, label),
  };
}

async function importLoggedModels(ctx: Ctx, fsExp: FsExperiment, exp: Experiment): Promise<boolean> {
  const models = await readLoggedModels(fsExp, ctx.warn);
  if (models.length === 0) return false;
  const mctx = modelCtx(ctx);
  if (mctx === null) {
    ctx.warn(
      `experiment ${exp.experimentId}: ${models.length} logged model(s) not imported (no model store)`,
    );
    return false;
  }
  let changed = false;
  // Concurrent writes share the store's group commits.
  await mapPool(models, ctx.opts.concurrency ?? 16, async (m) => {
    try {
      const o = await importLoggedModel(mctx, exp, m);
      ctx.report.loggedModels[o]++;
      if (o !== "unchanged") changed = true;
    } catch (e) {
      ctx.report.loggedModels.failed++;
      ctx.warn(`logged model ${m.meta.modelId}: ${describe(e)}`);
    }
  });
  return changed;
}

interface Ctx {
  store: TrackingStore;
  opts: ImportOptions;
  report: ImportReport;
  warn: (m: string) => void;
  /** Where imported runs' and models' artifact folders went, for model versions pointing into them. */
  locations: LocationMap;
}

function describe(e: unknown): string {
  return isMlflowError(e) ? `${e.code}: ${e.message}` : String((e as Error)?.message ?? e);
}

/** The artifact location the imported experiment gets, per the artifact mode. */
async function targetLocation(fsExp: FsExperiment, mode: ArtifactMode): Promise<string | undefined> {
  const given = fsExp.meta.artifactLocation;
  const local = given === undefined ? fsExp.dir : localPathOf(given);
  if (local === null) return given; // remote or proxied: referenced as is
  if (mode === "copy") return undefined; // the store's default root
  // A moved mlruns folder (or an experiment in .trash) no longer sits where meta.yaml says.
  return await isDir(local) ? fileUri(local) : fileUri(fsExp.dir);
}

/** The experiment's location; a local folder kept by reference becomes one the server may serve. */
async function referencedLocation(ctx: Ctx, fsExp: FsExperiment): Promise<string | undefined> {
  const location = await targetLocation(fsExp, ctx.opts.artifacts);
  const local = location === undefined ? null : localPathOf(location);
  if (local !== null) await ctx.store.addArtifactRoot(path.resolve(local));
  return location;
}

async function importExperiment(ctx: Ctx, fsExp: FsExperiment, dirs: string[]): Promise<Outcome> {
  const { store } = ctx;
  const m = fsExp.meta;
  const id = m.experimentId;
  let existing = await getOrNull(() => store.getExperiment(id));
  let changed = false;
  if (existing === null) {
    const byName = await store.getExperimentByName(m.name);
    if (byName !== null) {
      throw new Conflict(
        `the store already has experiment ${byName.experimentId} named '${m.name}'; not imported`,
      );
    }
    await store.createExperiment({
      name: m.name,
      experimentId: id,
      artifactLocation: await referencedLocation(ctx, fsExp),
      tags: fsExp.tags,
      creationTime: m.creationTime,
      lastUpdateTime: m.lastUpdateTime,
      lifecycleStage: "active",
    });
    existing = await store.getExperiment(id);
    changed = true;
  } else if (id !== "0" && m.creationTime !== undefined && existing.creationTime !== m.creationTime) {
    // Same id, different birth: another experiment (e.g. tracker's own "1" against MLflow 2.x's "1").
    throw new Conflict(
      `the store's experiment ${id} ('${existing.name}') is a different experiment (created at ` +
        `${existing.creationTime}, the file says ${m.creationTime}); not imported`,
    );
  }
  const created = changed;

  // Read the runs first: whether anything must be written decides whether a deleted experiment is
  // restored for the duration (runs can only be created in an active experiment).
  const runs: FsRun[] = [];
  for (const dir of dirs) {
    const r = await readRun(fsExp, dir, ctx.warn);
    if (r) runs.push(r);
    else ctx.opts.progress?.tick(1);
  }
  const newRuns = new Set<string>();
  for (const r of runs) {
    if ((await getOrNull(() => store.getRun(r.meta.runId))) === null) newRuns.add(r.meta.runId);
  }
  const tagsToSet = fsExp.tags.filter((t) =>
    !existing!.tags.some((x) => x.key === t.key && x.value === t.value)
  );
  const rename = existing.name !== m.name;

  const fileDeleted = m.lifecycleStage === "deleted";
  const storeDeleted = existing.lifecycleStage === "deleted";
  // Runs deleted before the experiment is restored must stay deleted (restore revives every run).
  let reDelete = new Map<string, number | undefined>();
  if (storeDeleted && (!fileDeleted || newRuns.size > 0 || tagsToSet.length > 0 || rename)) {
    reDelete = await deletedRunsOf(store, id);
    await store.restoreExperiment(id);
    changed = true;
  }
  if (rename) {
    await store.renameExperiment(id, m.name);
    changed = true;
  }
  for (const t of tagsToSet) {
    await store.setExperimentTag(id, t);
    changed = true;
  }

  const outcomes = await mapPool(runs, ctx.opts.concurrency ?? 16, async (r) => {
    try {
      const o = await importRun(ctx, existing!, r, newRuns.has(r.meta.runId));
      ctx.report.runs[o]++;
      return o;
    } catch (e) {
      ctx.report.runs.failed++;
      ctx.warn(`run ${r.meta.runId}: ${describe(e)}`);
      return "failed";
    } finally {
      ctx.opts.progress?.tick(1, m.name);
    }
  });
  if (outcomes.some((o) => o !== "unchanged")) changed = true;

  if (await importLoggedModels(ctx, fsExp, existing)) changed = true;

  for (const r of runs) reDelete.delete(r.meta.runId);
  for (const [runId, at] of reDelete) await store.deleteRun(runId, at);
  const now = await store.getExperiment(id);
  if (fileDeleted && now.lifecycleStage === "active") {
    await store.deleteExperiment(id, m.lastUpdateTime);
    changed = true;
  }
  return created ? "created" : changed ? "updated" : "unchanged";
}

async function deletedRunsOf(store: TrackingStore, expId: string): Promise<Map<string, number | undefined>> {
  const out = new Map<string, number | undefined>();
  for (const r of await allRuns(store, [expId], "DELETED_ONLY")) out.set(r.info.runId, r.info.deletedTime);
  return out;
}

const tagMap = (tags: Tag[]) => new Map(tags.map((t) => [t.key, t.value]));

async function importRun(ctx: Ctx, exp: Experiment, r: FsRun, isNew: boolean): Promise<Outcome> {
  const { store } = ctx;
  const m = r.meta;
  let run: Run;
  let changed = false;
  if (isNew) {
    run = await store.createRun({
      experimentId: exp.experimentId,
      userId: m.userId,
      runName: m.runName,
      startTime: m.startTime,
      tags: r.tags,
      runId: m.runId,
      status: m.status,
      endTime: m.endTime,
      lifecycleStage: "active",
    });
    changed = true;
  } else {
    run = await store.getRun(m.runId);
    if (run.info.experimentId !== exp.experimentId) {
      throw new Conflict(`exists in the store under experiment ${run.info.experimentId}; not imported`);
    }
  }

  // What the store lacks.
  const params = tagMap(run.data.params);
  const newParams: Tag[] = [];
  for (const p of r.params) {
    const old = params.get(p.key);
    if (old === undefined) newParams.push(p);
    else if (old !== p.value) {
      ctx.warn(
        `run ${m.runId}: param '${p.key}' is '${old}' in the store and '${p.value}' in the file; kept`,
      );
    }
  }
  const tags = tagMap(run.data.tags);
  const newTags = isNew ? [] : r.tags.filter((t) => tags.get(t.key) !== t.value);
  const datasets = missingDatasets(run.inputs.datasetInputs, r.datasetInputs);
  const models = r.modelInputs.filter((x) => !run.inputs.modelInputs.some((y) => y.modelId === x.modelId));
  const outputs = r.modelOutputs.filter((x) =>
    !run.outputs.modelOutputs.some((y) => y.modelId === x.modelId && y.step === x.step)
  );
  const infoChanged = !isNew &&
    (run.info.status !== m.status || run.info.endTime !== m.endTime ||
      (m.runName !== "" && run.info.runName !== m.runName));
  const plans = await planMetrics(store, run, r, isNew, ctx.warn);
  const dataChanged = newParams.length + newTags.length + datasets.length + models.length +
          outputs.length + plans.length > 0 || infoChanged;

  const fileDeleted = m.lifecycleStage === "deleted";
  if (dataChanged && run.info.lifecycleStage === "deleted") {
    await store.restoreRun(m.runId);
    run.info.lifecycleStage = "active";
  }
  if (infoChanged) {
    await store.updateRun(m.runId, {
      status: m.status,
      endTime: m.endTime,
      ...(m.runName !== "" && run.info.runName !== m.runName ? { runName: m.runName } : {}),
    });
  }
  await appendMetrics(ctx, m.runId, plans, newParams, newTags);
  if (datasets.length > 0 || models.length > 0) await store.logInputs(m.runId, datasets, models);
  if (outputs.length > 0) await store.logOutputs(m.runId, outputs);
  if (dataChanged) changed = true;

  if (await copyArtifacts(ctx, r, run)) changed = true;

  // A deleted run that had to be written was restored above; it is deleted again with the file's time.
  if (fileDeleted && run.info.lifecycleStage === "active") {
    await store.deleteRun(m.runId, m.deletedTime);
    changed = true;
  } else if (!fileDeleted && run.info.lifecycleStage === "deleted") {
    await store.restoreRun(m.runId);
    changed = true;
  }
  return isNew ? "created" : changed ? "updated" : "unchanged";
}

function missingDatasets(have: DatasetInput[], want: DatasetInput[]): DatasetInput[] {
  return want.filter((w) => {
    const h = have.find((x) => x.dataset.name === w.dataset.name && x.dataset.digest === w.dataset.digest);
    if (!h) return true;
    const a = tagMap(h.tags);
    return w.tags.length !== h.tags.length || w.tags.some((t) => a.get(t.key) !== t.value);
  });
}

interface MetricPlan {
  key: string;
  file: string;
  /** Points of the file already in the store (skipped). */
  skip: number;
}

/**
 * Which metric files have points the store lacks. The store's history of a key is taken to be a prefix of
 * the file (both are append-only); the probe compares the store's point at the file's last index.
 */
async function planMetrics(
  store: TrackingStore,
  run: Run,
  r: FsRun,
  isNew: boolean,
  warn: (m: string) => void,
): Promise<MetricPlan[]> {
  const plans: MetricPlan[] = [];
  const known = new Set(run.data.metrics.map((x) => x.key));
  for (const { key, file } of r.metricFiles) {
    if (isNew || !known.has(key)) {
      plans.push({ key, file, skip: 0 });
      continue;
    }
    let n = 0;
    let last: Metric | undefined;
    try {
      for await (const batch of readMetricPoints(key, file)) {
        n += batch.length;
        last = batch[batch.length - 1];
      }
    } catch (e) {
      if (!(e instanceof MetricLineError)) throw e;
      warn(`run ${run.info.runId}: metric '${key}' skipped: ${e.message}`);
      continue;
    }
    if (n === 0) continue;
    const probe = await store.getMetricHistory(run.info.runId, key, { offset: n - 1, maxResults: 1 });
    if (probe.items.length === 1) {
      const p = probe.items[0];
      if (!samePoint(p, last!)) {
        throw new Conflict(`metric '${key}' differs between the store and ${file}; run not updated`);
      }
      continue; // the store has every point of the file (and maybe more logged later)
    }
    const all = await store.getMetricHistory(run.info.runId, key, { offset: 0 });
    plans.push({ key, file, skip: all.items.length });
  }
  return plans;
}

function samePoint(a: Metric, b: Metric): boolean {
  const sameValue = a.value === b.value || (Number.isNaN(a.value) && Number.isNaN(b.value));
  return sameValue && a.timestamp === b.timestamp && a.step === b.step;
}

/**
 * Streams the new points of every planned file into the store, with the run's new params and tags; points
 * of several keys share a logBatch (one commit) up to `batchSize`, so runs with many short histories cost
 * few commits.
 */
async function appendMetrics(ctx: Ctx, runId: string, plans: MetricPlan[], params: Tag[], tags: Tag[]) {
  const limit = ctx.opts.batchSize ?? 10_000;
  let pending: Metric[] = [];
  // Params and tags ride along with the first batch: one commit fewer per run.
  let extra: [Tag[], Tag[]] | null = params.length + tags.length > 0 ? [params, tags] : null;
  const flush = async () => {
    if (pending.length === 0 && extra === null) return;
    const points = pending;
    const [p, t] = extra ?? [[], []];
    pending = [];
    extra = null;
    await ctx.store.logBatch(runId, points, p, t);
    ctx.report.metricPoints += points.length;
  };
  for (const plan of plans) {
    let seen = 0;
    try {
      for await (const batch of readMetricPoints(plan.key, plan.file, limit)) {
        const start = Math.max(0, plan.skip - seen);
        seen += batch.length;
        if (start >= batch.length) continue;
        for (let i = start; i < batch.length; i++) pending.push(batch[i]);
        if (pending.length >= limit) await flush();
      }
    } catch (e) {
      // MLflow cannot read such a file either; the points before the bad line are kept.
      if (!(e instanceof MetricLineError)) throw e;
      ctx.warn(`run ${runId}: metric '${plan.key}' stops at a malformed line: ${e.message}`);
    }
  }
  await flush();
}

/** Copies the run's artifacts into the store's location for them; true when files were copied. */
function copyArtifacts(ctx: Ctx, r: FsRun, run: Run): Promise<boolean> {
  const fromMeta = r.meta.artifactUri === undefined ? null : localPathOf(r.meta.artifactUri);
  const fromDir = path.join(r.dir, "artifacts");
  for (const src of [fromMeta, fromDir]) if (src !== null) ctx.locations.add(src, run.info.artifactUri);
  return copyArtifactsInto(ctx, [fromMeta, fromDir], run.info.artifactUri, `run ${run.info.runId}`);
}

/**
 * Copies the first existing folder of `sources` into the folder behind `targetUri` (copy mode only);
 * true when files were copied.
 */
async function copyArtifactsInto(
  ctx: Ctx,
  sources: (string | null)[],
  targetUri: string,
  label: string,
): Promise<boolean> {
  if (ctx.opts.artifacts !== "copy") return false;
  let source: string | undefined;
  for (const s of sources) {
    if (s !== null && await isDir(s)) {
      source = await Deno.realPath(s);
      break;
    }
  }
  if (source === undefined) return false;
  let target: string;
  try {
    target = await resolveArtifactDir(targetUri, { artifactsDestination: ctx.opts.artifactsDestination });
  } catch {
    // The experiment keeps a remote location (or one tracker cannot serve): nothing to copy into.
    return false;
  }
  const realTarget = await Deno.realPath(target).catch(() => target);
  if (realTarget === source) return false;
  if (realTarget.startsWith(source + path.sep) || source.startsWith(realTarget + path.sep)) {
    ctx.warn(`${label}: artifact folders ${source} and ${realTarget} overlap; not copied`);
    return false;
  }
  const stats = await copyTree(source, target, ctx.warn);
  ctx.report.artifactFiles += stats.files;
  ctx.report.artifactBytes += stats.bytes;
  return stats.files > 0;
}
