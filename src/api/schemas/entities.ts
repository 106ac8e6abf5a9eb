// Response shapes of MLflow's entities as src/api/wire.ts writes them. Used to document responses in the
// OpenAPI document; responses themselves are built by wire.ts, not parsed through these.

import { z } from "zod";

const i64 = () => z.number().int();
const wireDouble = () =>
  z.union([z.number(), z.enum(["NaN", "Infinity", "-Infinity"])]).describe(
    "double; non-finite values as strings",
  );

export const keyValue = z.object({ key: z.string(), value: z.string() });

export const experimentOut = z.object({
  experiment_id: z.string(),
  name: z.string(),
  artifact_location: z.string(),
  lifecycle_stage: z.enum(["active", "deleted"]),
  creation_time: i64().optional(),
  last_update_time: i64().optional(),
  tags: z.array(keyValue).optional(),
});

export const runInfoOut = z.object({
  run_id: z.string(),
  run_uuid: z.string().describe("Deprecated alias of run_id"),
  run_name: z.string(),
  experiment_id: z.string(),
  user_id: z.string(),
  status: z.enum(["RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED"]),
  start_time: i64(),
  end_time: i64().optional(),
  artifact_uri: z.string(),
  lifecycle_stage: z.enum(["active", "deleted"]),
});

export const metricOut = z.object({
  key: z.string(),
  value: wireDouble(),
  timestamp: i64(),
  step: i64(),
  dataset_name: z.string().optional(),
  dataset_digest: z.string().optional(),
  model_id: z.string().optional(),
  run_id: z.string().optional(),
});

export const metricWithRunIdOut = z.object({
  key: z.string(),
  value: wireDouble(),
  timestamp: i64(),
  step: i64(),
  run_id: z.string(),
});

const datasetOut = z.object({
  name: z.string(),
  digest: z.string(),
  source_type: z.string(),
  source: z.string(),
  schema: z.string().optional(),
  profile: z.string().optional(),
});

export const runOut = z.object({
  info: runInfoOut,
  data: z.object({
    metrics: z.array(metricOut).optional().describe("Latest value per key"),
    params: z.array(keyValue).optional(),
    tags: z.array(keyValue).optional(),
  }),
  inputs: z.object({
    dataset_inputs: z.array(z.object({ tags: z.array(keyValue).optional(), dataset: datasetOut })).optional(),
    model_inputs: z.array(z.object({ model_id: z.string() })).optional(),
  }),
  outputs: z.object({
    model_outputs: z.array(z.object({ model_id: z.string(), step: i64() })).optional(),
  }),
});

export const errorOut = z.object({ error_code: z.string(), message: z.string() });
