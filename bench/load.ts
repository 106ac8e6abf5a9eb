// Closed-loop load: N virtual clients each issue the next request as soon as the previous one
// answered, until a request count or a deadline is reached (so slow servers stay bounded in time).

export interface LoopResult {
  /** Requests that completed successfully. */
  done: number;
  elapsedMs: number;
  /** True when the deadline stopped the loop before `total`. */
  capped: boolean;
  /** Per-request latencies (ms), only when asked for. */
  latencies: number[];
}

export interface LoopOptions {
  total: number;
  clients: number;
  deadlineMs: number;
  latencies?: boolean;
}

/**
 * Runs op(i, client) for i = 0..total-1 across `clients` concurrent loops. The first failure stops
 * every loop and is rethrown, so a failing server ends the phase quickly.
 */
export async function runLoop(
  opts: LoopOptions,
  op: (i: number, client: number) => Promise<void>,
): Promise<LoopResult> {
  const t0 = performance.now();
  const stopAt = t0 + opts.deadlineMs;
  const latencies: number[] = [];
  let next = 0, done = 0, capped = false;
  let failure: unknown = null;
  const client = async (c: number) => {
    while (failure === null) {
      if (next >= opts.total) return;
      if (performance.now() >= stopAt) {
        capped = true;
        return;
      }
      const i = next++;
      const t = performance.now();
      try {
        await op(i, c);
      } catch (e) {
        failure ??= e;
        return;
      }
      if (opts.latencies) latencies.push(performance.now() - t);
      done++;
    }
  };
  await Promise.all(Array.from({ length: opts.clients }, (_, c) => client(c)));
  if (failure !== null) throw failure;
  return { done, elapsedMs: performance.now() - t0, capped, latencies };
}
