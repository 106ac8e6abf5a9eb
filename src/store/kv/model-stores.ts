// LoggedModelStore and RegistryStore over a KvState. The KV TrackingStore class extends this one, so the
// object `openKvStore` returns is one store for all three interfaces, on one KV file and one Committer.

import type {
  CreateLoggedModelInput,
  CreateModelVersionInput,
  LoggedModelStore,
  RegistryEntry,
  RegistryStore,
  SearchLoggedModelsQuery,
  SearchRegistryQuery,
} from "../model-store.ts";
import type { LoggedModel, LoggedModelStatus, ModelStage } from "../model-types.ts";
import type { ModelVersionFilter, RegisteredModelFilter } from "../../search/ast-models.ts";
import type { Metric, Tag } from "../types.ts";
import * as lm from "./logged-models.ts";
import { KvModelState } from "./model-state.ts";
import * as reg from "./registry.ts";
import type { KvState } from "./state.ts";

/** Runs a synchronous store operation as a promise, so its errors reject instead of throwing. */
const later = <T>(fn: () => T | Promise<T>): Promise<T> => Promise.resolve().then(fn);

export class KvModelStores implements LoggedModelStore, RegistryStore {
  protected readonly models: KvModelState;

  constructor(state: KvState) {
    this.models = new KvModelState(state);
  }

  /** Reads every logged model and registered model (call once after the KvState has loaded). */
  loadModels(): Promise<void> {
    return this.models.load();
  }

  // ---- logged models
  createLoggedModel(input: CreateLoggedModelInput) {
    return later(() => lm.createLoggedModel(this.models, input));
  }
  getLoggedModel(modelId: string, allowDeleted = false) {
    return later(() => lm.getLoggedModel(this.models, modelId, allowDeleted));
  }
  finalizeLoggedModel(modelId: string, status: LoggedModelStatus) {
    return later(() => lm.finalizeLoggedModel(this.models, modelId, status));
  }
  deleteLoggedModel(modelId: string) {
    return later(() => lm.deleteLoggedModel(this.models, modelId));
  }
  setLoggedModelTags(modelId: string, tags: Tag[]) {
    return later(() => lm.setLoggedModelTags(this.models, modelId, tags));
  }
  deleteLoggedModelTag(modelId: string, key: string) {
    return later(() => lm.deleteLoggedModelTag(this.models, modelId, key));
  }
  logLoggedModelParams(modelId: string, params: Tag[]) {
    return later(() => lm.logLoggedModelParams(this.models, modelId, params));
  }
  attachModelMetrics(runId: string, metrics: Metric[]) {
    return later(() => lm.attachModelMetrics(this.models, runId, metrics));
  }
  searchLoggedModels(q: SearchLoggedModelsQuery) {
    return later(() => lm.searchLoggedModels(this.models, q));
  }
  hardDeleteLoggedModels(target: { modelId: string } | { experimentId: string }) {
    return later(() => lm.hardDeleteLoggedModels(this.models, target));
  }
  listLoggedModels(experimentId: string) {
    return later(() => lm.listLoggedModels(this.models, experimentId));
  }
  putLoggedModel(model: LoggedModel) {
    return later(() => lm.putLoggedModel(this.models, model));
  }

  // ---- registered models
  createRegisteredModel(name: string, tags: Tag[], description?: string) {
    return later(() => reg.createRegisteredModel(this.models, name, tags, description));
  }
  getRegisteredModel(name: string) {
    return later(() => reg.getRegisteredModel(this.models, name));
  }
  renameRegisteredModel(name: string, newName: string) {
    return later(() => reg.renameRegisteredModel(this.models, name, newName));
  }
  updateRegisteredModel(name: string, description: string | undefined) {
    return later(() => reg.updateRegisteredModel(this.models, name, description));
  }
  deleteRegisteredModel(name: string) {
    return later(() => reg.deleteRegisteredModel(this.models, name));
  }
  searchRegisteredModels(q: SearchRegistryQuery<RegisteredModelFilter>) {
    return later(() => reg.searchRegisteredModels(this.models, q));
  }
  getLatestVersions(name: string, stages: ModelStage[]) {
    return later(() => reg.getLatestVersions(this.models, name, stages));
  }
  setRegisteredModelTag(name: string, tag: Tag) {
    return later(() => reg.setRegisteredModelTag(this.models, name, tag));
  }
  deleteRegisteredModelTag(name: string, key: string) {
    return later(() => reg.deleteRegisteredModelTag(this.models, name, key));
  }
  setRegisteredModelAlias(name: string, alias: string, version: string) {
    return later(() => reg.setRegisteredModelAlias(this.models, name, alias, version));
  }
  deleteRegisteredModelAlias(name: string, alias: string) {
    return later(() => reg.deleteRegisteredModelAlias(this.models, name, alias));
  }
  getModelVersionByAlias(name: string, alias: string) {
    return later(() => reg.getModelVersionByAlias(this.models, name, alias));
  }

  // ---- model versions
  createModelVersion(input: CreateModelVersionInput) {
    return later(() => reg.createModelVersion(this.models, input));
  }
  getModelVersion(name: string, version: string) {
    return later(() => reg.getModelVersion(this.models, name, version));
  }
  updateModelVersion(name: string, version: string, description: string | undefined) {
    return later(() => reg.updateModelVersion(this.models, name, version, description));
  }
  transitionModelVersionStage(name: string, version: string, stage: ModelStage, archive: boolean) {
    return later(() => reg.transitionModelVersionStage(this.models, name, version, stage, archive));
  }
  deleteModelVersion(name: string, version: string) {
    return later(() => reg.deleteModelVersion(this.models, name, version));
  }
  searchModelVersions(q: SearchRegistryQuery<ModelVersionFilter>) {
    return later(() => reg.searchModelVersions(this.models, q));
  }
  setModelVersionTag(name: string, version: string, tag: Tag) {
    return later(() => reg.setModelVersionTag(this.models, name, version, tag));
  }
  deleteModelVersionTag(name: string, version: string, key: string) {
    return later(() => reg.deleteModelVersionTag(this.models, name, version, key));
  }
  listRegisteredModelNames() {
    return later(() => [...this.models.registered.keys()].sort());
  }
  getRegistryEntry(name: string) {
    return later(() => reg.getRegistryEntry(this.models, name));
  }
  putRegistryEntry(entry: RegistryEntry) {
    return later(() => reg.putRegistryEntry(this.models, entry));
  }
}
