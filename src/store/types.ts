// Entity types shared by every store backend, the services and the wire layer.
// Field names are camelCase inside; the wire layer maps them to MLflow's snake_case.

export type LifecycleStage = "active" | "deleted";
export type RunStatus = "RUNNING" | "SCHEDULED" | "FINISHED" | "FAILED" | "KILLED";
export type ViewType = "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL";

export const RUN_STATUS_NUMBERS: Record<RunStatus, number> = {
  RUNNING: 1,
  SCHEDULED: 2,
  FINISHED: 3,
  FAILED: 4,
  KILLED: 5,
};
export const VIEW_TYPE_NUMBERS: Record<ViewType, number> = { ACTIVE_ONLY: 1, DELETED_ONLY: 2, ALL: 3 };

export interface Tag {
  key: string;
  value: string;
}

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime: number;
  lastUpdateTime: number;
  tags: Tag[];
}

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
  /** ms when soft-deleted; kept for `gc --older-than`. */
  deletedTime?: number;
}

/** Optional MLflow 3 fields of a metric point. */
export interface MetricExtras {
  datasetName?: string;
  datasetDigest?: string;
  modelId?: string;
}

export interface Metric extends MetricExtras {
  key: string;
  value: number; // may be NaN / ±Infinity
  timestamp: number;
  step: number;
}

export interface Dataset {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema?: string;
  profile?: string;
}

export interface DatasetInput {
  tags: Tag[];
  dataset: Dataset;
}

export interface RunInputs {
  datasetInputs: DatasetInput[];
  modelInputs: { modelId: string }[];
}

export interface RunOutputs {
  modelOutputs: { modelId: string; step: number }[];
}

export interface RunData {
  metrics: Metric[]; // latest value per key
  params: Tag[];
  tags: Tag[];
}

export interface Run {
  info: RunInfo;
  data: RunData;
  inputs: RunInputs;
  outputs: RunOutputs;
}

/** A metric point tagged with its run, as the bulk history endpoints return it. */
export interface RunMetric extends Metric {
  runId: string;
}

export interface Page<T> {
  items: T[];
  nextPageToken?: string;
}

/**
 * A run as a search sees it: maps give O(1) look-ups for filters and sorting over many runs.
 * Backends that keep runs in memory hold exactly this shape.
 */
export interface RunRecord {
  info: RunInfo;
  params: Map<string, string>;
  tags: Map<string, string>;
  metrics: Map<string, Metric>; // latest per key
  inputs: RunInputs;
  outputs: RunOutputs;
}
