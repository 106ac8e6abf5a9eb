// Maps a stored artifact URI (a run's artifact_uri, a model version's source) to the local directory the
// server may read and write. Only locations on this machine are served: the proxied `mlflow-artifacts:`
// space under the artifacts destination, `file:` URIs and plain paths. Every other scheme is refused,
// because the server must never fetch a URL a user stored (SSRF), and traversal inside the URI is refused
// because it is how stored locations were used to escape (MLflow CVE-2023-2356, -6909, 2024-1483).

import * as path from "node:path";
import { invalidParam } from "../errors.ts";
import { percentDecode, resolveInside, validatePathIsSafe } from "./paths.ts";

export interface ArtifactRootConfig {
  /** Directory behind `mlflow-artifacts:` URIs. */
  artifactsDestination: string;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):/;

/** Absolute local directory for `uri`, or INVALID_PARAMETER_VALUE when it is not served locally. */
export async function resolveArtifactDir(uri: string, config: ArtifactRootConfig): Promise<string> {
  const refuse = (why: string) => invalidParam(`Cannot serve artifacts from '${uri}': ${why}`);
  if (uri.includes("#") || uri.includes("?")) throw refuse("query strings and fragments are not allowed");
  const scheme = SCHEME.exec(uri)?.[1].toLowerCase();

  if (scheme === "mlflow-artifacts") {
    let rest = uri.slice(scheme.length + 1);
    // `mlflow-artifacts://host:port/p`: the authority names the server, which is us.
    if (rest.startsWith("//")) {
      const slash = rest.indexOf("/", 2);
      rest = slash < 0 ? "" : rest.slice(slash);
    }
    const sub = validatePathIsSafe(rest.replace(/^\/+/, ""));
    return await resolveInside(config.artifactsDestination, sub);
  }

  let local: string;
  if (scheme === "file") {
    let rest = uri.slice(5);
    if (rest.startsWith("//")) {
      const slash = rest.indexOf("/", 2);
      const host = rest.slice(2, slash < 0 ? undefined : slash);
      if (host !== "" && host.toLowerCase() !== "localhost") throw refuse("file URIs must name this host");
      rest = slash < 0 ? "/" : rest.slice(slash);
    }
    local = percentDecode(rest);
    if (!local.startsWith("/")) throw refuse("file URIs must hold an absolute path");
  } else if (scheme === undefined || uri.startsWith("/")) {
    local = uri;
  } else {
    // One-letter "schemes" are Windows drives; everything else is a remote store or a URL.
    throw refuse("only mlflow-artifacts:, file: and local paths are served by this server");
  }
  if (local.includes("\\") || local.split("/").includes("..")) throw refuse("the path must not contain '..'");
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(local)) throw refuse("the path must not contain control characters");
  return path.resolve(local);
}
