// A pool of prediction Workers, one request in flight per Worker, with a FIFO queue in front. A request that
// runs past the timeout gets 504 and its Worker is replaced (a stuck predict cannot be interrupted any other
// way); a Worker that crashes is replaced and its request gets 500. close() drains the queue first.

import { errorResponse, ScoringError, type ScoringResponse, TIMEOUT_BODY } from "./errors.ts";
import type { InvocationStats } from "./invocations.ts";
import type { ParsedModel } from "./model-loader.ts";
import type { EngineKind, EngineSetting } from "./ort-runtime.ts";
import { type FromWorker, SERVING_WORKER_NAME, type ToWorker } from "./worker-protocol.ts";

export interface PoolOptions {
  size: number;
  /** Module the Workers run: the Worker bundle's Blob URL, or an entry that calls runServingWorker(). */
  workerUrl: string;
  /** Deno permissions of each Worker (needs --unstable-worker-options); the process's when absent. */
  permissions?: Deno.PermissionOptionsObject;
  modelDir: string;
  /** MLmodel as the serving thread parsed it (Workers carry no YAML or schema parser). */
  model: ParsedModel;
  /** auto: the first Worker tries the JS engine; if it cannot run the model, every Worker uses web. */
  engine: EngineSetting;
  /**
   * Compiles ORT's WebAssembly (called once, when a Worker needs the web runtime): Workers start while it
   * compiles and load once it is done.
   */
  compileWasm?: () => Promise<WebAssembly.Module>;
  timeoutMs: number;
  /** A Worker that has not loaded the model by then is stopped (start fails, or it is replaced). */
  loadTimeoutMs?: number;
  /** A Worker already started from `workerUrl` with these permissions, used as the first one. */
  prestarted?: Worker;
}

/** Loading has no timeout in MLflow; a minute is far above any model we load (milliseconds to seconds). */
export const DEFAULT_LOAD_TIMEOUT_MS = 60_000;

export type PoolAnswer = ScoringResponse & InvocationStats;

interface Job {
  body: Uint8Array;
  contentType: string | null;
  resolve: (a: PoolAnswer) => void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: ReturnType<typeof setTimeout>;
  loadTimer?: ReturnType<typeof setTimeout>;
  jobId: number;
}

/** Raised by start() when the model cannot be loaded (the message is the loader's). */
export class ModelLoadError extends Error {
  constructor(message: string, readonly refused: boolean) {
    super(message);
  }
}

export class WorkerPool {
  #slots: Slot[] = [];
  #queue: Job[] = [];
  #nextId = 1;
  #closing = false;
  #drained?: () => void;
  restarts = 0;
  #engine: EngineSetting;
  #fallbackReason?: string;
  #wasm?: Promise<WebAssembly.Module>;
  #prestarted?: Worker;

  constructor(private readonly opts: PoolOptions) {
    this.#engine = opts.engine;
    this.#prestarted = opts.prestarted;
  }

  /** The engine onnx models run on, once the first Worker has loaded (undefined for JS models). */
  get engine(): EngineKind | undefined {
    return this.#engine === "auto" ? undefined : this.#engine;
  }

  /** Why auto left the JS engine for ONNX Runtime. */
  get fallbackReason(): string | undefined {
    return this.#fallbackReason;
  }

  /**
   * Starts one Worker, and the others once it has loaded the model; resolves then, rejects if loading
   * fails. Until the first is ready, the serving thread (decoding and compiling ORT's WebAssembly) and that
   * Worker have the cores to themselves; its first ONNX session makes V8 compile much of the WebAssembly,
   * code the shared module then gives every later Worker.
   */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#spawn((err) => {
        if (err) return reject(err);
        for (let i = 1; i < this.opts.size && !this.#closing; i++) this.#spawn();
        resolve();
      });
    });
  }

  get queueDepth(): number {
    return this.#queue.length;
  }

  get busy(): number {
    return this.#slots.filter((s) => s.job !== undefined).length;
  }

  get readyWorkers(): number {
    return this.#slots.filter((s) => s.ready).length;
  }

  get size(): number {
    return this.#slots.length;
  }

  invoke(body: Uint8Array, contentType: string | null): Promise<PoolAnswer> {
    if (this.#closing) {
      return Promise.resolve(
        errorResponse(new ScoringError("INTERNAL_ERROR", "The server is shutting down")),
      );
    }
    return new Promise((resolve) => {
      this.#queue.push({ body, contentType, resolve });
      this.#dispatch();
    });
  }

  /** Stops taking requests, waits for queued and running ones (up to `graceMs`), then ends the Workers. */
  async close(graceMs = 30_000): Promise<void> {
    this.#closing = true;
    if (this.#queue.length > 0 || this.busy > 0) {
      await Promise.race([
        new Promise<void>((r) => (this.#drained = r)),
        new Promise((r) => setTimeout(r, graceMs)),
      ]);
    }
    for (const s of this.#slots) {
      clearTimeout(s.timer);
      clearTimeout(s.loadTimer);
      s.worker.terminate();
    }
    this.#slots = [];
  }

  #spawn(onFirstLoad?: (err?: Error) => void): Slot {
    const early = this.#prestarted;
    this.#prestarted = undefined;
    const worker = early ?? new Worker(this.opts.workerUrl, {
      type: "module",
      name: SERVING_WORKER_NAME,
      ...(this.opts.permissions ? { deno: { permissions: this.opts.permissions } } : {}),
    });
    const slot: Slot = { worker, ready: false, jobId: 0 };
    this.#slots.push(slot);
    worker.onmessage = (e: MessageEvent<FromWorker>) => this.#onMessage(slot, e.data, onFirstLoad);
    const loadMs = this.opts.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS;
    slot.loadTimer = setTimeout(() => {
      if (slot.ready || !this.#slots.includes(slot)) return;
      this.#remove(slot);
      const err = new ModelLoadError(
        `The model did not load within ${loadMs / 1000} s; its prediction worker was stopped.`,
        false,
      );
      if (onFirstLoad) onFirstLoad(err);
      else this.#replace();
    }, loadMs);
    worker.onerror = (e: ErrorEvent) => {
      // Keep the error from taking the whole process down: the Worker is replaced instead.
      e.preventDefault();
      this.#crashed(slot, e.message, onFirstLoad);
    };
    this.#load(slot, onFirstLoad);
    return slot;
  }

  /** Sends the load message, once ORT's WebAssembly is compiled when the web runtime is needed. */
  #load(slot: Slot, onFirstLoad?: (err?: Error) => void): void {
    const engine = this.#engine;
    const wasm = engine === "web" && this.opts.compileWasm
      ? (this.#wasm ??= this.opts.compileWasm())
      : Promise.resolve(undefined);
    wasm.then((wasmModule) => {
      const { modelDir, model } = this.opts;
      const load: ToWorker = { type: "load", modelDir, model, engine, wasmModule };
      if (this.#slots.includes(slot)) slot.worker.postMessage(load);
    }, (e) => {
      if (!this.#slots.includes(slot)) return;
      this.#remove(slot);
      onFirstLoad?.(
        new ModelLoadError(`cannot compile ONNX Runtime's WebAssembly: ${(e as Error).message}`, false),
      );
    });
  }

  #onMessage(slot: Slot, msg: FromWorker, onFirstLoad?: (err?: Error) => void): void {
    switch (msg.type) {
      case "needs-ort":
        this.#engine = "web";
        this.#fallbackReason = msg.reason;
        this.#load(slot, onFirstLoad);
        return;
      case "ready":
        if (msg.engine && this.#engine === "auto") this.#engine = msg.engine;
        clearTimeout(slot.loadTimer);
        slot.ready = true;
        onFirstLoad?.();
        this.#dispatch();
        return;
      case "load-failed":
        this.#remove(slot);
        onFirstLoad?.(new ModelLoadError(msg.message, msg.refused));
        return;
      case "result":
      case "failed": {
        if (!slot.job || msg.id !== slot.jobId) return;
        const answer: PoolAnswer = msg.type === "result"
          ? { status: msg.status, contentType: msg.contentType, body: msg.body, rows: msg.rows }
          : errorResponse(new ScoringError("INTERNAL_ERROR", `Prediction failed: ${msg.message}`));
        this.#finish(slot, answer);
        this.#dispatch();
        return;
      }
    }
  }

  #crashed(slot: Slot, message: string, onFirstLoad?: (err?: Error) => void): void {
    const job = slot.job;
    this.#remove(slot);
    if (!slot.ready) {
      onFirstLoad?.(
        new ModelLoadError(`The prediction worker failed while loading the model: ${message}`, false),
      );
      return;
    }
    job?.resolve(errorResponse(
      new ScoringError(
        "INTERNAL_ERROR",
        `The prediction worker crashed while handling this request (${message}); it has been replaced.`,
      ),
    ));
    this.#replace();
  }

  #finish(slot: Slot, answer: PoolAnswer): void {
    clearTimeout(slot.timer);
    const job = slot.job!;
    slot.job = undefined;
    job.resolve(answer);
    this.#checkDrained();
  }

  #remove(slot: Slot): void {
    clearTimeout(slot.timer);
    clearTimeout(slot.loadTimer);
    slot.worker.terminate();
    slot.job = undefined;
    this.#slots = this.#slots.filter((s) => s !== slot);
    this.#checkDrained();
  }

  #replace(): void {
    if (this.#closing) return;
    this.restarts++;
    this.#spawn();
  }

  #checkDrained(): void {
    if (this.#drained && this.#queue.length === 0 && this.busy === 0) this.#drained();
  }

  #dispatch(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (!slot.ready || slot.job) continue;
      const job = this.#queue.shift()!;
      slot.job = job;
      slot.jobId = this.#nextId++;
      slot.timer = setTimeout(() => this.#timedOut(slot), this.opts.timeoutMs);
      const msg: ToWorker = { type: "invoke", id: slot.jobId, body: job.body, contentType: job.contentType };
      slot.worker.postMessage(msg, [job.body.buffer as ArrayBuffer]);
    }
  }

  #timedOut(slot: Slot): void {
    const job = slot.job;
    if (!job) return;
    this.#remove(slot);
    job.resolve({ status: 504, contentType: "application/json", body: TIMEOUT_BODY });
    this.#replace();
    this.#dispatch();
  }
}
