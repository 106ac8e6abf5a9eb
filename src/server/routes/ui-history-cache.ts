// Metric histories for the charts, kept in memory as typed-array columns, read from the store as columns
// (no object per point: turning 10 × 100k points into objects and back cost most of a cold chart). With
// this cache a finished run's chart costs nothing to redraw or zoom, and a running run's poll reads only
// the points logged since the last one (offset), not the whole history again.
//
// Freshness: an entry is trusted while the run's latest value of the key (step, timestamp, value) is the
// one it was read with; new points that change it trigger an incremental read. A point logged out of
// order (lower step and older timestamp than the latest) does not change it and shows after the TTL
// (short while the run is RUNNING, longer once it has ended).

import type { TrackingStore } from "../../store/tracking-store.ts";
import type { Run } from "../../store/types.ts";
import { type Columns, memoXY, type XAxis } from "./ui-series.ts";

const TTL_RUNNING_MS = 30_000;
const TTL_ENDED_MS = 10 * 60_000;
/** Memory bound: 24 bytes per point. */
const MAX_POINTS = 3_000_000;

interface Entry {
  t: Float64Array;
  s: Float64Array;
  v: Float64Array;
  latest: string;
  checked: number;
}

/**
 * `view` followed by `add`. Written in place when the view's buffer has room, else into a buffer half
 * again as large, so a running run's polls do not copy its whole history each time; views handed out
 * before stay valid (they never see the points written after their end).
 */
function append(view: Float64Array, add: Float64Array): Float64Array {
  if (!add.length) return view;
  if (!view.length) return add;
  const n = view.length, len = n + add.length;
  const capacity = view.byteOffset === 0 ? view.buffer.byteLength / 8 : n;
  const out = len <= capacity
    ? new Float64Array(view.buffer, 0, len)
    : new Float64Array(new ArrayBuffer(8 * Math.max(len, Math.ceil(n * 1.5))), 0, len);
  if (out.buffer !== view.buffer) out.set(view);
  out.set(add, n);
  return out;
}

function latestOf(run: Run, key: string): string {
  const m = run.data.metrics.find((x) => x.key === key);
  return m ? `${m.step}:${m.timestamp}:${m.value}` : "";
}

export class HistoryCache {
  #entries = new Map<string, Entry>();
  #loads = new Map<string, Promise<Entry>>();
  #points = 0;
  constructor(private readonly now: () => number = Date.now, private readonly maxPoints = MAX_POINTS) {}

  get size(): number {
    return this.#points;
  }

  /** The run's history of `key`; concurrent callers share one read. */
  get(store: TrackingStore, run: Run, key: string): Promise<Columns> {
    const id = `${run.info.runId}\u0000${key}`;
    const pending = this.#loads.get(id);
    if (pending) return pending;
    const latest = latestOf(run, key);
    const e = this.#entries.get(id);
    const ttl = run.info.status === "RUNNING" ? TTL_RUNNING_MS : TTL_ENDED_MS;
    if (e && e.latest === latest && this.now() - e.checked < ttl) {
      this.#touch(id, e);
      return Promise.resolve(e);
    }
    const load = this.#load(store, run.info.runId, key, latest, e).finally(() => this.#loads.delete(id));
    this.#loads.set(id, load);
    return load;
  }

  async #load(
    store: TrackingStore,
    runId: string,
    key: string,
    latest: string,
    prev?: Entry,
  ): Promise<Entry> {
    const id = `${runId}\u0000${key}`;
    const offset = prev?.t.length ?? 0;
    const page = await store.getMetricHistoryColumns(runId, key, offset);
    const empty = new Float64Array(0);
    const e: Entry = prev ?? { t: empty, s: empty, v: empty, latest, checked: 0 };
    if (prev) this.#points -= prev.t.length;
    // The entry object stays the same (series memoise on it); its columns grow.
    e.t = append(e.t, page.t);
    e.s = append(e.s, page.s);
    e.v = append(e.v, page.v);
    e.latest = latest;
    e.checked = this.now();
    this.#points += e.t.length;
    this.#touch(id, e);
    this.#evict();
    return e;
  }

  #touch(id: string, e: Entry) {
    this.#entries.delete(id);
    this.#entries.set(id, e);
  }

  /** Oldest-used first, but never the entry just used. */
  #evict() {
    while (this.#points > this.maxPoints && this.#entries.size > 1) {
      const [id, e] = this.#entries.entries().next().value!;
      this.#entries.delete(id);
      this.#points -= e.t.length;
    }
  }
}

const caches = new WeakMap<object, HistoryCache>();

/** One cache per app. */
export function historyCacheFor(deps: object): HistoryCache {
  let c = caches.get(deps);
  if (!c) caches.set(deps, c = new HistoryCache());
  return c;
}

/**
 * Starts reading the histories a page is about to chart, and sorting them on its x axis, while the
 * browser is still loading the page and its bundle; the chart's request then finds the work in flight or
 * done. Errors surface there.
 */
export function prefetchHistories(
  deps: { store: TrackingStore },
  runs: Run[],
  keys: string[],
  axis: XAxis = "step",
): void {
  const cache = historyCacheFor(deps);
  for (const run of runs) {
    for (const key of keys) {
      cache.get(deps.store, run, key).then((h) => {
        if (axis !== "metric") memoXY(h, axis, run.info.startTime);
      }).catch(() => {});
    }
  }
}
