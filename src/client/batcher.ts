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
  /** add() calls waiting for room, in arrival order, from index `head` on (no O(n) shift per admit). */
  private waiting: Waiter[] = [];
  private head = 0;
  private waitingPoints = 0;
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
    return this.buffer.length + this.waitingPoints;
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
    if (this.waitingCount === 0 && this.buffer.length + points.length <= this.maxBuffered) {
      for (const p of points) this.buffer.push(p);
      this.schedule();
      return Promise.resolve();
    }
    const accepted = new Promise<void>((resolve, reject) => this.waiting.push({ points, resolve, reject }));
    this.waitingPoints += points.length;
    this.startSending();
    return accepted;
  }

  /** Sends everything accepted so far; rejects (keeping the points) when a request fails. */
  async flush(): Promise<void> {
    this.clearTimer();
    this.failure = undefined;
    while (this.buffer.length || this.waitingCount || this.sending) {
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
        const rejected = this.waiting.slice(this.head);
        this.waiting = [];
        this.head = 0;
        this.waitingPoints = 0;
        for (const w of rejected) w.reject(e);
        return;
      }
      this.admitWaiting();
      // Only full batches are sent eagerly; a remainder waits for the timer or flush().
      if (this.buffer.length < this.batchSize && this.waitingCount === 0) break;
    }
  }

  private get waitingCount(): number {
    return this.waiting.length - this.head;
  }

  private admitWaiting(): void {
    while (
      this.waitingCount && this.buffer.length + this.waiting[this.head].points.length <= this.maxBuffered
    ) {
      this.admit();
    }
    // A single add() bigger than the whole buffer is admitted alone rather than waiting forever.
    if (this.waitingCount && this.buffer.length === 0) this.admit();
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
  }

  private admit(): void {
    const w = this.waiting[this.head];
    this.waiting[this.head++] = undefined as unknown as Waiter;
    this.waitingPoints -= w.points.length;
    for (const p of w.points) this.buffer.push(p);
    w.resolve();
  }
}

/** Lets the process exit while a flush timer is pending (the exit hook flushes instead). */
function unrefTimer(timer: unknown): void {
  const deno = (globalThis as { Deno?: { unrefTimer?: (id: number) => void } }).Deno;
  if (typeof timer === "number" && deno?.unrefTimer) deno.unrefTimer(timer);
  else (timer as { unref?: () => void })?.unref?.();
}
