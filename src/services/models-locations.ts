// The artifact-root policy behind every user-given location (experiment artifact_location, model
// version source) and every location the server reads for models. Closes MLflow's CVE classes by
// construction rather than by spotting bad strings:
// - the server only reads and writes inside its configured roots: the artifacts destination (behind
//   `mlflow-artifacts:`) and a local default artifact root; the check runs on the real path (symlinks
//   resolved) at serving time, and lexically when a location is stored;
// - the server never fetches a URL: http(s), ftp, hdfs, dbfs and unknown schemes are refused when given;
//   client-direct object stores (s3, gs, ...) may be stored, but are never served.

import * as path from "node:path";
import { invalidParam } from "../errors.ts";
import { isWithin, realPathAllowMissing } from "../artifacts/paths.ts";
import { resolveArtifactDir } from "../artifacts/resolve.ts";
import { decodeRepeatedly, urlparse } from "./artifact-location.ts";

export interface ArtifactRootsConfig {
  serveArtifacts: boolean;
  artifactsDestination: string;
  defaultArtifactRoot: string;
  /** The backend folder: local-mode clients write MLflow's FileStore layout (artifacts included) there. */
  backendStoreUri?: string;
  /** Folders registered in the store (runs imported by reference keep their artifacts there). */
  extraRoots?: string[];
}

/** Object stores the Python client writes to directly; the server only records their URIs. */
export const CLIENT_DIRECT_SCHEMES = new Set([
  "s3",
  "s3a",
  "s3n",
  "gs",
  "wasb",
  "wasbs",
  "oss",
  "adl",
  "abfs",
]);

/** Local directories the server may read and write, absolute (symlinks not yet resolved). */
export function localArtifactRoots(config: ArtifactRootsConfig): string[] {
  const roots: string[] = [];
  if (config.serveArtifacts) roots.push(path.resolve(config.artifactsDestination));
  const def = localPathOf(config.defaultArtifactRoot);
  if (def !== undefined) roots.push(path.resolve(def));
  const backend = config.backendStoreUri;
  if (backend !== undefined && path.isAbsolute(backend)) roots.push(path.resolve(backend));
  for (const r of config.extraRoots ?? []) if (path.isAbsolute(r)) roots.push(path.resolve(r));
  return roots;
}

/** The local path a `file:` URI or plain absolute path names; undefined for other URIs. */
export function localPathOf(uri: string): string | undefined {
  const u = urlparse(uri);
  if (u.scheme === "" && uri.startsWith("/")) return decodeRepeatedly(uri);
  if (u.scheme !== "file") return undefined;
  if (u.netloc !== "" && u.netloc.toLowerCase() !== "localhost") return undefined;
  return decodeRepeatedly(u.path);
}

function refuse(field: string, value: string, why: string) {
  return invalidParam(`Invalid ${field} '${value}': ${why}`);
}

/**
 * Checks a location a user wants stored (experiment artifact_location): `mlflow-artifacts:` paths,
 * local paths inside a root, or client-direct object stores. Everything else is refused.
 */
export function checkUserLocation(
  value: string,
  config: ArtifactRootsConfig,
  field = "artifact_location",
): void {
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f\\]/.test(decodeRepeatedly(value))) {
    throw refuse(field, value, "control characters and backslashes are not allowed");
  }
  const u = urlparse(value);
  if (u.scheme === "mlflow-artifacts" || CLIENT_DIRECT_SCHEMES.has(u.scheme)) return;
  const local = localPathOf(value);
  if (local === undefined) {
    throw refuse(
      field,
      value,
      "only mlflow-artifacts:, local paths inside the server's artifact roots and client-side object " +
        "stores (s3, gs, wasbs, ...) are accepted; the server never fetches other URLs",
    );
  }
  const abs = path.resolve(local);
  if (local.split("/").includes("..") || !localArtifactRoots(config).some((r) => isWithin(r, abs))) {
    throw refuse(field, value, "local locations must be inside the server's artifact roots");
  }
}

/**
 * The local directory behind a stored location, proven (real paths) to be inside a configured root.
 * Refuses remote schemes, traversal and anything outside the roots with INVALID_PARAMETER_VALUE.
 */
export async function resolveServedDir(uri: string, config: ArtifactRootsConfig): Promise<string> {
  const scheme = urlparse(uri).scheme;
  if (scheme === "mlflow-artifacts" && !config.serveArtifacts) {
    throw invalidParam(`Cannot serve artifacts from '${uri}': the server runs with --no-serve-artifacts`);
  }
  if (scheme === "" && !uri.startsWith("/")) {
    throw invalidParam(`Cannot serve artifacts from '${uri}': not an absolute location`);
  }
  const dir = await resolveArtifactDir(uri, config);
  const real = await realPathAllowMissing(dir);
  for (const root of localArtifactRoots(config)) {
    if (isWithin(await realPathAllowMissing(root), real)) return real;
  }
  throw invalidParam(`Cannot serve artifacts from '${uri}': it is outside the server's artifact roots`);
}

/** resolveServedDir for a run's or model's stored location, with the store's registered extra roots. */
export async function resolveStoredArtifactDir(
  uri: string,
  config: ArtifactRootsConfig,
  store: { artifactRoots(): Promise<string[]> },
): Promise<string> {
  return await resolveServedDir(uri, { ...config, extraRoots: await store.artifactRoots() });
}
