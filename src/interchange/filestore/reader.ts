// Reads an MLflow FileStore (`mlruns` folder, 2.x and 3.x layouts) into typed values, following the rules
// MLflow's own reader applies: experiments are the directories of the root (not `.trash`, not the registry's
// `models`) plus those under `.trash`; runs are the sub-directories of an experiment, other than its
// reserved folders, whose meta.yaml names that experiment and that directory. Anything malformed is
// reported through `warn` and skipped, so one bad file does not stop an import.

import * as path from "node:path";
import type { DatasetInput, Metric, Tag } from "../../store/types.ts";
import { listKeyFiles } from "./keyfiles.ts";
import {
  type ExperimentMeta,
  readDatasetMeta,
  readExperimentMeta,
  readInputMeta,
  readOutputMeta,
  readRunMeta,
  type RunMeta,
} from "./meta.ts";
import { MetricLineError, parseMetricLine } from "./metric-line.ts";
import { parseYaml } from "./yaml.ts";

export const TRASH = ".trash";
export const REGISTRY_DIR = "models";
const RESERVED_EXPERIMENT_DIRS = new Set(["tags", "datasets", "traces", "models"]);
const META = "meta.yaml";

export type Warn = (message: string) => void;

export interface FsExperiment {
  meta: ExperimentMeta;
  tags: Tag[];
  dir: string;
  /** Found under `.trash/` (MLflow moves deleted experiments there). */
  inTrash: boolean;
}

export interface FsRun {
  meta: RunMeta;
  dir: string;
  params: Tag[];
  tags: Tag[];
  /** Metric keys and their files; points are streamed with `readMetricPoints`. */
  metricFiles: { key: string; file: string }[];
  datasetInputs: DatasetInput[];
  modelInputs: { modelId: string }[];
  modelOutputs: { modelId: string; step: number }[];
}

async function readText(file: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return null;
    throw e;
  }
}

export async function readMetaYaml(dir: string): Promise<unknown | null> {
  const text = await readText(path.join(dir, META));
  return text === null ? null : parseYaml(text);
}

export async function subdirs(dir: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) if (e.isDirectory) out.push(e.name);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    throw e;
  }
  return out.sort();
}

/** Files under `dir` as key → content (raw UTF-8, no newline handling: MLflow writes values verbatim). */
export async function readKeyValues(dir: string): Promise<Tag[]> {
  const keys = await listKeyFiles(dir);
  return await Promise.all(
    keys.map(async (key) => ({ key, value: await Deno.readTextFile(path.join(dir, ...key.split("/"))) })),
  );
}

/** True when `root` looks like an MLflow FileStore: a digit-named folder holding a meta.yaml. */
export async function isFileStore(root: string): Promise<boolean> {
  for (const name of await subdirs(root)) {
    if (/^\d+$/.test(name) && (await readText(path.join(root, name, META))) !== null) return true;
  }
  return false;
}

/** Every experiment of the store, active ones first; an id found in both places counts once (active). */
export async function listExperiments(root: string, warn: Warn): Promise<FsExperiment[]> {
  const st = await Deno.stat(root).catch(() => null);
  if (!st?.isDirectory) throw new Error(`${root} is not a directory`);
  const out: FsExperiment[] = [];
  const seen = new Set<string>();
  const places: [string, boolean][] = [[root, false], [path.join(root, TRASH), true]];
  for (const [parent, inTrash] of places) {
    for (const name of await subdirs(parent)) {
      if (!inTrash && (name === TRASH || name === REGISTRY_DIR)) continue;
      const dir = path.join(parent, name);
      let raw: unknown;
      try {
        raw = await readMetaYaml(dir);
      } catch (e) {
        warn(`experiment ${dir}: unreadable meta.yaml (${(e as Error).message}); skipped`);
        continue;
      }
      if (raw === null) continue; // not an experiment (e.g. an artifacts folder)
      let meta: ExperimentMeta;
      try {
        meta = readExperimentMeta(raw);
      } catch (e) {
        warn(`experiment ${dir}: ${(e as Error).message}; skipped`);
        continue;
      }
      if (meta.experimentId !== name) {
        warn(`experiment ${dir}: meta.yaml says id ${meta.experimentId}, folder says ${name}; skipped`);
        continue;
      }
      if (seen.has(name)) {
        warn(`experiment ${name} is both active and in ${TRASH}; the active one is used`);
        continue;
      }
      seen.add(name);
      // MLflow moves deleted experiments into .trash without always rewriting their stage.
      if (inTrash) meta.lifecycleStage = "deleted";
      const tags = await readKeyValues(path.join(dir, "tags"));
      out.push({ meta, tags, dir, inTrash });
    }
  }
  return out;
}

/** Directories of an experiment that may be runs (MLflow's candidates: not its reserved folders). */
export async function listRunDirs(exp: FsExperiment): Promise<string[]> {
  return (await subdirs(exp.dir)).filter((n) => !RESERVED_EXPERIMENT_DIRS.has(n)).map((n) =>
    path.join(exp.dir, n)
  );
}

/** Reads one run directory; null (after a warning when it looked like a run) when it is not a valid run. */
export async function readRun(exp: FsExperiment, dir: string, warn: Warn): Promise<FsRun | null> {
  let raw: unknown;
  try {
    raw = await readMetaYaml(dir);
  } catch (e) {
    warn(`run ${dir}: unreadable meta.yaml (${(e as Error).message}); skipped`);
    return null;
  }
  if (raw === null) return null;
  let meta: RunMeta;
  try {
    meta = readRunMeta(raw);
  } catch (e) {
    warn(`run ${dir}: ${(e as Error).message}; skipped`);
    return null;
  }
  const name = path.basename(dir);
  if (meta.runId !== name || meta.experimentId !== exp.meta.experimentId) {
    warn(`run ${dir}: meta.yaml names run ${meta.runId} of experiment ${meta.experimentId}; skipped`);
    return null;
  }
  const [params, tags, metricKeys] = await Promise.all([
    readKeyValues(path.join(dir, "params")),
    readKeyValues(path.join(dir, "tags")),
    listKeyFiles(path.join(dir, "metrics")),
  ]);
  if (!meta.runName) meta.runName = tags.find((t) => t.key === "mlflow.runName")?.value ?? "";
  const run: FsRun = {
    meta,
    dir,
    params,
    tags,
    metricFiles: metricKeys.map((key) => ({ key, file: path.join(dir, "metrics", ...key.split("/")) })),
    datasetInputs: [],
    modelInputs: [],
    modelOutputs: [],
  };
  await readInputs(exp, run, warn);
  await readOutputs(run, warn);
  return run;
}

async function readInputs(exp: FsExperiment, run: FsRun, warn: Warn) {
  for (const id of await subdirs(path.join(run.dir, "inputs"))) {
    const where = path.join(run.dir, "inputs", id);
    try {
      const raw = await readMetaYaml(where);
      if (raw === null) continue;
      const input = readInputMeta(raw);
      if (input.sourceType === "MODEL") {
        run.modelInputs.push({ modelId: input.sourceId });
      } else if (input.sourceType === "DATASET") {
        const dsRaw = await readMetaYaml(path.join(exp.dir, "datasets", input.sourceId));
        if (dsRaw === null) {
          warn(`run ${run.meta.runId}: dataset ${input.sourceId} named by ${where} is missing; skipped`);
          continue;
        }
        run.datasetInputs.push({ dataset: readDatasetMeta(dsRaw), tags: input.tags });
      }
    } catch (e) {
      warn(`run ${run.meta.runId}: input ${where}: ${(e as Error).message}; skipped`);
    }
  }
}

async function readOutputs(run: FsRun, warn: Warn) {
  for (const id of await subdirs(path.join(run.dir, "outputs"))) {
    const where = path.join(run.dir, "outputs", id);
    try {
      const raw = await readMetaYaml(where);
      if (raw !== null) run.modelOutputs.push(readOutputMeta(raw));
    } catch (e) {
      warn(`run ${run.meta.runId}: output ${where}: ${(e as Error).message}; skipped`);
    }
  }
}

/**
 * Points of one metric file in file order, in batches of at most `batchSize`, read as a stream so a huge
 * history never sits in memory whole. A malformed line stops the file with a MetricLineError naming it.
 */
export async function* readMetricPoints(
  key: string,
  file: string,
  batchSize = 10_000,
): AsyncGenerator<Metric[]> {
  const f = await Deno.open(file);
  let batch: Metric[] = [];
  let lineNo = 0;
  let rest = "";
  const take = (line: string) => {
    lineNo++;
    if (line.trim() === "") return;
    try {
      batch.push(parseMetricLine(key, line));
    } catch (e) {
      throw new MetricLineError(`${file}, line ${lineNo}: ${(e as Error).message}`);
    }
  };
  try {
    const decoder = new TextDecoderStream();
    const lines = f.readable.pipeThrough(decoder);
    for await (const chunk of lines) {
      const parts = (rest + chunk).split("\n");
      rest = parts.pop()!;
      for (const line of parts) {
        take(line);
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
    if (rest !== "") take(rest);
    if (batch.length > 0) yield batch;
  } finally {
    try {
      f.close();
    } catch {
      // already closed by the finished stream
    }
  }
}

/** Number of non-empty lines of a metric file (the history length MLflow would report). */
export async function countMetricPoints(file: string): Promise<number> {
  let n = 0;
  for await (const batch of readMetricPoints("", file, 100_000)) n += batch.length;
  return n;
}
