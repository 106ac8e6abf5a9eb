// Main-thread side of `tracker server -w N`: starts N Workers from the entry module itself (so a
// bundled or compiled binary needs no separate worker file), lets them share the port with reusePort,
// and answers their store and /metrics calls. The main thread is the store's only writer.

import type { ServerConfig } from "../config.ts";
import { countEntities, mergeSnapshots, renderPrometheus } from "../metrics.ts";
import type { MetricsSnapshot } from "../metrics.ts";
import { RpcPeer, serveStore } from "../../store/remote/mod.ts";
import type { TrackingStore } from "../../store/tracking-store.ts";
import { METRICS_TARGET, WORKER_TARGET } from "./protocol.ts";
import type { MetricsAggregator, WorkerControl } from "./protocol.ts";

export interface PoolOptions {
  /** Module the Workers run; it must start `runWorkerRole` when it finds itself in a Worker. */
  entryUrl: string;
  count: number;
  config: ServerConfig;
  store: TrackingStore;
  /** Reports a Worker that died after start-up (it is replaced). */
  onCrash?: (index: number, message: string) => void;
}

interface Slot {
  worker: Worker;
  peer: RpcPeer;
  control: WorkerControl;
  /** Settles when the Worker dies from an uncaught error. */
  crashed: Promise<string>;
}

/** A Worker died before listening (module error, missing flag); listen errors keep their own type. */
export class WorkerStartError extends Error {
  override name = "WorkerStartError";
}

/** How long `stop` lets Workers finish requests in flight before terminating them. */
const STOP_GRACE_MS = 10_000;

export class WorkerPool {
  #slots: Slot[] = [];
  #stopping = false;

  private constructor(readonly options: PoolOptions) {}

  /** Starts every Worker and resolves once all listen; on failure, stops those started and rejects. */
  static async start(options: PoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    try {
      await Promise.all(Array.from({ length: options.count }, (_, i) => pool.#startSlot(i)));
    } catch (e) {
      await pool.stop();
      throw e;
    }
    return pool;
  }

  get size(): number {
    return this.#slots.length;
  }

  async #startSlot(index: number): Promise<void> {
    const slot = this.#spawn(index);
    this.#slots[index] = slot;
    // A Worker that dies while starting (bad flags, module error) must fail the start, not hang it.
    await Promise.race([
      slot.control.start(this.options.config),
      slot.crashed.then((msg) =>
        Promise.reject(new WorkerStartError(`Worker ${index} failed to start: ${msg}`))
      ),
    ]);
    void slot.crashed.then((msg) => this.#replace(index, slot, msg));
  }

  #spawn(index: number): Slot {
    const worker = new Worker(this.options.entryUrl, { type: "module", name: `tracker-worker-${index}` });
    const peer = new RpcPeer(worker);
    serveStore(peer, this.options.store);
    const aggregator: MetricsAggregator = { render: () => this.renderMetrics() };
    peer.expose(METRICS_TARGET, aggregator);
    const crashed = new Promise<string>((resolve) => {
      worker.addEventListener("error", (e: ErrorEvent) => {
        // Handled here: an unhandled Worker error would take the whole process down.
        e.preventDefault();
        resolve(e.message);
      });
    });
    return { worker, peer, control: peer.remote<WorkerControl>(WORKER_TARGET), crashed };
  }

  #replace(index: number, dead: Slot, message: string): void {
    if (this.#stopping || this.#slots[index] !== dead) return;
    dead.peer.close(`worker ${index} crashed`);
    dead.worker.terminate();
    this.options.onCrash?.(index, message);
    this.#startSlot(index).catch((e) => this.options.onCrash?.(index, `replacement failed: ${e.message}`));
  }

  /** Prometheus text over all Workers' request counters plus the store's experiment and run counts. */
  async renderMetrics(): Promise<string> {
    const snapshots = await Promise.all(
      this.#slots.map((s) =>
        Promise.resolve(s.control.snapshot()).catch((): MetricsSnapshot => ({ series: [] }))
      ),
    );
    return renderPrometheus(mergeSnapshots(snapshots), await countEntities(this.options.store));
  }

  /** Stops accepting, lets requests in flight finish (bounded), then ends the Workers. */
  async stop(): Promise<void> {
    this.#stopping = true;
    const slots = this.#slots.filter((s) => s !== undefined);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<void>((resolve) => timer = setTimeout(resolve, STOP_GRACE_MS));
    await Promise.race([Promise.allSettled(slots.map((s) => s.control.stop())), grace]);
    clearTimeout(timer);
    for (const s of slots) {
      s.peer.close("server stopped");
      s.worker.terminate();
    }
    this.#slots = [];
  }
}
