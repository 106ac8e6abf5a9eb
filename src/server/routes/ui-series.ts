// Chart series for the UI: a metric's history per run on a chosen x axis, cut to the visible window and
// reduced to at most ~4 points per pixel-sized bucket (first, min, max, last), so the drawn line keeps
// every spike and dip that the full history has. Zooming asks again with a narrower window and gets
// full resolution once the window holds few enough points.

import type { TrackingStore } from "../../store/tracking-store.ts";
import type { HistoryCache } from "./ui-history-cache.ts";
import type { Series } from "../../../ui/lib/wire.ts";
import { fnv1a } from "../../../ui/lib/hash.ts";
import type { Run } from "../../store/types.ts";

export type XAxis = "step" | "time" | "relative" | "metric";

export interface SeriesQuery {
  runIds: string[];
  key: string;
  x: XAxis;
  /** The metric used as x when x = "metric" (joined on step). */
  xKey?: string;
  min?: number;
  max?: number;
  /** Number of buckets across the window; the answer has at most 4 points per bucket per run. */
  buckets: number;
}

/** Points as parallel arrays sorted by x (stable, so equal x keep logged order). */
export interface XY {
  x: Float64Array;
  y: Float64Array;
}

/** A history as parallel columns in logged order. */
export interface Columns {
  t: ArrayLike<number>;
  s: ArrayLike<number>;
  v: ArrayLike<number>;
}

export function toXY(h: Columns, axis: XAxis, origin: number, xBySteps?: Map<number, number>): XY {
  // The common case (steps logged in order): the cached columns themselves, no second copy.
  if (axis === "step" && h.s instanceof Float64Array && h.v instanceof Float64Array && ascending(h.s)) {
    return { x: h.s, y: h.v };
  }
  // Typed arrays filled in place: a 100k-point history is converted in a few milliseconds, even cold.
  const n = h.t.length;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let m = 0;
  let sorted = true;
  for (let i = 0; i < n; i++) {
    let x: number | undefined;
    if (axis === "step") x = h.s[i];
    else if (axis === "time") x = h.t[i];
    else if (axis === "relative") x = (h.t[i] - origin) / 1000;
    else x = xBySteps?.get(h.s[i]);
    if (x === undefined || !Number.isFinite(x)) continue;
    if (m > 0 && x < xs[m - 1]) sorted = false;
    xs[m] = x;
    ys[m] = h.v[i];
    m++;
  }
  const x = m === n ? xs : xs.subarray(0, m);
  const y = m === n ? ys : ys.subarray(0, m);
  return sorted ? { x, y } : sortByX(x, y);
}

/** Finite and never decreasing. */
function ascending(xs: Float64Array): boolean {
  let prev = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (!(x >= prev) || x === Infinity || x === -Infinity) return false;
    prev = x;
  }
  return true;
}

/**
 * Points ordered by x, equal x in logged order. Histories logged out of order are mostly a few ascending
 * runs (batches sent concurrently), so a natural merge sort (merge neighbouring ascending runs until one is
 * left) does O(n log runs) plain comparisons; a comparator sort of 100k indices took ~25 ms per history.
 */
export function sortByX(x: Float64Array, y: Float64Array): XY {
  const n = x.length;
  let bounds = [0];
  for (let i = 1; i < n; i++) if (x[i] < x[i - 1]) bounds.push(i);
  bounds.push(n);
  let ax = x.slice(), ay = y.slice();
  let bx = new Float64Array(n), by = new Float64Array(n);
  while (bounds.length > 2) {
    const next = [0];
    for (let k = 0; k + 1 < bounds.length; k += 2) {
      const lo = bounds[k], mid = bounds[k + 1], hi = k + 2 < bounds.length ? bounds[k + 2] : mid;
      let i = lo, j = mid, o = lo;
      // Stable: on equal x the earlier run (logged first) goes first.
      while (i < mid && j < hi) {
        if (ax[j] < ax[i]) {
          bx[o] = ax[j];
          by[o++] = ay[j++];
        } else {
          bx[o] = ax[i];
          by[o++] = ay[i++];
        }
      }
      bx.set(ax.subarray(i, mid), o);
      by.set(ay.subarray(i, mid), o);
      o += mid - i;
      bx.set(ax.subarray(j, hi), o);
      by.set(ay.subarray(j, hi), o);
      next.push(hi);
    }
    [ax, bx] = [bx, ax];
    [ay, by] = [by, ay];
    bounds = next;
  }
  return { x: ax, y: ay };
}

const xyMemo = new WeakMap<Columns, { length: number; axis: XAxis; origin: number; xy: XY }>();

/** toXY for the cached columns of a history, reused until the history grows or the axis changes. */
export function memoXY(h: Columns, axis: XAxis, origin: number): XY {
  const m = xyMemo.get(h);
  if (m && m.length === h.t.length && m.axis === axis && m.origin === origin) return m.xy;
  const xy = toXY(h, axis, origin);
  xyMemo.set(h, { length: h.t.length, axis, origin, xy });
  return xy;
}

function lowerBound(xs: Float64Array, v: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(xs: Float64Array, v: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v < xs[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Indices to draw for the window [min, max]: one neighbour on each side (so the line runs to the edges),
 * then all points when there are at most 4 × buckets, else first/min/max/last of each bucket of equal
 * x width. Non-finite values are kept as gaps but never chosen as a bucket's min or max.
 */
export function pickIndices(
  xy: XY,
  buckets: number,
  min?: number,
  max?: number,
): { idx: number[]; total: number; sampled: boolean } {
  const n = xy.x.length;
  if (n === 0) return { idx: [], total: 0, sampled: false };
  const lo = min === undefined ? 0 : lowerBound(xy.x, min);
  const hi = max === undefined ? n : upperBound(xy.x, max);
  const total = Math.max(0, hi - lo);
  const from = Math.max(0, lo - 1);
  const to = Math.min(n, hi + 1);
  if (to - from <= 4 * buckets) return { idx: range(from, to), total, sampled: false };
  const idx: number[] = [];
  if (from < lo) idx.push(from);
  const x0 = xy.x[lo], x1 = xy.x[hi - 1];
  const width = (x1 - x0) / buckets || 1;
  let i = lo;
  while (i < hi) {
    const b = Math.min(buckets - 1, Math.floor((xy.x[i] - x0) / width));
    const bucketEnd = b === buckets - 1 ? hi : Math.min(hi, lowerBound(xy.x, x0 + (b + 1) * width));
    const end = Math.max(bucketEnd, i + 1);
    let iMin = -1, iMax = -1;
    for (let j = i; j < end; j++) {
      const v = xy.y[j];
      if (!Number.isFinite(v)) {
        // A gap must stay visible: keep the first non-finite point of the bucket.
        if (iMin === -1 && iMax === -1) idx.push(j);
        continue;
      }
      if (iMin === -1 || v < xy.y[iMin]) iMin = j;
      if (iMax === -1 || v > xy.y[iMax]) iMax = j;
    }
    const keep = [i, iMin, iMax, end - 1].filter((k) => k >= 0).sort((a, b) => a - b);
    for (const k of keep) if (idx[idx.length - 1] !== k) idx.push(k);
    i = end;
  }
  if (to > hi) idx.push(hi);
  const sorted = [...new Set(idx)].sort((a, b) => a - b);
  return { idx: sorted, total, sampled: true };
}

function range(a: number, b: number): number[] {
  const out = new Array(b - a);
  for (let i = a; i < b; i++) out[i - a] = i;
  return out;
}

interface Loaded {
  run: Run;
  h: Columns;
  xh?: Columns;
}

/** Every existing run's cached history of the key (and of the x metric), read in parallel. */
async function loadAll(store: TrackingStore, cache: HistoryCache, q: SeriesQuery): Promise<Loaded[]> {
  const runs = (await Promise.all(q.runIds.map((id) => store.getRun(id).catch(() => null))))
    .filter((r) => r !== null);
  const xKey = q.x === "metric" ? q.xKey : undefined;
  return await Promise.all(runs.map(async (run) => ({
    run,
    h: await cache.get(store, run, q.key),
    xh: xKey ? await cache.get(store, run, xKey) : undefined,
  })));
}

/**
 * Names the answer to a query: cached histories only grow by appending, so the query, their lengths and
 * the runs' statuses and start times determine it. A poll that sends it back (If-None-Match) gets a 304 and no
 * reduction work when nothing was logged since.
 */
function tagOf(q: SeriesQuery, loaded: Loaded[]): string {
  const parts = loaded.map(({ run, h, xh }) =>
    `${run.info.runId}:${run.info.status}:${run.info.startTime}:${h.t.length}:${xh?.t.length ?? ""}`
  );
  const points = loaded.reduce((n, l) => n + l.h.t.length, 0);
  return `"s${fnv1a(`${JSON.stringify(q)}|${parts.join(",")}`).toString(36)}-${points.toString(36)}"`;
}

/** The series of every run that exists (unknown runs are skipped); null when `ifTag` is still current. */
export async function metricSeries(
  store: TrackingStore,
  cache: HistoryCache,
  q: SeriesQuery,
  ifTag?: string,
): Promise<{ tag: string; series: Series[] | null }> {
  const loaded = await loadAll(store, cache, q);
  const tag = tagOf(q, loaded);
  if (ifTag === tag) return { tag, series: null };
  const out: Series[] = [];
  for (const { run, h, xh } of loaded) {
    let xy: XY;
    if (xh) {
      const xBySteps = new Map<number, number>();
      for (let i = 0; i < xh.s.length; i++) xBySteps.set(xh.s[i], xh.v[i]);
      xy = toXY(h, q.x, run.info.startTime, xBySteps);
    } else xy = memoXY(h, q.x, run.info.startTime);
    const { idx, total, sampled } = pickIndices(xy, q.buckets, q.min, q.max);
    out.push({
      run_id: run.info.runId,
      x: idx.map((k) => xy.x[k]),
      y: idx.map((k) => (Number.isFinite(xy.y[k]) ? xy.y[k] : null)),
      total,
      sampled,
      running: run.info.status === "RUNNING",
    });
  }
  return { tag, series: out };
}
