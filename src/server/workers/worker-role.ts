// What a Worker of `tracker server -w N` runs: its own HTTP listener on the shared port (reusePort),
// with the store and the /metrics text coming from the main thread.

import type { ServerConfig } from "../config.ts";
import { MetricsRegistry } from "../metrics.ts";
import { remoteStore, RpcPeer } from "../../store/remote/mod.ts";
import type { Endpoint } from "../../store/remote/mod.ts";
import { buildHandler } from "./handler.ts";
import { METRICS_TARGET, WORKER_TARGET } from "./protocol.ts";
import type { MetricsAggregator, WorkerControl } from "./protocol.ts";

export function runWorkerRole(scope: Endpoint): void {
  const peer = new RpcPeer(scope);
  const registry = new MetricsRegistry();
  const aggregator = peer.remote<MetricsAggregator>(METRICS_TARGET);
  let server: Deno.HttpServer | undefined;

  const control: WorkerControl = {
    start(config: ServerConfig) {
      const store = remoteStore(peer);
      const metrics = config.exposePrometheus ? { registry, source: () => aggregator.render() } : undefined;
      const handler = buildHandler({ store, config }, metrics);
      return new Promise((resolve, reject) => {
        try {
          server = Deno.serve({
            hostname: config.host,
            port: config.port,
            reusePort: true,
            onListen: () => resolve(),
          }, handler);
        } catch (e) {
          reject(e);
        }
      });
    },
    async stop() {
      await server?.shutdown();
    },
    snapshot: () => registry.snapshot(),
  };
  peer.expose(WORKER_TARGET, control);
}
