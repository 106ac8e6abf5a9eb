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
import type { Progress } from "./progress.ts";
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
  const warn = (m: string) => {
    report.warnings++;
    if (opts.progress) opts.progress.note(`warning: ${m}`);
    else opts.warn(m);
  };
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
  const locations = new LocationMap();
  for (const exp of experiments) {
    const copy = opts.artifacts === "copy";
    const location = copy ? fileUri(path.join(root, exp.experimentId)) : exp.artifactLocation;
    const expDir = await writer.writeExperiment({ ...exp, artifactLocation: location });
    report.experiments++;
    await mapPool(runsByExp.get(exp.experimentId)!, opts.concurrency ?? 8, async (run) => {
      try {
        await exportRun(store, writer, expDir, location, run, opts, report, warn, locations);
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
        await exportLoggedModel(writer, expDir, location, lm, opts, report, warn, locations);
        report.loggedModels++;
      } catch (e) {
        warn(`logged model ${lm.modelId}: ${(e as Error).message}`);
      }
    }
  }
  // Versions point into runs and logged models: only a whole-store export has them all.
  if (models && !opts.experimentIds) await exportRegistry(models, root, writer, report, warn, locations);
  return report;
}

async function exportLoggedModel(
  writer: FileStoreWriter,
  expDir: string,
  expLocation: string,
  lm: LoggedModel,
  opts: ExportOptions,
  report: ExportReport,
  warn: (m: string) => void,
  locations: LocationMap,
) {
  const copy = opts.artifacts === "copy";
  const artifactUri = copy ? `${expLocation}/models/${lm.modelId}/artifacts` : lm.artifactUri;
  const dir = await writeLoggedModel(writer, expDir, { ...lm, artifactUri });
  if (!copy) return;
  locations.add(lm.artifactUri, artifactUri);
  let source: string;
  try {
    source = await resolveArtifactDir(lm.artifactUri, { artifactsDestination: opts.artifactsDestination });
  } catch {
    warn(`logged model ${lm.modelId}: artifacts at ${lm.artifactUri} are not local; not copied`);
    return;
  }
  const stats = await copyTree(source, path.join(dir, "artifacts"), warn);
  report.artifactFiles += stats.files;
  report.artifactBytes += stats.bytes;
}

async function exportRegistry(
  store: FullStore,
  root: string,
  writer: FileStoreWriter,
  report: ExportReport,
  warn: (m: string) => void,
  locations: LocationMap,
) {
  for (const name of await store.listRegisteredModelNames()) {
    try {
      const entry = await store.getRegistryEntry(name);
      await writeRegisteredModel(root, writer, entry, (loc) => locations.map(loc));
      report.registeredModels++;
    } catch (e) {
      warn(`registered model '${name}': ${(e as Error).message}`);
    }
  }
}

async function exportRun(
  store: TrackingStore,
  writer: FileStoreWriter,
  expDir: string,
  expLocation: string,
  run: Run,
  opts: ExportOptions,
  report: ExportReport,
  warn: (m: string) => void,
  locations: LocationMap,
) {
  const info = run.info;
  const copy = opts.artifacts === "copy";
  // MLflow derives a run's artifact URI from its experiment's location; keep that shape when copying.
  const artifactUri = copy ? `${expLocation}/${info.runId}/artifacts` : info.artifactUri;
  const runDir = await writer.writeRun(expDir, { ...info, artifactUri }, run.data.params, run.data.tags);
  for (const m of run.data.metrics) {
    report.metricPoints += await writer.writeMetric(runDir, m.key, history(store, info.runId, m.key));
  }
  await writer.writeInputs(expDir, runDir, info.runId, run.inputs.datasetInputs, run.inputs.modelInputs);
  await writer.writeOutputs(runDir, run.outputs.modelOutputs);
  if (!copy) return;
  locations.add(info.artifactUri, artifactUri);
  let source: string;
  try {
    source = await resolveArtifactDir(info.artifactUri, { artifactsDestination: opts.artifactsDestination });
  } catch {
    warn(`run ${info.runId}: artifacts at ${info.artifactUri} are not local; not copied`);
    return;
  }
  const stats = await copyTree(source, path.join(runDir, "artifacts"), warn);
  report.artifactFiles += stats.files;
  report.artifactBytes += stats.bytes;
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
