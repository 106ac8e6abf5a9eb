// Which tracking store resolves runs:/, models:/ and mlflow-artifacts: URIs: the http(s) server named by
// --tracking-uri / MLFLOW_TRACKING_URI, or a local store folder (a path, a file: URI, or `./mlruns` when
// nothing is set), reached the way the TypeScript client's local mode reaches it: through the `tracker ui`
// that holds the folder's lock, else in-process with the lock held only while the URI is resolved.

import { resolveTrackingUri } from "../client/tracking-uri.ts";
import { TrackingClient, type TrackingEnv } from "./tracking-client.ts";

export interface TrackingConnection {
  client: TrackingClient;
  /** Releases the local store and its lock (a no-op for a server). */
  close(): Promise<void>;
}

export class TrackingTargetError extends Error {}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await Deno.stat(p)).isDirectory;
  } catch {
    return false;
  }
}

/** `trackingUri` already holds MLFLOW_TRACKING_URI when the option was not given. */
export async function connectTracking(
  trackingUri: string | undefined,
  env: TrackingEnv = {},
): Promise<TrackingConnection> {
  let target;
  try {
    target = resolveTrackingUri(trackingUri, () => undefined);
  } catch (e) {
    throw new TrackingTargetError((e as Error).message);
  }
  if (target.kind === "http") {
    return { client: new TrackingClient(target.url, env), close: () => Promise.resolve() };
  }
  const dir = target.dir;
  if (!(await isDir(dir))) {
    throw new TrackingTargetError(
      trackingUri
        ? `the tracking store folder '${dir}' does not exist`
        : `no tracking URI is set and there is no local store at '${dir}': set MLFLOW_TRACKING_URI ` +
          "(or --tracking-uri) to a tracking server or a store folder",
    );
  }
  // Loaded on demand: the embedded store pulls in the whole tracking server, which serving a folder never needs.
  const { openLocalTransport } = await import("../client/local/mod.ts");
  let transport;
  try {
    transport = await openLocalTransport(dir);
  } catch (e) {
    // A bundle run without the flag has no Deno KV; a `tracker ui` holding the folder needs none.
    if (typeof (Deno as { openKv?: unknown }).openKv !== "function") {
      throw new TrackingTargetError(
        `reading the store in '${dir}' needs Deno KV: run with --unstable-kv, start \`tracker ui\` on the ` +
          "folder, or set MLFLOW_TRACKING_URI to a tracking server",
      );
    }
    throw e;
  }
  const client = new TrackingClient(transport.baseUrl, env, (req) => transport.send(req));
  if (transport.kind === "local") {
    client.localArtifactsDir =
      (await import("../client/local/embedded.ts")).localConfig(dir).artifactsDestination;
  }
  return { client, close: () => transport.close() };
}
