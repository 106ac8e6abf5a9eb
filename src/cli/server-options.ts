// Options of `tracker server` / `tracker ui` (spec §10.2) and their resolution into a ServerConfig
// (default artifact root per spec §7.4). Pure: the caller creates folders and opens the store.

import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerConfig } from "../server/config.ts";
import type { OptionSpec, OptionValues } from "./options.ts";
import { UsageError } from "./options.ts";

export const DEFAULT_BACKEND = "./mlruns";
export const DEFAULT_ARTIFACTS_DESTINATION = "./mlartifacts";
export const PROXIED_ARTIFACT_ROOT = "mlflow-artifacts:/";
/** Name of our KV file inside the backend folder. */
export const KV_FILE = "tracker.kv.sqlite3";
export const DEFAULT_WORKERS = 4;
const MEMORY = ":memory:";

const spec = (s: OptionSpec) => s;

const COMMON: OptionSpec[] = [
  spec({
    name: "backend-store-uri",
    type: "string",
    env: "MLFLOW_BACKEND_STORE_URI",
    metavar: "PATH",
    help: `Folder holding tracker's data (created on first start; default ${DEFAULT_BACKEND}), ` +
      "or an http(s):// Deno KV Connect URL.",
  }),
  spec({
    name: "default-artifact-root",
    type: "string",
    env: "MLFLOW_DEFAULT_ARTIFACT_ROOT",
    metavar: "URI",
    help: `Artifact root of new experiments. Default: ${PROXIED_ARTIFACT_ROOT} when serving artifacts, ` +
      "else the backend folder.",
  }),
  spec({
    name: "serve-artifacts",
    type: "boolean",
    negatable: true,
    env: "MLFLOW_SERVE_ARTIFACTS",
    default: true,
    help: "Proxy artifact uploads, downloads and listings through this server.",
  }),
  spec({
    name: "artifacts-destination",
    type: "string",
    env: "MLFLOW_ARTIFACTS_DESTINATION",
    metavar: "PATH",
    default: DEFAULT_ARTIFACTS_DESTINATION,
    help: "Folder where proxied artifacts are stored.",
  }),
  spec({
    name: "host",
    short: "h",
    type: "string",
    env: "MLFLOW_HOST",
    metavar: "HOST",
    default: "127.0.0.1",
    help: "Network interface to bind (0.0.0.0 for all).",
  }),
  spec({
    name: "port",
    short: "p",
    type: "string",
    env: "MLFLOW_PORT",
    metavar: "PORT",
    default: "5000",
    help: "Port to listen on.",
  }),
];

const WORKERS = spec({
  name: "workers",
  short: "w",
  type: "string",
  env: "MLFLOW_WORKERS",
  metavar: "N",
  default: String(DEFAULT_WORKERS),
  help: "Number of Workers answering requests on the port; 1 serves from the main thread.",
});

const TAIL: OptionSpec[] = [
  spec({
    name: "static-prefix",
    type: "string",
    env: "MLFLOW_STATIC_PREFIX",
    metavar: "PREFIX",
    help: "Path prefix for every route, e.g. /tracker (starts with '/', no trailing '/').",
  }),
  spec({
    name: "expose-prometheus",
    type: "string",
    optionalValue: true,
    env: "MLFLOW_EXPOSE_PROMETHEUS",
    metavar: "DIR",
    help: "Serve Prometheus metrics at /metrics (DIR is accepted for MLflow compatibility and unused).",
  }),
];

const SECURITY: OptionSpec[] = [
  spec({
    name: "allowed-hosts",
    type: "string",
    env: "MLFLOW_SERVER_ALLOWED_HOSTS",
    metavar: "HOSTS",
    help: "Comma-separated Host header values accepted besides localhost and private addresses " +
      "(guards against DNS rebinding; '*' accepts any).",
  }),
  spec({
    name: "cors-allowed-origins",
    type: "string",
    env: "MLFLOW_SERVER_CORS_ALLOWED_ORIGINS",
    metavar: "ORIGINS",
    help: "Comma-separated origins allowed to change data from a browser besides localhost ('*' = any).",
  }),
  spec({
    name: "x-frame-options",
    type: "string",
    env: "MLFLOW_SERVER_X_FRAME_OPTIONS",
    metavar: "VALUE",
    default: "SAMEORIGIN",
    help: "X-Frame-Options header: SAMEORIGIN, DENY or NONE.",
  }),
  spec({
    name: "disable-security-middleware",
    type: "boolean",
    env: "MLFLOW_SERVER_DISABLE_SECURITY_MIDDLEWARE",
    help: "Turn off the Host and cross-origin checks.",
  }),
];

export const SERVER_OPTIONS: OptionSpec[] = [...COMMON, WORKERS, ...TAIL, ...SECURITY];
/** `ui` is the same server in one thread: no --workers. */
export const UI_OPTIONS: OptionSpec[] = [...COMMON, ...TAIL, ...SECURITY];

export interface ResolvedServer {
  config: ServerConfig;
  /** What openKvStore gets: `<folder>/tracker.kv.sqlite3` or a KV Connect URL. */
  kvPath: string;
  /** Local backend folder to create before opening the store; undefined for KV Connect. */
  backendDir?: string;
  /** Lines to print before starting (MLflow prints the same facts). */
  notices: string[];
}

/** Turns parsed option values into the server's settings; throws UsageError on bad values. */
export function resolveServerOptions(values: OptionValues, cwd: string): ResolvedServer {
  const notices: string[] = [];
  const str = (name: string) => values[name] as string | undefined;

  let backend = str("backend-store-uri");
  if (backend === undefined) {
    backend = DEFAULT_BACKEND;
    notices.push(`Backend store URI not provided. Using ${DEFAULT_BACKEND}`);
  }
  // A KV Connect URL or ":memory:" (nothing on disk, for tests) go to Deno.openKv as they are.
  const direct = /^https?:\/\//i.test(backend) || backend === MEMORY;
  const backendDir = direct ? undefined : localPath(backend, cwd, "--backend-store-uri", backendHint);
  const kvPath = backendDir === undefined ? backend : join(backendDir, KV_FILE);

  const serveArtifacts = values["serve-artifacts"] !== false;
  const given = str("default-artifact-root");
  let defaultArtifactRoot: string;
  if (given !== undefined && given !== "") {
    defaultArtifactRoot = hasScheme(given) && !given.startsWith("file:")
      ? given
      : fileUri(localPath(given, cwd));
  } else if (serveArtifacts) {
    defaultArtifactRoot = PROXIED_ARTIFACT_ROOT;
  } else {
    defaultArtifactRoot = fileUri(backendDir ?? resolve(cwd, DEFAULT_BACKEND));
  }

  const destination = str("artifacts-destination") ?? DEFAULT_ARTIFACTS_DESTINATION;
  // Only a local folder can be served; the value does not matter when nothing is served.
  const artifactsDestination = serveArtifacts
    ? localPath(
      destination,
      cwd,
      "--artifacts-destination",
      () => "tracker serves artifacts from a local folder",
    )
    : resolve(cwd, hasScheme(destination) ? DEFAULT_ARTIFACTS_DESTINATION : destination);

  const host = str("host") ?? "127.0.0.1";
  if (host.trim() === "") throw new UsageError("--host must not be empty");

  return {
    config: {
      host,
      port: parseIntOption(str("port") ?? "5000", "--port", 0, 65535),
      backendStoreUri: backendDir ?? backend,
      defaultArtifactRoot,
      serveArtifacts,
      artifactsDestination,
      staticPrefix: validateStaticPrefix(str("static-prefix")),
      workers: values.workers === undefined ? 1 : parseIntOption(str("workers")!, "--workers", 1, 256),
      exposePrometheus: values["expose-prometheus"] !== undefined,
      allowedHosts: list(str("allowed-hosts")),
      corsAllowedOrigins: list(str("cors-allowed-origins")),
      xFrameOptions: validateFrameOptions(str("x-frame-options")),
      disableSecurityMiddleware: values["disable-security-middleware"] === true,
    },
    kvPath,
    backendDir,
    notices,
  };
}

const list = (v: string | undefined) =>
  v === undefined ? undefined : v.split(",").map((s) => s.trim()).filter((s) => s !== "");

function validateFrameOptions(v: string | undefined): string {
  const value = (v ?? "SAMEORIGIN").trim().toUpperCase();
  if (!["SAMEORIGIN", "DENY", "NONE"].includes(value)) {
    throw new UsageError(`--x-frame-options must be SAMEORIGIN, DENY or NONE, got '${v}'`);
  }
  return value;
}

export function validateStaticPrefix(value: string | undefined): string {
  if (value === undefined || value === "") return "";
  if (!value.startsWith("/")) throw new UsageError("--static-prefix must begin with a '/'");
  if (value.endsWith("/")) throw new UsageError("--static-prefix must not end with a '/'");
  if (/[{}?#\s]/.test(value)) {
    throw new UsageError("--static-prefix must not contain '{', '}', '?', '#' or spaces");
  }
  return value;
}

function parseIntOption(raw: string, flag: string, min: number, max: number): number {
  const s = raw.trim();
  const n = Number(s);
  if (!/^\d+$/.test(s) || n < min || n > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got '${raw}'`);
  }
  return n;
}

const backendHint = () => "use a folder (e.g. ./mlruns) or an http(s):// Deno KV Connect URL";

// "C:\x" looks like scheme "c:"; a URI scheme needs at least two characters.
const hasScheme = (s: string) => /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(s);

/** Absolute local path of a plain path or file: URI; anything else is a usage error. */
function localPath(value: string, cwd: string, flag?: string, hint?: () => string): string {
  if (value.startsWith("file:")) {
    try {
      return fileURLToPath(value);
    } catch {
      throw new UsageError(`${flag}: not a local file URI: '${value}'`);
    }
  }
  if (hasScheme(value)) throw new UsageError(`${flag}: unsupported URI '${value}'; ${hint!()}`);
  return resolve(cwd, value);
}

const fileUri = (path: string) => pathToFileURL(path).href;
