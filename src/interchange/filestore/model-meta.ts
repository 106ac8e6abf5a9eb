// The meta.yaml documents of MLflow 3 logged models (`<exp>/models/<model_id>/meta.yaml`) and of the
// FileStore model registry (`models/<name>/meta.yaml`, `models/<name>/version-<n>/meta.yaml`), as typed
// values and back. Reading accepts what MLflow 2.x and 3.x wrote (missing keys, null fields, numbers where
// strings are meant); writing emits the keys MLflow 3.18 writes, which 2.x readers filter down to theirs.

import { z } from "zod";
import {
  LOGGED_MODEL_STATUS_NUMBERS,
  type LoggedModel,
  type LoggedModelStatus,
  MODEL_STAGES,
  type ModelStage,
} from "../../store/model-types.ts";
import type { LifecycleStage } from "../../store/types.ts";
import { check, MetaError, millis, optText, stage, statusField, text } from "./meta.ts";

/** MLflow's stage of a deleted model version: the folder stays so the number is never issued again. */
export const STAGE_DELETED_INTERNAL = "Deleted_Internal";

// ---- logged models

/** `LOGGED_MODEL_READY` or MLflow's short `READY`. */
function statusByName(v: string): LoggedModelStatus | undefined {
  for (const name of [v, `LOGGED_MODEL_${v}`]) {
    if (name in LOGGED_MODEL_STATUS_NUMBERS) return name as LoggedModelStatus;
  }
  return undefined;
}

// MLflow's entity defaults to READY when the file has no status.
const loggedModelStatus = statusField(
  "logged model status",
  LOGGED_MODEL_STATUS_NUMBERS,
  "LOGGED_MODEL_READY",
  statusByName,
);

const loggedModelSchema = z.object({
  model_id: text,
  experiment_id: text,
  name: text,
  artifact_location: optText,
  creation_timestamp: millis,
  last_updated_timestamp: millis,
  status: loggedModelStatus,
  status_message: optText,
  model_type: optText,
  source_run_id: optText,
  // Absent after finalize (MLflow rewrites the file without it): active.
  lifecycle_stage: stage,
});

export interface LoggedModelMeta {
  modelId: string;
  experimentId: string;
  name: string;
  artifactLocation?: string;
  creationTimestamp?: number;
  lastUpdatedTimestamp?: number;
  status: LoggedModelStatus;
  statusMessage?: string;
  modelType?: string;
  sourceRunId?: string;
  lifecycleStage: LifecycleStage;
}

export function readLoggedModelMeta(data: unknown): LoggedModelMeta {
  const m = check(loggedModelSchema, data, "logged model meta.yaml");
  return {
    modelId: m.model_id,
    experimentId: m.experiment_id,
    name: m.name,
    artifactLocation: m.artifact_location,
    creationTimestamp: m.creation_timestamp,
    lastUpdatedTimestamp: m.last_updated_timestamp,
    status: m.status,
    statusMessage: m.status_message,
    modelType: m.model_type,
    sourceRunId: m.source_run_id,
    lifecycleStage: m.lifecycle_stage,
  };
}

export function loggedModelMetaDoc(
  m: Omit<LoggedModel, "tags" | "params" | "metrics">,
): Record<string, unknown> {
  return {
    artifact_location: m.artifactUri,
    creation_timestamp: m.creationTimestamp,
    experiment_id: m.experimentId,
    last_updated_timestamp: m.lastUpdatedTimestamp,
    lifecycle_stage: m.lifecycleStage,
    model_id: m.modelId,
    model_type: m.modelType ?? null,
    name: m.name,
    source_run_id: m.sourceRunId ?? null,
    status: LOGGED_MODEL_STATUS_NUMBERS[m.status],
    status_message: m.statusMessage ?? null,
  };
}

// ---- registry

const registeredModelSchema = z.object({
  name: text,
  creation_timestamp: millis,
  last_updated_timestamp: millis,
  description: optText,
  user_id: optText,
});

export interface RegisteredModelMeta {
  name: string;
  creationTimestamp?: number;
  lastUpdatedTimestamp?: number;
  description?: string;
  userId?: string;
}

export function readRegisteredModelMeta(data: unknown): RegisteredModelMeta {
  const m = check(registeredModelSchema, data, "registered model meta.yaml");
  return {
    name: m.name,
    creationTimestamp: m.creation_timestamp,
    lastUpdatedTimestamp: m.last_updated_timestamp,
    description: m.description,
    userId: m.user_id,
  };
}

export function registeredModelMetaDoc(m: {
  name: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  description?: string;
  userId?: string;
  aliases: { alias: string; version: string }[];
}): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    // MLflow reads aliases from the aliases/ folder; it also keeps this copy in the file.
    aliases: Object.fromEntries(m.aliases.map((a) => [a.alias, a.version])),
    creation_timestamp: m.creationTimestamp,
    deployment_job_id: null,
    deployment_job_state: null,
    description: m.description ?? null,
    last_updated_timestamp: m.lastUpdatedTimestamp,
    name: m.name,
  };
  if (m.userId !== undefined) doc.user_id = m.userId;
  return doc;
}

const stageByLower = new Map<string, ModelStage>(MODEL_STAGES.map((s) => [s.toLowerCase(), s]));

const modelVersionSchema = z.object({
  name: text,
  version: z.union([z.number(), z.string()]).transform((v, ctx) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < 1) {
      ctx.addIssue({ code: "custom", message: `not a version number: ${v}` });
      return z.NEVER;
    }
    return n;
  }),
  creation_timestamp: millis,
  last_updated_timestamp: millis,
  current_stage: optText,
  description: optText,
  source: optText,
  storage_location: optText,
  run_id: optText,
  run_link: optText,
  user_id: optText,
  status: optText,
  status_message: optText,
  model_id: optText,
});

export interface ModelVersionMeta {
  name: string;
  version: number;
  creationTimestamp?: number;
  lastUpdatedTimestamp?: number;
  /** undefined when MLflow marked the version deleted (Deleted_Internal). */
  stage?: ModelStage;
  description?: string;
  source: string;
  storageLocation?: string;
  runId?: string;
  runLink?: string;
  userId?: string;
  status: "PENDING_REGISTRATION" | "FAILED_REGISTRATION" | "READY";
  statusMessage?: string;
  modelId?: string;
}

export function readModelVersionMeta(data: unknown): ModelVersionMeta {
  const m = check(modelVersionSchema, data, "model version meta.yaml");
  const rawStage = m.current_stage ?? "None";
  let stage: ModelStage | undefined;
  if (rawStage !== STAGE_DELETED_INTERNAL) {
    stage = stageByLower.get(rawStage.toLowerCase());
    if (!stage) throw new MetaError(`model version meta.yaml: unknown stage '${rawStage}'`);
  }
  const status = m.status === "PENDING_REGISTRATION" || m.status === "FAILED_REGISTRATION"
    ? m.status
    : "READY";
  return {
    name: m.name,
    version: m.version,
    creationTimestamp: m.creation_timestamp,
    lastUpdatedTimestamp: m.last_updated_timestamp,
    stage,
    description: m.description,
    source: m.source ?? "",
    storageLocation: m.storage_location,
    runId: m.run_id,
    runLink: m.run_link,
    userId: m.user_id,
    status,
    statusMessage: m.status_message,
    modelId: m.model_id,
  };
}

export function modelVersionMetaDoc(v: {
  name: string;
  version: string;
  creationTimestamp: number;
  lastUpdatedTimestamp: number;
  /** STAGE_DELETED_INTERNAL for a placeholder of a deleted version. */
  currentStage: string;
  description?: string;
  source: string;
  storageLocation: string;
  runId?: string;
  runLink?: string;
  userId?: string;
  status: string;
  statusMessage?: string;
  modelId?: string;
}): Record<string, unknown> {
  return {
    creation_timestamp: v.creationTimestamp,
    current_stage: v.currentStage,
    deployment_job_state: null,
    description: v.description ?? null,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    model_id: v.modelId ?? null,
    name: v.name,
    run_id: v.runId ?? null,
    run_link: v.runLink ?? null,
    source: v.source,
    status: v.status,
    status_message: v.statusMessage ?? null,
    storage_location: v.storageLocation,
    user_id: v.userId ?? null,
    version: Number(v.version),
  };
}
