// Resolves a model version's `source` to the location its files are served from, and refuses every
// source that does not end up inside the server's artifact roots. This is where MLflow's path-traversal
// and SSRF record through `source` is closed (CVE-2023-1177, -2780, -2356, -6977, -6018, 2024-1558,
// -3573, 2026-2614, GHSA-m65p-9j7q-6w33): a source is accepted only when it names
// - a logged model (`models:/<model_id>`) or another version (`models:/<name>/<version|stage|@alias>`),
// - a run's artifacts (`runs:/<run_id>/<path>`), or
// - a location inside the artifact directory of the run (`run_id`) or logged model (`model_id`) the
//   request names (`mlflow-artifacts:`, `file:`, absolute path),
// and the resolved location is then proven to be inside a configured root on disk (symlinks resolved).
// Prompts carry a fixed placeholder source and nothing is ever served for them.

import { invalidParam, isMlflowError, MlflowError } from "../errors.ts";
import { validatePathIsSafe } from "../artifacts/paths.ts";
import type { FullStore } from "../store/model-store.ts";
import type { ModelVersion } from "../store/model-types.ts";
import { decodeRepeatedly, urlparse } from "./artifact-location.ts";
import { type ArtifactRootsConfig, localPathOf, resolveServedDir } from "./models-locations.ts";
import { canonicalStage, parseVersion } from "./registry-validation.ts";

export const PROMPT_SOURCE_PLACEHOLDERS = new Set(["dummy-source", "prompt-template"]);

export interface SourceRequest {
  source: string;
  runId?: string;
  modelId?: string;
  isPrompt: boolean;
}

export interface ResolvedSource {
  source: string;
  storageLocation: string;
  runId?: string;
  modelId?: string;
}

function invalidSource(source: string, why: string): MlflowError {
  return invalidParam(`Invalid model version source: '${source}'. ${why}`);
}

/** Turns "not found" while resolving into a 400 on the source, as MLflow reports it. */
async function lookup<T>(source: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isMlflowError(e) && e.code === "RESOURCE_DOES_NOT_EXIST") {
      throw invalidSource(
        source,
        `The ${what} request parameter must identify the resource that contains the source.`,
      );
    }
    throw e;
  }
}

/** A location as comparable parts: which space it is in and its decoded path segments. */
function locationParts(uri: string): { space: string; parts: string[] } | undefined {
  const u = urlparse(uri);
  if (u.scheme === "mlflow-artifacts") {
    return { space: `proxy|${u.netloc.toLowerCase()}`, parts: segments(decodeRepeatedly(u.path)) };
  }
  const local = localPathOf(uri);
  return local === undefined ? undefined : { space: "local", parts: segments(local) };
}

const segments = (p: string) => p.split("/").filter((s) => s !== "" && s !== ".");

function isInside(source: string, root: string): boolean {
  const s = locationParts(source);
  const r = locationParts(root);
  if (!s || !r || s.space !== r.space || r.parts.length === 0) return false;
  return r.parts.every((p, i) => s.parts[i] === p);
}

function joinLocation(root: string, rel: string): string {
  return rel === "" ? root : `${root.replace(/\/+$/, "")}/${rel}`;
}

export async function resolveModelVersionSource(
  store: FullStore,
  roots: ArtifactRootsConfig,
  req: SourceRequest,
): Promise<ResolvedSource> {
  const { source } = req;
  const decoded = decodeRepeatedly(source);
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f\\]/.test(decoded)) {
    throw invalidSource(source, "Control characters and backslashes are not allowed.");
  }
  if (req.isPrompt) {
    if (!PROMPT_SOURCE_PLACEHOLDERS.has(source)) {
      throw invalidSource(source, "Prompt sources must use an MLflow placeholder.");
    }
    return { source, storageLocation: source, runId: req.runId, modelId: req.modelId };
  }
  const resolved = await resolveKind(store, req);
  // Whatever the form, the files must be in a root this server serves (proven on disk).
  try {
    await resolveServedDir(resolved.storageLocation, roots);
  } catch (e) {
    if (isMlflowError(e)) {
      throw invalidSource(source, "It does not resolve inside the server's artifact roots.");
    }
    throw e;
  }
  return resolved;
}

async function resolveKind(store: FullStore, req: SourceRequest): Promise<ResolvedSource> {
  const { source } = req;
  const u = urlparse(source);
  if (u.scheme === "models") return await fromModelsUri(store, req);
  if (u.scheme === "runs") {
    if (u.netloc) throw invalidSource(source, "Run sources cannot name a host.");
    const [runId, ...rest] = segments(u.path);
    if (!runId) throw invalidSource(source, "A runs:/ source must name a run.");
    if (req.runId && req.runId !== runId) {
      throw invalidSource(
        source,
        "The run_id request parameter must identify the resource that contains the source.",
      );
    }
    const run = await lookup(source, "run_id", () => store.getRun(runId));
    const rel = validatePathIsSafe(rest.join("/"));
    return {
      source,
      storageLocation: joinLocation(run.info.artifactUri, rel),
      runId,
      modelId: req.modelId,
    };
  }
  if (u.scheme !== "mlflow-artifacts" && localPathOf(source) === undefined) {
    throw invalidSource(
      source,
      "Only models:/, runs:/, mlflow-artifacts: and local locations inside the server's artifact roots are " +
        "accepted; the server never fetches other URLs.",
    );
  }
  if (decodeRepeatedly(u.path).split("/").includes("..")) {
    throw invalidSource(
      source,
      "An absolute path must be provided without relative path references present.",
    );
  }
  // A location is only accepted inside the artifacts of the run or logged model the request names.
  if (req.modelId) {
    const lm = await lookup(source, "model_id", () => store.getLoggedModel(req.modelId!));
    if (!isInside(source, lm.artifactUri)) {
      throw invalidSource(
        source,
        "The model_id request parameter must identify the resource that contains the source.",
      );
    }
    return { source, storageLocation: source, runId: req.runId ?? lm.sourceRunId, modelId: req.modelId };
  }
  if (!req.runId) {
    throw invalidSource(
      source,
      "To use a location as a model version source, the run_id (or model_id) request parameter has to be " +
        "specified and the location has to be inside its artifact directory.",
    );
  }
  const run = await lookup(source, "run_id", () => store.getRun(req.runId!));
  if (!isInside(source, run.info.artifactUri)) {
    throw invalidSource(
      source,
      "The run_id request parameter must identify the resource that contains the source.",
    );
  }
  return { source, storageLocation: source, runId: req.runId };
}

const MODEL_ID = /^m-[0-9a-f]{32}$/;

async function fromModelsUri(store: FullStore, req: SourceRequest): Promise<ResolvedSource> {
  const { source } = req;
  const u = urlparse(source);
  if (u.netloc) throw invalidSource(source, "Registered model sources must use this server's registry.");
  const parts = segments(u.path);
  // `models:/<model_id>`: a logged model.
  if (parts.length === 1 && !parts[0].includes("@")) {
    const modelId = parts[0];
    if (!MODEL_ID.test(modelId)) throw invalidSource(source, "It names no logged model.");
    if (req.modelId && req.modelId !== modelId) {
      throw invalidSource(
        source,
        "The model_id request parameter must identify the resource that contains the source.",
      );
    }
    const lm = await lookup(source, "model_id", () => store.getLoggedModel(modelId));
    return { source, storageLocation: lm.artifactUri, runId: req.runId || lm.sourceRunId, modelId };
  }
  // `models:/<name>/<version|stage|latest>` or `models:/<name>@<alias>`: another version.
  const version = await lookup(source, "source", () => versionOf(store, source, parts));
  if ((req.runId && req.runId !== version.runId) || (req.modelId && req.modelId !== version.modelId)) {
    throw invalidSource(
      source,
      "The run_id and model_id request parameters must match the referenced model version.",
    );
  }
  return {
    source: `models:/${version.name}/${version.version}`,
    storageLocation: version.storageLocation,
    runId: req.runId || version.runId,
    modelId: req.modelId || version.modelId,
  };
}

async function versionOf(store: FullStore, source: string, parts: string[]): Promise<ModelVersion> {
  if (parts.length === 1) {
    const at = parts[0].indexOf("@");
    return await store.getModelVersionByAlias(parts[0].slice(0, at), parts[0].slice(at + 1));
  }
  if (parts.length !== 2) throw invalidSource(source, "Expected models:/<name>/<version>.");
  const [name, ref] = parts;
  if (/^\d+$/.test(ref)) return await store.getModelVersion(name, parseVersion(ref));
  if (ref.toLowerCase() === "latest") return await store.getModelVersionByAlias(name, "latest");
  const [latest] = await store.getLatestVersions(name, [canonicalStage(ref)]);
  if (!latest) throw invalidSource(source, `No version of '${name}' is in stage '${ref}'.`);
  return latest;
}
