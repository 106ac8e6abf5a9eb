// The logged-model service (MLflow 3, spec §3.5): MLflow's validation and defaults over a
// LoggedModelStore, and the listing of a model's artifacts inside the server's artifact roots.

import { invalidParam } from "../errors.ts";
import { type FileInfo, FsArtifactRepo } from "../artifacts/fs-repo.ts";
import type { SafePath } from "../artifacts/paths.ts";
import type { DatasetRef, LoggedModelOrder } from "../search/ast-models.ts";
import { parseLoggedModelFilter } from "../search/parse-logged-models.ts";
import type { FullStore } from "../store/model-store.ts";
import type { LoggedModel, LoggedModelStatus } from "../store/model-types.ts";
import type { Page, Tag } from "../store/types.ts";
import { type ArtifactRootsConfig, resolveServedDir } from "./models-locations.ts";
import { searchPage } from "./paging.ts";
import { randomRunName } from "./run-names.ts";
import { missingParam, validateExperimentId, validateRunId } from "./validation.ts";

export const SEARCH_LOGGED_MODELS_DEFAULT = 100;
const MAX_SEARCH_RESULTS = 50000;
const MODEL_ID_RE = /^m-[0-9a-f]{32}$/;
const BAD_NAME_CHARS = ["/", ":", ".", "%", '"', "'"];

export interface CreateLoggedModelRequest {
  experimentId: string;
  name?: string;
  modelType?: string;
  sourceRunId?: string;
  params: Tag[];
  tags: Tag[];
}

export interface SearchLoggedModelsRequest {
  experimentIds: string[];
  filter?: string;
  datasets: DatasetRef[];
  orderBy: LoggedModelOrder;
  maxResults?: number;
  pageToken?: string;
}

/** MLflow's _validate_logged_model_name: names end up in `runs:/<run>/<name>` URIs and file paths. */
export function validateLoggedModelName(name: string): void {
  if (name === "" || BAD_NAME_CHARS.some((c) => name.includes(c))) {
    throw invalidParam(
      `Invalid model name ('${name}') provided. Model name must be a non-empty string and cannot contain ` +
        `the following characters: ('/', ':', '.', '%', '"', "'")`,
    );
  }
}

/** Ids are checked before any look-up, so odd strings never reach a store or a path. */
export function validateModelId(modelId: string): void {
  if (!MODEL_ID_RE.test(modelId)) throw invalidParam(`Invalid logged model ID: '${modelId}'`);
}

export class LoggedModelService {
  constructor(readonly store: FullStore, private readonly roots: ArtifactRootsConfig) {}

  createLoggedModel(req: CreateLoggedModelRequest): Promise<LoggedModel> {
    validateExperimentId(req.experimentId);
    if (req.name !== undefined && req.name !== "") validateLoggedModelName(req.name);
    if (req.sourceRunId) validateRunId(req.sourceRunId, "source_run_id");
    return this.store.createLoggedModel({
      experimentId: req.experimentId,
      name: req.name || randomRunName(),
      modelType: req.modelType || undefined,
      sourceRunId: req.sourceRunId || undefined,
      params: req.params,
      tags: req.tags,
    });
  }

  getLoggedModel(modelId: string, allowDeleted = false): Promise<LoggedModel> {
    validateModelId(modelId);
    return this.store.getLoggedModel(modelId, allowDeleted);
  }

  finalizeLoggedModel(modelId: string, status: LoggedModelStatus): Promise<LoggedModel> {
    validateModelId(modelId);
    return this.store.finalizeLoggedModel(modelId, status);
  }

  deleteLoggedModel(modelId: string): Promise<void> {
    validateModelId(modelId);
    return this.store.deleteLoggedModel(modelId);
  }

  setLoggedModelTags(modelId: string, tags: Tag[]): Promise<void> {
    validateModelId(modelId);
    return this.store.setLoggedModelTags(modelId, tags);
  }

  deleteLoggedModelTag(modelId: string, key: string): Promise<void> {
    validateModelId(modelId);
    return this.store.deleteLoggedModelTag(modelId, key);
  }

  logLoggedModelParams(modelId: string, params: Tag[]): Promise<void> {
    validateModelId(modelId);
    return this.store.logLoggedModelParams(modelId, params);
  }

  async searchLoggedModels(req: SearchLoggedModelsRequest): Promise<Page<LoggedModel>> {
    if (req.experimentIds.length === 0) {
      throw missingParam("experiment_ids");
    }
    // proto3 reads 0 as "unset": MLflow then uses its default.
    const maxResults = req.maxResults || SEARCH_LOGGED_MODELS_DEFAULT;
    if (maxResults < 0 || maxResults > MAX_SEARCH_RESULTS) {
      throw invalidParam(
        `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be between 1 and ` +
          `${MAX_SEARCH_RESULTS}.`,
      );
    }
    const filter = parseLoggedModelFilter(req.filter);
    return await searchPage(req.pageToken, (offset) =>
      this.store.searchLoggedModels({
        experimentIds: req.experimentIds,
        filter,
        datasets: req.datasets,
        orderBy: req.orderBy,
        maxResults,
        offset,
      }));
  }

  /** The model's artifact directory in the server's roots (400 when it is elsewhere). */
  async artifactRepo(model: LoggedModel): Promise<FsArtifactRepo> {
    return new FsArtifactRepo(await resolveServedDir(model.artifactUri, this.roots));
  }

  async listArtifacts(modelId: string, dir?: SafePath): Promise<{ model: LoggedModel; files: FileInfo[] }> {
    const model = await this.getLoggedModel(modelId);
    return { model, files: await (await this.artifactRepo(model)).list(dir) };
  }
}
