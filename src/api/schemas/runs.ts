// Request/response messages of the run endpoints (service.proto, spec §3.2).

import { z } from "zod";
import { int64, repeated, reqStr, str } from "../fields.ts";
import {
  datasetInputItem,
  emptyResponse,
  endpoint,
  message,
  metricItem,
  modelInputItem,
  modelOutputItem,
  runMessage,
  runStatus,
  tagList,
  viewType,
} from "./common.ts";
import { runInfoOut, runOut } from "./entities.ts";

export const createRun = endpoint({
  name: "createRun",
  methods: ["POST"],
  path: "/runs/create",
  summary: "Create a run",
  request: message({
    experiment_id: str().optional(),
    user_id: str().optional(),
    run_name: str().optional(),
    start_time: int64().optional(),
    tags: tagList(),
  }),
  response: z.object({ run: runOut }),
});

export const getRun = endpoint({
  name: "getRun",
  methods: ["GET"],
  path: "/runs/get",
  summary: "Get a run (deleted ones too)",
  request: runMessage({}),
  response: z.object({ run: runOut }),
});

export const updateRun = endpoint({
  name: "updateRun",
  methods: ["POST"],
  path: "/runs/update",
  summary: "Update status, end time or name of a run; only fields present are applied",
  request: runMessage({
    status: runStatus().optional(),
    end_time: int64().optional(),
    run_name: str().optional(),
  }),
  response: z.object({ run_info: runInfoOut }),
});

export const deleteRun = endpoint({
  name: "deleteRun",
  methods: ["POST"],
  path: "/runs/delete",
  summary: "Soft-delete a run",
  request: runMessage({}),
  response: emptyResponse,
});

export const restoreRun = endpoint({
  name: "restoreRun",
  methods: ["POST"],
  path: "/runs/restore",
  summary: "Restore a deleted run",
  request: runMessage({}),
  response: emptyResponse,
});

export const searchRuns = endpoint({
  name: "searchRuns",
  methods: ["POST"],
  path: "/runs/search",
  summary: "Search runs of experiments",
  request: message({
    experiment_ids: repeated(z.string()),
    filter: str().optional(),
    run_view_type: viewType().optional(),
    max_results: int64().optional(),
    order_by: repeated(z.string()),
    page_token: str().optional(),
  }),
  response: z.object({ runs: z.array(runOut).optional(), next_page_token: z.string().optional() }),
});

export const logParam = endpoint({
  name: "logParam",
  methods: ["POST"],
  path: "/runs/log-parameter",
  summary: "Log a param (immutable once logged)",
  request: runMessage({ key: reqStr(), value: str().optional().default("") }),
  response: emptyResponse,
});

export const setTag = endpoint({
  name: "setTag",
  methods: ["POST"],
  path: "/runs/set-tag",
  summary: "Set a tag on a run; mlflow.runName also renames the run",
  request: runMessage({ key: reqStr(), value: str().optional().default("") }),
  response: emptyResponse,
});

export const deleteTag = endpoint({
  name: "deleteTag",
  methods: ["POST"],
  path: "/runs/delete-tag",
  summary: "Delete a tag of a run",
  request: runMessage({ key: reqStr() }),
  response: emptyResponse,
});

export const logBatch = endpoint({
  name: "logBatch",
  methods: ["POST"],
  path: "/runs/log-batch",
  summary: "Log metrics, params and tags at once (≤1000 metrics, ≤100 params, ≤100 tags, ≤1000 total)",
  request: runMessage({
    metrics: z.array(metricItem).optional().default([]),
    params: tagList(),
    tags: tagList(),
  }),
  response: emptyResponse,
});

export const logModel = endpoint({
  name: "logModel",
  methods: ["POST"],
  path: "/runs/log-model",
  summary: "Record a logged model (MLmodel as JSON) in the run's mlflow.log-model.history tag",
  request: runMessage({ model_json: reqStr() }),
  response: emptyResponse,
});

export const logInputs = endpoint({
  name: "logInputs",
  methods: ["POST"],
  path: "/runs/log-inputs",
  summary: "Log dataset and model inputs of a run",
  request: runMessage({
    datasets: z.array(datasetInputItem).optional().default([]),
    models: z.array(modelInputItem).optional().default([]),
  }),
  response: emptyResponse,
});

export const logOutputs = endpoint({
  name: "logOutputs",
  methods: ["POST"],
  path: "/runs/outputs",
  summary: "Link logged models as outputs of a run",
  request: runMessage({ models: z.array(modelOutputItem) }),
  response: emptyResponse,
});

export const RUN_ENDPOINTS = [
  createRun,
  getRun,
  updateRun,
  deleteRun,
  restoreRun,
  searchRuns,
  logParam,
  setTag,
  deleteTag,
  logBatch,
  logModel,
  logInputs,
  logOutputs,
] as const;
