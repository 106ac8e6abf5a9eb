// A run being logged to: params and tags go out at once, metrics through the batcher, artifacts through
// the run's artifact repository. end() flushes the metrics and sets the final status.

import { type BatcherOptions, MetricBatcher } from "./batcher.ts";
import type { TrackerClient } from "./client.ts";
import { contextTags } from "./context.ts";
import { isTrackerError, TrackerError } from "./errors.ts";
import type { ArtifactRepo } from "./artifacts/repo.ts";
import * as ops from "./artifacts/ops.ts";
import { cleanArtifactPath } from "./artifacts/paths.ts";
import { type LoggedModelInfo, logModel, type LogModelOptions } from "./model/log-model.ts";
import { encodePng, type ImageInput } from "./png.ts";
import type { FileInfo, Metric, Run, RunInfo, RunStatus } from "./types.ts";
import { checkKeyValue, checkMetric } from "./validate.ts";
import { toYaml } from "./yaml.ts";

export interface MetricOptions {
  step?: number;
  /** ms since the epoch; default now. */
  timestamp?: number;
  datasetName?: string;
  datasetDigest?: string;
  modelId?: string;
}

export class ActiveRun {
  readonly runId: string;
  info: RunInfo;
  private readonly batcher: MetricBatcher;
  private repo?: ArtifactRepo;
  private ended?: Promise<void>;

  constructor(readonly client: TrackerClient, run: Run, batching: BatcherOptions = {}) {
    this.runId = run.info.runId;
    this.info = run.info;
    this.batcher = new MetricBatcher(
      (metrics) => client.logBatchRequest(this.runId, { metrics }),
      batching,
    );
  }

  get isEnded(): boolean {
    return this.ended !== undefined;
  }

  /** Metric points accepted and not yet sent. */
  get pendingMetrics(): number {
    return this.batcher.pending;
  }

  async logParam(key: string, value: unknown): Promise<void> {
    this.assertOpen();
    const p = checkKeyValue("param", key, value);
    await this.client.logParam(this.runId, p.key, p.value);
  }

  async logParams(params: Record<string, unknown>): Promise<void> {
    this.assertOpen();
    const list = Object.entries(params).map(([k, v]) => checkKeyValue("param", k, v));
    await this.client.logBatch(this.runId, { params: list });
  }

  /**
   * Accepts a point for batched sending. Resolves as soon as the point is buffered (at once unless the
   * buffer is full); an accepted point is sent by the next flush, endRun or process exit.
   */
  logMetric(key: string, value: number, opts: MetricOptions = {}): Promise<void> {
    return this.accept(() => [checkMetric({ key, value, ...opts }, Date.now())]);
  }

  logMetrics(metrics: Record<string, number>, opts: MetricOptions = {}): Promise<void> {
    const now = Date.now();
    return this.accept(() =>
      Object.entries(metrics).map(([key, value]) => checkMetric({ key, value, ...opts }, now))
    );
  }

  /** Not an async function, so that buffering happens synchronously; errors still come as rejections. */
  private accept(points: () => Metric[]): Promise<void> {
    try {
      this.assertOpen();
      return this.batcher.add(points());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  async setTag(key: string, value: unknown): Promise<void> {
    this.assertOpen();
    const t = checkKeyValue("tag", key, value);
    await this.client.setTag(this.runId, t.key, t.value);
  }

  async setTags(tags: Record<string, unknown>): Promise<void> {
    this.assertOpen();
    await this.client.logBatch(this.runId, {
      tags: Object.entries(tags).map(([k, v]) => checkKeyValue("tag", k, v)),
    });
  }

  async deleteTag(key: string): Promise<void> {
    await this.client.deleteTag(this.runId, key);
  }

  async logArtifact(localFile: string, artifactPath?: string): Promise<void> {
    await ops.logArtifact(this.artifacts(), localFile, artifactPath);
  }

  async logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
    await ops.logArtifacts(this.artifacts(), localDir, artifactPath);
  }

  /** Writes `text` (UTF-8) as the artifact file `artifactFile`, e.g. "notes/readme.md". */
  async logText(text: string, artifactFile: string): Promise<void> {
    await this.artifacts().uploadBytes(new TextEncoder().encode(text), fileName(artifactFile));
  }

  /** Writes a JSON-able value as JSON, or as YAML when artifactFile ends in .yaml/.yml. */
  async logDict(value: unknown, artifactFile: string): Promise<void> {
    const yaml = /\.ya?ml$/i.test(artifactFile);
    const text = yaml ? toYaml(value, { sortKeys: false }) : JSON.stringify(value, null, 2);
    await this.logText(text, artifactFile);
  }

  /** Encodes pixel data as PNG and stores it as `artifactFile` (e.g. "plots/confusion.png"). */
  async logImage(image: ImageInput, artifactFile: string): Promise<void> {
    await this.artifacts().uploadBytes(encodePng(image), fileName(artifactFile));
  }

  /**
   * Logs an ONNX file or a JS predict module as an MLflow model: an MLflow 3 logged model of this run when
   * the server has them, else a model folder in the run's artifacts (see model/log-model.ts).
   */
  async logModel(opts: LogModelOptions): Promise<LoggedModelInfo> {
    this.assertOpen();
    const client = this.client;
    return await logModel({
      runId: this.runId,
      repo: this.artifacts(),
      record: (json) => client.logModel(this.runId, json),
      models: {
        create: async ({ name, modelType, tags }) => {
          // Like mlflow, the model carries the run's params and the context tags.
          const params = (await client.getRun(this.runId)).data.params;
          try {
            const m = await client.createLoggedModel({
              experimentId: this.info.experimentId,
              name,
              modelType,
              sourceRunId: this.runId,
              params,
              tags: Object.entries({ ...contextTags(), ...tags }).map(([key, value]) => ({ key, value })),
            });
            return { modelId: m.info.modelId, artifactUri: m.info.artifactUri };
          } catch (e) {
            if (isTrackerError(e, "ENDPOINT_NOT_FOUND") || isTrackerError(e, "NOT_IMPLEMENTED")) return null;
            throw e;
          }
        },
        repo: (uri) => client.artifactRepo(uri),
        linkToRun: (modelId, step) => client.logOutputs(this.runId, [{ modelId, step }]),
        finalize: async (modelId, status) => {
          await client.finalizeLoggedModel(modelId, status);
        },
      },
    }, opts);
  }

  async listArtifacts(path?: string): Promise<FileInfo[]> {
    return await ops.listArtifacts(this.artifacts(), path);
  }

  async downloadArtifacts(path: string | undefined, dstDir: string): Promise<string> {
    return await ops.downloadArtifacts(this.artifacts(), path, dstDir);
  }

  /** Sends every accepted metric point now. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /**
   * Flushes the metrics and sets the final status and end time. The status is set even when the flush
   * fails (the flush error is rethrown afterwards); calling end() again returns the same promise.
   */
  end(status: RunStatus = "FINISHED"): Promise<void> {
    this.ended ??= (async () => {
      let flushError: unknown;
      try {
        await this.batcher.flush();
      } catch (e) {
        flushError = e;
      } finally {
        this.batcher.dispose();
      }
      this.info = await this.client.updateRun(this.runId, { status, endTime: Date.now() });
      if (flushError !== undefined) {
        const lost = this.batcher.pending;
        throw new TrackerError(
          `run ${this.runId} ended, but ${lost} metric point(s) could not be sent: ${
            (flushError as Error).message
          }`,
          (flushError as TrackerError).errorCode ?? "INTERNAL_ERROR",
          (flushError as TrackerError).httpStatus,
        );
      }
    })();
    return this.ended;
  }

  private artifacts(): ArtifactRepo {
    this.repo ??= this.client.artifactRepo(this.info.artifactUri);
    return this.repo;
  }

  private assertOpen(): void {
    if (this.ended) {
      throw new TrackerError(`run ${this.runId} has ended; start a new run to log more`, "INVALID_STATE");
    }
  }
}

function fileName(artifactFile: string): string {
  const clean = cleanArtifactPath(artifactFile);
  if (clean === "") throw new TrackerError("artifactFile must name a file", "INVALID_PARAMETER_VALUE");
  return clean;
}
