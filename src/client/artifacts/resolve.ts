// The repository for an artifact URI (spec §7.1): file: and absolute paths are read and written directly;
// mlflow-artifacts: and http(s) URIs of the artifact service go through the tracking server.

import { fileURLToPath } from "node:url";
import { isAbsolute } from "node:path";
import type { ApiCaller } from "../http.ts";
import { TrackerError } from "../errors.ts";
import { ARTIFACT_SERVICE, HttpArtifactRepo } from "./http-repo.ts";
import { LocalArtifactRepo } from "./local-repo.ts";
import type { ArtifactRepo } from "./repo.ts";

export function artifactRepoFor(uri: string, caller: ApiCaller): ArtifactRepo {
  if (uri.startsWith("file:")) return new LocalArtifactRepo(uri, fileURLToPath(uri));
  if (isAbsolute(uri)) return new LocalArtifactRepo(uri, uri);
  if (uri.startsWith("mlflow-artifacts:")) {
    const parsed = new URL(uri);
    const base = parsed.host ? withHost(caller.transport.baseUrl, parsed.host) : caller.transport.baseUrl;
    return new HttpArtifactRepo(
      uri,
      caller,
      base + ARTIFACT_SERVICE,
      trimSlashes(decodeURIComponent(parsed.pathname)),
    );
  }
  if (/^https?:\/\//i.test(uri)) {
    const at = uri.indexOf(ARTIFACT_SERVICE);
    if (at >= 0) {
      const root = uri.slice(at + ARTIFACT_SERVICE.length);
      return new HttpArtifactRepo(
        uri,
        caller,
        uri.slice(0, at) + ARTIFACT_SERVICE,
        trimSlashes(decodeURIComponent(root)),
      );
    }
  }
  const scheme = /^([a-zA-Z][\w+.-]*):/.exec(uri)?.[1] ?? "relative path";
  throw new TrackerError(
    `artifact URI '${uri}' is not supported by this client (${scheme}); it reads and writes file: and ` +
      "mlflow-artifacts: locations. Start the server with --serve-artifacts to proxy artifacts.",
    "NOT_IMPLEMENTED",
  );
}

/** `mlflow-artifacts://host:port/...` names another server: keep the tracking URI's scheme and prefix. */
function withHost(baseUrl: string, host: string): string {
  const base = new URL(baseUrl);
  return `${base.protocol}//${host}${base.pathname.replace(/\/+$/, "")}`;
}

const trimSlashes = (s: string) => s.replace(/^\/+|\/+$/g, "");
