// Tag and description writes for whatever a page shows, through the MLflow REST API: runs and experiments
// keep their description in the `mlflow.note.content` tag; registered models and versions in a field.

import type { Api } from "../lib/api.ts";

export type TagTarget =
  | { kind: "run" | "experiment" | "logged-model" | "registered-model"; id: string }
  | { kind: "model-version"; id: string; version: string };

const NOTE_TAG = "mlflow.note.content";

export function setTag(api: Api, t: TagTarget, key: string, value: string): Promise<unknown> {
  switch (t.kind) {
    case "run":
      return api.mlflow("runs/set-tag", { run_id: t.id, key, value });
    case "experiment":
      return api.mlflow("experiments/set-experiment-tag", { experiment_id: t.id, key, value });
    case "logged-model":
      return api.send("PATCH", `/ajax-api/2.0/mlflow/logged-models/${encodeURIComponent(t.id)}/tags`, {
        tags: [{ key, value }],
      });
    case "registered-model":
      return api.mlflow("registered-models/set-tag", { name: t.id, key, value });
    case "model-version":
      return api.mlflow("model-versions/set-tag", { name: t.id, version: t.version, key, value });
  }
}

export function deleteTag(api: Api, t: TagTarget, key: string): Promise<unknown> {
  switch (t.kind) {
    case "run":
      return api.mlflow("runs/delete-tag", { run_id: t.id, key });
    case "experiment":
      return api.mlflow("experiments/delete-experiment-tag", { experiment_id: t.id, key });
    case "logged-model":
      return api.send(
        "DELETE",
        `/ajax-api/2.0/mlflow/logged-models/${encodeURIComponent(t.id)}/tags/${encodeURIComponent(key)}`,
        {},
      );
    case "registered-model":
      return api.send("DELETE", "/ajax-api/2.0/mlflow/registered-models/delete-tag", { name: t.id, key });
    case "model-version":
      return api.send("DELETE", "/ajax-api/2.0/mlflow/model-versions/delete-tag", {
        name: t.id,
        version: t.version,
        key,
      });
  }
}

export function setDescription(api: Api, t: TagTarget, text: string): Promise<unknown> {
  switch (t.kind) {
    case "registered-model":
      return api.send("PATCH", "/ajax-api/2.0/mlflow/registered-models/update", {
        name: t.id,
        description: text,
      });
    case "model-version":
      return api.send("PATCH", "/ajax-api/2.0/mlflow/model-versions/update", {
        name: t.id,
        version: t.version,
        description: text,
      });
    default:
      return setTag(api, t, NOTE_TAG, text);
  }
}
