// Glue between the endpoint catalogue (src/api/schemas) and Hono: read and validate the message, call the
// handler, answer with MLflow's JSON. Errors propagate to the app's MLflow-style error handler.

import type { Context, Hono } from "hono";
import type { z } from "zod";
import type { Endpoint } from "../../api/schemas/mod.ts";
import { jsonResponse } from "../../api/json.ts";
import { TrackingService } from "../../services/tracking.ts";
import type { AppDeps } from "../app.ts";
import { readMessage } from "../request.ts";

export const API_PREFIX = "/api/2.0/mlflow";
export const AJAX_PREFIX = "/ajax-api/2.0/mlflow";

type Handler<Req extends z.ZodType> = (msg: z.output<Req>, c: Context) => Promise<unknown>;

/** Registers `ep` on the `/mlflow` sub-app (served under both the REST and the ajax prefix). */
export function serve<Req extends z.ZodType>(api: Hono, ep: Endpoint<Req>, handler: Handler<Req>): void {
  for (const method of ep.methods) {
    api.on(method, ep.path, async (c) => jsonResponse(await handler(await readMessage(c, ep.request), c)));
  }
}

/** Registers an ajax-only endpoint (MLflow's UI helpers) on the root app. */
export function serveAjax<Req extends z.ZodType>(root: Hono, ep: Endpoint<Req>, handler: Handler<Req>): void {
  for (const method of ep.methods) {
    root.on(
      method,
      AJAX_PREFIX + ep.path,
      async (c) => jsonResponse(await handler(await readMessage(c, ep.request), c)),
    );
  }
}

const services = new WeakMap<AppDeps, TrackingService>();

/** One service per app: route modules share it. */
export function trackingService(deps: AppDeps): TrackingService {
  let svc = services.get(deps);
  if (!svc) {
    svc = new TrackingService(deps.store, deps.config);
    services.set(deps, svc);
  }
  return svc;
}
