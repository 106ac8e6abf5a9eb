// Runs the tracking server until SIGINT/SIGTERM: checks the port, opens the store, serves from the main
// thread (one worker) or from a WorkerPool, and on a signal drains requests and closes the store.

import { join } from "node:path";
import { openKvStore } from "../store/kv/mod.ts";
import { tryLock, writeLockInfo } from "../store/backend-lock.ts";
import type { TrackingStore } from "../store/tracking-store.ts";
import type { ServerConfig } from "../server/config.ts";
import { TRACKER_VERSION } from "../server/config.ts";
import { countEntities, MetricsRegistry, renderPrometheus } from "../server/metrics.ts";
import { buildHandler } from "../server/workers/handler.ts";
import { WorkerPool, WorkerStartError } from "../server/workers/pool.ts";
import type { CommandContext } from "./registry.ts";
import type { ResolvedServer } from "./server-options.ts";

export interface RunOptions {
  /** Stops the server like a signal would (tests, embedding). */
  signal?: AbortSignal;
  /** Called once the server answers on `url`. */
  onReady?: (url: string) => void;
}

export async function runServer(
  resolved: ResolvedServer,
  ctx: CommandContext,
  opts: RunOptions = {},
): Promise<number> {
  const { config } = resolved;
  for (const line of resolved.notices) ctx.out(line);
  const missing = missingUnstableFlags(config);
  if (missing.length) {
    ctx.err(
      `tracker: needs Deno's ${missing.join(" and ")} flag${missing.length > 1 ? "s" : ""} ` +
        "(deno run --unstable-kv --unstable-net -A ...)",
    );
    return 1;
  }

  // Listening for signals before the startup line: whoever waits for that line may signal at once.
  const stop = watchStopRequests(opts.signal);
  try {
    return await serveUntilStopped(resolved, ctx, stop.requested, opts.onReady);
  } finally {
    stop.dispose();
  }
}

async function serveUntilStopped(
  resolved: ResolvedServer,
  ctx: CommandContext,
  stopRequested: Promise<string>,
  onReady?: (url: string) => void,
): Promise<number> {
  const { config } = resolved;
  // The port goes first: a second `tracker ui` on the same folder must say "port in use" rather than
  // "folder in use".
  let port: number;
  try {
    port = probePort(config);
  } catch (e) {
    ctx.err(`tracker: ${describeListenError(e, config)}`);
    return 1;
  }
  const live: ServerConfig = { ...config, port };

  let store: TrackingStore;
  let lock: Deno.FsFile | undefined;
  try {
    if (resolved.backendDir !== undefined) {
      await Deno.mkdir(resolved.backendDir, { recursive: true });
      lock = tryLock(resolved.backendDir);
      if (lock === undefined) {
        ctx.err(
          `tracker: ${resolved.backendDir} is in use by another tracker process; ` +
            "stop it or choose another --backend-store-uri",
        );
        return 1;
      }
    }
    store = await openKvStore({ path: resolved.kvPath, defaultArtifactRoot: config.defaultArtifactRoot });
    if (resolved.backendDir !== undefined && await mayHoldFileStore(resolved.backendDir)) {
      // A folder MLflow wrote (./mlruns of a FileStore user): import it instead of failing. The importer
      // is loaded only then; re-imports are idempotent.
      const { importFileStoreIfPresent } = await import("../interchange/mod.ts");
      await importFileStoreIfPresent(store, resolved.backendDir, {
        artifactsDestination: config.artifactsDestination,
        out: ctx.out,
        err: ctx.err,
      });
    }
  } catch (e) {
    lock?.close();
    ctx.err(`tracker: cannot open the backend store at ${resolved.kvPath}: ${(e as Error).message}`);
    return 1;
  }

  let stopServing: () => Promise<void>;
  try {
    stopServing = config.workers > 1
      ? await serveWithWorkers(live, store, ctx)
      : serveInMainThread(live, store);
  } catch (e) {
    await store.close();
    lock?.close();
    ctx.err(`tracker: ${describeListenError(e, live)}`);
    return 1;
  }

  const url = `http://${urlHost(config.host)}:${port}${config.staticPrefix}`;
  if (lock) writeLockInfo(lock, { url }); // local-mode clients send their requests here
  const mode = config.workers > 1 ? `${config.workers} workers` : "1 worker";
  ctx.out(`tracker ${TRACKER_VERSION} listening on ${url} (${mode}; store ${resolved.kvPath})`);
  onReady?.(url);

  const reason = await stopRequested;
  ctx.out(`tracker: ${reason}, shutting down`);
  await stopServing();
  await store.close();
  lock?.close();
  return 0;
}

/** MLflow's FileStore always has experiment 0's meta.yaml (or it sits in .trash). */
async function mayHoldFileStore(dir: string): Promise<boolean> {
  for (const p of [join(dir, "0", "meta.yaml"), join(dir, ".trash")]) {
    if (await Deno.stat(p).then(() => true, () => false)) return true;
  }
  return false;
}

function serveInMainThread(config: ServerConfig, store: TrackingStore): () => Promise<void> {
  const registry = new MetricsRegistry();
  const metrics = config.exposePrometheus
    ? { registry, source: async () => renderPrometheus(registry.snapshot(), await countEntities(store)) }
    : undefined;
  const server = Deno.serve(
    { hostname: config.host, port: config.port, onListen: () => {} },
    buildHandler({ store, config }, metrics),
  );
  return async () => {
    // Bounded like the Worker pool's stop: a stalled download must not keep the store open forever.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => timer = setTimeout(resolve, SHUTDOWN_GRACE_MS));
    await Promise.race([server.shutdown(), grace]);
    clearTimeout(timer);
  };
}

const SHUTDOWN_GRACE_MS = 10_000;

async function serveWithWorkers(config: ServerConfig, store: TrackingStore, ctx: CommandContext) {
  const pool = await WorkerPool.start({
    entryUrl: ctx.entryUrl,
    count: config.workers,
    config,
    store,
    onCrash: (i, msg) => ctx.err(`tracker: worker ${i} crashed (${msg}); restarting it`),
  });
  return () => pool.stop();
}

/**
 * Unstable APIs are absent without their flag, and using reusePort without --unstable-net ends the
 * process outright, so check before starting anything. (Compiled binaries carry the flags.)
 */
function missingUnstableFlags(config: ServerConfig): string[] {
  const deno = Deno as unknown as Record<string, unknown>;
  const missing: string[] = [];
  if (typeof deno.openKv !== "function") missing.push("--unstable-kv");
  // listenDatagram is the public API that --unstable-net turns on.
  if (config.workers > 1 && typeof deno.listenDatagram !== "function") missing.push("--unstable-net");
  return missing;
}

/** Binds and releases the port without reusePort, so any holder (even one using reusePort) shows. */
function probePort(config: ServerConfig): number {
  const listener = Deno.listen({ hostname: config.host, port: config.port });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

function describeListenError(e: unknown, config: ServerConfig): string {
  const where = `${config.host}:${config.port}`;
  if (e instanceof Deno.errors.AddrInUse || (e as Error)?.name === "AddrInUse") {
    return `port ${config.port} is already in use on ${config.host}; choose another one with --port`;
  }
  if (e instanceof Deno.errors.AddrNotAvailable) {
    return `cannot listen on ${where}: no such local address (check --host)`;
  }
  if (e instanceof Deno.errors.PermissionDenied) return `not allowed to listen on ${where}`;
  if (e instanceof WorkerStartError) return e.message;
  const msg = String((e as Error)?.message ?? e);
  return `cannot listen on ${where}: ${msg}`;
}

const urlHost = (host: string) => host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;

/** Resolves with a description of what asked the server to stop; dispose() removes the listeners. */
function watchStopRequests(signal?: AbortSignal): { requested: Promise<string>; dispose: () => void } {
  const listeners: [Deno.Signal, () => void][] = [];
  const dispose = () => {
    for (const [sig, fn] of listeners.splice(0)) Deno.removeSignalListener(sig, fn);
  };
  const requested = new Promise<string>((resolve) => {
    const done = (reason: string) => {
      dispose();
      resolve(reason);
    };
    for (const sig of ["SIGINT", "SIGTERM"] as const) {
      const fn = () => done(`received ${sig}`);
      try {
        Deno.addSignalListener(sig, fn);
        listeners.push([sig, fn]);
      } catch {
        // SIGTERM cannot be listened to on Windows.
      }
    }
    if (signal?.aborted) done("stop requested");
    signal?.addEventListener("abort", () => done("stop requested"), { once: true });
  });
  return { requested, dispose };
}
