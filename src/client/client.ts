// TrackerClient: the low-level REST client plus artifacts, connected to a tracking server over HTTP or,
// in local mode (Deno only), to the store in a folder — through the server holding that folder when one
// runs, else in-process.

import { defaultHeaders } from "./auth.ts";
import { type EnvReader, isDeno, readEnv } from "./env.ts";
import { TrackerError } from "./errors.ts";
import { ApiCaller } from "./http.ts";
import { RestClient } from "./rest.ts";
import { type RetryPolicy, retryPolicyFromEnv } from "./retry.ts";
import { resolveTrackingUri, type TrackingTarget } from "./tracking-uri.ts";
import { HttpTransport, type Transport } from "./transport.ts";
import type { FileInfo } from "./types.ts";
import { artifactRepoFor } from "./artifacts/resolve.ts";
import type { ArtifactRepo } from "./artifacts/repo.ts";
import * as ops from "./artifacts/ops.ts";

export interface ConnectOptions {
  /** http(s) URL, folder path or file: URI; default MLFLOW_TRACKING_URI, else ./mlruns (local mode). */
  trackingUri?: string;
  retry?: Partial<RetryPolicy>;
  env?: EnvReader;
  /** A ready transport (tests, embedding); trackingUri is then ignored. */
  transport?: Transport;
}

export class TrackerClient extends RestClient {
  /** What the tracking URI resolved to. */
  readonly target: TrackingTarget;

  constructor(
    transport: Transport,
    target: TrackingTarget,
    opts: { retry?: Partial<RetryPolicy>; env?: EnvReader } = {},
  ) {
    const env = opts.env ?? readEnv;
    super(new ApiCaller(transport, { ...retryPolicyFromEnv(env), ...opts.retry }, defaultHeaders(env)));
    this.target = target;
  }

  /** Connects to the tracking URI (see ConnectOptions); local mode opens or finds the store. */
  static async connect(opts: ConnectOptions = {}): Promise<TrackerClient> {
    if (opts.transport) {
      return new TrackerClient(opts.transport, { kind: "http", url: opts.transport.baseUrl }, opts);
    }
    const target = resolveTrackingUri(opts.trackingUri, opts.env ?? readEnv);
    if (target.kind === "http") return new TrackerClient(new HttpTransport(target.url), target, opts);
    if (!isDeno()) {
      throw new TrackerError(
        `local mode (writing into ${target.dir}) needs Deno; under Node set MLFLOW_TRACKING_URI or call ` +
          "setTrackingUri with the http(s) URL of a tracker server",
        "INVALID_PARAMETER_VALUE",
      );
    }
    const { openLocalTransport } = await import("./local/mod.ts");
    return new TrackerClient(await openLocalTransport(target.dir), target, opts);
  }

  /** True when this client writes into a folder's store in this process (local mode, no server). */
  get embedded(): boolean {
    return this.transport.kind === "local";
  }

  /** The repository behind an artifact URI (a run's artifact_uri). */
  artifactRepo(artifactUri: string): ArtifactRepo {
    return artifactRepoFor(artifactUri, this.caller);
  }

  async runArtifactRepo(runId: string): Promise<ArtifactRepo> {
    return this.artifactRepo((await this.getRun(runId)).info.artifactUri);
  }

  /** Uploads a file to `<artifactPath>/<file name>` in the run's artifacts. */
  async logArtifact(runId: string, localFile: string, artifactPath?: string): Promise<void> {
    await ops.logArtifact(await this.runArtifactRepo(runId), localFile, artifactPath);
  }

  /** Uploads every file below a folder, keeping the tree, under `artifactPath`. */
  async logArtifacts(runId: string, localDir: string, artifactPath?: string): Promise<void> {
    await ops.logArtifacts(await this.runArtifactRepo(runId), localDir, artifactPath);
  }

  /** Lists through the artifact repository, as MLflow's client does (direct children, sorted). */
  async listRunArtifacts(runId: string, path?: string): Promise<FileInfo[]> {
    return await ops.listArtifacts(await this.runArtifactRepo(runId), path);
  }

  /** Downloads a file or folder ("" or undefined = everything) into dstDir; returns the local path. */
  async downloadArtifacts(runId: string, path: string | undefined, dstDir: string): Promise<string> {
    return await ops.downloadArtifacts(await this.runArtifactRepo(runId), path, dstDir);
  }

  /** Releases the store and lock of local mode; a no-op over HTTP. */
  async close(): Promise<void> {
    await this.transport.close();
  }
}
