// The meta.yaml documents of a FileStore as typed values, and back. Reading accepts what every MLflow
// version wrote (int experiment ids, run_uuid without run_id, missing lifecycle_stage/status, extra keys);
// writing emits what MLflow 2.x and 3.x readers both need (run_id and run_uuid, status as an integer).

import { z } from "zod";
import type { Dataset, Experiment, LifecycleStage, RunInfo, RunStatus } from "../../store/types.ts";
import { RUN_STATUS_NUMBERS } from "../../store/types.ts";

// Field schemas and the checked read, shared with model-meta.ts.

/** Ids and names PyYAML may have typed as numbers (unquoted in old files) become strings again. */
export const text = z.union([z.string(), z.number(), z.bigint()]).transform((v) => String(v));
export const optText = z.union([text, z.null()]).optional().transform((v) => v ?? undefined);
export const millis = z.union([z.number(), z.bigint(), z.null()]).optional()
  .transform((v) => (v === null || v === undefined ? undefined : Number(v)));
export const stage = z.union([z.enum(["active", "deleted"]), z.null()]).optional()
  .transform((v): LifecycleStage => v ?? "active");

/**
 * A status MLflow writes as its enum number (or by name): `absent` when missing, an issue naming `what`
 * when unknown. `byName` reads a name (default: exactly one of `numbers`' keys).
 */
export function statusField<S extends string>(
  what: string,
  numbers: Record<S, number>,
  absent: S,
  byName: (v: string) => S | undefined = (v) => (v in numbers ? v as S : undefined),
) {
  const byNumber = new Map(Object.entries(numbers).map(([k, v]) => [v as number, k as S]));
  return z.union([z.number(), z.string(), z.null()]).optional().transform((v, ctx): S => {
    if (v === null || v === undefined) return absent;
    const s = typeof v === "number" ? byNumber.get(v) : byName(v);
    if (!s) {
      ctx.addIssue({ code: "custom", message: `unknown ${what} ${v}` });
      return z.NEVER;
    }
    return s;
  });
}

const status = statusField("run status", RUN_STATUS_NUMBERS, "RUNNING");

const experimentSchema = z.object({
  experiment_id: text,
  name: text,
  artifact_location: optText,
  lifecycle_stage: stage,
  creation_time: millis,
  last_update_time: millis,
});

export interface ExperimentMeta {
  experimentId: string;
  name: string;
  artifactLocation?: string;
  lifecycleStage: LifecycleStage;
  creationTime?: number;
  lastUpdateTime?: number;
}

export class MetaError extends Error {}

/** The document as the schema reads it; MetaError naming `what` and the first problem otherwise. */
export function check<T>(schema: z.ZodType<T>, data: unknown, what: string): T {
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new MetaError(`${what}: not a YAML mapping`);
  }
  const r = schema.safeParse(data);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new MetaError(`${what}: ${first.path.join(".") || "document"}: ${first.message}`);
  }
  return r.data;
}

export function readExperimentMeta(data: unknown): ExperimentMeta {
  const m = check(experimentSchema, data, "experiment meta.yaml");
  return {
    experimentId: m.experiment_id,
    name: m.name,
    artifactLocation: m.artifact_location,
    lifecycleStage: m.lifecycle_stage,
    creationTime: m.creation_time,
    lastUpdateTime: m.last_update_time,
  };
}

const runSchema = z.object({
  run_id: optText,
  run_uuid: optText,
  experiment_id: text,
  run_name: optText,
  // MLflow before 1.x kept the run name here.
  name: optText,
  user_id: optText,
  status,
  start_time: millis,
  end_time: millis,
  deleted_time: millis,
  lifecycle_stage: stage,
  artifact_uri: optText,
});

export interface RunMeta {
  runId: string;
  experimentId: string;
  runName: string;
  userId: string;
  status: RunStatus;
  startTime: number;
  endTime?: number;
  deletedTime?: number;
  lifecycleStage: LifecycleStage;
  artifactUri?: string;
}

export function readRunMeta(data: unknown): RunMeta {
  const m = check(runSchema, data, "run meta.yaml");
  const runId = m.run_id ?? m.run_uuid;
  if (!runId) throw new MetaError("run meta.yaml: neither run_id nor run_uuid is set");
  return {
    runId,
    experimentId: m.experiment_id,
    runName: m.run_name ?? m.name ?? "",
    userId: m.user_id ?? "",
    status: m.status,
    startTime: m.start_time ?? 0,
    endTime: m.end_time,
    deletedTime: m.deleted_time,
    lifecycleStage: m.lifecycle_stage,
    artifactUri: m.artifact_uri,
  };
}

const datasetSchema = z.object({
  name: text,
  digest: text,
  source_type: text,
  source: text,
  schema: optText,
  profile: optText,
});

export function readDatasetMeta(data: unknown): Dataset {
  const m = check(datasetSchema, data, "dataset meta.yaml");
  const d: Dataset = { name: m.name, digest: m.digest, sourceType: m.source_type, source: m.source };
  if (m.schema !== undefined) d.schema = m.schema;
  if (m.profile !== undefined) d.profile = m.profile;
  return d;
}

const tagMap = z.union([z.record(z.string(), z.union([text, z.null()])), z.null()]).optional()
  .transform((v) => Object.entries(v ?? {}).map(([key, value]) => ({ key, value: value ?? "" })));

const inputSchema = z.object({
  source_type: z.enum(["DATASET", "MODEL", "RUN_INPUT", "RUN"]).or(z.string()),
  source_id: text,
  tags: tagMap,
});

export interface InputMeta {
  sourceType: string;
  sourceId: string;
  tags: { key: string; value: string }[];
}

export function readInputMeta(data: unknown): InputMeta {
  const m = check(inputSchema, data, "input meta.yaml");
  return { sourceType: m.source_type, sourceId: m.source_id, tags: m.tags };
}

const outputSchema = z.object({
  source_id: text,
  destination_id: optText,
  destination_type: optText,
  step: z.union([z.number(), z.bigint(), z.null()]).optional().transform((v) => Number(v ?? 0)),
});

export interface OutputMeta {
  modelId: string;
  step: number;
}

export function readOutputMeta(data: unknown): OutputMeta {
  const m = check(outputSchema, data, "output meta.yaml");
  // MLflow writes the model id into both source_id and destination_id.
  return { modelId: m.destination_id ?? m.source_id, step: m.step };
}

// ---- writing

export function experimentMetaDoc(e: Omit<Experiment, "tags">): Record<string, unknown> {
  return {
    artifact_location: e.artifactLocation,
    creation_time: e.creationTime,
    experiment_id: e.experimentId,
    last_update_time: e.lastUpdateTime,
    lifecycle_stage: e.lifecycleStage,
    name: e.name,
  };
}

export function runMetaDoc(r: RunInfo): Record<string, unknown> {
  return {
    artifact_uri: r.artifactUri,
    deleted_time: r.lifecycleStage === "deleted" ? (r.deletedTime ?? null) : null,
    end_time: r.endTime ?? null,
    entry_point_name: "",
    experiment_id: r.experimentId,
    lifecycle_stage: r.lifecycleStage,
    run_id: r.runId,
    run_name: r.runName,
    // 2.x readers build RunInfo from run_uuid; 3.x ignores it.
    run_uuid: r.runId,
    source_name: "",
    source_type: 4,
    source_version: "",
    start_time: r.startTime,
    status: RUN_STATUS_NUMBERS[r.status],
    tags: [],
    user_id: r.userId,
  };
}

export function datasetMetaDoc(d: Dataset): Record<string, unknown> {
  return {
    digest: d.digest,
    name: d.name,
    profile: d.profile ?? null,
    schema: d.schema ?? null,
    source: d.source,
    source_type: d.sourceType,
  };
}

export function inputMetaDoc(
  kind: "DATASET" | "MODEL",
  sourceId: string,
  tags: { key: string; value: string }[],
): Record<string, unknown> {
  return {
    destination_id: sourceId,
    destination_type: "RUN",
    source_id: sourceId,
    source_type: kind,
    tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
  };
}

export function outputMetaDoc(modelId: string, step: number): Record<string, unknown> {
  return {
    destination_id: modelId,
    destination_type: "MODEL_OUTPUT",
    source_id: modelId,
    source_type: "RUN_OUTPUT",
    step,
    tags: {},
  };
}
