// Where the client sends its data: an http(s) tracking server, or a local folder (local mode; default
// ./mlruns when neither setTrackingUri nor MLFLOW_TRACKING_URI names anything).

import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type EnvReader, envValue, readEnv } from "./env.ts";
import { TrackerError } from "./errors.ts";

export type TrackingTarget = { kind: "http"; url: string } | { kind: "local"; dir: string };

export const DEFAULT_LOCAL_DIR = "./mlruns";

export function resolveTrackingUri(uri: string | undefined, env: EnvReader = readEnv): TrackingTarget {
  const given = uri || envValue("MLFLOW_TRACKING_URI", env);
  if (!given) return { kind: "local", dir: resolve(DEFAULT_LOCAL_DIR) };
  if (/^https?:\/\//i.test(given)) return { kind: "http", url: given.replace(/\/+$/, "") };
  if (given.startsWith("file:")) {
    try {
      return { kind: "local", dir: fileURLToPath(given) };
    } catch {
      throw unsupported(given);
    }
  }
  // Windows drive letters ("C:\...") are paths; anything else with a scheme is another store type.
  if (/^[a-zA-Z][\w+.-]+:/.test(given)) throw unsupported(given);
  return { kind: "local", dir: resolve(given) };
}

function unsupported(uri: string): TrackerError {
  return new TrackerError(
    `tracking URI '${uri}' is not supported: use http(s)://host:port for a server, or a folder path ` +
      "(or file: URI) for local mode",
    "INVALID_PARAMETER_VALUE",
  );
}
