// The tracking service: MLflow's server-side semantics over a TrackingStore. It owns syntax checks, limits,
// defaults, truncation and run names; the store owns existence, lifecycle, uniqueness and param immutability.

import { invalidParam, isMlflowError, notFound } from "../errors.ts";
import {
  decodePageToken,
  encodePageToken,
  parseExperimentFilter,
  parseExperimentOrderBy,
  parseRunFilter,
  parseRunOrderBy,
} from "../search/mod.ts";
import type { ServerConfig } from "../server/config.ts";
import type { TrackingStore } from "../store/tracking-store.ts";
import type {
  DatasetInput,
  Experiment,
  Metric,
  Page,
  Run,
  RunInfo,
  RunMetric,
  RunStatus,
  Tag,
  ViewType,
} from "../store/types.ts";
import {
  type ArtifactLocationPolicy,
  resolveIfLocal,
  validateArtifactLocation,
} from "./artifact-location.ts";
import { sampleHistories } from "./history-sampling.ts";
import { searchPage } from "./paging.ts";
import { type ArtifactRootsConfig, checkUserLocation } from "./models-locations.ts";
import { loggedModelHistoryEntry } from "./logged-model-tag.ts";
import { pyJsonDumps } from "./python-format.ts";
import { randomRunName } from "./run-names.ts";
import {
  API_DOCS_HINT,
  countCustomViews,
  CUSTOM_VIEW_TAG_PREFIX,
  customViewLimitError,
  MAX_CUSTOM_VIEWS_PER_EXPERIMENT,
  validateBatch,
  validateDatasetInputs,
  validateExperimentName,
  validateExperimentTag,
  validateMetric,
  validateParam,
  validateRunId,
  validateRunTag,
  validateSearchMaxResults,
  type ValidationOptions,
} from "./validation.ts";

export const RUN_NAME_TAG = "mlflow.runName";
export const LOGGED_MODELS_TAG = "mlflow.log-model.history";
export const DEFAULT_EXPERIMENT_ID = "0";
export const SEARCH_MAX_RESULTS_DEFAULT = 1000;
export const MAX_RUNS_PER_HISTORY_BULK = 100;
export const MAX_RESULTS_PER_RUN = 2500;
export const MAX_HISTORY_BULK_RESULTS = 25000;

export interface TrackingServiceOptions extends Partial<ValidationOptions> {
  /** Directory relative artifact locations resolve against (MLflow: the server's cwd). */
  cwd?: string;
  /** MLFLOW_ALLOWED_HOST_ADDRESSED_ARTIFACT_SCHEMES. */
  allowedHostSchemes?: string[];
  /** Clock for start times; tests may pin it. */
  now?: () => number;
}

export interface CreateRunRequest {
  experimentId?: string;
  userId?: string;
  runName?: string;
  startTime?: number;
  tags: Tag[];
}

export interface UpdateRunRequest {
  status?: RunStatus;
  endTime?: number;
  runName?: string;
}

export interface SearchExperimentsRequest {
  viewType?: ViewType;
  maxResults?: number;
  filter?: string;
  orderBy: string[];
  pageToken?: string;
}

export interface SearchRunsRequest extends SearchExperimentsRequest {
  experimentIds: string[];
}

export interface HistoryIntervalRequest {
  startStep?: number;
  endStep?: number;
  maxResults?: number;
}

function envFlag(name: string, fallback: boolean): boolean {
  try {
    const v = Deno.env.get(name);
    if (v === undefined) return fallback;
    return !["false", "0"].includes(v.trim().toLowerCase());
  } catch {
    return fallback; // no --allow-env
  }
}

function envList(name: string): string[] {
  try {
    return (Deno.env.get(name) ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  } catch {
    return [];
  }
}

export class TrackingService {
  readonly validation: ValidationOptions;
  private readonly artifactPolicy: ArtifactLocationPolicy;
  private readonly roots: ArtifactRootsConfig;
  private readonly cwd: string;
  private readonly now: () => number;

  constructor(readonly store: TrackingStore, config: ServerConfig, opts: TrackingServiceOptions = {}) {
    this.validation = {
      truncateLongValues: opts.truncateLongValues ?? envFlag("MLFLOW_TRUNCATE_LONG_VALUES", true),
    };
    this.artifactPolicy = {
      trustedRoots: [config.defaultArtifactRoot, config.artifactsDestination].filter(Boolean),
      allowedSchemes: opts.allowedHostSchemes ?? envList("MLFLOW_ALLOWED_HOST_ADDRESSED_ARTIFACT_SCHEMES"),
    };
    this.roots = config;
    this.cwd = opts.cwd ?? Deno.cwd();
    this.now = opts.now ?? Date.now;
  }

  // ---- Experiments ----

  async createExperiment(name: string, artifactLocation: string | undefined, tags: Tag[]): Promise<string> {
    validateExperimentName(name);
    if (countCustomViews(tags) > MAX_CUSTOM_VIEWS_PER_EXPERIMENT) throw customViewLimitError();
    let location: string | undefined;
    if (artifactLocation) {
      validateArtifactLocation(artifactLocation, this.artifactPolicy);
      location = resolveIfLocal(artifactLocation, this.cwd);
      // Stored locations stay inside the server's artifact roots; URLs are never accepted (issue 3).
      checkUserLocation(location, this.roots);
    }
    for (const t of tags) validateExperimentTag(t);
    return await this.store.createExperiment({ name, artifactLocation: location, tags });
  }

  getExperiment(experimentId: string): Promise<Experiment> {
    return this.store.getExperiment(experimentId);
  }

  async getExperimentByName(name: string): Promise<Experiment> {
    const exp = await this.store.getExperimentByName(name);
    if (!exp) throw notFound(`Could not find experiment with name '${name}'`);
    return exp;
  }

  async searchExperiments(req: SearchExperimentsRequest): Promise<Page<Experiment>> {
    // MLflow rejects an absent max_results; tracker defaults it (spec §3.1 #4).
    const maxResults = req.maxResults ?? SEARCH_MAX_RESULTS_DEFAULT;
    validateSearchMaxResults(maxResults);
    const filter = parseExperimentFilter(req.filter ?? "");
    const orderBy = parseExperimentOrderBy(req.orderBy);
    const viewType = req.viewType ?? "ACTIVE_ONLY";
    return await searchPage(
      req.pageToken,
      (offset) => this.store.searchExperiments({ viewType, filter, orderBy, maxResults, offset }),
    );
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName);
    await this.store.renameExperiment(experimentId, newName);
  }

  deleteExperiment(experimentId: string): Promise<void> {
    return this.store.deleteExperiment(experimentId);
  }

  restoreExperiment(experimentId: string): Promise<void> {
    return this.store.restoreExperiment(experimentId);
  }

  async setExperimentTag(experimentId: string, tag: Tag): Promise<void> {
    validateExperimentTag(tag);
    if (tag.key.startsWith(CUSTOM_VIEW_TAG_PREFIX)) {
      // Only adding a view is capped; overwriting one keeps the count.
      const exp = await this.store.getExperiment(experimentId);
      if (
        !exp.tags.some((t) => t.key === tag.key) &&
        countCustomViews(exp.tags) >= MAX_CUSTOM_VIEWS_PER_EXPERIMENT
      ) {
        throw customViewLimitError(experimentId);
      }
    }
    await this.store.setExperimentTag(experimentId, tag);
  }

  deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    return this.store.deleteExperimentTag(experimentId, key);
  }

  // ---- Runs ----

  async createRun(req: CreateRunRequest): Promise<Run> {
    const tags = req.tags.map((t, i) => validateRunTag(t, this.validation, `tags[${i}]`));
    const nameTag = tags.findLast((t) => t.key === RUN_NAME_TAG)?.value;
    if (req.runName && nameTag && req.runName !== nameTag) {
      throw invalidParam(
        "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values " +
          `(run_name='${req.runName}', mlflow.runName='${nameTag}').`,
      );
    }
    const runName = req.runName || nameTag || randomRunName();
    // The server always records the display name as a tag, so searches on tags.mlflow.runName work.
    if (!nameTag) tags.push({ key: RUN_NAME_TAG, value: runName });
    return await this.store.createRun({
      experimentId: req.experimentId || DEFAULT_EXPERIMENT_ID,
      userId: req.userId ?? "",
      runName,
      startTime: req.startTime ?? this.now(),
      tags: dedupeTags(tags),
    });
  }

  getRun(runId: string): Promise<Run> {
    validateRunId(runId);
    return this.store.getRun(runId);
  }

  updateRun(runId: string, req: UpdateRunRequest): Promise<RunInfo> {
    validateRunId(runId);
    // An empty run_name leaves the name alone, as in MLflow.
    return this.store.updateRun(runId, {
      status: req.status,
      endTime: req.endTime,
      runName: req.runName || undefined,
    });
  }

  deleteRun(runId: string): Promise<void> {
    validateRunId(runId);
    return this.store.deleteRun(runId);
  }

  restoreRun(runId: string): Promise<void> {
    validateRunId(runId);
    return this.store.restoreRun(runId);
  }

  async searchRuns(req: SearchRunsRequest): Promise<Page<Run>> {
    const maxResults = req.maxResults ?? SEARCH_MAX_RESULTS_DEFAULT;
    if (maxResults > 50000) {
      throw invalidParam(
        `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be at most 50000`,
      );
    }
    validateSearchMaxResults(maxResults);
    const filter = parseRunFilter(req.filter ?? "");
    const orderBy = parseRunOrderBy(req.orderBy);
    const { experimentIds } = req;
    const viewType = req.viewType ?? "ACTIVE_ONLY";
    return await searchPage(
      req.pageToken,
      (offset) => this.store.searchRuns({ experimentIds, viewType, filter, orderBy, maxResults, offset }),
    );
  }

  async logMetric(runId: string, metric: Metric): Promise<void> {
    validateRunId(runId);
    validateMetric(metric);
    await this.store.logBatch(runId, [metric], [], []);
  }

  async logParam(runId: string, param: Tag): Promise<void> {
    validateRunId(runId);
    await this.store.logBatch(runId, [], [validateParam(param, this.validation)], []);
  }

  async setTag(runId: string, tag: Tag): Promise<void> {
    validateRunId(runId);
    await this.store.setRunTag(runId, validateRunTag(tag, this.validation));
  }

  deleteTag(runId: string, key: string): Promise<void> {
    validateRunId(runId);
    return this.store.deleteRunTag(runId, key);
  }

  /** Everything is validated before the store sees the batch, so a bad entry writes nothing. */
  async logBatch(runId: string, metrics: Metric[], params: Tag[], tags: Tag[]): Promise<void> {
    validateRunId(runId);
    const checked = validateBatch(metrics, params, tags, this.validation);
    if (!metrics.length && !checked.params.length && !checked.tags.length) {
      // An empty batch writes nothing but still reports an unknown or deleted run, as MLflow does.
      assertActive(await this.store.getRun(runId));
      return;
    }
    await this.store.logBatch(runId, metrics, checked.params, checked.tags);
  }

  /** Appends the model to the run's `mlflow.log-model.history` tag (JSON list), as MLflow's stores do. */
  async logModel(runId: string, modelJson: string): Promise<void> {
    validateRunId(runId);
    const entry = loggedModelHistoryEntry(modelJson);
    const run = await this.store.getRun(runId);
    assertActive(run);
    const previous = run.data.tags.find((t) => t.key === LOGGED_MODELS_TAG)?.value;
    let history: unknown[] = [];
    if (previous) {
      try {
        const parsed = JSON.parse(previous);
        if (Array.isArray(parsed)) history = parsed;
      } catch {
        // A hand-edited tag that is not JSON is replaced rather than failing every later log-model.
      }
    }
    history.push(entry);
    await this.store.setRunTag(runId, { key: LOGGED_MODELS_TAG, value: pyJsonDumps(history) });
  }

  async logInputs(runId: string, datasets: DatasetInput[], models: { modelId: string }[]): Promise<void> {
    validateRunId(runId);
    validateDatasetInputs(datasets);
    await this.store.logInputs(runId, datasets, models);
  }

  async logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void> {
    validateRunId(runId);
    await this.store.logOutputs(runId, models);
  }

  // ---- Metric history ----

  async getMetricHistory(
    runId: string,
    key: string,
    opts: { maxResults?: number; pageToken?: string },
  ): Promise<Page<Metric>> {
    validateRunId(runId);
    if (opts.maxResults !== undefined && opts.maxResults <= 0) {
      throw invalidParam(
        `Invalid value ${opts.maxResults} for parameter 'max_results' supplied. It must be a positive integer.`,
      );
    }
    const offset = decodePageToken(opts.pageToken);
    const res = await this.store.getMetricHistory(runId, key, { offset, maxResults: opts.maxResults });
    return {
      items: res.items,
      nextPageToken: res.more && opts.maxResults !== undefined
        ? encodePageToken(offset + res.items.length)
        : undefined,
    };
  }

  /** The UI's bulk history: sorted by run id, then (timestamp, step, value); capped at max_results overall. */
  async getMetricHistoryBulk(
    runIds: string[],
    key: string | undefined,
    maxResults?: number,
  ): Promise<RunMetric[]> {
    if (!runIds.length) throw invalidParam("GetMetricHistoryBulk request must specify at least one run_id.");
    if (runIds.length > MAX_RUNS_PER_HISTORY_BULK) {
      throw invalidParam(
        `GetMetricHistoryBulk request cannot specify more than ${MAX_RUNS_PER_HISTORY_BULK} run_ids. ` +
          `Received ${runIds.length} run_ids.`,
      );
    }
    if (key === undefined) throw invalidParam("GetMetricHistoryBulk request must specify a metric_key.");
    const limit = Math.min(maxResults ?? MAX_HISTORY_BULK_RESULTS, MAX_HISTORY_BULK_RESULTS);
    const out: RunMetric[] = [];
    for (const runId of [...new Set(runIds)].sort()) {
      let points: RunMetric[];
      try {
        [points] = await this.store.getMetricHistories([runId], key);
      } catch (e) {
        // Runs the caller cannot see contribute nothing, as in MLflow's SQL store.
        if (isMlflowError(e) && e.code === "RESOURCE_DOES_NOT_EXIST") continue;
        throw e;
      }
      out.push(...[...points].sort(byTimestampStepValue));
      if (out.length >= limit) break;
    }
    return out.slice(0, Math.max(0, limit));
  }

  async getMetricHistoryBulkInterval(
    runIds: string[],
    key: string,
    req: HistoryIntervalRequest,
  ): Promise<RunMetric[]> {
    if (runIds.length > MAX_RUNS_PER_HISTORY_BULK) {
      throw invalidParam(
        `GetMetricHistoryBulkInterval request must specify at most ${MAX_RUNS_PER_HISTORY_BULK} run_ids. ` +
          `Received ${runIds.length} run_ids.${API_DOCS_HINT}`,
      );
    }
    const maxResults = req.maxResults ?? MAX_RESULTS_PER_RUN;
    if (maxResults < 1 || maxResults > MAX_RESULTS_PER_RUN) {
      throw invalidParam(`max_results must be between 1 and ${MAX_RESULTS_PER_RUN}.${API_DOCS_HINT}`);
    }
    const { startStep, endStep } = req;
    if (startStep !== undefined && endStep !== undefined) {
      if (startStep > endStep) {
        throw invalidParam(
          "end_step must be greater than start_step. " +
            `Found start_step=${startStep} and end_step=${endStep}.`,
        );
      }
    } else if (startStep !== undefined || endStep !== undefined) {
      throw invalidParam("If either start step or end step are specified, both must be specified.");
    }
    if (!runIds.length) return [];
    for (const id of runIds) validateRunId(id, "run_ids");
    const histories = await this.store.getMetricHistories(runIds, key);
    return sampleHistories(histories, maxResults, startStep, endStep);
  }
}

function assertActive(run: Run): void {
  if (run.info.lifecycleStage !== "active") {
    throw invalidParam(
      `The run ${run.info.runId} must be in the 'active' state. Current state is ${run.info.lifecycleStage}.`,
    );
  }
}

function byTimestampStepValue(a: Metric, b: Metric): number {
  return a.timestamp - b.timestamp || a.step - b.step || compareValues(a.value, b.value);
}

function compareValues(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) ? (Number.isNaN(b) ? 0 : 1) : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Later duplicates win, as a dict built from the tag list would in MLflow's stores. */
function dedupeTags(tags: Tag[]): Tag[] {
  const byKey = new Map<string, string>();
  for (const t of tags) byKey.set(t.key, t.value);
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** A store result as a page: a next_page_token only when more results follow. */
