// Experiment operations of the KV store.

import { alreadyExists, invalidParam, notFound } from "../../errors.ts";
import { compareExperiments, compileExperimentFilter } from "../../search/mod.ts";
import type { CreateExperimentInput, SearchExperimentsQuery, SearchResult } from "../tracking-store.ts";
import type { Experiment, Tag } from "../types.ts";
import type { KvState } from "./state.ts";
import { keys } from "./keys.ts";
import { hardDeleteRun, markRunsOfExperiment } from "./runs.ts";
import { deleteChunks } from "./chunked.ts";

export function joinUri(root: string, ...parts: string[]): string {
  let out = root;
  for (const p of parts) out = out.endsWith("/") ? out + p : `${out}/${p}`;
  return out;
}

function nameTaken(s: KvState, name: string, exceptId?: string): boolean {
  for (const e of s.experiments.values()) if (e.name === name && e.experimentId !== exceptId) return true;
  return false;
}

export async function createExperiment(s: KvState, input: CreateExperimentInput): Promise<string> {
  if (nameTaken(s, input.name)) throw alreadyExists(`Experiment(name=${input.name}) already exists.`);
  let id = input.experimentId;
  const mutations = [];
  if (id === undefined) {
    id = String(s.nextExperimentId);
    while (s.experiments.has(id)) id = String(++s.nextExperimentId);
    s.nextExperimentId++;
    mutations.push({ key: keys.nextExperimentId(), value: s.nextExperimentId, size: 64 });
  } else if (s.experiments.has(id)) {
    throw alreadyExists(`Experiment with id=${id} already exists.`);
  }
  const now = input.creationTime ?? Date.now();
  const stage = input.lifecycleStage ?? "active";
  const tags = new Map<string, string>();
  for (const t of input.tags ?? []) tags.set(t.key, t.value);
  const exp: Experiment = {
    experimentId: id,
    name: input.name,
    artifactLocation: input.artifactLocation || joinUri(s.defaultArtifactRoot, id),
    lifecycleStage: stage,
    creationTime: now,
    lastUpdateTime: input.lastUpdateTime ?? now,
    tags: [...tags].map(([key, value]) => ({ key, value })),
  };
  s.experiments.set(id, exp);
  await s.write(mutations, [s.experimentDoc(id)]);
  return id;
}

export function getExperimentByName(s: KvState, name: string): Experiment | null {
  let deleted: Experiment | null = null;
  for (const e of s.experiments.values()) {
    if (e.name !== name) continue;
    if (e.lifecycleStage === "active") return e;
    deleted = e;
  }
  return deleted;
}

export function searchExperiments(s: KvState, q: SearchExperimentsQuery): SearchResult<Experiment> {
  const match = compileExperimentFilter(q.filter);
  const all = [...s.experiments.values()].filter((e) =>
    (q.viewType === "ALL" ||
      (q.viewType === "ACTIVE_ONLY" ? e.lifecycleStage === "active" : e.lifecycleStage === "deleted")) &&
    match(e)
  );
  all.sort(compareExperiments(q.orderBy));
  const items = all.slice(q.offset, q.offset + q.maxResults);
  return { items, more: q.offset + q.maxResults < all.length };
}

function activeExperiment(s: KvState, id: string, action: string): Experiment {
  const e = s.experiment(id);
  if (e.lifecycleStage !== "active") {
    throw invalidParam(
      `Cannot ${action} experiment ${id}: it must be in the 'active' state (it is deleted).`,
    );
  }
  return e;
}

export async function renameExperiment(s: KvState, id: string, newName: string): Promise<void> {
  const e = activeExperiment(s, id, "rename");
  if (e.name === newName) return;
  if (nameTaken(s, newName, id)) throw alreadyExists(`Experiment(name=${newName}) already exists.`);
  e.name = newName;
  e.lastUpdateTime = Date.now();
  await s.write([], [s.experimentDoc(id)]);
}

export async function deleteExperiment(s: KvState, id: string, at?: number): Promise<void> {
  const e = s.experiments.get(id);
  if (!e || e.lifecycleStage !== "active") throw notFound(`No active experiment with id=${id} exists`);
  if (id === "0") throw invalidParam("Cannot delete the default experiment '0'.");
  await s.loadExperimentRuns(id);
  const now = at ?? Date.now();
  e.lifecycleStage = "deleted";
  e.lastUpdateTime = now;
  const docs = markRunsOfExperiment(s, id, "deleted", now);
  await s.write([], [s.experimentDoc(id), ...docs]);
}

export async function restoreExperiment(s: KvState, id: string): Promise<void> {
  const e = s.experiments.get(id);
  if (!e || e.lifecycleStage !== "deleted") throw notFound(`No deleted experiment with id=${id} exists`);
  await s.loadExperimentRuns(id);
  e.lifecycleStage = "active";
  e.lastUpdateTime = Date.now();
  const docs = markRunsOfExperiment(s, id, "active", e.lastUpdateTime);
  await s.write([], [s.experimentDoc(id), ...docs]);
}

export async function setExperimentTag(s: KvState, id: string, tag: Tag): Promise<void> {
  const e = activeExperiment(s, id, "set a tag on");
  const i = e.tags.findIndex((t) => t.key === tag.key);
  if (i >= 0) e.tags[i] = { key: tag.key, value: tag.value };
  else e.tags.push({ key: tag.key, value: tag.value });
  await s.write([], [s.experimentDoc(id)]);
}

export async function deleteExperimentTag(s: KvState, id: string, key: string): Promise<void> {
  const e = activeExperiment(s, id, "delete a tag of");
  const i = e.tags.findIndex((t) => t.key === key);
  if (i < 0) throw notFound(`No tag with name: ${key} in experiment with id ${id}`);
  e.tags.splice(i, 1);
  await s.write([], [s.experimentDoc(id)]);
}

export async function hardDeleteExperiment(s: KvState, id: string): Promise<void> {
  const e = s.experiment(id);
  if (e.lifecycleStage !== "deleted") {
    throw invalidParam(`Experiment ${id} must be deleted before it is removed.`);
  }
  await s.loadExperimentRuns(id);
  for (const runId of [...(s.runsByExperiment.get(id) ?? [])]) await hardDeleteRun(s, runId, true);
  const chunks = s.experimentChunks.get(id) ?? 1;
  s.experiments.delete(id);
  s.experimentChunks.delete(id);
  s.runsByExperiment.delete(id);
  await s.write(deleteChunks(keys.experiment(id), chunks));
}
