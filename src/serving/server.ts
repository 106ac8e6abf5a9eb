// Starts a scoring server for a resolved model directory: checks the MLmodel in this thread (so a refused
// model fails before any Worker starts), starts the Workers (from the embedded Worker bundle, or from the
// entry module for the native runtime, which only loads from source) and the HTTP listener; stops both in
// order. With `auto` the first Worker decides the engine (pool.ts): the model is read once, there.

import { DEFAULT_MAX_BODY_BYTES, scoringHandler } from "./app.ts";
import { ServingMetrics } from "./metrics.ts";
import { chooseFlavor, readMLmodel } from "./mlmodel.ts";
import type { EngineKind, EngineSetting } from "./ort-runtime.ts";
import { WorkerPool } from "./pool.ts";
import { discardPrestartedWorker, predictWorkerUrl, takePrestartedWorker } from "./worker-source.ts";

export interface ScoringServerOptions {
  modelDir: string;
  host: string;
  port: number;
  workers: number;
  timeoutMs: number;
  /** How long a Worker may take to load the model (default: a minute). */
  loadTimeoutMs?: number;
  /** ONNX engine: auto picks the JS engine when it runs the model, else ONNX Runtime web. */
  engine: EngineSetting;
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
  /** The engine an onnx model runs on, and why auto fell back to ONNX Runtime (known once `ready`). */
  readonly engine?: EngineKind;
  readonly fallbackReason?: string;
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
  // ORT's WebAssembly is compiled only when a Worker needs it (web, or auto when the JS engine declines).
  // Imported on demand: a bundle decodes the embedded bytes when this module is first evaluated.
  const compileWasm = () => import("./ort-wasm.ts").then((m) => m.compileOrtWasm());
  const engine = opts.engine;
  const permissions = choice.flavor === "js" && opts.sandboxJs
    ? jsModelPermissions(opts.modelDir)
    : undefined;
  const fromBundle = engine !== "node";
  // A prestarted Worker runs the bundle with the process's permissions: usable unless either differs.
  const prestarted = fromBundle && !permissions ? takePrestartedWorker() : undefined;
  discardPrestartedWorker();
  const pool = new WorkerPool({
    size: Math.max(1, opts.workers),
    workerUrl: fromBundle ? predictWorkerUrl() : opts.entryUrl,
    permissions,
    prestarted,
    modelDir: opts.modelDir,
    model: { choice, signature: meta.signature },
    engine,
    compileWasm,
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
  return {
    port: server.addr.port,
    flavor: choice.flavor,
    get engine() {
      return pool.engine;
    },
    get fallbackReason() {
      return pool.fallbackReason;
    },
    ready,
    pool,
    close,
    finished: server.finished,
  };
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
