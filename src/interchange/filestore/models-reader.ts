// Reads the model parts of an MLflow FileStore: MLflow 3 logged models (`<exp>/models/<model_id>/`) and
// the model registry (`<root>/models/<name>/`, versions in `version-<n>/`, tags/, aliases/). Malformed
// entries are reported through `warn` and skipped, as MLflow's reader skips them.

import * as path from "node:path";
import type { ModelMetric } from "../../store/model-types.ts";
import type { Tag } from "../../store/types.ts";
import { listKeyFiles } from "./keyfiles.ts";
import { MetricLineError, parseModelMetricLine } from "./metric-line.ts";
import {
  type LoggedModelMeta,
  type ModelVersionMeta,
  readLoggedModelMeta,
  readModelVersionMeta,
  readRegisteredModelMeta,
  type RegisteredModelMeta,
} from "./model-meta.ts";
import {
  type FsExperiment,
  readKeyValues,
  readMetaYaml,
  REGISTRY_DIR,
  subdirs,
  type Warn,
} from "./reader.ts";

export interface FsLoggedModel {
  meta: LoggedModelMeta;
  dir: string;
  tags: Tag[];
  params: Tag[];
  /** Latest point per (key, dataset name, dataset digest), as MLflow reports a model's metrics. */
  metrics: ModelMetric[];
}

export interface FsModelVersion {
  meta: ModelVersionMeta;
  tags: Tag[];
}

export interface FsRegisteredModel {
  meta: RegisteredModelMeta;
  dir: string;
  tags: Tag[];
  aliases: { alias: string; version: string }[];
  /** Every version folder, deleted ones (stage undefined) included: they hold their numbers. */
  versions: FsModelVersion[];
}

/** MLflow's order of a model's metric points: the largest (step, timestamp, value) is the latest. */
function later(a: ModelMetric, b: ModelMetric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  return a.value > b.value;
}

async function readModelMetrics(dir: string, modelId: string, warn: Warn): Promise<ModelMetric[]> {
  const out: ModelMetric[] = [];
  for (const key of await listKeyFiles(path.join(dir, "metrics"))) {
    const file = path.join(dir, "metrics", ...key.split("/"));
    const latest = new Map<string, ModelMetric>();
    try {
      const lines = (await Deno.readTextFile(file)).split("\n");
      for (const [i, line] of lines.entries()) {
        if (line.trim() === "") continue;
        let p: ModelMetric;
        try {
          p = parseModelMetricLine(key, line);
        } catch (e) {
          throw new MetricLineError(`${file}, line ${i + 1}: ${(e as Error).message}`);
        }
        const group = `${p.datasetName ?? ""}\0${p.datasetDigest ?? ""}`;
        const cur = latest.get(group);
        if (!cur || later(p, cur)) latest.set(group, p);
      }
    } catch (e) {
      if (!(e instanceof MetricLineError)) throw e;
      warn(`logged model ${modelId}: metric '${key}' skipped: ${e.message}`);
      continue;
    }
    out.push(...latest.values());
  }
  return out;
}

/**
 * `read` of every subfolder of `parent` (those `named` accepts) that holds a meta.yaml, given the folder, its
 * name and the parsed document. A folder whose reading throws is reported as `<what> <dir>: <message>;
 * skipped` and left out.
 */
async function readEntries<T>(
  parent: string,
  what: string,
  warn: Warn,
  read: (dir: string, name: string, raw: unknown) => Promise<T>,
  named: (name: string) => boolean = () => true,
): Promise<T[]> {
  const out: T[] = [];
  for (const name of await subdirs(parent)) {
    if (!named(name)) continue;
    const dir = path.join(parent, name);
    try {
      const raw = await readMetaYaml(dir);
      if (raw !== null) out.push(await read(dir, name, raw));
    } catch (e) {
      warn(`${what} ${dir}: ${(e as Error).message}; skipped`);
    }
  }
  return out;
}

/** The logged models of an experiment, deleted ones included. */
export function readLoggedModels(exp: FsExperiment, warn: Warn): Promise<FsLoggedModel[]> {
  return readEntries(path.join(exp.dir, "models"), "logged model", warn, async (dir, name, raw) => {
    const meta = readLoggedModelMeta(raw);
    if (meta.modelId !== name || meta.experimentId !== exp.meta.experimentId) {
      throw new Error(`meta.yaml names model ${meta.modelId} of experiment ${meta.experimentId}`);
    }
    const [tags, params, metrics] = await Promise.all([
      readKeyValues(path.join(dir, "tags")),
      readKeyValues(path.join(dir, "params")),
      readModelMetrics(dir, meta.modelId, warn),
    ]);
    return { meta, dir, tags, params, metrics };
  });
}

/** Every registered model of the store's registry (`<root>/models`), sorted by folder name. */
export function readRegistry(root: string, warn: Warn): Promise<FsRegisteredModel[]> {
  return readEntries(path.join(root, REGISTRY_DIR), "registered model", warn, async (dir, name, raw) => {
    const meta = readRegisteredModelMeta(raw);
    if (meta.name !== name) throw new Error(`meta.yaml names '${meta.name}'`);
    const [tags, aliasFiles] = await Promise.all([
      readKeyValues(path.join(dir, "tags")),
      readKeyValues(path.join(dir, "aliases")),
    ]);
    const versions = await readEntries(dir, "model version", warn, async (vdir, sub, vraw) => {
      const vmeta = readModelVersionMeta(vraw);
      if (`version-${vmeta.version}` !== sub) throw new Error(`meta.yaml says version ${vmeta.version}`);
      return { meta: vmeta, tags: await readKeyValues(path.join(vdir, "tags")) };
    }, (sub) => /^version-\d+$/.test(sub));
    versions.sort((a, b) => a.meta.version - b.meta.version);
    const aliases = aliasFiles.map((a) => ({ alias: a.key, version: a.value.trim() }));
    return { meta, dir, tags, aliases, versions };
  });
}
