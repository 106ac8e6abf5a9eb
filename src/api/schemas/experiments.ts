// Request/response messages of the experiment endpoints (service.proto, spec §3.1).

import { z } from "zod";
import { int64, repeated, reqStr, str } from "../fields.ts";
import { emptyResponse, endpoint, message, tagList, viewType } from "./common.ts";
import { experimentOut } from "./entities.ts";

export const createExperiment = endpoint({
  name: "createExperiment",
  methods: ["POST"],
  path: "/experiments/create",
  summary: "Create an experiment",
  request: message({ name: reqStr(), artifact_location: str().optional(), tags: tagList() }),
  response: z.object({ experiment_id: z.string() }),
});

export const getExperiment = endpoint({
  name: "getExperiment",
  methods: ["GET"],
  path: "/experiments/get",
  summary: "Get an experiment by id (deleted ones too)",
  request: message({ experiment_id: reqStr() }),
  response: z.object({ experiment: experimentOut }),
});

export const getExperimentByName = endpoint({
  name: "getExperimentByName",
  methods: ["GET"],
  path: "/experiments/get-by-name",
  summary: "Get an experiment by name, preferring an active one",
  request: message({ experiment_name: reqStr() }),
  response: z.object({ experiment: experimentOut }),
});

export const searchExperiments = endpoint({
  name: "searchExperiments",
  methods: ["POST", "GET"],
  path: "/experiments/search",
  summary: "Search experiments",
  request: message({
    max_results: int64().optional(),
    page_token: str().optional(),
    filter: str().optional(),
    order_by: repeated(z.string()),
    view_type: viewType().optional(),
  }),
  response: z.object({
    experiments: z.array(experimentOut).optional(),
    next_page_token: z.string().optional(),
  }),
});

export const updateExperiment = endpoint({
  name: "updateExperiment",
  methods: ["POST"],
  path: "/experiments/update",
  summary: "Rename an experiment",
  request: message({ experiment_id: reqStr(), new_name: reqStr() }),
  response: emptyResponse,
});

export const deleteExperiment = endpoint({
  name: "deleteExperiment",
  methods: ["POST"],
  path: "/experiments/delete",
  summary: "Soft-delete an experiment and its runs",
  request: message({ experiment_id: reqStr() }),
  response: emptyResponse,
});

export const restoreExperiment = endpoint({
  name: "restoreExperiment",
  methods: ["POST"],
  path: "/experiments/restore",
  summary: "Restore a deleted experiment and its runs",
  request: message({ experiment_id: reqStr() }),
  response: emptyResponse,
});

export const setExperimentTag = endpoint({
  name: "setExperimentTag",
  methods: ["POST"],
  path: "/experiments/set-experiment-tag",
  summary: "Set a tag on an experiment",
  request: message({ experiment_id: reqStr(), key: reqStr(), value: str().optional().default("") }),
  response: emptyResponse,
});

export const deleteExperimentTag = endpoint({
  name: "deleteExperimentTag",
  methods: ["POST"],
  path: "/experiments/delete-experiment-tag",
  summary: "Delete a tag of an experiment",
  request: message({ experiment_id: reqStr(), key: reqStr() }),
  response: emptyResponse,
});

export const EXPERIMENT_ENDPOINTS = [
  createExperiment,
  getExperiment,
  getExperimentByName,
  searchExperiments,
  updateExperiment,
  deleteExperiment,
  restoreExperiment,
  setExperimentTag,
  deleteExperimentTag,
] as const;
