// `-m/--model-uri` to a local model directory (spec §7.1, §10.1). Local paths and file: URIs are used in
// place; everything else goes through the tracking store's REST API (a server, or the local default store,
// see tracking-target.ts): runs:/ reads the run's artifact_uri
// (falling back to the logged model of that name whose source_run_id is the run, as 3.x clients log them),
// models:/ asks the registry (version, @alias, latest/stage) or the logged model (models:/m-...), and
// mlflow-artifacts: / proxy URLs are downloaded into a temporary folder.

import * as path from "node:path";
import { resolveInside, validatePathIsSafe } from "../artifacts/paths.ts";
import { downloadArtifactDir } from "./artifact-download.ts";
import { TrackingClient, type TrackingEnv, TrackingError } from "./tracking-client.ts";
import { connectTracking } from "./tracking-target.ts";

export interface ResolvedModel {
  dir: string;
  /** Set when the model was downloaded: remove it when serving ends. */
  tempDir?: string;
  /** What the URI turned into, for the startup log. */
  source: string;
}

export interface ResolveOptions {
  trackingUri?: string;
  env?: TrackingEnv;
}

export class ModelUriError extends Error {}

const PROXY_ANCHOR = "/api/2.0/mlflow-artifacts/artifacts";

function localPathOf(uri: string): string | undefined {
  if (/^file:/i.test(uri)) {
    const u = new URL(uri);
    if (u.host !== "" && u.host !== "localhost") {
      throw new ModelUriError(`file: URIs must name a local path: '${uri}'`);
    }
    return decodeURIComponent(u.pathname);
  }
  if (!/^[A-Za-z][A-Za-z0-9+.-]+:/.test(uri)) return path.resolve(uri);
  return undefined;
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await Deno.stat(p)).isDirectory;
  } catch {
    return false;
  }
}

export async function resolveModelUri(uri: string, opts: ResolveOptions = {}): Promise<ResolvedModel> {
  const local = localPathOf(uri);
  if (local !== undefined) {
    if (!(await isDir(local))) throw new ModelUriError(`model directory '${local}' does not exist`);
    return { dir: local, source: local };
  }
  const scheme = uri.slice(0, uri.indexOf(":")).toLowerCase();
  switch (scheme) {
    case "runs":
    case "models":
    case "mlflow-artifacts": {
      const tracking = await connectTracking(opts.trackingUri, opts.env);
      try {
        if (scheme === "runs") return await resolveRunsUri(uri, tracking.client);
        if (scheme === "models") return await resolveModelsUri(uri, tracking.client);
        return await fetchArtifactUri(uri, uri, tracking.client, opts);
      } finally {
        await tracking.close();
      }
    }
    case "http":
    case "https":
      return await fetchArtifactUri(uri, uri, undefined, opts);
    default:
      throw new ModelUriError(
        `unsupported model URI '${uri}': use a local folder, file://, runs:/, models:/, mlflow-artifacts:/ ` +
          "or a tracking server's artifact URL",
      );
  }
}

/** Downloads (or locates) the directory behind a stored artifact URI. */
async function fetchArtifactUri(
  artifactUri: string,
  original: string,
  client: TrackingClient | undefined,
  opts: ResolveOptions,
): Promise<ResolvedModel> {
  const local = localPathOf(artifactUri);
  if (local !== undefined) {
    if (!(await isDir(local))) {
      throw new ModelUriError(`'${original}' resolved to '${local}', which does not exist here`);
    }
    return { dir: local, source: `${original} -> ${local}` };
  }
  let proxyClient: TrackingClient;
  let artifactPath: string;
  if (/^mlflow-artifacts:/i.test(artifactUri)) {
    const rest = artifactUri.slice("mlflow-artifacts:".length);
    if (!client) {
      throw new ModelUriError(`'${original}' resolved to '${artifactUri}', which needs a tracking server`);
    }
    const base = client;
    const inPlace = rest.startsWith("//") ? undefined : await localArtifactDir(client, rest);
    if (inPlace) return { dir: inPlace, source: `${original} -> ${inPlace}` };
    if (rest.startsWith("//")) {
      const slash = rest.indexOf("/", 2);
      const host = rest.slice(2, slash < 0 ? undefined : slash);
      proxyClient = host ? base.withHost(host) : base;
      artifactPath = slash < 0 ? "" : rest.slice(slash);
    } else {
      proxyClient = base;
      artifactPath = rest;
    }
  } else if (/^https?:/i.test(artifactUri)) {
    const u = new URL(artifactUri);
    const at = u.pathname.indexOf(PROXY_ANCHOR);
    if (at < 0) {
      throw new ModelUriError(`'${artifactUri}' is not a tracking server artifact URL (${PROXY_ANCHOR}/...)`);
    }
    proxyClient = new TrackingClient(u.origin + u.pathname.slice(0, at), opts.env);
    artifactPath = decodeURIComponent(u.pathname.slice(at + PROXY_ANCHOR.length));
  } else {
    throw new ModelUriError(
      `'${original}' resolved to '${artifactUri}'; tracker can only download models from local paths and a tracking ` +
        "server's proxied artifact service",
    );
  }
  const tempDir = await Deno.makeTempDir({ prefix: "tracker-model-" });
  const dir = path.join(tempDir, "model");
  try {
    const n = await downloadArtifactDir(proxyClient, artifactPath, dir);
    if (n === 0) throw new ModelUriError(`no files found at '${artifactUri}'`);
  } catch (e) {
    await Deno.remove(tempDir, { recursive: true }).catch(() => {});
    throw e;
  }
  return { dir, tempDir, source: `${original} -> ${artifactUri}` };
}

/** The folder behind a proxied artifact path when the store is read in-process: served in place, no copy. */
async function localArtifactDir(client: TrackingClient, rest: string): Promise<string | undefined> {
  if (!client.localArtifactsDir) return undefined;
  try {
    const safe = validatePathIsSafe(rest.replace(/^\/+/, ""));
    const dir = await resolveInside(client.localArtifactsDir, safe);
    return (await isDir(dir)) && (await hasMLmodel(dir)) ? dir : undefined;
  } catch {
    return undefined; // unsafe or missing: the download path reports it
  }
}

function splitRunsUri(uri: string): { runId: string; sub: string } {
  const m = /^runs:\/+([^/]+)\/?(.*)$/.exec(uri);
  if (!m || m[1] === "") throw new ModelUriError(`'${uri}' is not of the form runs:/<run_id>/<path>`);
  return { runId: m[1], sub: m[2].replace(/\/+$/, "") };
}

function joinUri(base: string, sub: string): string {
  return sub === "" ? base : `${base.replace(/\/+$/, "")}/${sub}`;
}

interface RunInfo {
  run: { info: { run_id: string; experiment_id: string; artifact_uri: string } };
}

interface LoggedModel {
  info: { model_id: string; name: string; source_run_id?: string; artifact_uri: string };
}

async function resolveRunsUri(uri: string, client: TrackingClient): Promise<ResolvedModel> {
  const { runId, sub } = splitRunsUri(uri);
  const run = await client.getJson<RunInfo>(`/api/2.0/mlflow/runs/get?run_id=${encodeURIComponent(runId)}`);
  const info = run.run.info;
  const errors: string[] = [];
  try {
    const resolved = await fetchArtifactUri(joinUri(info.artifact_uri, sub), uri, client, {});
    if (await hasMLmodel(resolved.dir)) return resolved;
    if (resolved.tempDir) await Deno.remove(resolved.tempDir, { recursive: true }).catch(() => {});
    errors.push(`the run's artifacts at '${sub}' hold no MLmodel`);
  } catch (e) {
    errors.push(`the run's artifacts at '${sub}': ${(e as Error).message}`);
  }
  // MLflow 3 logs models as logged models of the run's experiment, named after the artifact path.
  try {
    const found = await client.postJson<{ models?: LoggedModel[] }>("/api/2.0/mlflow/logged-models/search", {
      experiment_ids: [info.experiment_id],
      filter: `name = '${sub.replaceAll("'", "\\'")}'`,
      max_results: 100,
    });
    const model = (found.models ?? []).find((m) => m.info.source_run_id === runId);
    if (model) return await fetchArtifactUri(model.info.artifact_uri, uri, client, {});
    errors.push(`no logged model named '${sub}' comes from run ${runId}`);
  } catch (e) {
    errors.push(`logged-models/search: ${(e as Error).message}`);
  }
  throw new ModelUriError(`cannot find a model at '${uri}': ${errors.join("; ")}`);
}

async function hasMLmodel(dir: string): Promise<boolean> {
  try {
    return (await Deno.stat(path.join(dir, "MLmodel"))).isFile;
  } catch {
    return false;
  }
}

async function resolveModelsUri(uri: string, client: TrackingClient): Promise<ResolvedModel> {
  const body = uri.replace(/^models:\/+/, "");
  const at = body.indexOf("@");
  const q = (params: Record<string, string>) => new URLSearchParams(params).toString();
  let artifactUri: string;
  try {
    if (at >= 0) {
      const name = body.slice(0, at), alias = body.slice(at + 1);
      const mv = await client.getJson<{ model_version: { version: string } }>(
        `/api/2.0/mlflow/registered-models/alias?${q({ name, alias })}`,
      );
      artifactUri = await downloadUri(client, name, mv.model_version.version);
    } else if (!body.includes("/")) {
      const m = await client.getJson<{ model: LoggedModel }>(
        `/api/2.0/mlflow/logged-models/${encodeURIComponent(body)}`,
      );
      artifactUri = m.model.info.artifact_uri;
    } else {
      const slash = body.lastIndexOf("/");
      const name = body.slice(0, slash), ref = body.slice(slash + 1);
      if (/^\d+$/.test(ref)) {
        artifactUri = await downloadUri(client, name, ref);
      } else {
        const stages = ref.toLowerCase() === "latest" ? [] : [ref];
        const latest = await client.postJson<{ model_versions?: { version: string }[] }>(
          "/api/2.0/mlflow/registered-models/get-latest-versions",
          { name, stages },
        );
        const versions = (latest.model_versions ?? []).map((v) => Number(v.version));
        if (versions.length === 0) {
          throw new ModelUriError(`registered model '${name}' has no version in stage '${ref}'`);
        }
        artifactUri = await downloadUri(client, name, String(Math.max(...versions)));
      }
    }
  } catch (e) {
    if (e instanceof TrackingError && e.status === 404) {
      throw new ModelUriError(
        `cannot resolve '${uri}': ${e.message} (does this server have the model registry?)`,
      );
    }
    throw e;
  }
  return await fetchArtifactUri(artifactUri, uri, client, {});
}

async function downloadUri(client: TrackingClient, name: string, version: string): Promise<string> {
  const r = await client.getJson<{ artifact_uri: string }>(
    `/api/2.0/mlflow/model-versions/get-download-uri?${new URLSearchParams({ name, version })}`,
  );
  return r.artifact_uri;
}
