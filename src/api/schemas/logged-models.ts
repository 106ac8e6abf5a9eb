// Request messages of the logged-model endpoints (service.proto, spec §3.5 #38–#46). Path parameters
// (`model_id`, `tag_key`) are merged into the message by the routes before validation.

import { z } from "zod";
import { bool, enumField, int64, repeated, reqStr, str } from "../fields.ts";
import { LOGGED_MODEL_STATUS_NUMBERS } from "../../store/model-types.ts";
import { message } from "./common.ts";

const keyValue = z.object({ key: reqStr(), value: z.string().optional().default("") });
const keyValues = () => z.array(keyValue).optional().default([]);

export const loggedModelStatus = () => enumField(LOGGED_MODEL_STATUS_NUMBERS);

export const createLoggedModel = message({
  experiment_id: reqStr(),
  name: str().optional(),
  model_type: str().optional(),
  source_run_id: str().optional(),
  params: keyValues(),
  tags: keyValues(),
});

export const getLoggedModel = message({ model_id: reqStr(), allow_deleted: bool().optional() });

export const finalizeLoggedModel = message({ model_id: reqStr(), status: loggedModelStatus() });

export const modelIdOnly = message({ model_id: reqStr() });

export const setLoggedModelTags = message({ model_id: reqStr(), tags: keyValues() });

export const deleteLoggedModelTag = message({ model_id: reqStr(), tag_key: reqStr() });

export const logLoggedModelParams = message({ model_id: reqStr(), params: keyValues() });

export const searchLoggedModels = message({
  experiment_ids: repeated(z.string()),
  filter: str().optional(),
  datasets: z.array(z.object({ dataset_name: str().optional(), dataset_digest: str().optional() }))
    .optional().default([]),
  max_results: int64().optional(),
  order_by: z.array(z.object({
    field_name: reqStr(),
    ascending: bool().optional(),
    dataset_name: str().optional(),
    dataset_digest: str().optional(),
  })).optional().default([]),
  page_token: str().optional(),
});

export const listLoggedModelArtifacts = message({
  model_id: reqStr(),
  artifact_directory_path: str().optional(),
});
