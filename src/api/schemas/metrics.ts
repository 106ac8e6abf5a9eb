// Request/response messages of the metric endpoints (service.proto, spec §3.2 #16, §3.3, §3.4 #28).

import { z } from "zod";
import { int64, repeated, reqDouble, reqInt64, reqStr, str } from "../fields.ts";
import { emptyResponse, endpoint, message, runMessage } from "./common.ts";
import { metricOut, metricWithRunIdOut } from "./entities.ts";

/** A repeated field that must be present (an empty list is fine, as in MLflow). */
const requiredList = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(item));

export const logMetric = endpoint({
  name: "logMetric",
  methods: ["POST"],
  path: "/runs/log-metric",
  summary: "Log one metric value",
  request: runMessage({
    key: reqStr(),
    value: reqDouble(),
    timestamp: reqInt64(),
    step: int64().optional(),
    model_id: str().optional(),
    dataset_name: str().optional(),
    dataset_digest: str().optional(),
  }),
  response: emptyResponse,
});

export const getMetricHistory = endpoint({
  name: "getMetricHistory",
  methods: ["GET"],
  path: "/metrics/get-history",
  summary: "All values of one metric of a run, paged when max_results is given",
  request: runMessage({
    metric_key: reqStr(),
    page_token: str().optional(),
    max_results: int64().optional(),
  }),
  response: z.object({ metrics: z.array(metricOut).optional(), next_page_token: z.string().optional() }),
});

export const getMetricHistoryBulkInterval = endpoint({
  name: "getMetricHistoryBulkInterval",
  methods: ["GET"],
  path: "/metrics/get-history-bulk-interval",
  summary: "One metric of up to 100 runs, sampled to at most max_results steps",
  request: message({
    run_ids: requiredList(z.string()),
    metric_key: reqStr(),
    start_step: int64().optional(),
    end_step: int64().optional(),
    max_results: int64().optional(),
  }),
  response: z.object({ metrics: z.array(metricWithRunIdOut).optional() }),
});

export const getMetricHistoryBulk = endpoint({
  name: "getMetricHistoryBulk",
  methods: ["GET"],
  path: "/metrics/get-history-bulk",
  summary: "Full history of one metric for up to 100 runs (UI helper)",
  ajaxOnly: true,
  request: message({
    run_id: repeated(z.string()),
    metric_key: str().optional(),
    max_results: int64().optional(),
  }),
  response: z.object({ metrics: z.array(metricWithRunIdOut) }),
});

export const METRIC_ENDPOINTS = [
  logMetric,
  getMetricHistory,
  getMetricHistoryBulkInterval,
  getMetricHistoryBulk,
] as const;
