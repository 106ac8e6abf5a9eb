// Local mode without a server: this process opens the folder's KV store and answers the client's requests
// with the same handler (routes, TrackingService, artifact service) a `tracker server` runs, in-process.
// Deno only. A folder holding an MLflow FileStore is imported first, as `tracker ui` does. Artifacts of
// new experiments go to `<folder>/<experiment_id>/<run_id>/artifacts` (file: URIs, the layout mlruns
// users know); proxied locations (mlflow-artifacts:) of experiments a server created resolve to
// `<parent>/mlartifacts`, the default --artifacts-destination of `tracker ui` started there.

import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { openKvStore } from "../../store/kv/mod.ts";
import type { TrackingStore } from "../../store/tracking-store.ts";
import type { ServerConfig } from "../../server/config.ts";
import { buildHandler, type Handler } from "../../server/workers/handler.ts";
import { KV_FILE } from "../../cli/server-options.ts";
import { importFileStoreIfPresent } from "../../interchange/mod.ts";
import type { Transport } from "../transport.ts";
const BASE_URL = "http://tracker.local";

export function localConfig(dir: string): ServerConfig {
  return {
    host: "127.0.0.1",
    port: 0,
    backendStoreUri: dir,
    defaultArtifactRoot: pathToFileURL(dir).href,
    serveArtifacts: true,
    artifactsDestination: join(dirname(dir), "mlartifacts"),
    staticPrefix: "",
    workers: 1,
    exposePrometheus: false,
    // Requests never leave this process: there is no browser or network peer to guard against.
    disableSecurityMiddleware: true,
  };
}

export class EmbeddedTransport implements Transport {
  readonly kind = "local";
  readonly baseUrl = BASE_URL;
  private closed: Promise<void> | undefined;

  private constructor(
    private readonly store: TrackingStore,
    private readonly handler: Handler,
    private readonly release: () => void,
  ) {}

  /** Opens the store in `dir`; the caller already holds the folder's lock and passes its release. */
  static async open(dir: string, release: () => void): Promise<EmbeddedTransport> {
    const config = localConfig(dir);
    const store = await openKvStore({
      path: join(dir, KV_FILE),
      defaultArtifactRoot: config.defaultArtifactRoot,
    });
    try {
      // A folder MLflow wrote (FileStore) is brought in first, as `tracker ui` does: the program then sees
      // MLflow's experiments and runs. Messages go to stderr so the program's stdout stays its own.
      const say = (line: string) => console.error(`tracker: ${line}`);
      await importFileStoreIfPresent(store, dir, {
        artifactsDestination: config.artifactsDestination,
        out: say,
        err: say,
      });
    } catch (e) {
      await store.close();
      throw e;
    }
    return new EmbeddedTransport(store, buildHandler({ store, config }), release);
  }

  async send(req: Request): Promise<Response> {
    if (this.closed) throw new Error("local store is closed");
    return await this.handler(req, SERVE_INFO);
  }

  async putFile(url: string, file: string, _size: number, headers: Headers): Promise<Response> {
    const f = await Deno.open(file, { read: true });
    return await this.send(new Request(url, { method: "PUT", body: f.readable, headers }));
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      try {
        await this.store.close();
      } finally {
        this.release();
      }
    })();
    return this.closed;
  }
}

const SERVE_INFO: Deno.ServeHandlerInfo = {
  remoteAddr: { transport: "tcp", hostname: "127.0.0.1", port: 0 },
  completed: Promise.resolve(),
};
