// `tracker export --format mlruns`: writes a TrackingStore out as an MLflow FileStore that `mlflow` reads
// (search_runs, get_metric_history, artifact downloads, logged models, the model registry). Ids, times and
// states are kept; deleted experiments go under `.trash/`, deleted logged models keep their deleted stage.
// Exporting again into the same folder rewrites what it exported before.

import * as path from "node:path";
import { resolveArtifactDir } from "../../artifacts/resolve.ts";
import { isMlflowError } from "../../errors.ts";
import { type FullStore, hasModelStores } from "../../store/model-store.ts";
import type { LoggedModel } from "../../store/model-types.ts";
import { allExperiments, allRuns } from "../../store/scan.ts";
import type { TrackingStore } from "../../store/tracking-store.ts";
import type { Experiment, Metric, Run } from "../../store/types.ts";
import { copyTree } from "./copy-tree.ts";
import { fileUri } from "./local-uri.ts";
import { LocationMap } from "./locations.ts";
import { writeLoggedModel, writeRegisteredModel } from "./models-writer.ts";
import { mapPool } from "./pool.ts";
import { countingWarn, type Progress } from "./progress.ts";
import { FileStoreWriter } from "./writer.ts";

/**
 * `copy`: artifacts are copied into the folder and the locations point there (the folder is complete on
 * its own). `reference`: locations stay as stored and nothing is copied (for artifacts on shared storage).
 */
export type ExportArtifactMode = "copy" | "reference";

export interface ExportOptions {
  artifacts: ExportArtifactMode;
  /** Folder behind `mlflow-artifacts:` URIs, where the server keeps proxied artifacts. */
  artifactsDestination: string;
  /** Only these experiments (default: all, deleted ones included, and the model registry). */
  experimentIds?: string[];
  warn: (message: string) => void;
  progress?: Progress;
  concurrency?: number;
}

export interface ExportReport {
  experiments: number;
  runs: number;
  failedRuns: number;
  loggedModels: number;
  registeredModels: number;
  metricPoints: number;
  artifactFiles: number;
  artifactBytes: number;
  warnings: number;
}

const HISTORY_PAGE = 50_000;

export async function exportMlruns(
  store: TrackingStore,
  outDir: string,
  opts: ExportOptions,
): Promise<ExportReport> {
  const report: ExportReport = {
    experiments: 0,
    runs: 0,
    failedRuns: 0,
    loggedModels: 0,
    registeredModels: 0,
    metricPoints: 0,
    artifactFiles: 0,
    artifactBytes: 0,
    warnings: 0,
  };
  const warn = countingWarn(report, opts);
  const root = path.resolve(outDir);
  const writer = new FileStoreWriter(root, warn);
  await writer.init();

  const experiments = await experimentsToExport(store, opts.experimentIds);
  const runsByExp = new Map<string, Run[]>();
  let total = 0;
  for (const e of experiments) {
    const runs = await allRuns(store, [e.experimentId], "ALL");
    runsByExp.set(e.experimentId, runs);
    total += runs.length;
  }
  opts.progress?.total(total);

  const models = hasModelStores(store) ? store : null;
  const ctx: Ctx = { store, writer, opts, report, warn, locations: new LocationMap() };
  for (const exp of experiments) {
    const copy = opts.artifacts === "copy";
    const location = copy ? fileUri(path.join(root, exp.experimentId)) : exp.artifactLocation;
    const expDir = await writer.writeExperiment({ ...exp, artifactLocation: location });
    report.experiments++;
    await mapPool(runsByExp.get(exp.experimentId)!, opts.concurrency ?? 8, async (run) => {
      try {
        await exportRun(ctx, expDir, location, run);
        report.runs++;
      } catch (e) {
        report.failedRuns++;
        warn(`run ${run.info.runId}: ${isMlflowError(e) ? e.message : (e as Error).message}`);
      } finally {
        opts.progress?.tick(1, exp.name);
      }
    });
    for (const lm of models ? await models.listLoggedModels(exp.experimentId) : []) {
      try {
        await exportLoggedModel(ctx, expDir, location, lm);
        report.loggedModels++;
      } catch (e) {
        warn(`logged model ${lm.modelId}: ${(e as Error).message}`);
      }
    }
  }
  // Versions point into runs and logged models: only a whole-store export has them all.
  if (models && !opts.experimentIds) await exportRegistry(ctx, models, root);
  return report;
}

/** What every step of one export shares. */
interface Ctx {
  store: TrackingStore;
  writer: FileStoreWriter;
  opts: ExportOptions;
  report: ExportReport;
  warn: (m: string) => void;
  /** Stored artifact locations → where the export put them (copy mode), for registry sources. */
  locations: LocationMap;
}

async function exportLoggedModel(ctx: Ctx, expDir: string, expLocation: string, lm: LoggedModel) {
  const copy = ctx.opts.artifacts === "copy";
  const artifactUri = copy ? `${expLocation}/models/${lm.modelId}/artifacts` : lm.artifactUri;
  const dir = await writeLoggedModel(ctx.writer, expDir, { ...lm, artifactUri });
  if (copy) await copyArtifacts(ctx, `logged model ${lm.modelId}`, lm.artifactUri, artifactUri, dir);
}

async function exportRegistry(ctx: Ctx, store: FullStore, root: string) {
  for (const name of await store.listRegisteredModelNames()) {
    try {
      const entry = await store.getRegistryEntry(name);
      await writeRegisteredModel(root, ctx.writer, entry, (loc) => ctx.locations.map(loc));
      ctx.report.registeredModels++;
    } catch (e) {
      ctx.warn(`registered model '${name}': ${(e as Error).message}`);
    }
  }
}

async function exportRun(ctx: Ctx, expDir: string, expLocation: string, run: Run) {
  const { store, writer, report } = ctx;
  const info = run.info;
  const copy = ctx.opts.artifacts === "copy";
  // MLflow derives a run's artifact URI from its experiment's location; keep that shape when copying.
  const artifactUri = copy ? `${expLocation}/${info.runId}/artifacts` : info.artifactUri;
  const runDir = await writer.writeRun(expDir, { ...info, artifactUri }, run.data.params, run.data.tags);
  for (const m of run.data.metrics) {
    report.metricPoints += await writer.writeMetric(runDir, m.key, history(store, info.runId, m.key));
  }
  await writer.writeInputs(expDir, runDir, info.runId, run.inputs.datasetInputs, run.inputs.modelInputs);
  await writer.writeOutputs(runDir, run.outputs.modelOutputs);
  if (copy) await copyArtifacts(ctx, `run ${info.runId}`, info.artifactUri, artifactUri, runDir);
}

/** Copies the artifacts stored at `from` into `<dir>/artifacts` (now at `to`); warns when they are not local. */
async function copyArtifacts(ctx: Ctx, what: string, from: string, to: string, dir: string) {
  ctx.locations.add(from, to);
  let source: string;
  try {
    source = await resolveArtifactDir(from, { artifactsDestination: ctx.opts.artifactsDestination });
  } catch {
    ctx.warn(`${what}: artifacts at ${from} are not local; not copied`);
    return;
  }
  const stats = await copyTree(source, path.join(dir, "artifacts"), ctx.warn);
  ctx.report.artifactFiles += stats.files;
  ctx.report.artifactBytes += stats.bytes;
}

async function* history(store: TrackingStore, runId: string, key: string): AsyncGenerator<Metric[]> {
  for (let offset = 0;;) {
    const page = await store.getMetricHistory(runId, key, { offset, maxResults: HISTORY_PAGE });
    if (page.items.length > 0) yield page.items;
    offset += page.items.length;
    if (!page.more || page.items.length === 0) return;
  }
}

async function experimentsToExport(store: TrackingStore, ids?: string[]): Promise<Experiment[]> {
  if (ids) return await Promise.all(ids.map((id) => store.getExperiment(id)));
  return await allExperiments(store, "ALL");
}
