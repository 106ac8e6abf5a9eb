// Request messages of the model registry endpoints (model_registry.proto, spec §13.2 #55–#75).

import { z } from "zod";
import { bool, int64, repeated, reqStr, str } from "../fields.ts";
import { message } from "./common.ts";

const keyValues = () =>
  z.array(z.object({ key: reqStr(), value: z.string().optional().default("") })).optional().default([]);

export const createRegisteredModel = message({
  name: reqStr(),
  tags: keyValues(),
  description: str().optional(),
});
export const nameOnly = message({ name: reqStr() });
export const renameRegisteredModel = message({ name: reqStr(), new_name: reqStr() });
export const updateRegisteredModel = message({ name: reqStr(), description: str().optional() });
export const searchRegisteredModels = message({
  filter: str().optional(),
  max_results: int64().optional(),
  order_by: repeated(z.string()),
  page_token: str().optional(),
});
export const getLatestVersions = message({ name: reqStr(), stages: repeated(z.string()) });
export const setRegisteredModelTag = message({
  name: reqStr(),
  key: reqStr(),
  value: str().optional().default(""),
});
export const deleteRegisteredModelTag = message({ name: reqStr(), key: reqStr() });
export const setAlias = message({ name: reqStr(), alias: reqStr(), version: reqStr() });
export const aliasOnly = message({ name: reqStr(), alias: reqStr() });

export const createModelVersion = message({
  name: reqStr(),
  source: reqStr(),
  run_id: str().optional(),
  tags: keyValues(),
  run_link: str().optional(),
  description: str().optional(),
  model_id: str().optional(),
});
export const versionRef = message({ name: reqStr(), version: reqStr() });
export const updateModelVersion = message({
  name: reqStr(),
  version: reqStr(),
  description: str().optional(),
});
export const transitionStage = message({
  name: reqStr(),
  version: reqStr(),
  stage: reqStr(),
  archive_existing_versions: bool().optional(),
});
export const searchModelVersions = message({
  filter: str().optional(),
  max_results: int64().optional(),
  order_by: repeated(z.string()),
  page_token: str().optional(),
});
export const setModelVersionTag = message({
  name: reqStr(),
  version: reqStr(),
  key: reqStr(),
  value: str().optional().default(""),
});
export const deleteModelVersionTag = message({ name: reqStr(), version: reqStr(), key: reqStr() });
