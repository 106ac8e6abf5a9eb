// Set-up for the security suite (issue 3, ../shared/spec/security-cases.md): the real app and KV store
// over a real artifacts destination, canaries outside it (a file, a directory, a file that a symlink
// inside the root points at), and a canary HTTP listener on 127.0.0.1 that must never be hit. After
// every attack, `assertUntouched` proves that nothing outside the root was written, deleted or created.

import * as path from "node:path";
import type { Hono } from "hono";
import { createApp } from "../../src/server/app.ts";
import type { ServerConfig } from "../../src/server/config.ts";
import { trackingRoutes } from "../../src/server/routes/mod.ts";
import { openKvStore } from "../../src/store/kv/mod.ts";
import type { FullStore } from "../../src/store/model-store.ts";
import {
  API,
  assert,
  assertEquals,
  type Reply,
  reply,
  testConfig as routesConfig,
} from "./routes_harness.ts";

export { API, assert, assertEquals, type Reply };
export type { Json } from "./routes_harness.ts";

export interface SecurityEnv {
  app: Hono;
  store: FullStore;
  tmp: string;
  /** The artifacts destination (the only root). */
  root: string;
  canaryFile: string;
  canaryDir: string;
  /** URL of the canary listener; `hits` counts requests it received. */
  canaryUrl: string;
  hits: () => number;
  req(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  post(p: string, body: unknown): Promise<Reply>;
  get(p: string, query?: Record<string, string>): Promise<Reply>;
  /** An experiment, a run in it, and a file under the run's artifacts; returns ids and the run dir. */
  runWithFile(): Promise<{ expId: string; runId: string; runDir: string; artifactUri: string }>;
}

/** Every path under `dir` (except `skip`) with kind, size and mtime. */
export async function fsSnapshot(dir: string, skip: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string) {
    for await (const e of Deno.readDir(d)) {
      const full = path.join(d, e.name);
      if (full === skip) continue;
      const st = await Deno.lstat(full);
      const content = st.isFile ? await Deno.readTextFile(full) : "";
      out.push(
        `${path.relative(dir, full)} ${st.isDirectory ? "d" : st.isSymlink ? "l" : st.size} ${content}`,
      );
      if (st.isDirectory) await walk(full);
    }
  }
  await walk(dir);
  return out.sort();
}

/** The routes tests' config with `root` as the artifacts destination. */
export function testConfig(root: string, over: Partial<ServerConfig> = {}): ServerConfig {
  return routesConfig({ artifactsDestination: root, ...over });
}

/** Runs `fn` against a fresh app; afterwards checks that the outside of the root is unchanged. */
export async function withSecurityEnv(fn: (env: SecurityEnv) => Promise<void>): Promise<void> {
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "security_" }));
  const root = path.join(tmp, "mlartifacts");
  await Deno.mkdir(root);
  const canaryFile = path.join(tmp, "secret.txt");
  const canaryDir = path.join(tmp, "outside");
  await Deno.writeTextFile(canaryFile, "top secret");
  await Deno.mkdir(canaryDir);
  await Deno.writeTextFile(path.join(canaryDir, "passwd"), "root:x:0:0");
  let hits = 0;
  const listener = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => {
    hits++;
    return new Response("canary");
  });
  const canaryUrl = `http://127.0.0.1:${listener.addr.port}`;
  const store = await openKvStore({ path: ":memory:", defaultArtifactRoot: "mlflow-artifacts:/" });
  const app = createApp({ store, config: testConfig(root) }, trackingRoutes());
  const before = await fsSnapshot(tmp, root);

  const req = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.body = typeof body === "string" ? body : JSON.stringify(body);
      (init.headers as Record<string, string>)["content-type"] ??= "application/json";
    }
    return reply(await app.request(url, init));
  };
  const env: SecurityEnv = {
    app,
    store,
    tmp,
    root,
    canaryFile,
    canaryDir,
    canaryUrl,
    hits: () => hits,
    req,
    post: (p, body) => req("POST", p.startsWith("/") ? p : `${API}/${p}`, body),
    get: (p, query = {}) =>
      req("GET", (p.startsWith("/") ? p : `${API}/${p}`) + `?${new URLSearchParams(query)}`),
    async runWithFile() {
      const e = await env.post("experiments/create", { name: `e-${crypto.randomUUID()}` });
      assertEquals(e.status, 200, e.text);
      const r = await env.post("runs/create", { experiment_id: e.body.experiment_id });
      assertEquals(r.status, 200, r.text);
      const runId = r.body.run.info.run_id;
      const runDir = path.join(root, e.body.experiment_id, runId, "artifacts");
      await Deno.mkdir(path.join(runDir, "model"), { recursive: true });
      await Deno.writeTextFile(path.join(runDir, "model", "MLmodel"), "flavors: {}\n");
      return { expId: e.body.experiment_id, runId, runDir, artifactUri: r.body.run.info.artifact_uri };
    },
  };
  try {
    await fn(env);
    assertEquals(await fsSnapshot(tmp, root), before, "files outside the artifact root changed");
    assertEquals(hits, 0, "the server made a request to the canary listener");
  } finally {
    await store.close();
    await listener.shutdown();
    await Deno.remove(tmp, { recursive: true });
  }
}

/** A 4xx answer in MLflow's error format (never a 5xx, never a body from outside the root). */
export function assertRefused(r: Reply, what: string, secret = ["top secret", "root:x:0:0"]): void {
  assert(r.status >= 400 && r.status < 500, `${what}: expected 4xx, got ${r.status}: ${r.text}`);
  assert(typeof r.body?.error_code === "string" && typeof r.body?.message === "string", `${what}: ${r.text}`);
  for (const s of secret) assert(!r.text.includes(s), `${what}: leaked ${s}`);
}
