// Routes that are not described by an `Endpoint` (model registry, logged models) record themselves here
// when they are registered, so the OpenAPI document lists them from the schemas that validate them.

import type { z } from "zod";

export type DocMethod = "GET" | "POST" | "PATCH" | "DELETE";

export interface RouteDoc {
  method: DocMethod;
  /** Hono path below `/api/2.0/mlflow`, e.g. "/logged-models/:model_id/tags/:tag_key{.+}". */
  path: string;
  request: z.ZodType;
}

const docs = new Map<string, RouteDoc>();

/** Idempotent: every app built (one per Worker, many in tests) registers the same routes again. */
export function documentRoute(doc: RouteDoc): void {
  docs.set(`${doc.method} ${doc.path}`, doc);
}

export function documentedRoutes(): RouteDoc[] {
  return [...docs.values()];
}

/** Hono's `:name` / `:name{regex}` path parameters in OpenAPI's `{name}` form, with their names. */
export function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = [];
  const out = path.replace(/:(\w+)(\{[^}]*\})?/g, (_m, name: string) => {
    params.push(name);
    return `{${name}}`;
  });
  return { path: out, params };
}
