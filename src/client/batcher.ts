// Automatic metric batching. A point is accepted once it sits in a bounded buffer; one sender drains the
// buffer in order with log-batch requests of at most 1000 points, started when a full batch is waiting
// or a timer runs out. A full buffer makes callers wait (backpressure) instead of growing. A failed
// request puts its points back at the front, so nothing accepted is dropped; the error reaches the next
// caller of add() or flush().

import type { Metric } from "./types.ts";
import { MAX_METRICS_PER_BATCH } from "./limits.ts";

export interface BatcherOptions {
  /** Points per request (≤ 1000, MLflow's limit). */
  batchSize?: number;
  /** Most points held before add() waits for the sender. */
  maxBuffered?: number;
  /** A partial batch is sent this long after its first point arrived. */
  flushIntervalMs?: number;
}

interface Waiter {
  points: Metric[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class MetricBatcher {
  readonly batchSize: number;
  readonly maxBuffered: number;
  readonly flushIntervalMs: number;
  private buffer: Metric[] = [];
  /** add() calls waiting for room, in arrival order. */
  private waiting: Waiter[] = [];
  private sending: Promise<void> | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failure: unknown;

  constructor(private readonly send: (points: Metric[]) => Promise<void>, opts: BatcherOptions = {}) {
    this.batchSize = Math.min(Math.max(1, opts.batchSize ?? MAX_METRICS_PER_BATCH), MAX_METRICS_PER_BATCH);
    this.maxBuffered = Math.max(this.batchSize, opts.maxBuffered ?? 10 * this.batchSize);
    this.flushIntervalMs = opts.flushIntervalMs ?? 1000;
  }

  /** Points accepted and not yet sent (buffered or waiting for room). */
  get pending(): number {
    return this.buffer.length + this.waiting.reduce((n, w) => n + w.points.length, 0);
  }

  /**
   * Accepts points: synchronously when there is room (so even an un-awaited call is safe), otherwise the
   * returned promise settles once they are in the buffer. Rejects with the error of a failed send.
   */
  add(points: Metric[]): Promise<void> {
    if (this.failure !== undefined) {
      const e = this.failure;
      this.failure = undefined;
      return Promise.reject(e);
    }
    if (this.waiting.length === 0 && this.buffer.length + points.length <= this.maxBuffered) {
      this.buffer.push(...points);
      this.schedule();
      return Promise.resolve();
    }
    const accepted = new Promise<void>((resolve, reject) => this.waiting.push({ points, resolve, reject }));
    this.startSending();
    return accepted;
  }

  /** Sends everything accepted so far; rejects (keeping the points) when a request fails. */
  async flush(): Promise<void> {
    this.clearTimer();
    this.failure = undefined;
    while (this.buffer.length || this.waiting.length || this.sending) {
      if (!this.sending) this.startSending();
      await this.sending;
      if (this.failure !== undefined) {
        const e = this.failure;
        this.failure = undefined;
        throw e;
      }
    }
  }

  /** Stops the timer; what is still pending stays pending. */
  dispose(): void {
    this.clearTimer();
  }

  private schedule(): void {
    if (this.buffer.length >= this.batchSize) this.startSending();
    else if (this.buffer.length && !this.timer && !this.sending) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.startSending();
      }, this.flushIntervalMs);
      unrefTimer(this.timer);
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private startSending(): void {
    if (this.sending) return;
    this.clearTimer();
    this.sending = this.drain().finally(() => {
      this.sending = undefined;
      // Points that arrived during the last request get their own timer.
      if (this.failure === undefined) this.schedule();
    });
  }

  private async drain(): Promise<void> {
    this.admitWaiting();
    while (this.buffer.length) {
      const batch = this.buffer.splice(0, this.batchSize);
      try {
        await this.send(batch);
      } catch (e) {
        this.buffer.unshift(...batch);
        this.failure = e;
        // Callers waiting for room learn about the failure; their points were never accepted.
        for (const w of this.waiting.splice(0)) w.reject(e);
        return;
      }
      this.admitWaiting();
      // Only full batches are sent eagerly; a remainder waits for the timer or flush().
      if (this.buffer.length < this.batchSize && this.waiting.length === 0) break;
    }
  }

  private admitWaiting(): void {
    while (this.waiting.length && this.buffer.length + this.waiting[0].points.length <= this.maxBuffered) {
      const w = this.waiting.shift()!;
      this.buffer.push(...w.points);
      w.resolve();
    }
    // A single add() bigger than the whole buffer is admitted alone rather than waiting forever.
    if (this.waiting.length && this.buffer.length === 0) {
      const w = this.waiting.shift()!;
      this.buffer.push(...w.points);
      w.resolve();
    }
  }
}

/** Lets the process exit while a flush timer is pending (the exit hook flushes instead). */
function unrefTimer(timer: unknown): void {
  const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
  if (typeof timer === "number" && deno?.unrefTimer) deno.unrefTimer(timer);
  else (timer as { unref?: () => void })?.unref?.();
}
