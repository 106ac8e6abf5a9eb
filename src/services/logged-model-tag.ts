// runs/log-model: the entry MLflow appends to the run tag `mlflow.log-model.history` for one MLmodel
// (mlflow/models/model.py: Model.get_tags_dict): ids, path, creation time and flavors minus their "config".

import { invalidParam } from "../errors.ts";

const REQUIRED = ["artifact_path", "flavors", "utc_time_created", "run_id"];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function loggedModelHistoryEntry(modelJson: string): Record<string, unknown> {
  let model: unknown;
  try {
    model = JSON.parse(modelJson);
  } catch {
    throw invalidParam(`Malformed model info. \n ${modelJson} \n is not a valid JSON.`);
  }
  if (!isObject(model)) throw invalidParam(`Malformed model info. \n ${modelJson} \n is not a JSON object.`);
  const missing = REQUIRED.filter((k) => !(k in model));
  if (missing.length) {
    throw invalidParam(
      `Model json is missing mandatory fields: {${missing.map((k) => `'${k}'`).join(", ")}}`,
    );
  }
  if (!isObject(model.flavors)) throw invalidParam("Model json field 'flavors' must be a JSON object.");

  // Key order follows MLflow's Model attributes; null run_id/artifact_path are dropped as MLflow does.
  const entry: Record<string, unknown> = {};
  if (model.run_id !== null) entry.run_id = model.run_id;
  if (model.artifact_path !== null) entry.artifact_path = model.artifact_path;
  // MLflow stamps a missing creation time with the current naive UTC time.
  entry.utc_time_created = model.utc_time_created === null
    ? new Date().toISOString().replace("T", " ").replace("Z", "000")
    : String(model.utc_time_created);
  entry.model_uuid = model.model_uuid ?? null;
  const flavors: Record<string, unknown> = {};
  for (const [name, conf] of Object.entries(model.flavors)) {
    flavors[name] = isObject(conf)
      ? Object.fromEntries(Object.entries(conf).filter(([k]) => k !== "config"))
      : conf;
  }
  entry.flavors = flavors;
  return entry;
}
