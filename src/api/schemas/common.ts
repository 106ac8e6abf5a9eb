// Pieces shared by the request schemas: the message wrapper (null = unset, run_uuid alias), entity items
// (metrics, datasets, models) and the endpoint descriptor that routes and the OpenAPI document both read.

import { z } from "zod";
import { enumField, int64, reqDouble, reqInt64, reqStr, str, tagSchema } from "../fields.ts";
import { RUN_STATUS_NUMBERS, VIEW_TYPE_NUMBERS } from "../../store/types.ts";

/** protobuf's JSON parser treats `null` as "field not set"; we do the same before validating. */
function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (v === null || typeof v !== "object") return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = dropNulls(x);
  return out;
}

const unset = (v: unknown) => v === undefined || v === "";

/** The deprecated `run_uuid` stands in for an absent or empty `run_id` (the client sends both). */
function aliasRunUuid(v: unknown): unknown {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
  const o = v as Record<string, unknown>;
  return unset(o.run_id) && !unset(o.run_uuid) ? { ...o, run_id: o.run_uuid } : o;
}

/** A request message: unknown fields are stripped, nulls mean unset. */
export const message = <T extends z.ZodRawShape>(shape: T) => z.preprocess(dropNulls, z.object(shape));

/** A request message addressed to a run: `run_id` required, `run_uuid` accepted in its place. */
export const runMessage = <T extends z.ZodRawShape>(shape: T) =>
  z.preprocess(
    (v) => aliasRunUuid(dropNulls(v)),
    z.object({ run_id: reqStr(), run_uuid: str().optional(), ...shape }),
  );

export const tagList = () => z.array(tagSchema).optional().default([]);

export const runStatus = () => enumField(RUN_STATUS_NUMBERS);
export const viewType = () => enumField(VIEW_TYPE_NUMBERS);

export const metricItem = z.object({
  key: reqStr(),
  value: reqDouble(),
  timestamp: reqInt64(),
  step: int64().optional(),
  dataset_name: str().optional(),
  dataset_digest: str().optional(),
  model_id: str().optional(),
  run_id: str().optional(),
});

export const paramItem = tagSchema;

export const datasetItem = z.object({
  name: reqStr(),
  digest: reqStr(),
  source_type: reqStr(),
  source: reqStr(),
  schema: str().optional(),
  profile: str().optional(),
});

export const datasetInputItem = z.object({
  tags: z.array(z.object({ key: reqStr(), value: reqStr() })).optional().default([]),
  dataset: datasetItem,
});

export const modelInputItem = z.object({ model_id: reqStr() });
export const modelOutputItem = z.object({ model_id: reqStr(), step: reqInt64() });

export type HttpMethod = "GET" | "POST";

/** One REST endpoint of MLflow's tracking API. Routes register it; the OpenAPI document describes it. */
export interface Endpoint<Req extends z.ZodType = z.ZodType> {
  /** MLflow's RPC name (service.proto), used as the OpenAPI operationId. */
  name: string;
  methods: readonly HttpMethod[];
  /** Path below `/api/2.0/mlflow` (and `/ajax-api/2.0/mlflow`), e.g. "/experiments/create". */
  path: string;
  request: Req;
  response: z.ZodType;
  summary: string;
  /** Served only under `/ajax-api/2.0/mlflow` (MLflow's UI helpers). */
  ajaxOnly?: boolean;
}

export const endpoint = <Req extends z.ZodType>(e: Endpoint<Req>): Endpoint<Req> => e;

export const emptyResponse = z.object({}).describe("Empty response");
