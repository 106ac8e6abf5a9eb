// Starts a scoring server for a resolved model directory: checks the MLmodel in this thread (so a refused
// model fails before any Worker starts), starts the Workers (from the embedded Worker bundle, or from the
// entry module for the native runtime, which only loads from source) while ONNX Runtime's WebAssembly
// compiles once for all of them, and the HTTP listener; stops both in order.

import { DEFAULT_MAX_BODY_BYTES, scoringHandler } from "./app.ts";
import { ServingMetrics } from "./metrics.ts";
import { chooseFlavor, readMLmodel } from "./mlmodel.ts";
import type { OrtKind } from "./ort-runtime.ts";
import { WorkerPool } from "./pool.ts";
import { predictWorkerUrl } from "./worker-source.ts";

export interface ScoringServerOptions {
  modelDir: string;
  host: string;
  port: number;
  workers: number;
  timeoutMs: number;
  /** How long a Worker may take to load the model (default: a minute). */
  loadTimeoutMs?: number;
  ort: OrtKind;
  /** The program's entry module: prediction Workers start from it with the native ONNX Runtime. */
  entryUrl: string;
  maxBodyBytes?: number;
  /**
   * Run a js-flavor model's Workers with no permission but reading its model directory. Needs Deno's
   * --unstable-worker-options (without it Deno ends the process when the first Worker starts).
   */
  sandboxJs?: boolean;
  /** Called once the listener is bound (before the model is loaded). */
  onListen?: (addr: { hostname: string; port: number }) => void;
}

export interface ScoringServer {
  port: number;
  flavor: string;
  /** Resolves once a Worker has loaded the model; rejects if loading fails. */
  ready: Promise<void>;
  pool: WorkerPool;
  /** Stops listening, drains running requests, ends the Workers. */
  close(): Promise<void>;
  finished: Promise<void>;
}

export async function startScoringServer(opts: ScoringServerOptions): Promise<ScoringServer> {
  const meta = await readMLmodel(opts.modelDir);
  const choice = chooseFlavor(meta);
  // Imported here, after the Workers are on their way: a bundle decodes the embedded bytes when this module
  // is first evaluated, which then overlaps with the Workers loading.
  const wasmModule = choice.flavor === "onnx" && opts.ort === "web"
    ? import("./ort-wasm.ts").then((m) => m.compileOrtWasm())
    : undefined;
  const pool = new WorkerPool({
    size: Math.max(1, opts.workers),
    workerUrl: opts.ort === "node" ? opts.entryUrl : predictWorkerUrl(),
    permissions: choice.flavor === "js" && opts.sandboxJs ? jsModelPermissions(opts.modelDir) : undefined,
    modelDir: opts.modelDir,
    model: { choice, signature: meta.signature },
    ort: opts.ort,
    wasmModule,
    timeoutMs: opts.timeoutMs,
    loadTimeoutMs: opts.loadTimeoutMs,
  });
  let loaded = false;
  const ready = pool.start().then(() => {
    loaded = true;
  });
  const metrics = new ServingMetrics();
  const handler = scoringHandler({
    pool,
    metrics,
    maxBodyBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    isReady: () => loaded,
  });
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({
      hostname: opts.host,
      port: opts.port,
      onListen: (addr) => opts.onListen?.(addr),
    }, handler);
  } catch (e) {
    await pool.close(0);
    throw e;
  }
  ready.catch(() => {}); // the caller awaits `ready`; an unobserved rejection must not end the process
  let closing: Promise<void> | undefined;
  const close = () =>
    closing ??= (async () => {
      await server.shutdown();
      await pool.close();
    })();
  return { port: server.addr.port, flavor: choice.flavor, ready, pool, close, finished: server.finished };
}

/** A JS model may read its own directory (its module and data files) and nothing else. */
export function jsModelPermissions(modelDir: string): Deno.PermissionOptionsObject {
  return {
    read: [modelDir],
    write: false,
    net: false,
    env: false,
    run: false,
    ffi: false,
    sys: false,
    import: false,
  };
}
