// The OpenAPI 3.1 document of the tracking REST API, generated from the same zod schemas that validate
// requests, so it cannot drift from what the server accepts.

import { z } from "zod";
import type { Endpoint } from "./schemas/mod.ts";
import { TRACKING_ENDPOINTS } from "./schemas/mod.ts";
import { errorOut } from "./schemas/entities.ts";
import { TRACKER_VERSION } from "../server/config.ts";
import { documentedRoutes, openApiPath, type RouteDoc } from "./route-docs.ts";

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const out = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    override: (ctx) => {
      // Doubles are a custom type (number or "NaN"/"Infinity"/numeric string); say so.
      if ((ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def.type === "custom") {
        ctx.jsonSchema.anyOf = [
          { type: "number" },
          { type: "string", description: "a number, NaN, Infinity or -Infinity as a string" },
        ];
      }
    },
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

function queryParameters(schema: JsonSchema): JsonSchema[] {
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: "query",
    required: required.has(name),
    schema: s,
    ...(s.type === "array" ? { style: "form", explode: true } : {}),
  }));
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/** `extra` lets other route owners (artifacts, registry) add their endpoints to the same document. */
export function buildOpenApi(extra: readonly Endpoint[] = []): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const ep of [...TRACKING_ENDPOINTS, ...extra]) {
    const path = (ep.ajaxOnly ? "/ajax-api/2.0/mlflow" : "/api/2.0/mlflow") + ep.path;
    const request = jsonSchema(ep.request, "input");
    const item: Record<string, unknown> = (paths[path] ??= {});
    for (const method of ep.methods) {
      item[method.toLowerCase()] = {
        operationId: ep.methods.length > 1 ? `${ep.name}${method === "GET" ? "Get" : ""}` : ep.name,
        summary: ep.summary,
        ...(method === "GET"
          ? { parameters: queryParameters(request) }
          : { requestBody: { required: true, content: { "application/json": { schema: request } } } }),
        responses: {
          "200": {
            description: "Success",
            content: { "application/json": { schema: jsonSchema(ep.response, "output") } },
          },
          "400": errorResponse("Invalid request (INVALID_PARAMETER_VALUE, RESOURCE_ALREADY_EXISTS)"),
          "404": errorResponse("Unknown resource (RESOURCE_DOES_NOT_EXIST)"),
        },
      };
    }
  }
  for (const doc of documentedRoutes()) addRouteDoc(paths, doc);
  return {
    openapi: "3.1.0",
    info: {
      title: "tracker: MLflow-compatible tracking API",
      version: TRACKER_VERSION,
      description: "Every /api/2.0/mlflow path is also served under /ajax-api/2.0/mlflow. " +
        "int64 fields accept numbers or numeric strings; enums accept names or numbers.",
    },
    paths,
    components: { schemas: { Error: jsonSchema(errorOut, "output") } },
  };
}

/** "/registered-models/get-latest-versions" → "registeredModelsGetLatestVersions" (unique per path and method). */
function operationId(method: string, path: string): string {
  const words = path.replace(/\{[^}]*\}/g, "").split(/[^a-zA-Z0-9]+/).filter(Boolean);
  const camel = words.map((w, i) => (i ? w[0].toUpperCase() + w.slice(1) : w)).join("");
  return `${method.toLowerCase()}${camel[0].toUpperCase()}${camel.slice(1)}`;
}

function addRouteDoc(paths: Record<string, Record<string, unknown>>, doc: RouteDoc): void {
  const { path, params } = openApiPath(doc.path);
  const request = jsonSchema(doc.request, "input");
  const pathParams = params.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } }));
  const bodyless = doc.method === "GET";
  const query = bodyless ? queryParameters(request).filter((p) => !params.includes(p.name as string)) : [];
  const item: Record<string, unknown> = (paths["/api/2.0/mlflow" + path] ??= {});
  item[doc.method.toLowerCase()] = {
    operationId: operationId(doc.method, path),
    summary: `${doc.method} ${path}`,
    ...(pathParams.length || query.length ? { parameters: [...pathParams, ...query] } : {}),
    ...(bodyless
      ? {}
      : { requestBody: { required: true, content: { "application/json": { schema: request } } } }),
    responses: {
      "200": {
        description: "Success: MLflow's response message for this call",
        content: { "application/json": { schema: { type: "object" } } },
      },
      "400": errorResponse("Invalid request (INVALID_PARAMETER_VALUE, RESOURCE_ALREADY_EXISTS)"),
      "404": errorResponse("Unknown resource (RESOURCE_DOES_NOT_EXIST)"),
    },
  };
}
