// Reads an MLflow request message: JSON body for POST/PATCH/DELETE with a body, query string for GET,
// validated by the message's zod schema. Failures become 400 INVALID_PARAMETER_VALUE like MLflow's.

import type { Context } from "hono";
import type { z } from "zod";
import { describeIssue, parseQuery } from "../api/fields.ts";
import { invalidParam } from "../errors.ts";

export async function readMessage<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const body = c.req.method === "GET" || c.req.method === "HEAD" ? undefined : await jsonBody(c);
  // DELETE/PATCH from the client may carry their fields in the query string instead of a body.
  const fromQuery = body === undefined;
  const raw = fromQuery ? queryObject(c.req.url) : body;
  const parsed = fromQuery ? parseQuery(schema, raw) : schema.safeParse(raw);
  if (!parsed.success) throw invalidParam(describeIssue(parsed.error.issues[0], raw));
  return parsed.data;
}

/** Query string → object; a repeated key becomes an array. */
export function queryObject(url: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of new URL(url).searchParams) {
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** The JSON body; undefined for a bodiless DELETE/PATCH. */
async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  const method = c.req.method;
  if (method === "POST" || method === "PUT") {
    const ct = c.req.header("content-type");
    if (text.trim() !== "" || ct !== undefined) {
      if (ct === undefined) throw invalidParam("Bad Request. Content-Type header is missing.");
      if (ct.split(";")[0].trim().toLowerCase() !== "application/json") {
        throw invalidParam(`Bad Request. Content-Type must be one of ['application/json'], got '${ct}'.`);
      }
    }
  }
  if (text.trim() === "") {
    // DELETE/PATCH from the client may carry fields in the query string.
    return method === "POST" ? {} : undefined;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
    // Old clients send a JSON string that holds the JSON message.
    if (typeof body === "string") body = JSON.parse(body);
  } catch {
    throw invalidParam("Malformed JSON in request body.");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw invalidParam("Request body must be a JSON object.");
  }
  return body;
}
