// Shared set-up for the tracking route tests: the real app (createApp + trackingRoutes) over the real KV
// store in memory, a JSON call helper, and a snapshot of everything the store holds to prove that a
// rejected request changed nothing.

import nodeAssert from "node:assert/strict";
import type { Hono } from "hono";
import { createApp } from "../../src/server/app.ts";
import type { ServerConfig } from "../../src/server/config.ts";
import { trackingRoutes } from "../../src/server/routes/mod.ts";
import { openKvStore } from "../../src/store/kv/mod.ts";
import { allExperiments, allRuns } from "../../src/store/scan.ts";
import type { TrackingStore } from "../../src/store/tracking-store.ts";

export const assertEquals = <V>(actual: V, expected: V, msg?: string) =>
  nodeAssert.deepStrictEqual(actual, expected, msg);
export const assert: (v: unknown, msg?: string) => asserts v = nodeAssert.ok;

export const API = "/api/2.0/mlflow";
export const AJAX = "/ajax-api/2.0/mlflow";

// deno-lint-ignore no-explicit-any
export type Json = any;

export interface Reply {
  status: number;
  body: Json;
  text: string;
}

export interface Env {
  app: Hono;
  store: TrackingStore;
  /** JSON POST (or GET with `query`) against the REST prefix. */
  post(path: string, body?: unknown): Promise<Reply>;
  get(path: string, query?: Record<string, string | number | (string | number)[]>): Promise<Reply>;
  raw(path: string, init: RequestInit): Promise<Reply>;
  /** Creates an experiment and returns its id. */
  experiment(name?: string): Promise<string>;
  /** Creates a run and returns its id. */
  run(experimentId?: string, body?: Record<string, unknown>): Promise<string>;
  /** Everything the store holds, for before/after comparisons. */
  snapshot(): Promise<unknown>;
}

export function testConfig(over: Partial<ServerConfig> = {}): ServerConfig {
  return {
    host: "127.0.0.1",
    port: 0,
    backendStoreUri: ":memory:",
    defaultArtifactRoot: "mlflow-artifacts:/",
    serveArtifacts: true,
    artifactsDestination: "/nonexistent-tracker-test-artifacts",
    staticPrefix: "",
    workers: 1,
    exposePrometheus: false,
    ...over,
  };
}

let counter = 0;
export const uniq = (p = "x") => `${p}-${++counter}`;

/** A response as status, body parsed as JSON (undefined when it is not JSON) and text. */
export async function reply(res: Response): Promise<Reply> {
  const text = await res.text();
  let body: Json;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body, text };
}

/** Runs `fn` with a fresh app and store; the store is closed afterwards. */
export async function withApp(
  fn: (env: Env) => Promise<void>,
  over: Partial<ServerConfig> = {},
): Promise<void> {
  const store = await openKvStore({ path: ":memory:", defaultArtifactRoot: "mlflow-artifacts:/" });
  const app = createApp({ store, config: testConfig(over) }, trackingRoutes());
  const raw = async (path: string, init: RequestInit) => reply(await app.request(path, init));
  const post = (path: string, body: unknown = {}) =>
    raw(path.startsWith("/") ? path : `${API}/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  const get = (path: string, query: Record<string, string | number | (string | number)[]> = {}) => {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      for (const x of Array.isArray(v) ? v : [v]) qs.append(k, String(x));
    }
    const url = (path.startsWith("/") ? path : `${API}/${path}`) + (qs.size ? `?${qs}` : "");
    return raw(url, { method: "GET" });
  };
  const env: Env = {
    app,
    store,
    post,
    get,
    raw,
    async experiment(name = uniq("exp")) {
      const r = await post("experiments/create", { name });
      assertEquals(r.status, 200, r.text);
      return r.body.experiment_id;
    },
    async run(experimentId = "0", body = {}) {
      const r = await post("runs/create", { experiment_id: experimentId, start_time: 1000, ...body });
      assertEquals(r.status, 200, r.text);
      return r.body.run.info.run_id;
    },
    async snapshot() {
      const experiments = await allExperiments(store, "ALL");
      const runs = await allRuns(store, experiments.map((e) => e.experimentId), "ALL");
      const histories: Record<string, unknown> = {};
      for (const r of runs) {
        for (const m of r.data.metrics) {
          histories[`${r.info.runId}/${m.key}`] =
            (await store.getMetricHistory(r.info.runId, m.key, { offset: 0 }))
              .items;
        }
      }
      return { experiments, runs, histories };
    },
  };
  try {
    await fn(env);
  } finally {
    await store.close();
  }
}

/** Asserts an MLflow error reply; returns its message. */
export function assertError(r: Reply, status: number, code: string, includes?: string): string {
  assertEquals(r.status, status, r.text);
  assertEquals(r.body?.error_code, code, r.text);
  assert(typeof r.body.message === "string", r.text);
  if (includes !== undefined) assert(r.body.message.includes(includes), `message: ${r.body.message}`);
  return r.body.message;
}
