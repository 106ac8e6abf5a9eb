// Shared by the client tests: a real tracker server process on a free port over temporary folders, an
// environment reader for the fluent API that sees only what a test sets, and the fluent API pointed at one.

import { join } from "node:path";
import type { EnvReader } from "../../src/client/env.ts";
import { resetFluentState, setTrackingUri } from "../../src/client/fluent.ts";
import { DENO, MAIN, spawnListening } from "./process_harness.ts";

export { DENO };
export const ROOT = new URL("../../", import.meta.url).pathname;
/** `deno run` with what tracker needs: KV, Deno.connect options, raw imports, all permissions. */
const DENO_RUN = ["run", "--unstable-kv", "--unstable-net", "--unstable-raw-imports", "-A"];

export interface TrackerProcess {
  url: string;
  backendDir: string;
  artifactsDir: string;
  stop(): Promise<void>;
}

/** `tracker server -w 1 --port 0` on `backendDir` (a new temp folder by default); waits for its URL. */
export async function startTracker(
  opts: { backendDir?: string; args?: string[] } = {},
): Promise<TrackerProcess> {
  const tmp = await Deno.makeTempDir({ prefix: "tracker-client-" });
  const backendDir = opts.backendDir ?? join(tmp, "mlruns");
  const artifactsDir = join(tmp, "mlartifacts");
  const { url, proc, output } = await spawnListening([
    ...DENO_RUN,
    MAIN,
    "server",
    "--host",
    "127.0.0.1",
    "--port",
    "0",
    "--workers",
    "1",
    "--backend-store-uri",
    backendDir,
    "--artifacts-destination",
    artifactsDir,
    ...(opts.args ?? []),
  ], tmp);
  return {
    url,
    backendDir,
    artifactsDir,
    async stop() {
      try {
        proc.kill("SIGTERM");
      } catch {
        // already gone
      }
      await proc.status;
      await output;
    },
  };
}

/** Whether a `node` binary is on the PATH (the Node bundle tests are skipped without one). */
export const HAS_NODE = (() => {
  try {
    return new Deno.Command("node", { args: ["--version"], stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
})();

/** Builds the Node bundle with scripts/build-client.sh; resolves with its path. */
export async function buildClientBundle(): Promise<string> {
  const build = await new Deno.Command("bash", {
    args: [join(ROOT, "scripts/build-client.sh")],
    env: { DENO },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (build.code !== 0) throw new Error(`build-client.sh failed:\n${new TextDecoder().decode(build.stderr)}`);
  return join(ROOT, "dist/client/tracker-client.mjs");
}

/** An environment with exactly these variables (the fluent API and CLI read nothing else). */
export function envOf(vars: Record<string, string> = {}): EnvReader {
  return (name) => vars[name];
}

/**
 * Runs `fn` with the fluent API pointed at a fresh tracker (`args` added to its command line), its state
 * reset over an environment of `env` alone; afterwards the fluent state is reset and the tracker stopped.
 */
export async function withFluentTracker(
  fn: (server: TrackerProcess) => Promise<void>,
  opts: { env?: Record<string, string>; args?: string[] } = {},
): Promise<void> {
  const server = await startTracker({ args: opts.args });
  try {
    await resetFluentState(envOf(opts.env));
    await setTrackingUri(server.url);
    await fn(server);
  } finally {
    await resetFluentState();
    await server.stop();
  }
}

/** Runs a Deno script (a file path) with -A and the project's config; resolves with its outcome. */
export async function runDeno(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(DENO, {
    args: [...DENO_RUN, "--config", join(ROOT, "deno.json"), ...args],
    cwd: opts.cwd,
    env: opts.env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

export interface Proxy {
  url: string;
  /** Requests seen, in order: method, path and request headers. */
  seen: { method: string; path: string; headers: Headers }[];
  close(): Promise<void>;
}

/**
 * A real HTTP server in front of `upstream`: `intercept` may answer a request itself (to inject failures);
 * otherwise the request is forwarded unchanged.
 */
export function startProxy(
  upstream: string,
  intercept: (req: Request, index: number) => Response | undefined = () => undefined,
): Promise<Proxy> {
  const seen: Proxy["seen"] = [];
  return new Promise((resolve) => {
    const server = Deno.serve({
      hostname: "127.0.0.1",
      port: 0,
      onListen: ({ port }) => {
        resolve({ url: `http://127.0.0.1:${port}`, seen, close: () => server.shutdown() });
      },
    }, async (req) => {
      const url = new URL(req.url);
      seen.push({ method: req.method, path: url.pathname, headers: req.headers });
      const own = intercept(req, seen.length - 1);
      if (own) {
        await req.body?.cancel();
        return own;
      }
      const body = req.body ? await req.arrayBuffer() : undefined;
      return await fetch(upstream + url.pathname + url.search, {
        method: req.method,
        headers: req.headers,
        body,
      });
    });
  });
}
