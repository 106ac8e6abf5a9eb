// Logged models and registry entities → MLflow wire JSON (snake_case, enums as names, unset omitted).

import type { LoggedModel, ModelVersion, RegisteredModel } from "../store/model-types.ts";
import type { Tag } from "../store/types.ts";
import { metricToWire } from "./wire.ts";

type Json = Record<string, unknown>;

const tagsOut = (tags: Tag[]) => tags.map((t) => ({ key: t.key, value: t.value }));

/** Registrations of a logged model, recorded by the registry in its `mlflow.modelVersions` tag. */
export function modelRegistrations(m: LoggedModel): { name: string; version: string }[] {
  const raw = m.tags.find((t) => t.key === "mlflow.modelVersions")?.value;
  if (!raw) return [];
  try {
    const list = JSON.parse(raw);
    if (!Array.isArray(list)) return [];
    return list.filter((x) => x && typeof x.name === "string").map((x) => ({
      name: x.name,
      version: String(x.version),
    }));
  } catch {
    return [];
  }
}

export function loggedModelToWire(m: LoggedModel): Json {
  const info: Json = {
    model_id: m.modelId,
    experiment_id: m.experimentId,
    name: m.name,
    creation_timestamp_ms: m.creationTimestamp,
    last_updated_timestamp_ms: m.lastUpdatedTimestamp,
    artifact_uri: m.artifactUri,
    status: m.status,
  };
  if (m.modelType !== undefined) info.model_type = m.modelType;
  if (m.sourceRunId !== undefined) info.source_run_id = m.sourceRunId;
  if (m.statusMessage !== undefined) info.status_message = m.statusMessage;
  if (m.tags.length) info.tags = tagsOut(m.tags);
  const regs = modelRegistrations(m);
  if (regs.length) info.registrations = regs;
  const data: Json = {};
  if (m.params.length) data.params = tagsOut(m.params);
  if (m.metrics.length) data.metrics = m.metrics.map((x) => metricToWire(x));
  return { info, data };
}

export function modelVersionToWire(v: ModelVersion): Json {
  const out: Json = {
    name: v.name,
    version: v.version,
    creation_timestamp: v.creationTimestamp,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    current_stage: v.currentStage,
    source: v.source,
    status: v.status,
  };
  if (v.userId !== undefined) out.user_id = v.userId;
  if (v.description !== undefined) out.description = v.description;
  if (v.runId !== undefined) out.run_id = v.runId;
  if (v.runLink !== undefined) out.run_link = v.runLink;
  if (v.statusMessage !== undefined) out.status_message = v.statusMessage;
  if (v.modelId !== undefined) out.model_id = v.modelId;
  if (v.tags.length) out.tags = tagsOut(v.tags);
  if (v.aliases.length) out.aliases = [...v.aliases];
  return out;
}

export function registeredModelToWire(m: RegisteredModel): Json {
  const out: Json = {
    name: m.name,
    creation_timestamp: m.creationTimestamp,
    last_updated_timestamp: m.lastUpdatedTimestamp,
  };
  if (m.userId !== undefined) out.user_id = m.userId;
  if (m.description !== undefined) out.description = m.description;
  if (m.latestVersions.length) out.latest_versions = m.latestVersions.map(modelVersionToWire);
  if (m.tags.length) out.tags = tagsOut(m.tags);
  if (m.aliases.length) out.aliases = m.aliases.map((a) => ({ alias: a.alias, version: a.version }));
  return out;
}
