// Model registry operations of the KV store: registered models with tags and aliases, and their
// versions with tags and (legacy) stages. Semantics follow MLflow's SQL registry store.

import { alreadyExists, invalidParam, notFound } from "../../errors.ts";
import {
  compareModelVersions,
  compareRegisteredModels,
  compileModelVersionFilter,
  compileRegisteredModelFilter,
} from "../../search/evaluate-registry.ts";
import type { ModelVersionFilter, RegisteredModelFilter } from "../../search/ast-models.ts";
import type { CreateModelVersionInput, RegistryEntry, SearchRegistryQuery } from "../model-store.ts";
import { MODEL_STAGES, type ModelStage, type ModelVersion, type RegisteredModel } from "../model-types.ts";
import type { SearchResult } from "../tracking-store.ts";
import type { Tag } from "../types.ts";
import type { KvModelState, RegisteredModelRecord } from "./model-state.ts";

const ACTIVE_STAGES: ModelStage[] = ["Staging", "Production"];

function record(m: KvModelState, name: string): RegisteredModelRecord {
  const rec = m.registered.get(name);
  if (!rec) throw notFound(`Registered Model with name=${name} not found`);
  return rec;
}

function versionOf(rec: RegisteredModelRecord, version: string): ModelVersion {
  const v = rec.versions.find((x) => x.version === version);
  if (!v) throw notFound(`Model Version (name=${rec.model.name}, version=${version}) not found`);
  return v;
}

/** A version as returned: its aliases filled in from the model's. */
function outVersion(rec: RegisteredModelRecord, v: ModelVersion): ModelVersion {
  const out = structuredClone(v);
  out.aliases = rec.model.aliases.filter((a) => a.version === v.version).map((a) => a.alias);
  return out;
}

/** Latest version per stage, in stage order. */
function latestPerStage(
  rec: RegisteredModelRecord,
  stages: readonly ModelStage[] = MODEL_STAGES,
): ModelVersion[] {
  const out: ModelVersion[] = [];
  for (const stage of stages) {
    let best: ModelVersion | undefined;
    for (const v of rec.versions) {
      if (v.currentStage === stage && (!best || Number(v.version) > Number(best.version))) best = v;
    }
    if (best) out.push(best);
  }
  return out;
}

function outModel(rec: RegisteredModelRecord): RegisteredModel {
  return {
    ...structuredClone(rec.model),
    // MLflow lists these without aliases.
    latestVersions: latestPerStage(rec).map((v) => structuredClone(v)),
  };
}

function upsert(list: Tag[], tag: Tag) {
  const i = list.findIndex((t) => t.key === tag.key);
  if (i >= 0) list[i] = { key: tag.key, value: tag.value };
  else list.push({ key: tag.key, value: tag.value });
}

/** Writes the model document and the documents of the `versions` that changed. */
async function save(m: KvModelState, rec: RegisteredModelRecord, versions: string[] = []): Promise<void> {
  await m.s.write([], [m.registeredModelDoc(rec), ...versions.map((v) => m.modelVersionDoc(rec, v))]);
}

const allVersions = (rec: RegisteredModelRecord) => rec.versions.map((v) => v.version);

export async function createRegisteredModel(
  m: KvModelState,
  name: string,
  tags: Tag[],
  description?: string,
): Promise<RegisteredModel> {
  if (m.registered.has(name)) throw alreadyExists(`Registered Model (name=${name}) already exists.`);
  const now = Date.now();
  const rec: RegisteredModelRecord = {
    id: crypto.randomUUID(),
    model: { name, creationTimestamp: now, lastUpdatedTimestamp: now, tags: [], aliases: [] },
    versions: [],
    lastVersion: 0,
  };
  if (description) rec.model.description = description;
  for (const t of tags) upsert(rec.model.tags, t);
  m.registered.set(name, rec);
  await save(m, rec);
  return outModel(rec);
}

export function getRegisteredModel(m: KvModelState, name: string): RegisteredModel {
  return outModel(record(m, name));
}

export async function renameRegisteredModel(m: KvModelState, name: string, newName: string) {
  const rec = record(m, name);
  if (newName !== name && m.registered.has(newName)) {
    throw alreadyExists(`Registered Model (name=${newName}) already exists.`);
  }
  const now = Date.now();
  rec.model.name = newName;
  rec.model.lastUpdatedTimestamp = now;
  for (const v of rec.versions) {
    v.name = newName;
    v.lastUpdatedTimestamp = now;
  }
  m.registered.delete(name);
  m.registered.set(newName, rec);
  await save(m, rec, allVersions(rec));
  return outModel(rec);
}

export async function updateRegisteredModel(m: KvModelState, name: string, description: string | undefined) {
  const rec = record(m, name);
  if (description) rec.model.description = description;
  else delete rec.model.description;
  rec.model.lastUpdatedTimestamp = Date.now();
  await save(m, rec);
  return outModel(rec);
}

export async function deleteRegisteredModel(m: KvModelState, name: string): Promise<void> {
  const rec = record(m, name);
  m.registered.delete(name);
  await save(m, rec, allVersions(rec));
}

export function searchRegisteredModels(
  m: KvModelState,
  q: SearchRegistryQuery<RegisteredModelFilter>,
): SearchResult<RegisteredModel> {
  const match = compileRegisteredModelFilter(q.filter);
  const all = [...m.registered.values()].map(outModel).filter(match);
  all.sort(compareRegisteredModels(q.orderBy));
  return { items: all.slice(q.offset, q.offset + q.maxResults), more: q.offset + q.maxResults < all.length };
}

export function getLatestVersions(m: KvModelState, name: string, stages: ModelStage[]): ModelVersion[] {
  const rec = record(m, name);
  const wanted = stages.length ? MODEL_STAGES.filter((s) => stages.includes(s)) : MODEL_STAGES;
  return latestPerStage(rec, wanted).map((v) => outVersion(rec, v));
}

export async function setRegisteredModelTag(m: KvModelState, name: string, tag: Tag): Promise<void> {
  const rec = record(m, name);
  upsert(rec.model.tags, tag);
  await save(m, rec);
}

export async function deleteRegisteredModelTag(m: KvModelState, name: string, key: string): Promise<void> {
  const rec = record(m, name);
  const i = rec.model.tags.findIndex((t) => t.key === key);
  if (i < 0) return;
  rec.model.tags.splice(i, 1);
  await save(m, rec);
}

export async function setRegisteredModelAlias(m: KvModelState, name: string, alias: string, version: string) {
  const rec = record(m, name);
  versionOf(rec, version);
  const i = rec.model.aliases.findIndex((a) => a.alias === alias);
  if (i >= 0) rec.model.aliases[i] = { alias, version };
  else rec.model.aliases.push({ alias, version });
  await save(m, rec);
}

export async function deleteRegisteredModelAlias(m: KvModelState, name: string, alias: string) {
  const rec = record(m, name);
  const i = rec.model.aliases.findIndex((a) => a.alias === alias);
  if (i < 0) return;
  rec.model.aliases.splice(i, 1);
  await save(m, rec);
}

export function getModelVersionByAlias(m: KvModelState, name: string, alias: string): ModelVersion {
  const rec = record(m, name);
  if (alias.toLowerCase() === "latest") {
    let best: ModelVersion | undefined;
    for (const v of rec.versions) if (!best || Number(v.version) > Number(best.version)) best = v;
    if (!best) throw notFound(`Latest version not found for model ${name}.`);
    return outVersion(rec, best);
  }
  const a = rec.model.aliases.find((x) => x.alias === alias);
  if (!a) throw invalidParam(`Registered model alias ${alias} not found.`);
  return outVersion(rec, versionOf(rec, a.version));
}

export async function createModelVersion(
  m: KvModelState,
  input: CreateModelVersionInput,
): Promise<ModelVersion> {
  const rec = record(m, input.name);
  const now = Date.now();
  rec.lastVersion += 1;
  const v: ModelVersion = {
    name: rec.model.name,
    version: String(rec.lastVersion),
    creationTimestamp: now,
    lastUpdatedTimestamp: now,
    currentStage: "None",
    source: input.source,
    storageLocation: input.storageLocation,
    status: "READY",
    tags: [],
    aliases: [],
  };
  if (input.userId) v.userId = input.userId;
  if (input.description) v.description = input.description;
  if (input.runId) v.runId = input.runId;
  if (input.runLink) v.runLink = input.runLink;
  if (input.modelId) v.modelId = input.modelId;
  for (const t of input.tags) upsert(v.tags, t);
  rec.versions.push(v);
  rec.model.lastUpdatedTimestamp = now;
  await save(m, rec, [v.version]);
  return outVersion(rec, v);
}

export function getModelVersion(m: KvModelState, name: string, version: string): ModelVersion {
  const rec = record(m, name);
  return outVersion(rec, versionOf(rec, version));
}

export async function updateModelVersion(
  m: KvModelState,
  name: string,
  version: string,
  description: string | undefined,
): Promise<ModelVersion> {
  const rec = record(m, name);
  const v = versionOf(rec, version);
  if (description) v.description = description;
  else delete v.description;
  v.lastUpdatedTimestamp = Date.now();
  await save(m, rec, [version]);
  return outVersion(rec, v);
}

export async function transitionModelVersionStage(
  m: KvModelState,
  name: string,
  version: string,
  stage: ModelStage,
  archiveExisting: boolean,
): Promise<ModelVersion> {
  if (archiveExisting && !ACTIVE_STAGES.includes(stage)) {
    throw invalidParam(
      `Model version transition cannot archive existing model versions because '${stage}' is not an ` +
        `Active stage. Valid stages are ${ACTIVE_STAGES.join(", ")}`,
    );
  }
  const rec = record(m, name);
  const v = versionOf(rec, version);
  const now = Date.now();
  const touched = [v.version];
  if (archiveExisting) {
    for (const other of rec.versions) {
      if (other !== v && other.currentStage === stage) {
        other.currentStage = "Archived";
        other.lastUpdatedTimestamp = now;
        touched.push(other.version);
      }
    }
  }
  v.currentStage = stage;
  v.lastUpdatedTimestamp = now;
  rec.model.lastUpdatedTimestamp = now;
  await save(m, rec, touched);
  return outVersion(rec, v);
}

export async function deleteModelVersion(m: KvModelState, name: string, version: string): Promise<void> {
  const rec = record(m, name);
  const v = versionOf(rec, version);
  rec.versions.splice(rec.versions.indexOf(v), 1);
  rec.model.aliases = rec.model.aliases.filter((a) => a.version !== version);
  rec.model.lastUpdatedTimestamp = Date.now();
  await save(m, rec, [version]);
}

export function searchModelVersions(
  m: KvModelState,
  q: SearchRegistryQuery<ModelVersionFilter>,
): SearchResult<ModelVersion> {
  const match = compileModelVersionFilter(q.filter, (name) => m.registered.get(name)?.model.tags ?? []);
  const hits: [RegisteredModelRecord, ModelVersion][] = [];
  for (const rec of m.registered.values()) for (const v of rec.versions) if (match(v)) hits.push([rec, v]);
  const cmp = compareModelVersions(q.orderBy);
  hits.sort((a, b) => cmp(a[1], b[1]));
  const page = hits.slice(q.offset, q.offset + q.maxResults).map(([rec, v]) => outVersion(rec, v));
  return { items: page, more: q.offset + q.maxResults < hits.length };
}

export async function setModelVersionTag(m: KvModelState, name: string, version: string, tag: Tag) {
  const rec = record(m, name);
  upsert(versionOf(rec, version).tags, tag);
  await save(m, rec, [version]);
}

export async function deleteModelVersionTag(m: KvModelState, name: string, version: string, key: string) {
  const rec = record(m, name);
  const v = versionOf(rec, version);
  const i = v.tags.findIndex((t) => t.key === key);
  if (i < 0) return;
  v.tags.splice(i, 1);
  await save(m, rec, [version]);
}

export function getRegistryEntry(m: KvModelState, name: string): RegistryEntry {
  const rec = record(m, name);
  return {
    model: structuredClone(rec.model),
    versions: rec.versions.map((v) => outVersion(rec, v)),
    lastVersion: rec.lastVersion,
  };
}

export async function putRegistryEntry(m: KvModelState, entry: RegistryEntry): Promise<void> {
  const name = entry.model.name;
  const old = m.registered.get(name);
  const versions = entry.versions.map((v) => ({ ...structuredClone(v), name, aliases: [] }));
  versions.sort((a, b) => Number(a.version) - Number(b.version));
  const highest = versions.reduce((n, v) => Math.max(n, Number(v.version)), 0);
  const rec: RegisteredModelRecord = {
    id: old?.id ?? crypto.randomUUID(),
    model: structuredClone(entry.model),
    versions,
    lastVersion: Math.max(entry.lastVersion, highest, old?.lastVersion ?? 0),
  };
  m.registered.set(name, rec);
  // Versions only in the old record are deleted by their document builders.
  const touched = new Set([...(old?.versions ?? []), ...versions].map((v) => v.version));
  await save(m, rec, [...touched]);
}
