// MLflow's JSON dialect at the client's edge: zod schemas for answers (snake_case, enums by name or number,
// int64 as numbers or strings, doubles as numbers or "NaN"/"Infinity" strings) mapped to the camelCase
// entities, and request encoding that keeps non-finite doubles (JSON.stringify would write null).

import { z } from "zod";
import type {
  Experiment,
  FileInfo,
  LoggedModel,
  LoggedModelStatus,
  Metric,
  Run,
  RunInfo,
  RunStatus,
} from "./types.ts";

/** JSON text of a request body; NaN and ±Infinity become MLflow's strings. */
export function encodeBody(body: unknown): string {
  return JSON.stringify(body, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}

const int64 = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number);

const double = z.union([z.number(), z.string()]).transform((v, ctx) => {
  if (typeof v === "number") return v;
  const s = v.trim().toLowerCase();
  if (s === "nan") return NaN;
  if (s === "infinity" || s === "inf" || s === "+infinity") return Infinity;
  if (s === "-infinity" || s === "-inf") return -Infinity;
  const n = Number(v);
  if (v.trim() === "" || Number.isNaN(n)) {
    ctx.addIssue({ code: "custom", message: `not a number: ${v}` });
    return z.NEVER;
  }
  return n;
});

/** An enum by name, or by number where `names[0]` has number `first`. */
function enumOf<T extends string>(names: readonly T[], first: number) {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    const name = typeof v === "number" ? names[v - first] : (v as T);
    if (name === undefined || !names.includes(name)) {
      ctx.addIssue({ code: "custom", message: `unknown enum value ${v}` });
      return z.NEVER;
    }
    return name;
  });
}

const runStatus = enumOf<RunStatus>(["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"], 1);
const LOGGED_MODEL_STATUS: LoggedModelStatus[] = [
  "LOGGED_MODEL_STATUS_UNSPECIFIED",
  "LOGGED_MODEL_PENDING",
  "LOGGED_MODEL_READY",
  "LOGGED_MODEL_UPLOAD_FAILED",
];

const tag = z.object({ key: z.string(), value: z.string().default("") });
const tags = z.array(tag).default([]);

export const experimentSchema = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string().default(""),
  lifecycle_stage: z.enum(["active", "deleted"]).default("active"),
  creation_time: int64.optional(),
  last_update_time: int64.optional(),
  tags,
}).transform((e): Experiment => ({
  experimentId: e.experiment_id,
  name: e.name,
  artifactLocation: e.artifact_location,
  lifecycleStage: e.lifecycle_stage,
  creationTime: e.creation_time,
  lastUpdateTime: e.last_update_time,
  tags: e.tags,
}));

export const runInfoSchema = z.object({
  run_id: z.string().optional(),
  run_uuid: z.string().optional(),
  run_name: z.string().default(""),
  experiment_id: z.string(),
  user_id: z.string().default(""),
  status: runStatus.default("RUNNING"),
  start_time: int64.optional(),
  end_time: int64.optional(),
  artifact_uri: z.string().default(""),
  lifecycle_stage: z.enum(["active", "deleted"]).default("active"),
}).transform((i): RunInfo => ({
  runId: i.run_id ?? i.run_uuid ?? "",
  runName: i.run_name,
  experimentId: i.experiment_id,
  userId: i.user_id,
  status: i.status,
  startTime: i.start_time,
  endTime: i.end_time,
  artifactUri: i.artifact_uri,
  lifecycleStage: i.lifecycle_stage,
}));

export const metricSchema = z.object({
  key: z.string(),
  value: double,
  timestamp: int64.default(0),
  step: int64.default(0),
  dataset_name: z.string().optional(),
  dataset_digest: z.string().optional(),
  model_id: z.string().optional(),
  run_id: z.string().optional(),
}).transform((m): Metric => {
  const out: Metric = { key: m.key, value: m.value, timestamp: m.timestamp, step: m.step };
  if (m.dataset_name !== undefined) out.datasetName = m.dataset_name;
  if (m.dataset_digest !== undefined) out.datasetDigest = m.dataset_digest;
  if (m.model_id !== undefined) out.modelId = m.model_id;
  if (m.run_id !== undefined) out.runId = m.run_id;
  return out;
});

const datasetInput = z.object({
  tags,
  dataset: z.object({
    name: z.string(),
    digest: z.string(),
    source_type: z.string().default(""),
    source: z.string().default(""),
    schema: z.string().optional(),
    profile: z.string().optional(),
  }),
});

export const runSchema = z.object({
  info: runInfoSchema,
  data: z.object({ metrics: z.array(metricSchema).default([]), params: tags, tags }).default({
    metrics: [],
    params: [],
    tags: [],
  }),
  inputs: z.object({
    dataset_inputs: z.array(datasetInput).default([]),
    model_inputs: z.array(z.object({ model_id: z.string() })).default([]),
  }).default({ dataset_inputs: [], model_inputs: [] }),
  outputs: z.object({
    model_outputs: z.array(z.object({ model_id: z.string(), step: int64.default(0) })).default([]),
  }).default({ model_outputs: [] }),
}).transform((r): Run => ({
  info: r.info,
  data: r.data,
  inputs: {
    datasetInputs: r.inputs.dataset_inputs.map((d) => ({
      tags: d.tags,
      dataset: {
        name: d.dataset.name,
        digest: d.dataset.digest,
        sourceType: d.dataset.source_type,
        source: d.dataset.source,
        ...(d.dataset.schema !== undefined ? { schema: d.dataset.schema } : {}),
        ...(d.dataset.profile !== undefined ? { profile: d.dataset.profile } : {}),
      },
    })),
    modelInputs: r.inputs.model_inputs.map((m) => ({ modelId: m.model_id })),
  },
  outputs: { modelOutputs: r.outputs.model_outputs.map((m) => ({ modelId: m.model_id, step: m.step })) },
}));

export const fileInfoSchema = z.object({
  path: z.string(),
  is_dir: z.boolean().default(false),
  file_size: int64.optional(),
}).transform((
  f,
): FileInfo => (f.file_size === undefined
  ? { path: f.path, isDir: f.is_dir }
  : { path: f.path, isDir: f.is_dir, fileSize: f.file_size })
);

export const loggedModelSchema = z.object({
  info: z.object({
    model_id: z.string(),
    experiment_id: z.string(),
    name: z.string().default(""),
    artifact_uri: z.string().default(""),
    status: enumOf(LOGGED_MODEL_STATUS, 0).default("LOGGED_MODEL_STATUS_UNSPECIFIED"),
    creation_timestamp_ms: int64.optional(),
    last_updated_timestamp_ms: int64.optional(),
    model_type: z.string().optional(),
    source_run_id: z.string().optional(),
    status_message: z.string().optional(),
    tags,
  }),
  data: z.object({ params: tags, metrics: z.array(metricSchema).default([]) }).default({
    params: [],
    metrics: [],
  }),
}).transform((m): LoggedModel => ({
  info: {
    modelId: m.info.model_id,
    experimentId: m.info.experiment_id,
    name: m.info.name,
    artifactUri: m.info.artifact_uri,
    status: m.info.status,
    creationTimestampMs: m.info.creation_timestamp_ms,
    lastUpdatedTimestampMs: m.info.last_updated_timestamp_ms,
    modelType: m.info.model_type,
    sourceRunId: m.info.source_run_id,
    statusMessage: m.info.status_message,
    tags: m.info.tags,
  },
  data: m.data,
}));

/** A metric as log-metric / log-batch send it. */
export function metricToWire(m: Metric): Record<string, unknown> {
  const out: Record<string, unknown> = { key: m.key, value: m.value, timestamp: m.timestamp, step: m.step };
  if (m.datasetName !== undefined) out.dataset_name = m.datasetName;
  if (m.datasetDigest !== undefined) out.dataset_digest = m.datasetDigest;
  if (m.modelId !== undefined) out.model_id = m.modelId;
  return out;
}
