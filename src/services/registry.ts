// The model registry service (spec §13): MLflow's validation, defaults and limits over a RegistryStore,
// model version sources resolved and confined to the artifact roots (registry-source.ts), and the
// link back from a logged model to the versions registered from it (`mlflow.modelVersions`).

import { invalidParam } from "../errors.ts";
import { FsArtifactRepo } from "../artifacts/fs-repo.ts";
import {
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
} from "../search/parse-registry.ts";
import { isPrompt } from "../search/evaluate-registry.ts";
import type { FullStore } from "../store/model-store.ts";
import type { ModelVersion, RegisteredModel } from "../store/model-types.ts";
import type { Page, Tag } from "../store/types.ts";
import { type ArtifactRootsConfig, resolveServedDir } from "./models-locations.ts";
import { searchPage } from "./paging.ts";
import { resolveModelVersionSource } from "./registry-source.ts";
import {
  canonicalStage,
  parseVersion,
  validateAliasName,
  validateAliasNotReserved,
  validateModelName,
  validateRegistryTag,
} from "./registry-validation.ts";
import { validateRunId } from "./validation.ts";
import { validateModelId } from "./models.ts";

export const SEARCH_REGISTERED_MODELS_DEFAULT = 100;
export const SEARCH_REGISTERED_MODELS_MAX = 1000;
export const SEARCH_MODEL_VERSIONS_DEFAULT = 10000;
export const SEARCH_MODEL_VERSIONS_MAX = 200_000;
const MODEL_VERSIONS_TAG = "mlflow.modelVersions";

export interface CreateModelVersionRequest {
  name: string;
  source: string;
  runId?: string;
  modelId?: string;
  runLink?: string;
  description?: string;
  tags: Tag[];
}

export interface SearchRequest {
  filter?: string;
  maxResults?: number;
  orderBy: string[];
  pageToken?: string;
}

function dedupe(tags: Tag[]): Tag[] {
  const m = new Map<string, string>();
  for (const t of tags) m.set(t.key, t.value);
  return [...m].map(([key, value]) => ({ key, value }));
}

function checkMaxResults(value: number, max: number): void {
  if (value < 1) {
    throw invalidParam(`Invalid value for max_results. It must be a positive integer, but got ${value}`);
  }
  if (value > max) {
    throw invalidParam(
      `Invalid value for request parameter max_results. It must be at most ${max}, but got value ${value}`,
    );
  }
}

export class RegistryService {
  constructor(readonly store: FullStore, private readonly roots: ArtifactRootsConfig) {}

  // ---- registered models

  createRegisteredModel(name: string, tags: Tag[], description?: string): Promise<RegisteredModel> {
    validateModelName(name);
    tags.forEach(validateRegistryTag);
    return this.store.createRegisteredModel(name, dedupe(tags), description || undefined);
  }

  getRegisteredModel(name: string): Promise<RegisteredModel> {
    validateModelName(name);
    return this.store.getRegisteredModel(name);
  }

  renameRegisteredModel(name: string, newName: string): Promise<RegisteredModel> {
    validateModelName(name);
    validateModelName(newName, "new_name");
    return this.store.renameRegisteredModel(name, newName);
  }

  updateRegisteredModel(name: string, description?: string): Promise<RegisteredModel> {
    validateModelName(name);
    return this.store.updateRegisteredModel(name, description || undefined);
  }

  deleteRegisteredModel(name: string): Promise<void> {
    validateModelName(name);
    return this.store.deleteRegisteredModel(name);
  }

  async searchRegisteredModels(req: SearchRequest): Promise<Page<RegisteredModel>> {
    const maxResults = req.maxResults ?? SEARCH_REGISTERED_MODELS_DEFAULT;
    checkMaxResults(maxResults, SEARCH_REGISTERED_MODELS_MAX);
    const filter = parseRegisteredModelFilter(req.filter);
    const orderBy = parseRegisteredModelOrderBy(req.orderBy);
    return await searchPage(
      req.pageToken,
      (offset) => this.store.searchRegisteredModels({ filter, orderBy, maxResults, offset }),
    );
  }

  getLatestVersions(name: string, stages: string[]): Promise<ModelVersion[]> {
    validateModelName(name);
    return this.store.getLatestVersions(name, stages.map(canonicalStage));
  }

  async setRegisteredModelTag(name: string, tag: Tag): Promise<void> {
    validateModelName(name);
    validateRegistryTag(tag);
    await this.store.setRegisteredModelTag(name, tag);
  }

  async deleteRegisteredModelTag(name: string, key: string): Promise<void> {
    validateModelName(name);
    validateRegistryTag({ key, value: "" });
    await this.store.deleteRegisteredModelTag(name, key);
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    validateModelName(name);
    validateAliasName(alias);
    validateAliasNotReserved(alias);
    await this.store.setRegisteredModelAlias(name, alias, parseVersion(version));
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    validateModelName(name);
    validateAliasName(alias);
    await this.store.deleteRegisteredModelAlias(name, alias);
  }

  getModelVersionByAlias(name: string, alias: string): Promise<ModelVersion> {
    validateModelName(name);
    validateAliasName(alias);
    return this.store.getModelVersionByAlias(name, alias);
  }

  // ---- model versions

  async createModelVersion(req: CreateModelVersionRequest): Promise<ModelVersion> {
    validateModelName(req.name);
    req.tags.forEach(validateRegistryTag);
    if (req.runId) validateRunId(req.runId);
    if (req.modelId) validateModelId(req.modelId);
    const model = await this.store.getRegisteredModel(req.name);
    const prompt = isPrompt(model.tags) || isPrompt(req.tags);
    const resolved = await resolveModelVersionSource(this.store, this.roots, {
      source: req.source,
      runId: req.runId || undefined,
      modelId: req.modelId || undefined,
      isPrompt: prompt,
    });
    const version = await this.store.createModelVersion({
      name: req.name,
      source: resolved.source,
      storageLocation: resolved.storageLocation,
      runId: resolved.runId,
      modelId: resolved.modelId,
      runLink: req.runLink || undefined,
      description: req.description || undefined,
      tags: dedupe(req.tags),
    });
    if (!prompt && resolved.modelId) await this.#linkLoggedModel(resolved.modelId, version);
    return version;
  }

  /** Records the new version on the logged model it came from (MLflow's set_model_versions_tags). */
  async #linkLoggedModel(modelId: string, v: ModelVersion): Promise<void> {
    const lm = await this.store.getLoggedModel(modelId);
    let list: { name: string; version: string }[] = [];
    try {
      const parsed = JSON.parse(lm.tags.find((t) => t.key === MODEL_VERSIONS_TAG)?.value ?? "[]");
      if (Array.isArray(parsed)) list = parsed;
    } catch {
      // A hand-edited tag that is not JSON is replaced.
    }
    if (!list.some((x) => x.name === v.name && String(x.version) === v.version)) {
      list.push({ name: v.name, version: v.version });
    }
    await this.store.setLoggedModelTags(modelId, [{ key: MODEL_VERSIONS_TAG, value: JSON.stringify(list) }]);
  }

  getModelVersion(name: string, version: string): Promise<ModelVersion> {
    validateModelName(name);
    return this.store.getModelVersion(name, parseVersion(version));
  }

  updateModelVersion(name: string, version: string, description?: string): Promise<ModelVersion> {
    validateModelName(name);
    return this.store.updateModelVersion(name, parseVersion(version), description || undefined);
  }

  transitionStage(name: string, version: string, stage: string, archive: boolean): Promise<ModelVersion> {
    validateModelName(name);
    return this.store.transitionModelVersionStage(
      name,
      parseVersion(version),
      canonicalStage(stage),
      archive,
    );
  }

  deleteModelVersion(name: string, version: string): Promise<void> {
    validateModelName(name);
    return this.store.deleteModelVersion(name, parseVersion(version));
  }

  async getDownloadUri(name: string, version: string): Promise<string> {
    return (await this.getModelVersion(name, version)).storageLocation;
  }

  async searchModelVersions(req: SearchRequest): Promise<Page<ModelVersion>> {
    const maxResults = req.maxResults ?? SEARCH_MODEL_VERSIONS_DEFAULT;
    checkMaxResults(maxResults, SEARCH_MODEL_VERSIONS_MAX);
    const filter = parseModelVersionFilter(req.filter);
    const orderBy = parseModelVersionOrderBy(req.orderBy);
    return await searchPage(
      req.pageToken,
      (offset) => this.store.searchModelVersions({ filter, orderBy, maxResults, offset }),
    );
  }

  async setModelVersionTag(name: string, version: string, tag: Tag): Promise<void> {
    validateModelName(name);
    validateRegistryTag(tag);
    await this.store.setModelVersionTag(name, parseVersion(version), tag);
  }

  async deleteModelVersionTag(name: string, version: string, key: string): Promise<void> {
    validateModelName(name);
    validateRegistryTag({ key, value: "" });
    await this.store.deleteModelVersionTag(name, parseVersion(version), key);
  }

  /** The files of a version, only from inside the server's artifact roots (never a fetched URL). */
  async artifactRepo(name: string, version: string): Promise<FsArtifactRepo> {
    const v = await this.getModelVersion(name, version);
    return new FsArtifactRepo(await resolveServedDir(v.storageLocation, this.roots));
  }
}
