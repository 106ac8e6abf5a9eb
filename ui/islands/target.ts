// Tag writes for a run or an experiment through the MLflow REST API.

import type { Api } from "../lib/api.ts";

export interface TagTarget {
  kind: "run" | "experiment";
  id: string;
}

export function setTag(api: Api, t: TagTarget, key: string, value: string): Promise<unknown> {
  return t.kind === "run"
    ? api.mlflow("runs/set-tag", { run_id: t.id, key, value })
    : api.mlflow("experiments/set-experiment-tag", { experiment_id: t.id, key, value });
}

export function deleteTag(api: Api, t: TagTarget, key: string): Promise<unknown> {
  return t.kind === "run"
    ? api.mlflow("runs/delete-tag", { run_id: t.id, key })
    : api.mlflow("experiments/delete-experiment-tag", { experiment_id: t.id, key });
}
