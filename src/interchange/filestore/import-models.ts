// `tracker import`, model part: MLflow 3 logged models of each experiment and the model registry, with
// MLflow's ids, version numbers and times. Re-importing merges like runs do: what the file holds is written
// over the store's copy (tags, params, aliases by key; versions by number; metrics by latest point), what
// only the store holds stays, and an unchanged entry is not written at all. A deleted logged model stays
// deleted (hidden from search, kept for gc); a version MLflow deleted (Deleted_Internal) is deleted here too
// and its number is never issued again.

import { isDeepStrictEqual } from "node:util";
import { getOrNull } from "../../store/get-or-null.ts";
import type { FullStore, RegistryEntry } from "../../store/model-store.ts";
import type { LoggedModel, ModelMetric, ModelVersion } from "../../store/model-types.ts";
import { joinUri } from "../../store/kv/experiments.ts";
import type { Experiment, Tag } from "../../store/types.ts";
import type { LocationMap } from "./locations.ts";
import { localPathOf } from "./local-uri.ts";
import type { FsLoggedModel, FsRegisteredModel } from "./models-reader.ts";

export type Outcome = "created" | "updated" | "unchanged";

export interface ModelImportCtx {
  store: FullStore;
  /** Source artifact folders already imported → where the store keeps them. */
  locations: LocationMap;
  /** Copies a model's artifact folder into `targetUri`; true when files were copied. */
  copy: (sources: (string | null)[], targetUri: string, label: string) => Promise<boolean>;
  warn: (m: string) => void;
}

/** `base` with `over`'s entries set on top (same key: `over` wins). */
function mergeTags(base: Tag[], over: Tag[]): Tag[] {
  const m = new Map(base.map((t) => [t.key, t.value]));
  for (const t of over) m.set(t.key, t.value);
  return [...m].map(([key, value]) => ({ key, value })).sort((a, b) => a.key < b.key ? -1 : 1);
}

const metricGroup = (p: ModelMetric) => `${p.key}\0${p.datasetName ?? ""}\0${p.datasetDigest ?? ""}`;

function mergeMetrics(base: ModelMetric[], over: ModelMetric[]): ModelMetric[] {
  const m = new Map(base.map((p) => [metricGroup(p), p]));
  for (const p of over) m.set(metricGroup(p), p);
  return [...m.values()].sort((a, b) => metricGroup(a) < metricGroup(b) ? -1 : 1);
}

function normalized(lm: LoggedModel): LoggedModel {
  return {
    ...lm,
    tags: mergeTags([], lm.tags),
    params: mergeTags([], lm.params),
    metrics: mergeMetrics([], lm.metrics),
  };
}

/** Imports the logged models of one experiment (already imported as `exp`). */
export async function importLoggedModel(
  ctx: ModelImportCtx,
  exp: Experiment,
  fs: FsLoggedModel,
): Promise<Outcome> {
  const m = fs.meta;
  const existing = await getOrNull(() => ctx.store.getLoggedModel(m.modelId, true));
  if (existing && existing.experimentId !== exp.experimentId) {
    throw new Error(`exists in the store under experiment ${existing.experimentId}; not imported`);
  }
  // Like MLflow, a model's files live under its experiment's location.
  const artifactUri = existing?.artifactUri ??
    joinUri(exp.artifactLocation, "models", m.modelId, "artifacts");
  const now = Date.now();
  const wanted: LoggedModel = {
    modelId: m.modelId,
    experimentId: exp.experimentId,
    name: m.name,
    artifactUri,
    creationTimestamp: m.creationTimestamp ?? existing?.creationTimestamp ?? now,
    lastUpdatedTimestamp: m.lastUpdatedTimestamp ?? existing?.lastUpdatedTimestamp ?? now,
    status: m.status,
    lifecycleStage: m.lifecycleStage,
    tags: mergeTags(existing?.tags ?? [], fs.tags),
    params: mergeTags(existing?.params ?? [], fs.params),
    metrics: mergeMetrics(existing?.metrics ?? [], fs.metrics),
  };
  if (m.statusMessage !== undefined) wanted.statusMessage = m.statusMessage;
  if (m.modelType !== undefined) wanted.modelType = m.modelType;
  if (m.sourceRunId !== undefined) wanted.sourceRunId = m.sourceRunId;

  const fromMeta = m.artifactLocation === undefined ? null : localPathOf(m.artifactLocation);
  const fromDir = `${fs.dir}/artifacts`;
  for (const src of [fromMeta, fromDir]) if (src !== null) ctx.locations.add(src, artifactUri);
  const copied = await ctx.copy([fromMeta, fromDir], artifactUri, `logged model ${m.modelId}`);

  if (existing && isDeepStrictEqual(normalized(existing), normalized(wanted))) {
    return copied ? "updated" : "unchanged";
  }
  await ctx.store.putLoggedModel(wanted);
  return existing ? "updated" : "created";
}

/** Where a version's files are, in this store: through its run or logged model, else moved like they were. */
async function storageLocation(
  ctx: ModelImportCtx,
  source: string,
  given: string | undefined,
): Promise<string> {
  const runs = /^runs:\/+([^/]+)(?:\/(.*))?$/.exec(source);
  if (runs) {
    const run = await getOrNull(() => ctx.store.getRun(runs[1]));
    if (run) return runs[2] ? joinUri(run.info.artifactUri, runs[2]) : run.info.artifactUri;
  }
  const models = /^models:\/+(m-[0-9a-f]+)\/?$/.exec(source);
  if (models) {
    const lm = await getOrNull(() => ctx.store.getLoggedModel(models[1], true));
    if (lm) return lm.artifactUri;
  }
  return ctx.locations.map(given ?? source);
}

function normalizedEntry(e: RegistryEntry): RegistryEntry {
  return {
    model: {
      ...e.model,
      tags: mergeTags([], e.model.tags),
      aliases: [...e.model.aliases].sort((a, b) => a.alias < b.alias ? -1 : 1),
    },
    versions: e.versions.map((v) => ({ ...v, tags: mergeTags([], v.tags), aliases: [] })),
    lastVersion: e.lastVersion,
  };
}

export async function importRegisteredModel(ctx: ModelImportCtx, fs: FsRegisteredModel): Promise<Outcome> {
  const name = fs.meta.name;
  const existing = await getOrNull(() => ctx.store.getRegistryEntry(name));
  const versions = new Map<string, ModelVersion>((existing?.versions ?? []).map((v) => [v.version, v]));
  const now = Date.now();
  for (const { meta: vm, tags } of fs.versions) {
    const version = String(vm.version);
    if (vm.stage === undefined) {
      versions.delete(version);
      continue;
    }
    const v: ModelVersion = {
      name,
      version,
      creationTimestamp: vm.creationTimestamp ?? now,
      lastUpdatedTimestamp: vm.lastUpdatedTimestamp ?? vm.creationTimestamp ?? now,
      currentStage: vm.stage,
      source: vm.source,
      storageLocation: await storageLocation(ctx, vm.source, vm.storageLocation),
      status: vm.status,
      tags: mergeTags(versions.get(version)?.tags ?? [], tags),
      aliases: [],
    };
    if (vm.userId !== undefined) v.userId = vm.userId;
    if (vm.description !== undefined) v.description = vm.description;
    if (vm.runId !== undefined) v.runId = vm.runId;
    if (vm.runLink !== undefined) v.runLink = vm.runLink;
    if (vm.statusMessage !== undefined) v.statusMessage = vm.statusMessage;
    if (vm.modelId !== undefined) v.modelId = vm.modelId;
    versions.set(version, v);
  }
  const aliases = new Map((existing?.model.aliases ?? []).map((a) => [a.alias, a.version]));
  for (const a of fs.aliases) aliases.set(a.alias, a.version);
  for (const [alias, version] of aliases) {
    if (!versions.has(version)) {
      if (fs.aliases.some((a) => a.alias === alias)) {
        ctx.warn(`registered model '${name}': alias '${alias}' names missing version ${version}; dropped`);
      }
      aliases.delete(alias);
    }
  }
  const entry: RegistryEntry = {
    model: {
      name,
      creationTimestamp: fs.meta.creationTimestamp ?? existing?.model.creationTimestamp ?? now,
      lastUpdatedTimestamp: fs.meta.lastUpdatedTimestamp ?? existing?.model.lastUpdatedTimestamp ?? now,
      tags: mergeTags(existing?.model.tags ?? [], fs.tags),
      aliases: [...aliases].map(([alias, version]) => ({ alias, version })),
    },
    versions: [...versions.values()].sort((a, b) => Number(a.version) - Number(b.version)),
    lastVersion: Math.max(existing?.lastVersion ?? 0, ...fs.versions.map((v) => v.meta.version)),
  };
  if (fs.meta.description !== undefined) entry.model.description = fs.meta.description;
  if (fs.meta.userId !== undefined) entry.model.userId = fs.meta.userId;
  if (existing && isDeepStrictEqual(normalizedEntry(existing), normalizedEntry(entry))) return "unchanged";
  await ctx.store.putRegistryEntry(entry);
  return existing ? "updated" : "created";
}
