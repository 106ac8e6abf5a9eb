// Entity types of MLflow 3's logged models and the model registry, shared by the model stores, the
// services and the wire layer. Field names are camelCase inside; src/api/model-wire.ts maps them out.

import type { LifecycleStage, Metric, Tag } from "./types.ts";

export type LoggedModelStatus =
  | "LOGGED_MODEL_STATUS_UNSPECIFIED"
  | "LOGGED_MODEL_PENDING"
  | "LOGGED_MODEL_READY"
  | "LOGGED_MODEL_UPLOAD_FAILED";

export const LOGGED_MODEL_STATUS_NUMBERS: Record<LoggedModelStatus, number> = {
  LOGGED_MODEL_STATUS_UNSPECIFIED: 0,
  LOGGED_MODEL_PENDING: 1,
  LOGGED_MODEL_READY: 2,
  LOGGED_MODEL_UPLOAD_FAILED: 3,
};

/** A metric attached to a logged model: the run that logged it travels with it. */
export interface ModelMetric extends Metric {
  runId?: string;
}

export interface LoggedModel {
  /** "m-" + 32 hex. */
  modelId: string;
  experimentId: string;
  name: string;
  /** `<experiment artifact_location>/models/<model_id>/artifacts`. */
  artifactUri: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  status: LoggedModelStatus;
  statusMessage?: string;
  modelType?: string;
  sourceRunId?: string;
  lifecycleStage: LifecycleStage;
  tags: Tag[];
  params: Tag[];
  /** Latest value per (key, dataset_name, dataset_digest). */
  metrics: ModelMetric[];
}

/** Stages of the pre-alias registry workflow; names are canonical (`None`, `Staging`, ...). */
export type ModelStage = "None" | "Staging" | "Production" | "Archived";
export const MODEL_STAGES: readonly ModelStage[] = ["None", "Staging", "Production", "Archived"];

export type ModelVersionStatus = "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";

export interface ModelVersion {
  name: string;
  /** "1", "2", ... (a string on the wire, an integer in MLflow's stores). */
  version: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId?: string;
  currentStage: ModelStage;
  description?: string;
  /** What the client registered (`models:/m-…`, `runs:/…`, `mlflow-artifacts:/…`). */
  source: string;
  /** Where the files are (resolved from `source` at registration); the download URI. */
  storageLocation: string;
  runId?: string;
  runLink?: string;
  status: ModelVersionStatus;
  statusMessage?: string;
  modelId?: string;
  tags: Tag[];
  /** Filled in on read from the registered model's aliases. */
  aliases: string[];
}

export interface ModelAlias {
  alias: string;
  version: string;
}

export interface RegisteredModel {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  userId?: string;
  description?: string;
  tags: Tag[];
  aliases: ModelAlias[];
  /** Latest version per stage (filled in on read). */
  latestVersions: ModelVersion[];
}
