// Logged-model operations of the KV store (MLflow 3: `POST logged-models`, finalize, tags, params,
// search, and metrics attached through `model_id`).

import { invalidParam, notFound } from "../../errors.ts";
import { compareLoggedModels, compileLoggedModelFilter } from "../../search/evaluate-logged-models.ts";
import type { CreateLoggedModelInput, SearchLoggedModelsQuery } from "../model-store.ts";
import type { LoggedModel, LoggedModelStatus, ModelMetric } from "../model-types.ts";
import type { SearchResult } from "../tracking-store.ts";
import type { Metric, Tag } from "../types.ts";
import { joinUri } from "./experiments.ts";
import type { KvModelState } from "./model-state.ts";

export function newModelId(): string {
  return "m-" + crypto.randomUUID().replaceAll("-", "");
}

/**
 * The model or RESOURCE_DOES_NOT_EXIST. Like MLflow's SQL store, writes (finalize, tags, params, delete)
 * also reach deleted models; only reads and searches hide them.
 */
function model(m: KvModelState, modelId: string, allowDeleted = false): LoggedModel {
  const lm = m.loggedModels.get(modelId);
  if (!lm || (!allowDeleted && lm.lifecycleStage === "deleted")) {
    throw notFound(`Logged model with ID '${modelId}' not found.`);
  }
  return lm;
}

function upsert(list: Tag[], items: Tag[]) {
  for (const t of items) {
    const i = list.findIndex((x) => x.key === t.key);
    if (i >= 0) list[i] = { key: t.key, value: t.value };
    else list.push({ key: t.key, value: t.value });
  }
}

export async function createLoggedModel(
  m: KvModelState,
  input: CreateLoggedModelInput,
): Promise<LoggedModel> {
  const exp = m.s.experiment(input.experimentId);
  if (exp.lifecycleStage !== "active") {
    throw invalidParam(
      `The experiment ${exp.experimentId} must be in the 'active' state. Current state is ${exp.lifecycleStage}.`,
    );
  }
  const modelId = newModelId();
  const now = Date.now();
  const lm: LoggedModel = {
    modelId,
    experimentId: exp.experimentId,
    name: input.name,
    artifactUri: joinUri(exp.artifactLocation, "models", modelId, "artifacts"),
    creationTimestamp: now,
    lastUpdatedTimestamp: now,
    status: "LOGGED_MODEL_PENDING",
    lifecycleStage: "active",
    tags: [],
    params: [],
    metrics: [],
  };
  if (input.modelType) lm.modelType = input.modelType;
  if (input.sourceRunId) lm.sourceRunId = input.sourceRunId;
  upsert(lm.params, input.params);
  upsert(lm.tags, input.tags);
  m.loggedModels.set(modelId, lm);
  await m.s.write([], [m.loggedModelDoc(modelId)]);
  return structuredClone(lm);
}

export function getLoggedModel(m: KvModelState, modelId: string, allowDeleted = false): LoggedModel {
  return structuredClone(model(m, modelId, allowDeleted));
}

export async function finalizeLoggedModel(
  m: KvModelState,
  modelId: string,
  status: LoggedModelStatus,
): Promise<LoggedModel> {
  const lm = model(m, modelId, true);
  lm.status = status;
  lm.lastUpdatedTimestamp = Date.now();
  await m.s.write([], [m.loggedModelDoc(modelId)]);
  return structuredClone(lm);
}

export async function deleteLoggedModel(m: KvModelState, modelId: string): Promise<void> {
  const lm = model(m, modelId, true);
  lm.lifecycleStage = "deleted";
  lm.lastUpdatedTimestamp = Date.now();
  await m.s.write([], [m.loggedModelDoc(modelId)]);
}

export async function setLoggedModelTags(m: KvModelState, modelId: string, tags: Tag[]): Promise<void> {
  const lm = model(m, modelId, true);
  upsert(lm.tags, tags);
  await m.s.write([], [m.loggedModelDoc(modelId)]);
}

export async function deleteLoggedModelTag(m: KvModelState, modelId: string, key: string): Promise<void> {
  const lm = model(m, modelId, true);
  const i = lm.tags.findIndex((t) => t.key === key);
  if (i < 0) throw notFound(`No tag with key '${key}' found for model with ID '${modelId}'.`);
  lm.tags.splice(i, 1);
  await m.s.write([], [m.loggedModelDoc(modelId)]);
}

export async function logLoggedModelParams(m: KvModelState, modelId: string, params: Tag[]): Promise<void> {
  const lm = model(m, modelId, true);
  upsert(lm.params, params);
  await m.s.write([], [m.loggedModelDoc(modelId)]);
}

/** Same ordering as a run's latest metric: largest (step, timestamp, value), NaN smallest. */
function isNewer(p: Metric, cur: Metric): boolean {
  if (p.step !== cur.step) return p.step > cur.step;
  if (p.timestamp !== cur.timestamp) return p.timestamp > cur.timestamp;
  if (Number.isNaN(cur.value)) return true;
  if (Number.isNaN(p.value)) return false;
  return p.value >= cur.value;
}

export async function attachModelMetrics(m: KvModelState, runId: string, metrics: Metric[]): Promise<void> {
  const touched = new Set<string>();
  for (const p of metrics) {
    if (p.modelId === undefined) continue;
    const lm = m.loggedModels.get(p.modelId);
    if (!lm) continue;
    const point: ModelMetric = { ...p, runId };
    const i = lm.metrics.findIndex((x) =>
      x.key === p.key && x.datasetName === p.datasetName && x.datasetDigest === p.datasetDigest
    );
    if (i < 0) lm.metrics.push(point);
    else if (isNewer(p, lm.metrics[i])) lm.metrics[i] = point;
    else continue;
    touched.add(p.modelId);
  }
  if (touched.size) await m.s.write([], [...touched].map((id) => m.loggedModelDoc(id)));
}

export function searchLoggedModels(m: KvModelState, q: SearchLoggedModelsQuery): SearchResult<LoggedModel> {
  const experiments = new Set(q.experimentIds);
  const match = compileLoggedModelFilter(q.filter, q.datasets);
  const hits: LoggedModel[] = [];
  for (const lm of m.loggedModels.values()) {
    if (lm.lifecycleStage !== "active" || !experiments.has(lm.experimentId)) continue;
    if (match(lm)) hits.push(lm);
  }
  hits.sort(compareLoggedModels(q.orderBy, q.datasets));
  const page = hits.slice(q.offset, q.offset + q.maxResults);
  return { items: page.map((x) => structuredClone(x)), more: q.offset + q.maxResults < hits.length };
}

export async function hardDeleteLoggedModels(
  m: KvModelState,
  target: { modelId: string } | { experimentId: string },
): Promise<void> {
  let ids: string[];
  if ("modelId" in target) {
    const lm = model(m, target.modelId, true);
    if (lm.lifecycleStage !== "deleted") {
      throw invalidParam(`Logged model ${target.modelId} must be deleted before it is removed.`);
    }
    ids = [lm.modelId];
  } else {
    ids = [...m.loggedModels.values()].filter((x) => x.experimentId === target.experimentId).map((x) =>
      x.modelId
    );
  }
  const docs = ids.map((id) => m.loggedModelDoc(id));
  for (const id of ids) m.loggedModels.delete(id);
  await m.s.write([], docs);
}

export function listLoggedModels(m: KvModelState, experimentId: string): LoggedModel[] {
  return [...m.loggedModels.values()].filter((x) => x.experimentId === experimentId).map((x) =>
    structuredClone(x)
  );
}

export async function putLoggedModel(m: KvModelState, model: LoggedModel): Promise<void> {
  m.s.experiment(model.experimentId); // RESOURCE_DOES_NOT_EXIST when absent
  m.loggedModels.set(model.modelId, structuredClone(model));
  await m.s.write([], [m.loggedModelDoc(model.modelId)]);
}
