// Names both sides of the main-thread <-> Worker channel agree on (calls go through RpcPeer).

import type { MetricsSnapshot } from "../metrics.ts";
import type { ServerConfig } from "../config.ts";

/** Exposed by each Worker. */
export const WORKER_TARGET = "worker";
export interface WorkerControl {
  /** Starts serving `config.port` with reusePort; resolves once listening. */
  start(config: ServerConfig): Promise<void>;
  /** Stops accepting connections and waits for requests in flight. */
  stop(): Promise<void>;
  snapshot(): MetricsSnapshot;
}

/** Exposed by the main thread next to the store. */
export const METRICS_TARGET = "metrics";
export interface MetricsAggregator {
  /** Prometheus text over every Worker's counters plus store gauges. */
  render(): Promise<string>;
}
