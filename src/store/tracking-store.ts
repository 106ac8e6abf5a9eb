// The one interface every tracking backend implements (Deno KV now; remote KV, PostgreSQL later).
// Inputs are already validated by the services layer (key syntax, lengths, limits); the store enforces
// what needs its state: existence, uniqueness, lifecycle, and param immutability.
// Errors are MlflowError with MLflow's codes (RESOURCE_DOES_NOT_EXIST, RESOURCE_ALREADY_EXISTS, ...).

import type { ExperimentFilter, ExperimentOrder, RunFilter, RunOrder } from "../search/ast.ts";
import type {
  DatasetInput,
  Experiment,
  LifecycleStage,
  Metric,
  Run,
  RunInfo,
  RunMetric,
  RunStatus,
  Tag,
  ViewType,
} from "./types.ts";

export interface CreateExperimentInput {
  name: string;
  /** When absent the store uses `<defaultArtifactRoot>/<experiment_id>`. */
  artifactLocation?: string;
  tags?: Tag[];
  /** Import keeps MLflow's ids and times; normal creation leaves these out. */
  experimentId?: string;
  creationTime?: number;
  lastUpdateTime?: number;
  lifecycleStage?: LifecycleStage;
}

export interface CreateRunInput {
  experimentId: string;
  userId: string;
  runName: string;
  startTime: number;
  tags: Tag[];
  /** Import keeps MLflow's ids and state; normal creation leaves these out (new 32-hex id, RUNNING). */
  runId?: string;
  status?: RunStatus;
  endTime?: number;
  lifecycleStage?: LifecycleStage;
  deletedTime?: number;
}

export interface UpdateRunInput {
  status?: RunStatus;
  endTime?: number;
  runName?: string;
}

export interface SearchExperimentsQuery {
  viewType: ViewType;
  filter: ExperimentFilter;
  orderBy: ExperimentOrder;
  maxResults: number;
  offset: number;
}

export interface SearchRunsQuery {
  experimentIds: string[];
  viewType: ViewType;
  filter: RunFilter;
  orderBy: RunOrder;
  maxResults: number;
  offset: number;
}

/** A page of results; `more` tells the caller to hand out a next_page_token. */
export interface SearchResult<T> {
  items: T[];
  more: boolean;
}

/** A metric history as columns in logged order (timestamps, steps, values): what charts read. */
export interface HistoryColumns {
  t: Float64Array;
  s: Float64Array;
  v: Float64Array;
}

export interface HistoryQuery {
  /** Index of the first point to return (decoded page token). */
  offset: number;
  /** Absent means all remaining points. */
  maxResults?: number;
}

export interface TrackingStore {
  // Experiments
  createExperiment(input: CreateExperimentInput): Promise<string>;
  getExperiment(experimentId: string): Promise<Experiment>;
  /** Prefers the active experiment of that name; null when none exists. */
  getExperimentByName(name: string): Promise<Experiment | null>;
  searchExperiments(query: SearchExperimentsQuery): Promise<SearchResult<Experiment>>;
  renameExperiment(experimentId: string, newName: string): Promise<void>;
  /**
   * Also soft-deletes the experiment's active runs. `at` (ms, default now) is the deletion time: import
   * passes MLflow's last_update_time so `gc --older-than` keeps working on imported data.
   */
  deleteExperiment(experimentId: string, at?: number): Promise<void>;
  restoreExperiment(experimentId: string): Promise<void>;
  setExperimentTag(experimentId: string, tag: Tag): Promise<void>;
  deleteExperimentTag(experimentId: string, key: string): Promise<void>;

  // Runs
  createRun(input: CreateRunInput): Promise<Run>;
  getRun(runId: string): Promise<Run>;
  updateRun(runId: string, update: UpdateRunInput): Promise<RunInfo>;
  /** `at` (ms, default now) is the deleted_time; import passes MLflow's. */
  deleteRun(runId: string, at?: number): Promise<void>;
  restoreRun(runId: string): Promise<void>;
  /** Upsert; `mlflow.runName` also renames the run. */
  setRunTag(runId: string, tag: Tag): Promise<void>;
  deleteRunTag(runId: string, key: string): Promise<void>;
  /**
   * Writes params, then metrics, then tags as one unit: when anything is rejected (changed param value,
   * inactive run) nothing is written. Equal param values are a no-op.
   */
  logBatch(runId: string, metrics: Metric[], params: Tag[], tags: Tag[]): Promise<void>;
  logInputs(runId: string, datasets: DatasetInput[], models: { modelId: string }[]): Promise<void>;
  logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void>;
  searchRuns(query: SearchRunsQuery): Promise<SearchResult<Run>>;

  // Metric history
  /** Points in the order they were logged; unknown key → empty. Unknown run → RESOURCE_DOES_NOT_EXIST. */
  getMetricHistory(runId: string, key: string, query: HistoryQuery): Promise<SearchResult<Metric>>;
  /** Full histories of one key for several runs (UI and bulk-interval endpoints). */
  getMetricHistories(runIds: string[], key: string): Promise<RunMetric[][]>;
  /** The points of a history from `offset` on, as columns: no object per point (the UI's charts). */
  getMetricHistoryColumns(runId: string, key: string, offset: number): Promise<HistoryColumns>;
  /**
   * A number that changes whenever anything is written (it never repeats while the store is open), so a
   * live page can tell "nothing changed" without searching again.
   */
  changeCount(): Promise<number>;

  // Extra local folders the server may serve artifacts from, besides its configured roots: folders whose
  // runs were imported by reference (their artifacts stay where MLflow wrote them).
  artifactRoots(): Promise<string[]>;
  addArtifactRoot(dir: string): Promise<void>;

  // Permanent removal (`tracker gc`): only for deleted entities, with their metric histories.
  hardDeleteRun(runId: string): Promise<void>;
  /** Removes the experiment and all its runs. */
  hardDeleteExperiment(experimentId: string): Promise<void>;

  /** Flushes pending writes and releases the backend. */
  close(): Promise<void>;
}
