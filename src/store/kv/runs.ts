// Run operations of the KV store: lifecycle, tags, params, metrics and inputs/outputs.

import { alreadyExists, invalidParam, notFound } from "../../errors.ts";
import { compileRunFilter, sortRuns } from "../../search/mod.ts";
import type {
  CreateRunInput,
  HistoryColumns,
  SearchResult,
  SearchRunsQuery,
  UpdateRunInput,
} from "../tracking-store.ts";
import type {
  DatasetInput,
  LifecycleStage,
  Metric,
  Run,
  RunInfo,
  RunMetric,
  RunRecord,
  Tag,
} from "../types.ts";
import type { DocWrite, Mutation } from "./committer.ts";
import { deleteHistoryOfRun, readHistory, readHistoryColumns } from "./history.ts";
import { deleteChunks } from "./chunked.ts";
import { keys } from "./keys.ts";
import type { KvState } from "./state.ts";
import { joinUri } from "./experiments.ts";

const RUN_NAME_TAG = "mlflow.runName";

export function toRun(r: RunRecord): Run {
  return {
    info: { ...r.info },
    data: {
      metrics: [...r.metrics.values()],
      params: [...r.params].map(([key, value]) => ({ key, value })),
      tags: [...r.tags].map(([key, value]) => ({ key, value })),
    },
    inputs: { datasetInputs: [...r.inputs.datasetInputs], modelInputs: [...r.inputs.modelInputs] },
    outputs: { modelOutputs: [...r.outputs.modelOutputs] },
  };
}

function newRunId(): string {
  return crypto.randomUUID().replaceAll("-", "");
}

export async function createRun(s: KvState, input: CreateRunInput): Promise<Run> {
  const exp = s.experiment(input.experimentId);
  if (exp.lifecycleStage !== "active") {
    throw invalidParam(
      `The experiment ${exp.experimentId} must be in the 'active' state. Current state is ${exp.lifecycleStage}.`,
    );
  }
  const runId = input.runId ?? newRunId();
  const tags = new Map(input.tags.map((t) => [t.key, t.value]));
  const record: RunRecord = {
    info: {
      runId,
      runName: input.runName,
      experimentId: exp.experimentId,
      userId: input.userId,
      status: input.status ?? "RUNNING",
      startTime: input.startTime,
      artifactUri: joinUri(exp.artifactLocation, runId, "artifacts"),
      lifecycleStage: input.lifecycleStage ?? "active",
    },
    params: new Map(),
    tags,
    metrics: new Map(),
    inputs: { datasetInputs: [], modelInputs: [] },
    outputs: { modelOutputs: [] },
  };
  if (input.endTime !== undefined) record.info.endTime = input.endTime;
  if (input.deletedTime !== undefined) record.info.deletedTime = input.deletedTime;
  if (
    input.runId !== undefined && (s.runs.has(runId) || (await s.kv.get(keys.runExp(runId))).value !== null)
  ) {
    throw alreadyExists(`Run with id=${runId} already exists.`);
  }
  s.addRun(record);
  await s.write([{ key: keys.runExp(runId), value: exp.experimentId, size: 128 }], [s.runDoc(runId)]);
  return toRun(record);
}

async function activeRun(s: KvState, runId: string): Promise<RunRecord> {
  const r = await s.run(runId);
  assertActive(r);
  return r;
}

function assertActive(r: RunRecord) {
  if (r.info.lifecycleStage !== "active") {
    throw invalidParam(
      `The run ${r.info.runId} must be in the 'active' state. Current state is ${r.info.lifecycleStage}.`,
    );
  }
}

export function updateRun(s: KvState, runId: string, u: UpdateRunInput): Promise<RunInfo> {
  return s.withRun(runId, async () => {
    const r = await activeRun(s, runId);
    if (u.status !== undefined) r.info.status = u.status;
    if (u.endTime !== undefined) r.info.endTime = u.endTime;
    if (u.runName !== undefined) {
      r.info.runName = u.runName;
      r.tags.set(RUN_NAME_TAG, u.runName);
    }
    await s.write([], [s.runDoc(runId)]);
    return { ...r.info };
  });
}

function setLifecycle(r: RunRecord, stage: LifecycleStage, now: number) {
  r.info.lifecycleStage = stage;
  if (stage === "deleted") r.info.deletedTime = now;
  else delete r.info.deletedTime;
}

export function deleteRun(s: KvState, runId: string, at?: number): Promise<void> {
  return s.withRun(runId, async () => {
    const r = await s.run(runId);
    setLifecycle(r, "deleted", at ?? Date.now());
    await s.write([], [s.runDoc(runId)]);
  });
}

export function restoreRun(s: KvState, runId: string): Promise<void> {
  return s.withRun(runId, async () => {
    const r = await s.run(runId);
    setLifecycle(r, "active", Date.now());
    await s.write([], [s.runDoc(runId)]);
  });
}

/** Marks the experiment's runs (already loaded) deleted or active; returns the documents to write. */
export function markRunsOfExperiment(
  s: KvState,
  expId: string,
  stage: LifecycleStage,
  now: number,
): DocWrite[] {
  const docs: DocWrite[] = [];
  for (const runId of s.runsByExperiment.get(expId) ?? []) {
    const r = s.runs.get(runId);
    if (!r || r.info.lifecycleStage === stage) continue;
    setLifecycle(r, stage, now);
    docs.push(s.runDoc(runId));
  }
  return docs;
}

function applyTag(r: RunRecord, tag: Tag) {
  r.tags.set(tag.key, tag.value);
  if (tag.key === RUN_NAME_TAG) r.info.runName = tag.value;
}

export function setRunTag(s: KvState, runId: string, tag: Tag): Promise<void> {
  return s.withRun(runId, async () => {
    const r = await activeRun(s, runId);
    applyTag(r, tag);
    await s.write([], [s.runDoc(runId)]);
  });
}

export function deleteRunTag(s: KvState, runId: string, key: string): Promise<void> {
  return s.withRun(runId, async () => {
    const r = await activeRun(s, runId);
    if (!r.tags.has(key)) throw notFound(`No tag with name: ${key} in run with id ${runId}`);
    r.tags.delete(key);
    await s.write([], [s.runDoc(runId)]);
  });
}

/** MLflow's "latest" metric: the largest (step, timestamp, value); NaN counts as smallest value. */
function isNewer(m: Metric, cur: Metric | undefined): boolean {
  if (!cur) return true;
  if (m.step !== cur.step) return m.step > cur.step;
  if (m.timestamp !== cur.timestamp) return m.timestamp > cur.timestamp;
  if (Number.isNaN(cur.value)) return true;
  if (Number.isNaN(m.value)) return false;
  return m.value >= cur.value;
}

export function logBatch(
  s: KvState,
  runId: string,
  metrics: Metric[],
  params: Tag[],
  tags: Tag[],
): Promise<void> {
  return s.withRun(runId, async () => {
    await s.run(runId);
    // Load history tails before checking anything: the checks and the changes must run without an await
    // between them, so no other write to this run can slip in.
    const byKey = new Map<string, Metric[]>();
    for (const m of metrics) {
      const list = byKey.get(m.key);
      if (list) list.push(m);
      else byKey.set(m.key, [m]);
    }
    const tails = await Promise.all([...byKey.keys()].map((k) => s.tail(runId, k)));

    const r = await s.run(runId);
    assertActive(r);
    for (const p of params) {
      const old = r.params.get(p.key);
      if (old !== undefined && old !== p.value) {
        throw invalidParam(
          `Changing param values is not allowed. Param with key='${p.key}' was already logged with ` +
            `value='${old}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`,
        );
      }
    }
    for (const p of params) r.params.set(p.key, p.value);
    const mutations: Mutation[] = [];
    let i = 0;
    for (const [key, points] of byKey) {
      mutations.push(...tails[i++].append(points));
      let latest = r.metrics.get(key);
      for (const p of points) if (isNewer(p, latest)) latest = p;
      if (latest) r.metrics.set(key, { ...latest });
    }
    for (const t of tags) applyTag(r, t);
    await s.write(mutations, [s.runDoc(runId)]);
  });
}

export function logInputs(
  s: KvState,
  runId: string,
  datasets: DatasetInput[],
  models: { modelId: string }[],
): Promise<void> {
  return s.withRun(runId, async () => {
    const r = await activeRun(s, runId);
    for (const d of datasets) {
      const same = r.inputs.datasetInputs.find((x) =>
        x.dataset.name === d.dataset.name && x.dataset.digest === d.dataset.digest
      );
      if (same) same.tags = d.tags;
      else r.inputs.datasetInputs.push(d);
    }
    for (const m of models) {
      if (!r.inputs.modelInputs.some((x) => x.modelId === m.modelId)) r.inputs.modelInputs.push(m);
    }
    await s.write([], [s.runDoc(runId)]);
  });
}

export function logOutputs(s: KvState, runId: string, models: { modelId: string; step: number }[]) {
  return s.withRun(runId, async () => {
    const r = await activeRun(s, runId);
    for (const m of models) {
      if (!r.outputs.modelOutputs.some((x) => x.modelId === m.modelId && x.step === m.step)) {
        r.outputs.modelOutputs.push(m);
      }
    }
    await s.write([], [s.runDoc(runId)]);
  });
}

export async function searchRuns(s: KvState, q: SearchRunsQuery): Promise<SearchResult<Run>> {
  const expIds = q.experimentIds.filter((id) => s.experiments.has(id));
  await Promise.all(expIds.map((id) => s.loadExperimentRuns(id)));
  const match = compileRunFilter(q.filter);
  const hits: RunRecord[] = [];
  for (const expId of expIds) {
    for (const runId of s.runsByExperiment.get(expId) ?? []) {
      const r = s.runs.get(runId);
      if (!r) continue;
      const stage = r.info.lifecycleStage;
      if (q.viewType === "ACTIVE_ONLY" && stage !== "active") continue;
      if (q.viewType === "DELETED_ONLY" && stage !== "deleted") continue;
      if (match(r)) hits.push(r);
    }
  }
  const page = sortRuns(hits, q.orderBy).slice(q.offset, q.offset + q.maxResults);
  return { items: page.map(toRun), more: q.offset + q.maxResults < hits.length };
}

export async function getMetricHistory(
  s: KvState,
  runId: string,
  key: string,
  offset: number,
  maxResults: number | undefined,
): Promise<SearchResult<Metric>> {
  await s.run(runId);
  const limit = maxResults ?? Number.MAX_SAFE_INTEGER;
  const { points, total } = await readHistory(s.kv, runId, key, offset, limit);
  return { items: points, more: offset + points.length < total };
}

export async function getMetricHistoryColumns(
  s: KvState,
  runId: string,
  key: string,
  offset: number,
): Promise<HistoryColumns> {
  await s.run(runId);
  return await readHistoryColumns(s.kv, runId, key, offset);
}

export async function getMetricHistories(s: KvState, runIds: string[], key: string): Promise<RunMetric[][]> {
  return await Promise.all(runIds.map(async (runId) => {
    await s.run(runId);
    const { points } = await readHistory(s.kv, runId, key, 0, Number.MAX_SAFE_INTEGER);
    return points.map((p) => ({ ...p, runId }));
  }));
}

/** Removes a deleted run for good: its document, id index and metric histories. */
export function hardDeleteRun(s: KvState, runId: string, withExperiment = false): Promise<void> {
  return s.withRun(runId, async () => {
    const r = await s.run(runId);
    if (!withExperiment && r.info.lifecycleStage !== "deleted") {
      throw invalidParam(`Run ${runId} must be deleted before it is removed.`);
    }
    const mutations = await deleteHistoryOfRun(s.kv, runId);
    mutations.push(...deleteChunks(keys.run(r.info.experimentId, runId), s.runChunks.get(runId) ?? 1));
    mutations.push({ key: keys.runExp(runId), size: 128 });
    s.forgetRun(runId);
    await s.write(mutations);
  });
}
