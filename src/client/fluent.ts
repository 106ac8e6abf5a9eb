// The fluent API, after MLflow's `mlflow.*` functions: a process-wide tracking URI, active experiment
// and stack of active runs (nested runs on top). Logging functions act on the innermost active run and
// start one when none is active, as MLflow's do.

import type { BatcherOptions } from "./batcher.ts";
import { TrackerClient } from "./client.ts";
import { contextTags, currentUser } from "./context.ts";
import { type EnvReader, envValue, readEnv } from "./env.ts";
import { isTrackerError, TrackerError } from "./errors.ts";
import { atExit, onInterrupt } from "./exit-hook.ts";
import type { LoggedModelInfo, LogModelOptions } from "./model/log-model.ts";
import type { ImageInput } from "./png.ts";
import { ActiveRun, type MetricOptions } from "./run.ts";
import type { Experiment, RunStatus, Tag } from "./types.ts";
import { stringValue } from "./validate.ts";

export const PARENT_RUN_ID_TAG = "mlflow.parentRunId";
export const RUN_NAME_TAG = "mlflow.runName";
export const NOTE_TAG = "mlflow.note.content";

interface FluentState {
  trackingUri?: string;
  client?: Promise<TrackerClient>;
  experimentId?: string;
  runs: ActiveRun[];
  runIdEnvUsed: boolean;
  batching: BatcherOptions;
  env: EnvReader;
  unregisterExit?: () => void;
  /** Set while runs are open: Ctrl-C / SIGTERM end them KILLED (see exit-hook.ts). */
  unregisterInterrupt?: () => void;
}

const state: FluentState = { runs: [], runIdEnvUsed: false, batching: {}, env: readEnv };

/** Sets the tracking URI for the fluent API: http(s) URL, or a folder / file: URI for local mode. */
export async function setTrackingUri(uri: string | undefined): Promise<void> {
  if (state.runs.length) {
    throw new TrackerError(
      "cannot change the tracking URI while a run is active; end it first",
      "INVALID_STATE",
    );
  }
  await closeClient();
  state.trackingUri = uri;
  state.experimentId = undefined;
}

/** The explicit URI, else MLFLOW_TRACKING_URI, else "" (local mode on ./mlruns). */
export function getTrackingUri(): string {
  return state.trackingUri ?? envValue("MLFLOW_TRACKING_URI", state.env) ?? "";
}

/** Tunes metric batching for runs started afterwards (batch size, buffer bound, flush interval). */
export function configureBatching(opts: BatcherOptions): void {
  state.batching = { ...opts };
}

/** The client the fluent API uses (connected on first use). */
export function getClient(): Promise<TrackerClient> {
  state.client ??= TrackerClient.connect({ trackingUri: state.trackingUri, env: state.env }).catch((e) => {
    state.client = undefined;
    throw e;
  });
  return state.client;
}

/** Ends every active run and releases the connection (in local mode: the store and its lock). */
export async function closeClient(): Promise<void> {
  while (state.runs.length) await endRun();
  const client = state.client;
  state.client = undefined;
  if (client) await (await client.catch(() => undefined))?.close();
}

export interface SetExperimentOptions {
  experimentName?: string;
  experimentId?: string;
  /** Used when the experiment is created. */
  artifactLocation?: string;
  tags?: Record<string, string>;
}

/**
 * Makes an experiment the active one, creating it by name if needed (like mlflow.set_experiment).
 * A string argument is the experiment name.
 */
export async function setExperiment(nameOrOptions: string | SetExperimentOptions): Promise<Experiment> {
  const opts = typeof nameOrOptions === "string" ? { experimentName: nameOrOptions } : nameOrOptions;
  if ((opts.experimentName === undefined) === (opts.experimentId === undefined)) {
    throw new TrackerError(
      "setExperiment needs exactly one of experimentName or experimentId",
      "INVALID_PARAMETER_VALUE",
    );
  }
  const client = await getClient();
  let exp: Experiment | undefined;
  if (opts.experimentId !== undefined) {
    exp = await client.getExperiment(opts.experimentId);
  } else {
    exp = await client.getExperimentByName(opts.experimentName!);
    if (!exp) {
      const tags = Object.entries(opts.tags ?? {}).map(([key, value]) => ({ key, value }));
      try {
        const id = await client.createExperiment(opts.experimentName!, {
          artifactLocation: opts.artifactLocation,
          tags,
        });
        exp = await client.getExperiment(id);
      } catch (e) {
        // Another process created it between our look-up and create.
        if (!isTrackerError(e, "RESOURCE_ALREADY_EXISTS")) throw e;
        exp = await client.getExperimentByName(opts.experimentName!);
        if (!exp) throw e;
      }
    }
  }
  if (exp.lifecycleStage === "deleted") {
    throw new TrackerError(
      `Cannot set a deleted experiment '${exp.name}' as the active experiment; restore it with ` +
        `\`tracker experiments restore --experiment-id ${exp.experimentId}\` or choose another name.`,
      "INVALID_PARAMETER_VALUE",
    );
  }
  state.experimentId = exp.experimentId;
  return exp;
}

export interface StartRunOptions {
  /** Resume this run instead of creating one (also MLFLOW_RUN_ID). */
  runId?: string;
  experimentId?: string;
  runName?: string;
  /** Start under the active run; required when a run is active. */
  nested?: boolean;
  /** Parent of the new run (must be the active run when one is active). */
  parentRunId?: string;
  tags?: Record<string, unknown>;
  /** Markdown description (tag mlflow.note.content). */
  description?: string;
}

/** Starts (or resumes) a run and makes it the active run. End it with endRun(), or use withRun(). */
export async function startRun(opts: StartRunOptions = {}): Promise<ActiveRun> {
  const top = state.runs.at(-1);
  if (top && !opts.nested) {
    throw new TrackerError(
      `Run with UUID ${state.runs[0].runId} is already active. End it with endRun() first, or start a ` +
        "nested run with {nested: true}.",
      "INVALID_STATE",
    );
  }
  const client = await getClient();
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.tags ?? {})) tags[k] = stringValue(v);
  if (opts.description) {
    if (NOTE_TAG in tags) {
      throw new TrackerError(
        `description is already set through the tag ${NOTE_TAG}`,
        "INVALID_PARAMETER_VALUE",
      );
    }
    tags[NOTE_TAG] = opts.description;
  }

  let resumeId = opts.runId;
  if (!resumeId && !state.runIdEnvUsed) {
    resumeId = envValue("MLFLOW_RUN_ID", state.env);
    // Used once, as MLflow removes it from the environment after the first start_run.
    state.runIdEnvUsed = true;
  }
  let run;
  if (resumeId) {
    run = await client.getRun(resumeId);
    if (run.info.lifecycleStage === "deleted") {
      throw new TrackerError(`Cannot resume run ${resumeId}: it is deleted`, "INVALID_PARAMETER_VALUE");
    }
    await client.updateRun(resumeId, { status: "RUNNING", runName: opts.runName });
    if (Object.keys(tags).length) await client.logBatch(resumeId, { tags: toTags(tags) });
    run = await client.getRun(resumeId);
  } else {
    let parent = opts.parentRunId;
    if (parent && top && parent !== top.runId) {
      throw new TrackerError(
        `parentRunId ${parent} is not the active run ${top.runId}; end the active run first`,
        "INVALID_PARAMETER_VALUE",
      );
    }
    parent ??= top?.runId;
    if (parent) tags[PARENT_RUN_ID_TAG] = parent;
    if (opts.runName) tags[RUN_NAME_TAG] = opts.runName;
    const experimentId = opts.experimentId ?? await activeExperimentId(client);
    run = await client.createRun({
      experimentId,
      userId: currentUser(state.env),
      runName: opts.runName,
      startTime: Date.now(),
      tags: toTags({ ...contextTags(state.env), ...tags }),
    });
  }
  const active = new ActiveRun(client, run, state.batching);
  state.runs.push(active);
  state.unregisterExit ??= atExit(endAllAtExit);
  state.unregisterInterrupt ??= onInterrupt(endAllOnInterrupt);
  return active;
}

/**
 * Runs `body` inside a run: the run ends FINISHED when body resolves and FAILED when it throws (the error
 * is rethrown). Runs the body started and left open are ended with it.
 */
export async function withRun<T>(body: (run: ActiveRun) => Promise<T> | T): Promise<T>;
export async function withRun<T>(opts: StartRunOptions, body: (run: ActiveRun) => Promise<T> | T): Promise<T>;
export async function withRun<T>(
  a: StartRunOptions | ((run: ActiveRun) => Promise<T> | T),
  b?: (run: ActiveRun) => Promise<T> | T,
): Promise<T> {
  const [opts, body] = typeof a === "function" ? [{}, a] : [a, b!];
  const run = await startRun(opts);
  let result: T;
  try {
    result = await body(run);
  } catch (e) {
    try {
      await endRunsDownTo(run, "FAILED");
    } catch (endError) {
      console.error(`tracker client: could not mark run ${run.runId} FAILED: ${(endError as Error).message}`);
    }
    throw e;
  }
  await endRunsDownTo(run, "FINISHED");
  return result;
}

/** Ends the innermost active run (flushing its metrics). No-op when no run is active. */
export async function endRun(status: RunStatus = "FINISHED"): Promise<void> {
  const run = state.runs.at(-1);
  if (run) await endRunsDownTo(run, status);
}

/** The innermost active run, if any. */
export function activeRun(): ActiveRun | undefined {
  return state.runs.at(-1);
}

async function endRunsDownTo(run: ActiveRun, status: RunStatus): Promise<void> {
  const at = state.runs.indexOf(run);
  if (at < 0) return void await run.end(status);
  const ending = state.runs.splice(at).reverse();
  let first: unknown;
  for (const r of ending) {
    try {
      await r.end(status);
    } catch (e) {
      first ??= e;
    }
  }
  if (state.runs.length === 0) {
    state.unregisterInterrupt?.();
    state.unregisterInterrupt = undefined;
    await releaseIfEmbedded();
  }
  if (first !== undefined) throw first;
}

/** In local mode without a server, the folder is released between runs so `tracker ui` can open it. */
async function releaseIfEmbedded(): Promise<void> {
  const client = await state.client?.catch(() => undefined);
  if (client?.embedded) {
    state.client = undefined;
    await client.close();
  }
}

/**
 * An interrupted program (Ctrl-C, SIGTERM) has its buffered metrics sent and its open runs ended KILLED,
 * MLflow's status for a run stopped by the user (what `mlflow run` sets when it cancels a run). The Python
 * client instead reports such a run FAILED (KeyboardInterrupt through `with start_run()`) or FINISHED (its
 * atexit hook), and leaves it RUNNING on SIGTERM.
 */
async function endAllOnInterrupt(): Promise<void> {
  state.unregisterInterrupt = undefined;
  let first: unknown;
  while (state.runs.length) {
    try {
      await endRun("KILLED");
    } catch (e) {
      first ??= e;
    }
  }
  await closeClient();
  if (first !== undefined) throw first;
}

async function endAllAtExit(): Promise<void> {
  state.unregisterExit = undefined;
  // Like MLflow's atexit hook: runs still open when the program ends are FINISHED.
  while (state.runs.length) await endRun("FINISHED");
  await closeClient();
}

async function activeExperimentId(client: TrackerClient): Promise<string> {
  if (state.experimentId) return state.experimentId;
  const name = envValue("MLFLOW_EXPERIMENT_NAME", state.env);
  const id = envValue("MLFLOW_EXPERIMENT_ID", state.env);
  if (name !== undefined) {
    const exp = await setExperiment(name);
    if (id !== undefined && id !== exp.experimentId) {
      throw new TrackerError(
        `MLFLOW_EXPERIMENT_ID=${id} does not match the id ${exp.experimentId} of MLFLOW_EXPERIMENT_NAME=${name}`,
        "INVALID_PARAMETER_VALUE",
      );
    }
    return exp.experimentId;
  }
  if (id !== undefined) {
    try {
      return (await client.getExperiment(id)).experimentId;
    } catch (e) {
      throw new TrackerError(
        `MLFLOW_EXPERIMENT_ID=${id} does not name an experiment on the tracking server (${
          (e as Error).message
        })`,
        "INVALID_PARAMETER_VALUE",
      );
    }
  }
  return "0";
}

function toTags(record: Record<string, string>): Tag[] {
  return Object.entries(record).map(([key, value]) => ({ key, value }));
}

/** The active run, or a new one (MLflow's logging functions start a run when none is active). */
async function current(): Promise<ActiveRun> {
  return state.runs.at(-1) ?? await startRun();
}

export async function logParam(key: string, value: unknown): Promise<void> {
  await (await current()).logParam(key, value);
}

export async function logParams(params: Record<string, unknown>): Promise<void> {
  await (await current()).logParams(params);
}

export async function logMetric(key: string, value: number, opts?: MetricOptions): Promise<void> {
  await (await current()).logMetric(key, value, opts);
}

export async function logMetrics(metrics: Record<string, number>, opts?: MetricOptions): Promise<void> {
  await (await current()).logMetrics(metrics, opts);
}

export async function setTag(key: string, value: unknown): Promise<void> {
  await (await current()).setTag(key, value);
}

export async function setTags(tags: Record<string, unknown>): Promise<void> {
  await (await current()).setTags(tags);
}

export async function logArtifact(localFile: string, artifactPath?: string): Promise<void> {
  await (await current()).logArtifact(localFile, artifactPath);
}

export async function logArtifacts(localDir: string, artifactPath?: string): Promise<void> {
  await (await current()).logArtifacts(localDir, artifactPath);
}

export async function logText(text: string, artifactFile: string): Promise<void> {
  await (await current()).logText(text, artifactFile);
}

export async function logDict(value: unknown, artifactFile: string): Promise<void> {
  await (await current()).logDict(value, artifactFile);
}

export async function logImage(image: ImageInput, artifactFile: string): Promise<void> {
  await (await current()).logImage(image, artifactFile);
}

export async function logModel(opts: LogModelOptions): Promise<LoggedModelInfo> {
  return await (await current()).logModel(opts);
}

/** Sends the active run's buffered metric points now. */
export async function flush(): Promise<void> {
  for (const run of state.runs) await run.flush();
}

/** For tests: replace the environment the fluent API reads, and forget everything. */
export async function resetFluentState(env: EnvReader = readEnv): Promise<void> {
  await closeClient().catch(() => {});
  state.unregisterExit?.();
  state.unregisterInterrupt?.();
  Object.assign(state, {
    trackingUri: undefined,
    client: undefined,
    experimentId: undefined,
    runs: [],
    runIdEnvUsed: false,
    batching: {},
    env,
    unregisterExit: undefined,
    unregisterInterrupt: undefined,
  });
}
