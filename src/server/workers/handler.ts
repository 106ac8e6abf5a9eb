// The request handler every serving thread runs, the main thread (`ui`, `server -w 1`) or a Worker.

import { createApp } from "../app.ts";
import type { AppDeps } from "../app.ts";
import { withMetrics } from "../metrics.ts";
import type { MetricsRegistry, MetricsSource } from "../metrics.ts";
import { trackingRoutes } from "../routes/mod.ts";

export type Handler = (req: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;

export interface MetricsWiring {
  registry: MetricsRegistry;
  /** Produces the /metrics text (in Worker mode it asks the main thread, which sees every Worker). */
  source: MetricsSource;
}

export function buildHandler(deps: AppDeps, metrics?: MetricsWiring): Handler {
  let app = createApp(deps, trackingRoutes());
  if (metrics) app = withMetrics(app, metrics.registry, deps.config.staticPrefix, metrics.source);
  return (req, info) => app.fetch(req, info);
}
