// Entities as the client hands them out: MLflow's fields in camelCase, non-finite doubles as numbers.
// Shapes identical to the server's entities are shared; the rest allow what the wire may omit.

export type {
  Dataset,
  DatasetInput,
  LifecycleStage,
  Page,
  RunStatus,
  Tag,
  ViewType,
} from "../store/types.ts";
import type { DatasetInput, LifecycleStage, RunStatus, Tag } from "../store/types.ts";

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  creationTime?: number;
  lastUpdateTime?: number;
  tags: Tag[];
}

export interface RunInfo {
  runId: string;
  runName: string;
  experimentId: string;
  userId: string;
  status: RunStatus;
  startTime?: number;
  endTime?: number;
  artifactUri: string;
  lifecycleStage: LifecycleStage;
}

export interface Metric {
  key: string;
  /** May be NaN or ±Infinity. */
  value: number;
  timestamp: number;
  step: number;
  datasetName?: string;
  datasetDigest?: string;
  modelId?: string;
  /** Set by the bulk history endpoints. */
  runId?: string;
}

export interface Run {
  info: RunInfo;
  data: { metrics: Metric[]; params: Tag[]; tags: Tag[] };
  inputs: { datasetInputs: DatasetInput[]; modelInputs: { modelId: string }[] };
  outputs: { modelOutputs: { modelId: string; step: number }[] };
}

export interface FileInfo {
  /** Relative to the run's artifact root, "/"-separated. */
  path: string;
  isDir: boolean;
  fileSize?: number;
}

export type LoggedModelStatus =
  | "LOGGED_MODEL_STATUS_UNSPECIFIED"
  | "LOGGED_MODEL_PENDING"
  | "LOGGED_MODEL_READY"
  | "LOGGED_MODEL_UPLOAD_FAILED";

export interface LoggedModel {
  info: {
    modelId: string;
    experimentId: string;
    name: string;
    artifactUri: string;
    status: LoggedModelStatus;
    creationTimestampMs?: number;
    lastUpdatedTimestampMs?: number;
    modelType?: string;
    sourceRunId?: string;
    statusMessage?: string;
    tags: Tag[];
  };
  data: { params: Tag[]; metrics: Metric[] };
}
