// One REST call: URL and body in MLflow's dialect, auth headers, bounded retries, and the answer checked
// with a zod schema. A non-2xx answer becomes a TrackerError carrying MLflow's error_code.

import type { z } from "zod";
import { errorFromResponse, TrackerError } from "./errors.ts";
import { type RetryPolicy, withRetries } from "./retry.ts";
import type { Transport } from "./transport.ts";
import { encodeBody } from "./wire.ts";

export type Method = "GET" | "POST" | "PATCH" | "DELETE" | "PUT";

export const API = "/api/2.0/mlflow";

export class ApiCaller {
  constructor(
    readonly transport: Transport,
    readonly retry: RetryPolicy,
    readonly headers: Headers,
  ) {}

  /** Calls `<base><path>` with `payload` (query string for GET/DELETE, JSON body otherwise). */
  async call<T>(
    method: Method,
    path: string,
    payload: Record<string, unknown>,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const withQuery = method === "GET" || method === "DELETE";
    const url = this.transport.baseUrl + path + (withQuery ? queryString(payload) : "");
    const res = await this.request(method, url, withQuery ? undefined : encodeBody(payload));
    const text = await res.text();
    let json: unknown = {};
    if (text.trim() !== "") {
      try {
        json = JSON.parse(text);
      } catch {
        throw new TrackerError(
          `${method} ${path}: the server answered with non-JSON text`,
          "INTERNAL_ERROR",
          res.status,
        );
      }
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TrackerError(
        `${method} ${path}: unexpected answer (${issue?.path.join(".") || "body"}: ${issue?.message})`,
        "INTERNAL_ERROR",
        res.status,
      );
    }
    return parsed.data;
  }

  /** A retried request; resolves with a 2xx Response, otherwise throws a TrackerError. */
  async request(
    method: Method,
    url: string,
    body?: string | Uint8Array<ArrayBuffer>,
    extra?: HeadersInit,
  ): Promise<Response> {
    const headers = new Headers(this.headers);
    if (typeof body === "string") headers.set("content-type", "application/json");
    if (extra) new Headers(extra).forEach((v, k) => headers.set(k, v));
    const res = await this.retried(
      url,
      (signal) => this.transport.send(new Request(url, { method, headers, body }), signal),
    );
    return await this.checked(res, `${method} ${pathOf(url)}`);
  }

  /** Runs a request-producing function under the retry policy; network failures become TrackerErrors. */
  async retried(url: string, attempt: (signal: AbortSignal) => Promise<Response>): Promise<Response> {
    try {
      return await withRetries(attempt, this.retry);
    } catch (e) {
      if (e instanceof TrackerError) throw e;
      const cause = (e as { cause?: { message?: string; code?: string } })?.cause;
      const detail = cause?.message ?? cause?.code;
      const reason = ((e as Error)?.message ?? String(e)) + (detail ? `: ${detail}` : "");
      throw new TrackerError(
        `cannot reach the tracking server at ${
          originOf(url)
        } (${reason}) after ${this.retry.maxRetries} retries`,
        "NETWORK_ERROR",
      );
    }
  }

  async checked(res: Response, what: string): Promise<Response> {
    if (res.ok) return res;
    throw errorFromResponse(res.status, await res.text().catch(() => ""), what);
  }
}

/** `?a=1&b=x&b=y`: arrays become repeated keys, undefined is left out, as MLflow's GET expects. */
export function queryString(payload: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(payload)) {
    if (v === undefined || v === null) continue;
    for (const item of Array.isArray(v) ? v : [v]) q.append(k, String(item));
  }
  const s = q.toString();
  return s ? `?${s}` : "";
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
