// Logged models and registry entities → MLflow wire JSON (snake_case, enums as names, unset omitted).

import type { LoggedModel, ModelVersion, RegisteredModel } from "../store/model-types.ts";
import { listField, metricToWire, tagsOut, withSet } from "./wire.ts";

type Json = Record<string, unknown>;

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
  const info = withSet({
    model_id: m.modelId,
    experiment_id: m.experimentId,
    name: m.name,
    creation_timestamp_ms: m.creationTimestamp,
    last_updated_timestamp_ms: m.lastUpdatedTimestamp,
    artifact_uri: m.artifactUri,
    status: m.status,
  }, {
    model_type: m.modelType,
    source_run_id: m.sourceRunId,
    status_message: m.statusMessage,
    tags: listField(m.tags, tagsOut),
    registrations: listField(modelRegistrations(m), (regs) => regs),
  });
  const data = withSet({}, {
    params: listField(m.params, tagsOut),
    metrics: listField(m.metrics, (metrics) => metrics.map((x) => metricToWire(x))),
  });
  return { info, data };
}

export function modelVersionToWire(v: ModelVersion): Json {
  return withSet({
    name: v.name,
    version: v.version,
    creation_timestamp: v.creationTimestamp,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    current_stage: v.currentStage,
    source: v.source,
    status: v.status,
  }, {
    user_id: v.userId,
    description: v.description,
    run_id: v.runId,
    run_link: v.runLink,
    status_message: v.statusMessage,
    model_id: v.modelId,
    tags: listField(v.tags, tagsOut),
    aliases: listField(v.aliases, (aliases) => [...aliases]),
  });
}

export function registeredModelToWire(m: RegisteredModel): Json {
  return withSet({
    name: m.name,
    creation_timestamp: m.creationTimestamp,
    last_updated_timestamp: m.lastUpdatedTimestamp,
  }, {
    user_id: m.userId,
    description: m.description,
    latest_versions: listField(m.latestVersions, (versions) => versions.map(modelVersionToWire)),
    tags: listField(m.tags, tagsOut),
    aliases: listField(m.aliases, (aliases) => aliases.map((a) => ({ alias: a.alias, version: a.version }))),
  });
}
