// Down-sampling for metrics/get-history-bulk-interval, following MLflow's abstract_store algorithm: pick at
// most `maxResults` steps evenly across the union of all runs' steps in range, always keep each run's first
// and last step, then cap each run's points evenly over its ordered history.

import type { RunMetric } from "../store/types.ts";
import { pyRound } from "./python-format.ts";

/** At most `max` evenly spaced indices into `total` items, always including the first and the last. */
export function evenlySpacedIndices(total: number, max: number): number[] {
  if (total <= 0) return [];
  if (total <= max) return Array.from({ length: total }, (_, i) => i);
  if (max === 1) return [total - 1];
  const step = (total - 1) / (max - 1);
  const picked = new Set<number>();
  for (let i = 0; i < max; i++) picked.add(pyRound(i * step));
  return [...picked].sort((a, b) => a - b);
}

function bisectLeft(xs: number[], x: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function bisectRight(xs: number[], x: number): number {
  let lo = 0, hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < xs[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The steps to keep across all runs. Without a range, the range is 0..max step. */
export function sampleSteps(
  runSteps: number[][],
  maxResults: number,
  start?: number,
  end?: number,
): number[] {
  const max = Math.max(1, maxResults);
  const bounds = new Set<number>();
  for (const steps of runSteps) {
    if (!steps.length) continue;
    bounds.add(Math.min(...steps));
    bounds.add(Math.max(...steps));
  }
  const all = [...new Set(runSteps.flat())].sort((a, b) => a - b);
  const lo = start ?? 0;
  const hi = end ?? (all.length ? all[all.length - 1] : 0);
  const startIdx = bisectLeft(all, lo);
  const endIdx = bisectRight(all, hi);
  const sampled = new Set<number>();
  if (endIdx - startIdx <= max) {
    for (let i = startIdx; i < endIdx; i++) sampled.add(all[i]);
  } else {
    const interval = (endIdx - startIdx) / max;
    for (let i = 0; i < max; i++) {
      const idx = startIdx + Math.floor(i * interval);
      if (idx < endIdx) sampled.add(all[idx]);
    }
    sampled.add(all[endIdx - 1]);
  }
  for (const b of bounds) if (lo <= b && b <= hi) sampled.add(b);
  return [...sampled].sort((a, b) => a - b);
}

/** `histories[i]` is run i's points in logged order; the result keeps the runs' order. */
export function sampleHistories(
  histories: RunMetric[][],
  maxResults: number,
  start?: number,
  end?: number,
): RunMetric[] {
  const steps = sampleSteps(histories.map((h) => h.map((m) => m.step)), maxResults, start, end);
  // Many points may share a step (e.g. the default step 0); bound each run's rows to about the sample size.
  const perRun = Math.max(Math.max(1, maxResults), steps.length);
  const keep = new Set(steps);
  const out: RunMetric[] = [];
  for (const history of histories) {
    const points = history.filter((m) => keep.has(m.step))
      .sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
    for (const i of evenlySpacedIndices(points.length, perRun)) out.push(points[i]);
  }
  return out;
}
