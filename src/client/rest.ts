// The low-level client: one method per tracking REST endpoint (spec §3), typed in and out. Paging helpers
// fetch every page; logBatch splits a batch into requests within MLflow's limits.

import { z } from "zod";
import { API, ApiCaller, type Method } from "./http.ts";
import { isTrackerError } from "./errors.ts";
import { chunkBatch } from "./limits.ts";
import type { RetryPolicy } from "./retry.ts";
import type { Transport } from "./transport.ts";
import type {
  DatasetInput,
  Experiment,
  FileInfo,
  LoggedModel,
  LoggedModelStatus,
  Metric,
  Page,
  Run,
  RunInfo,
  RunStatus,
  Tag,
  ViewType,
} from "./types.ts";
import {
  experimentSchema,
  fileInfoSchema,
  loggedModelSchema,
  metricSchema,
  metricToWire,
  runInfoSchema,
  runSchema,
} from "./wire.ts";

const empty = z.unknown().transform(() => undefined);

/** An answer whose one field `key` is what the method returns. */
function fieldOf<T>(key: string, schema: z.ZodType<T>): z.ZodType<T> {
  return z.object({ [key]: schema }).transform((res) => res[key] as T);
}

/** A page of a search or history answer: the items under `key` (none when absent) and the next token. */
function pageOf<T>(key: string, item: z.ZodType<T>): z.ZodType<Page<T>> {
  return z.object({ [key]: z.array(item).default([]), next_page_token: z.string().optional() })
    .transform((res) => ({
      items: res[key] as T[],
      nextPageToken: (res.next_page_token as string) || undefined,
    }));
}

/** The answer of the artifact listings of runs and logged models. */
const artifactListing = z.object({
  root_uri: z.string().default(""),
  files: z.array(fileInfoSchema).default([]),
}).transform((res) => ({ rootUri: res.root_uri, files: res.files }));

export interface SearchExperimentsOptions {
  filter?: string;
  maxResults?: number;
  orderBy?: string[];
  viewType?: ViewType;
  pageToken?: string;
}

export interface SearchRunsOptions {
  experimentIds: string[];
  filter?: string;
  viewType?: ViewType;
  maxResults?: number;
  orderBy?: string[];
  pageToken?: string;
}

export interface CreateRunOptions {
  experimentId?: string;
  userId?: string;
  runName?: string;
  startTime?: number;
  tags?: Tag[];
}

export interface UpdateRunOptions {
  status?: RunStatus;
  endTime?: number;
  runName?: string;
}

export interface Batch {
  metrics?: Metric[];
  params?: Tag[];
  tags?: Tag[];
}

export interface SearchLoggedModelsOptions {
  experimentIds: string[];
  filter?: string;
  maxResults?: number;
  orderBy?: { fieldName: string; ascending?: boolean; datasetName?: string; datasetDigest?: string }[];
  datasets?: { datasetName: string; datasetDigest?: string }[];
  pageToken?: string;
}

/** Big pages keep the number of round trips low when a helper fetches everything. */
const ALL_PAGE_SIZE = 25_000;
const HISTORY_PAGE_SIZE = 25_000;

export class RestClient {
  constructor(readonly caller: ApiCaller) {}

  static over(transport: Transport, retry: RetryPolicy, headers: Headers): RestClient {
    return new RestClient(new ApiCaller(transport, retry, headers));
  }

  get transport(): Transport {
    return this.caller.transport;
  }

  private call<T>(method: Method, path: string, payload: Record<string, unknown>, schema: z.ZodType<T>) {
    return this.caller.call(method, API + path, payload, schema);
  }

  // ---- Experiments ----

  async createExperiment(
    name: string,
    opts: { artifactLocation?: string; tags?: Tag[] } = {},
  ): Promise<string> {
    return await this.call("POST", "/experiments/create", {
      name,
      artifact_location: opts.artifactLocation,
      tags: opts.tags,
    }, fieldOf("experiment_id", z.string()));
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    return await this.call(
      "GET",
      "/experiments/get",
      { experiment_id: experimentId },
      fieldOf("experiment", experimentSchema),
    );
  }

  /** undefined when no experiment has that name (MLflow's client returns None the same way). */
  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    try {
      return await this.call(
        "GET",
        "/experiments/get-by-name",
        { experiment_name: name },
        fieldOf("experiment", experimentSchema),
      );
    } catch (e) {
      if (isTrackerError(e, "RESOURCE_DOES_NOT_EXIST")) return undefined;
      throw e;
    }
  }

  async searchExperiments(opts: SearchExperimentsOptions = {}): Promise<Page<Experiment>> {
    return await this.call("POST", "/experiments/search", {
      max_results: opts.maxResults,
      page_token: opts.pageToken,
      filter: opts.filter,
      order_by: opts.orderBy,
      view_type: opts.viewType,
    }, pageOf("experiments", experimentSchema));
  }

  /** Every matching experiment, following page tokens. */
  async searchAllExperiments(opts: Omit<SearchExperimentsOptions, "pageToken"> = {}): Promise<Experiment[]> {
    return await collect(
      (pageToken, left) =>
        this.searchExperiments({ ...opts, pageToken, maxResults: Math.min(left, ALL_PAGE_SIZE) }),
      opts.maxResults,
    );
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    await this.call("POST", "/experiments/update", { experiment_id: experimentId, new_name: newName }, empty);
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    await this.call("POST", "/experiments/delete", { experiment_id: experimentId }, empty);
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await this.call("POST", "/experiments/restore", { experiment_id: experimentId }, empty);
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    await this.call(
      "POST",
      "/experiments/set-experiment-tag",
      { experiment_id: experimentId, key, value },
      empty,
    );
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    await this.call(
      "POST",
      "/experiments/delete-experiment-tag",
      { experiment_id: experimentId, key },
      empty,
    );
  }

  // ---- Runs ----

  async createRun(opts: CreateRunOptions = {}): Promise<Run> {
    return await this.call("POST", "/runs/create", {
      experiment_id: opts.experimentId,
      user_id: opts.userId,
      run_name: opts.runName,
      start_time: opts.startTime,
      tags: opts.tags,
    }, fieldOf("run", runSchema));
  }

  async getRun(runId: string): Promise<Run> {
    return await this.call("GET", "/runs/get", { run_id: runId }, fieldOf("run", runSchema));
  }

  async updateRun(runId: string, opts: UpdateRunOptions): Promise<RunInfo> {
    return await this.call("POST", "/runs/update", {
      run_id: runId,
      run_uuid: runId,
      status: opts.status,
      end_time: opts.endTime,
      run_name: opts.runName,
    }, fieldOf("run_info", runInfoSchema));
  }

  async deleteRun(runId: string): Promise<void> {
    await this.call("POST", "/runs/delete", { run_id: runId }, empty);
  }

  async restoreRun(runId: string): Promise<void> {
    await this.call("POST", "/runs/restore", { run_id: runId }, empty);
  }

  async searchRuns(opts: SearchRunsOptions): Promise<Page<Run>> {
    return await this.call("POST", "/runs/search", {
      experiment_ids: opts.experimentIds,
      filter: opts.filter,
      run_view_type: opts.viewType,
      max_results: opts.maxResults,
      order_by: opts.orderBy,
      page_token: opts.pageToken,
    }, pageOf("runs", runSchema));
  }

  /** Every matching run, following page tokens (at most `maxResults` when given). */
  async searchAllRuns(opts: Omit<SearchRunsOptions, "pageToken">): Promise<Run[]> {
    return await collect(
      (pageToken, left) => this.searchRuns({ ...opts, pageToken, maxResults: Math.min(left, ALL_PAGE_SIZE) }),
      opts.maxResults,
    );
  }

  async logMetric(runId: string, metric: Metric): Promise<void> {
    await this.call(
      "POST",
      "/runs/log-metric",
      { run_id: runId, run_uuid: runId, ...metricToWire(metric) },
      empty,
    );
  }

  async logParam(runId: string, key: string, value: string): Promise<void> {
    await this.call("POST", "/runs/log-parameter", { run_id: runId, run_uuid: runId, key, value }, empty);
  }

  async setTag(runId: string, key: string, value: string): Promise<void> {
    await this.call("POST", "/runs/set-tag", { run_id: runId, run_uuid: runId, key, value }, empty);
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.call("POST", "/runs/delete-tag", { run_id: runId, key }, empty);
  }

  /** One log-batch request; the caller keeps it within MLflow's limits. */
  async logBatchRequest(runId: string, batch: Batch): Promise<void> {
    await this.call("POST", "/runs/log-batch", {
      run_id: runId,
      metrics: (batch.metrics ?? []).map(metricToWire),
      params: batch.params ?? [],
      tags: batch.tags ?? [],
    }, empty);
  }

  /** Any number of metrics, params and tags, sent as as many log-batch requests as MLflow's limits need. */
  async logBatch(runId: string, batch: Batch): Promise<void> {
    const chunks = chunkBatch({
      metrics: batch.metrics ?? [],
      params: batch.params ?? [],
      tags: batch.tags ?? [],
    });
    for (const chunk of chunks) await this.logBatchRequest(runId, chunk);
  }

  /** Records an MLmodel (as JSON) in the run's `mlflow.log-model.history` tag. */
  async logModel(runId: string, modelJson: string): Promise<void> {
    await this.call("POST", "/runs/log-model", { run_id: runId, model_json: modelJson }, empty);
  }

  async logInputs(
    runId: string,
    datasets: DatasetInput[],
    models: { modelId: string }[] = [],
  ): Promise<void> {
    await this.call("POST", "/runs/log-inputs", {
      run_id: runId,
      datasets: datasets.map((d) => ({
        tags: d.tags,
        dataset: {
          name: d.dataset.name,
          digest: d.dataset.digest,
          source_type: d.dataset.sourceType,
          source: d.dataset.source,
          schema: d.dataset.schema,
          profile: d.dataset.profile,
        },
      })),
      models: models.map((m) => ({ model_id: m.modelId })),
    }, empty);
  }

  async logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void> {
    await this.call("POST", "/runs/outputs", {
      run_id: runId,
      models: models.map((m) => ({ model_id: m.modelId, step: m.step })),
    }, empty);
  }

  // ---- Metric history ----

  async getMetricHistoryPage(
    runId: string,
    key: string,
    opts: { maxResults?: number; pageToken?: string } = {},
  ): Promise<Page<Metric>> {
    return await this.call("GET", "/metrics/get-history", {
      run_id: runId,
      run_uuid: runId,
      metric_key: key,
      max_results: opts.maxResults,
      page_token: opts.pageToken,
    }, pageOf("metrics", metricSchema));
  }

  /** The whole history of one metric, in pages of 25,000 like MLflow's client. */
  async getMetricHistory(runId: string, key: string): Promise<Metric[]> {
    return await collect((pageToken) =>
      this.getMetricHistoryPage(runId, key, { pageToken, maxResults: HISTORY_PAGE_SIZE })
    );
  }

  async getMetricHistoryBulkInterval(
    runIds: string[],
    key: string,
    opts: { startStep?: number; endStep?: number; maxResults?: number } = {},
  ): Promise<Metric[]> {
    return await this.call("GET", "/metrics/get-history-bulk-interval", {
      run_ids: runIds,
      metric_key: key,
      start_step: opts.startStep,
      end_step: opts.endStep,
      max_results: opts.maxResults,
    }, fieldOf("metrics", z.array(metricSchema).default([])));
  }

  /** The UI's bulk history (served only under /ajax-api). */
  async getMetricHistoryBulk(runIds: string[], key: string, maxResults?: number): Promise<Metric[]> {
    return await this.caller.call("GET", "/ajax-api/2.0/mlflow/metrics/get-history-bulk", {
      run_id: runIds,
      metric_key: key,
      max_results: maxResults,
    }, fieldOf("metrics", z.array(metricSchema).default([])));
  }

  // ---- Artifacts (tracking API) ----

  /** `artifacts/list`: the server lists the run's artifacts; paths are relative to the run root. */
  async listArtifacts(runId: string, path?: string): Promise<{ rootUri: string; files: FileInfo[] }> {
    return await this.call("GET", "/artifacts/list", { run_id: runId, path }, artifactListing);
  }

  // ---- Logged models (MLflow 3) ----

  async createLoggedModel(opts: {
    experimentId: string;
    name?: string;
    modelType?: string;
    sourceRunId?: string;
    params?: Tag[];
    tags?: Tag[];
  }): Promise<LoggedModel> {
    return await this.call("POST", "/logged-models", {
      experiment_id: opts.experimentId,
      name: opts.name,
      model_type: opts.modelType,
      source_run_id: opts.sourceRunId,
      params: opts.params,
      tags: opts.tags,
    }, fieldOf("model", loggedModelSchema));
  }

  async getLoggedModel(modelId: string, opts: { allowDeleted?: boolean } = {}): Promise<LoggedModel> {
    return await this.call(
      "GET",
      `/logged-models/${encodeURIComponent(modelId)}`,
      { allow_deleted: opts.allowDeleted },
      fieldOf("model", loggedModelSchema),
    );
  }

  async finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
    return await this.call(
      "PATCH",
      `/logged-models/${encodeURIComponent(modelId)}`,
      { model_id: modelId, status },
      fieldOf("model", loggedModelSchema),
    );
  }

  async deleteLoggedModel(modelId: string): Promise<void> {
    await this.call("DELETE", `/logged-models/${encodeURIComponent(modelId)}`, {}, empty);
  }

  async searchLoggedModels(opts: SearchLoggedModelsOptions): Promise<Page<LoggedModel>> {
    return await this.call("POST", "/logged-models/search", {
      experiment_ids: opts.experimentIds,
      filter: opts.filter,
      max_results: opts.maxResults,
      page_token: opts.pageToken,
      order_by: opts.orderBy?.map((o) => ({
        field_name: o.fieldName,
        ascending: o.ascending,
        dataset_name: o.datasetName,
        dataset_digest: o.datasetDigest,
      })),
      datasets: opts.datasets?.map((d) => ({ dataset_name: d.datasetName, dataset_digest: d.datasetDigest })),
    }, pageOf("models", loggedModelSchema));
  }

  async setLoggedModelTags(modelId: string, tags: Tag[]): Promise<void> {
    await this.call("PATCH", `/logged-models/${encodeURIComponent(modelId)}/tags`, { tags }, empty);
  }

  async deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    await this.call(
      "DELETE",
      `/logged-models/${encodeURIComponent(modelId)}/tags/${encodeURIComponent(key)}`,
      {},
      empty,
    );
  }

  async logLoggedModelParams(modelId: string, params: Tag[]): Promise<void> {
    for (let i = 0; i < params.length; i += 100) {
      await this.call(
        "POST",
        `/logged-models/${encodeURIComponent(modelId)}/params`,
        { params: params.slice(i, i + 100) },
        empty,
      );
    }
  }

  async listLoggedModelArtifacts(
    modelId: string,
    path?: string,
  ): Promise<{ rootUri: string; files: FileInfo[] }> {
    return await this.call(
      "GET",
      `/logged-models/${encodeURIComponent(modelId)}/artifacts/directories`,
      { artifact_directory_path: path },
      artifactListing,
    );
  }

  // ---- Server ----

  /** True when GET /health answers 200. */
  async health(): Promise<boolean> {
    const res = await this.caller.request("GET", this.transport.baseUrl + "/health");
    await res.body?.cancel();
    return res.ok;
  }

  /** The MLflow version the server reports. */
  async serverVersion(): Promise<string> {
    const res = await this.caller.request("GET", this.transport.baseUrl + "/version");
    return (await res.text()).trim();
  }
}

/** Follows page tokens until the last page, or until `limit` items are collected. */
async function collect<T>(
  page: (token: string | undefined, left: number) => Promise<Page<T>>,
  limit = Infinity,
): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const res = await page(token, limit - out.length);
    out.push(...res.items);
    token = res.nextPageToken;
  } while (token && out.length < limit);
  return out.length > limit ? out.slice(0, limit) : out;
}
