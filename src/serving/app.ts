// The scoring server's HTTP routes: /ping and /health (200 once the model is loaded), /version,
// POST /invocations through the Worker pool, and /metrics. Bodies are capped before they are buffered.

import { Hono } from "hono";
import { MLFLOW_COMPAT_VERSION } from "../server/config.ts";
import { ScoringError } from "./errors.ts";
import type { ServingMetrics } from "./metrics.ts";
import type { PoolAnswer, WorkerPool } from "./pool.ts";

export interface ScoringAppOptions {
  pool: Pick<WorkerPool, "invoke" | "queueDepth" | "busy" | "readyWorkers" | "size" | "restarts">;
  metrics: ServingMetrics;
  maxBodyBytes: number;
  /** False until the model is loaded; /ping answers 404 meanwhile. */
  isReady: () => boolean;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

class BodyTooLarge extends Error {}

/** Reads a request body into one fresh buffer (transferable to a Worker), refusing more than `max` bytes. */
export async function readBody(req: Request, max: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > max) throw new BodyTooLarge();
  if (!req.body) return new Uint8Array(0);
  // With a declared length the server stops reading at it: one native read, no per-chunk stream steps
  // (which cost the serving thread more than the rest of a request).
  if (Number.isFinite(declared)) return await req.bytes();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of req.body) {
    total += chunk.byteLength;
    if (total > max) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) (out.set(c, at), at += c.byteLength);
  return out;
}

export function scoringApp(opts: ScoringAppOptions): Hono {
  const app = new Hono();
  const ping = () =>
    new Response("\n", {
      status: opts.isReady() ? 200 : 404,
      headers: { "content-type": "application/json" },
    });
  app.get("/ping", ping);
  app.get("/health", ping);
  app.get(
    "/version",
    () => new Response(MLFLOW_COMPAT_VERSION, { headers: { "content-type": "application/json" } }),
  );
  app.get("/metrics", () =>
    new Response(opts.metrics.render(opts.pool), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
    }));
  app.post("/invocations", (c) => invoke(c.req.raw, opts));
  app.notFound(() =>
    new Response(JSON.stringify({ error_code: "ENDPOINT_NOT_FOUND", message: "Not Found" }), {
      status: 404,
      headers: { "content-type": "application/json" },
    })
  );
  return app;
}

async function invoke(req: Request, opts: ScoringAppOptions): Promise<Response> {
  const started = performance.now();
  let answer: PoolAnswer;
  try {
    const body = await readBody(req, opts.maxBodyBytes);
    answer = await opts.pool.invoke(body, req.headers.get("content-type"));
  } catch (e) {
    if (!(e instanceof BodyTooLarge)) throw e;
    const err = new ScoringError(
      "BAD_REQUEST",
      `The request body is larger than the limit of ${opts.maxBodyBytes} bytes; send fewer rows per request.`,
    );
    answer = { status: 413, contentType: "application/json", body: JSON.stringify(err.toJSON()) };
  }
  opts.metrics.observe(answer.status, (performance.now() - started) / 1000, answer.rows);
  return new Response(answer.body, {
    status: answer.status,
    headers: { "content-type": answer.contentType },
  });
}

/**
 * The HTTP handler: POST /invocations goes straight to the pool, everything else through the Hono app
 * (routing and its context cost ~10 µs per request in-process, a share of the serving thread's work worth
 * skipping on the hot path).
 */
export function scoringHandler(opts: ScoringAppOptions): (req: Request) => Response | Promise<Response> {
  const app = scoringApp(opts);
  return (req) => {
    if (req.method === "POST") {
      const url = req.url;
      const start = url.indexOf("/", url.indexOf("//") + 2);
      const end = url.indexOf("?", start);
      if ((end < 0 ? url.slice(start) : url.slice(start, end)) === "/invocations") return invoke(req, opts);
    }
    return app.fetch(req);
  };
}
