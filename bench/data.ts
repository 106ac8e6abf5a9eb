// The data every server receives, generated deterministically so that search and history answers
// can be checked against what was sent, whichever way (REST or direct top-up) it was stored.

import { prng } from "./stats.ts";

export interface Kv {
  key: string;
  value: string;
}

export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** One run of the search experiment: 5 params and 5 metrics (single step). */
export interface SearchRun {
  index: number;
  name: string;
  params: Kv[];
  metrics: MetricPoint[];
}

/** Tags the Python client sends with runs/create. */
export const RUN_TAGS: Kv[] = [
  { key: "mlflow.user", value: "bench" },
  { key: "mlflow.source.name", value: "bench.py" },
  { key: "mlflow.source.type", value: "LOCAL" },
];

export function searchRun(i: number, timestamp: number): SearchRun {
  const rnd = prng(i + 1);
  return {
    index: i,
    name: `s-${i}`,
    // p1 takes 7 values, so the search filter on it keeps ~1/7 of the runs.
    params: [0, 1, 2, 3, 4].map((k) => ({ key: `p${k}`, value: `v${i % (k + 6)}` })),
    metrics: [0, 1, 2, 3, 4].map((k) => ({
      key: `m${k}`,
      value: Math.round(rnd() * 1e6) / 1e6,
      timestamp,
      step: 0,
    })),
  };
}

export const SEARCH_FILTER = "metrics.m0 > 0.5 AND params.p1 = 'v3'";
export const SEARCH_ORDER_BY = "metrics.m1 DESC";

/** Run names runs/search must return, in order, for SEARCH_FILTER and SEARCH_ORDER_BY. */
export function expectedSearch(runs: readonly SearchRun[], max: number): string[] {
  const m = (r: SearchRun, k: number) => r.metrics[k].value;
  return runs.filter((r) => m(r, 0) > 0.5 && r.params[1].value === "v3")
    .sort((a, b) => m(b, 1) - m(a, 1)).slice(0, max).map((r) => r.name);
}

export const HISTORY_KEY = "loss";

/** Points [from, to) of the history metric; timestamps advance with the step like a training loop. */
export function historyPoints(from: number, to: number, t0: number): MetricPoint[] {
  const out = new Array<MetricPoint>(to - from);
  for (let step = from; step < to; step++) {
    out[step - from] = {
      key: HISTORY_KEY,
      value: Math.exp(-step / 20000) + (step % 7) / 100,
      timestamp: t0 + step,
      step,
    };
  }
  return out;
}
