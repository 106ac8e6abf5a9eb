// Interfaces of the model stores: MLflow 3 logged models and the model registry. A backend implements
// them next to TrackingStore on the same storage (one writer per KV file), so the object `openKvStore`
// returns implements all three. Inputs are validated by the services layer; the stores enforce what
// needs their state: existence, uniqueness, lifecycle, version numbering.

import type {
  DatasetRef,
  LoggedModelFilter,
  LoggedModelOrder,
  ModelVersionFilter,
  RegisteredModelFilter,
  RegistryOrder,
} from "../search/ast-models.ts";
import type {
  LoggedModel,
  LoggedModelStatus,
  ModelStage,
  ModelVersion,
  RegisteredModel,
} from "./model-types.ts";
import type { SearchResult, TrackingStore } from "./tracking-store.ts";
import type { Metric, Tag } from "./types.ts";

export interface CreateLoggedModelInput {
  experimentId: string;
  name: string;
  modelType?: string;
  sourceRunId?: string;
  params: Tag[];
  tags: Tag[];
}

export interface SearchLoggedModelsQuery {
  experimentIds: string[];
  filter: LoggedModelFilter;
  datasets: DatasetRef[];
  orderBy: LoggedModelOrder;
  maxResults: number;
  offset: number;
}

export interface LoggedModelStore {
  /** Status PENDING; the experiment must exist and be active. */
  createLoggedModel(input: CreateLoggedModelInput): Promise<LoggedModel>;
  /** Deleted models are RESOURCE_DOES_NOT_EXIST unless `allowDeleted`. */
  getLoggedModel(modelId: string, allowDeleted?: boolean): Promise<LoggedModel>;
  finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel>;
  /** Soft delete. */
  deleteLoggedModel(modelId: string): Promise<void>;
  /** Upsert; a key repeated in one call keeps its last value. */
  setLoggedModelTags(modelId: string, tags: Tag[]): Promise<void>;
  deleteLoggedModelTag(modelId: string, key: string): Promise<void>;
  logLoggedModelParams(modelId: string, params: Tag[]): Promise<void>;
  /**
   * Attaches metrics that name a `modelId` to those models (spec §3.5, last line). Points naming a model
   * this store does not hold are skipped: the run's own copy is what the caller logged.
   */
  attachModelMetrics(runId: string, metrics: Metric[]): Promise<void>;
  /** Active models of the given experiments only. */
  searchLoggedModels(query: SearchLoggedModelsQuery): Promise<SearchResult<LoggedModel>>;
  /** Removes a deleted model for good (`gc`); with `experimentId`, every model of that experiment. */
  hardDeleteLoggedModels(target: { modelId: string } | { experimentId: string }): Promise<void>;
  /** Every model of the experiment, deleted ones included (export, gc). */
  listLoggedModels(experimentId: string): Promise<LoggedModel[]>;
  /**
   * Stores `model` exactly as given, id and times included, replacing one with that id (import); the
   * experiment must exist.
   */
  putLoggedModel(model: LoggedModel): Promise<void>;
}

/** A registered model with every live version and the highest number ever issued (export/import). */
export interface RegistryEntry {
  model: Omit<RegisteredModel, "latestVersions">;
  versions: ModelVersion[];
  lastVersion: number;
}

export interface CreateModelVersionInput {
  name: string;
  source: string;
  /** Resolved by the service from `source`; must be a location the server may serve. */
  storageLocation: string;
  runId?: string;
  runLink?: string;
  description?: string;
  modelId?: string;
  userId?: string;
  tags: Tag[];
}

export interface SearchRegistryQuery<F> {
  filter: F;
  orderBy: RegistryOrder;
  maxResults: number;
  offset: number;
}

export interface RegistryStore {
  createRegisteredModel(name: string, tags: Tag[], description?: string): Promise<RegisteredModel>;
  getRegisteredModel(name: string): Promise<RegisteredModel>;
  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel>;
  /** `undefined` clears the description, as MLflow's stores do. */
  updateRegisteredModel(name: string, description: string | undefined): Promise<RegisteredModel>;
  /** Removes the model with its versions, tags and aliases. */
  deleteRegisteredModel(name: string): Promise<void>;
  searchRegisteredModels(
    query: SearchRegistryQuery<RegisteredModelFilter>,
  ): Promise<SearchResult<RegisteredModel>>;
  /** Latest version per stage among `stages` (all stages when empty). */
  getLatestVersions(name: string, stages: ModelStage[]): Promise<ModelVersion[]>;
  setRegisteredModelTag(name: string, tag: Tag): Promise<void>;
  /** Missing tags are not an error (MLflow's SQL store). */
  deleteRegisteredModelTag(name: string, key: string): Promise<void>;
  setRegisteredModelAlias(name: string, alias: string, version: string): Promise<void>;
  deleteRegisteredModelAlias(name: string, alias: string): Promise<void>;
  /** `latest` (any case) is the highest version; an unknown alias is INVALID_PARAMETER_VALUE. */
  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion>;

  /** Next version number of the model (max ever issued + 1), status READY. */
  createModelVersion(input: CreateModelVersionInput): Promise<ModelVersion>;
  getModelVersion(name: string, version: string): Promise<ModelVersion>;
  updateModelVersion(name: string, version: string, description: string | undefined): Promise<ModelVersion>;
  transitionModelVersionStage(
    name: string,
    version: string,
    stage: ModelStage,
    archiveExistingVersions: boolean,
  ): Promise<ModelVersion>;
  /** Also drops the aliases pointing at it; its number is never reused. */
  deleteModelVersion(name: string, version: string): Promise<void>;
  searchModelVersions(query: SearchRegistryQuery<ModelVersionFilter>): Promise<SearchResult<ModelVersion>>;
  setModelVersionTag(name: string, version: string, tag: Tag): Promise<void>;
  deleteModelVersionTag(name: string, version: string, key: string): Promise<void>;
  /** Names of every registered model, sorted. */
  listRegisteredModelNames(): Promise<string[]>;
  getRegistryEntry(name: string): Promise<RegistryEntry>;
  /**
   * Stores the entry as given (import): replaces the model of that name and exactly its versions;
   * `lastVersion` never goes down.
   */
  putRegistryEntry(entry: RegistryEntry): Promise<void>;
}

/** What the server needs from its backend: tracking, logged models and the registry on one store. */
export type FullStore = TrackingStore & LoggedModelStore & RegistryStore;

const PROBE: (keyof LoggedModelStore | keyof RegistryStore)[] = [
  "createLoggedModel",
  "createRegisteredModel",
];

/** True when `store` (a local backend or the Worker proxy) offers the model stores. */
export function hasModelStores(store: TrackingStore): store is FullStore {
  const s = store as unknown as Record<string, unknown>;
  return PROBE.every((m) => typeof s[m] === "function");
}
