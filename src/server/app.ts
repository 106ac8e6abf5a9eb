// The Hono application: MLflow's REST surface under /api/2.0/mlflow and its /ajax-api alias,
// plus plain routes. Route modules register on a shared sub-app so both prefixes behave identically.

import { Hono } from "hono";
import type { Context } from "hono";
import { isMlflowError, MlflowError } from "../errors.ts";
import type { TrackingStore } from "../store/tracking-store.ts";
import type { ServerConfig } from "./config.ts";
import { MLFLOW_COMPAT_VERSION } from "./config.ts";
import { securityGuard } from "./security-guard.ts";

export interface AppDeps {
  store: TrackingStore;
  config: ServerConfig;
}

/** A route module adds its endpoints to the `/mlflow` sub-app (paths like `/experiments/create`). */
export type RouteModule = (api: Hono, deps: AppDeps) => void;
/** A module adding routes at the root (artifact proxy, `/get-artifact`, UI). */
export type RootModule = (root: Hono, deps: AppDeps) => void;

export interface AppParts {
  api?: RouteModule[];
  root?: RootModule[];
}

export function errorResponse(c: Context, e: unknown): Response {
  if (isMlflowError(e)) {
    const err = e as MlflowError;
    const status = new MlflowError(err.code, err.message).status;
    return c.json({ error_code: err.code, message: err.message }, status as 400);
  }
  console.error("internal error:", e);
  return c.json({ error_code: "INTERNAL_ERROR", message: String((e as Error)?.message ?? e) }, 500);
}

export function createApp(deps: AppDeps, parts: AppParts = {}): Hono {
  const prefix = deps.config.staticPrefix;
  const app = new Hono();
  app.onError((e, c) => errorResponse(c, e));
  if (!deps.config.disableSecurityMiddleware) {
    app.use(
      "*",
      securityGuard({
        allowedHosts: deps.config.allowedHosts,
        allowedOrigins: deps.config.corsAllowedOrigins,
        staticPrefix: prefix,
        frameOptions: deps.config.xFrameOptions,
      }),
    );
  }
  app.use("*", async (c, next) => {
    await next();
    c.header("X-Content-Type-Options", "nosniff");
  });

  const root = new Hono();
  root.get("/health", (c) => c.text("OK"));
  root.get("/version", (c) => c.text(MLFLOW_COMPAT_VERSION));
  const serverInfo = (c: Context) => c.json({ store_type: "SqlStore", workspaces_enabled: false });
  root.get("/api/3.0/mlflow/server-info", serverInfo);
  root.get("/ajax-api/3.0/mlflow/server-info", serverInfo);

  const api = new Hono();
  for (const register of parts.api ?? []) register(api, deps);
  root.route("/api/2.0/mlflow", api);
  root.route("/ajax-api/2.0/mlflow", api);
  for (const register of parts.root ?? []) register(root, deps);

  app.route(prefix || "/", root);
  // `/prefix/` is how people type it; the UI lives at `/prefix`.
  if (prefix) app.get(`${prefix}/`, (c) => c.redirect(prefix, 308));
  app.notFound((c) =>
    c.json({
      error_code: "ENDPOINT_NOT_FOUND",
      message: `No endpoint ${c.req.method} ${new URL(c.req.url).pathname}`,
    }, 404)
  );
  return app;
}
