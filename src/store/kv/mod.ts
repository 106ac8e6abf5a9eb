// Deno KV implementation of TrackingStore: a local SQLite-backed file by default, a KV Connect URL
// (e.g. a self-hosted denokv) or ":memory:" for tests.

import type {
  CreateExperimentInput,
  CreateRunInput,
  HistoryQuery,
  SearchExperimentsQuery,
  SearchRunsQuery,
  TrackingStore,
  UpdateRunInput,
} from "../tracking-store.ts";
import type { DatasetInput, Metric, Tag } from "../types.ts";
import * as exps from "./experiments.ts";
import { keys, SCHEMA_VERSION } from "./keys.ts";
import * as runs from "./runs.ts";
import { KvState } from "./state.ts";
import type { FullStore } from "../model-store.ts";
import { KvModelStores } from "./model-stores.ts";

export interface KvStoreOptions {
  /** File path, KV Connect URL, ":memory:", or undefined for the platform's default KV (edge hosts). */
  path: string | undefined;
  /** Root of new experiments' artifact_location, e.g. "mlflow-artifacts:/". */
  defaultArtifactRoot: string;
}

export async function openKvStore(opts: KvStoreOptions): Promise<FullStore> {
  const kv = await Deno.openKv(opts.path);
  const state = new KvState(kv, opts.defaultArtifactRoot);
  await state.load();
  const schema = await kv.get<number>(keys.schema());
  if (schema.value === null) await kv.set(keys.schema(), SCHEMA_VERSION);
  else if (schema.value > SCHEMA_VERSION) {
    kv.close();
    throw new Error(`This store was written by a newer tracker (schema ${schema.value}); upgrade tracker.`);
  }
  const store = new KvTrackingStore(state);
  await store.loadModels();
  if (!state.experiments.has("0")) {
    await store.createExperiment({ name: "Default", experimentId: "0" });
  }
  return store;
}

// Logged models and the registry (KvModelStores) share this store's KvState and Committer.
class KvTrackingStore extends KvModelStores implements TrackingStore {
  constructor(private readonly s: KvState) {
    super(s);
  }

  createExperiment(input: CreateExperimentInput) {
    return exps.createExperiment(this.s, input);
  }
  getExperiment(id: string) {
    return Promise.resolve().then(() => structuredClone(this.s.experiment(id)));
  }
  getExperimentByName(name: string) {
    const e = exps.getExperimentByName(this.s, name);
    return Promise.resolve(e && structuredClone(e));
  }
  searchExperiments(q: SearchExperimentsQuery) {
    return Promise.resolve().then(() => {
      const res = exps.searchExperiments(this.s, q);
      return { items: res.items.map((e) => structuredClone(e)), more: res.more };
    });
  }
  renameExperiment(id: string, newName: string) {
    return exps.renameExperiment(this.s, id, newName);
  }
  deleteExperiment(id: string, at?: number) {
    return exps.deleteExperiment(this.s, id, at);
  }
  restoreExperiment(id: string) {
    return exps.restoreExperiment(this.s, id);
  }
  setExperimentTag(id: string, tag: Tag) {
    return exps.setExperimentTag(this.s, id, tag);
  }
  deleteExperimentTag(id: string, key: string) {
    return exps.deleteExperimentTag(this.s, id, key);
  }

  createRun(input: CreateRunInput) {
    return runs.createRun(this.s, input);
  }
  async getRun(runId: string) {
    return structuredClone(runs.toRun(await this.s.run(runId)));
  }
  updateRun(runId: string, u: UpdateRunInput) {
    return runs.updateRun(this.s, runId, u);
  }
  deleteRun(runId: string, at?: number) {
    return runs.deleteRun(this.s, runId, at);
  }
  restoreRun(runId: string) {
    return runs.restoreRun(this.s, runId);
  }
  setRunTag(runId: string, tag: Tag) {
    return runs.setRunTag(this.s, runId, tag);
  }
  deleteRunTag(runId: string, key: string) {
    return runs.deleteRunTag(this.s, runId, key);
  }
  async logBatch(runId: string, metrics: Metric[], params: Tag[], tags: Tag[]) {
    await runs.logBatch(this.s, runId, metrics, params, tags);
    // Metrics naming a logged model also attach to it (spec §3.5).
    if (metrics.some((m) => m.modelId !== undefined)) await this.attachModelMetrics(runId, metrics);
  }
  logInputs(runId: string, datasets: DatasetInput[], models: { modelId: string }[]) {
    return runs.logInputs(this.s, runId, datasets, models);
  }
  logOutputs(runId: string, models: { modelId: string; step: number }[]) {
    return runs.logOutputs(this.s, runId, models);
  }
  async searchRuns(q: SearchRunsQuery) {
    return await runs.searchRuns(this.s, q);
  }
  getMetricHistory(runId: string, key: string, q: HistoryQuery) {
    return runs.getMetricHistory(this.s, runId, key, q.offset, q.maxResults);
  }
  getMetricHistories(runIds: string[], key: string) {
    return runs.getMetricHistories(this.s, runIds, key);
  }
  getMetricHistoryColumns(runId: string, key: string, offset: number) {
    return runs.getMetricHistoryColumns(this.s, runId, key, offset);
  }

  changeCount() {
    return Promise.resolve(this.s.changes);
  }
  hardDeleteRun(runId: string) {
    return runs.hardDeleteRun(this.s, runId);
  }
  artifactRoots() {
    return Promise.resolve([...this.s.artifactRoots]);
  }
  async addArtifactRoot(dir: string) {
    if (this.s.artifactRoots.includes(dir)) return;
    this.s.artifactRoots.push(dir);
    await this.s.write([{ key: keys.artifactRoots(), value: [...this.s.artifactRoots], size: 4096 }]);
  }
  async hardDeleteExperiment(id: string) {
    await exps.hardDeleteExperiment(this.s, id);
    await this.hardDeleteLoggedModels({ experimentId: id }); // its logged models go with it
  }
  async close() {
    await this.s.committer.flush();
    this.s.kv.close();
  }
}
