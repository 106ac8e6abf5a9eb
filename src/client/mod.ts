// tracker's TypeScript client, for Deno and Node (18+, anything with fetch).
//
//   import * as tracker from "./src/client/mod.ts";          // or dist/client/tracker-client.mjs in Node
//   await tracker.setExperiment("demo");
//   await tracker.withRun({ runName: "first" }, async (run) => {
//     await run.logParams({ lr: 0.01 });
//     for (let step = 0; step < 100; step++) await run.logMetric("loss", 1 / (step + 1), { step });
//   });
//
// Fluent functions (setTrackingUri, setExperiment, startRun/withRun, log*, endRun) follow `mlflow.*`;
// TrackerClient is the low-level client with one method per REST endpoint plus artifact helpers.
// Local mode (no tracking URI: write into ./mlruns) works in Deno only.

export {
  activeRun,
  closeClient,
  configureBatching,
  endRun,
  flush,
  getClient,
  getTrackingUri,
  logArtifact,
  logArtifacts,
  logDict,
  logImage,
  logMetric,
  logMetrics,
  logModel,
  logParam,
  logParams,
  logText,
  setExperiment,
  type SetExperimentOptions,
  setTag,
  setTags,
  setTrackingUri,
  startRun,
  type StartRunOptions,
  withRun,
} from "./fluent.ts";
export { ActiveRun, type MetricOptions } from "./run.ts";
export { type ConnectOptions, TrackerClient } from "./client.ts";
export {
  type Batch,
  type CreateRunOptions,
  RestClient,
  type SearchExperimentsOptions,
  type SearchLoggedModelsOptions,
  type SearchRunsOptions,
  type UpdateRunOptions,
} from "./rest.ts";
export { isTrackerError, TrackerError } from "./errors.ts";
export { type BatcherOptions, MetricBatcher } from "./batcher.ts";
export { type RetryPolicy } from "./retry.ts";
export { HttpTransport, type Transport } from "./transport.ts";
export { encodePng, type ImageInput, type PixelImage } from "./png.ts";
export type { LoggedModelInfo, LogJsModel, LogModelOptions, LogOnnxModel } from "./model/log-model.ts";
export type { ModelSignature } from "./model/mlmodel.ts";
export type * from "./types.ts";
