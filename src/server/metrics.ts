// Prometheus exposition for `--expose-prometheus`: MLflow's request metrics (spec §10.3) plus
// experiment/run gauges. Each serving thread records into its own registry; snapshots are plain data so
// the main thread can merge those of all Workers before rendering.

import { Hono } from "hono";
import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { TrackingStore } from "../store/tracking-store.ts";
import type { ViewType } from "../store/types.ts";
import { MLFLOW_COMPAT_VERSION, TRACKER_VERSION } from "./config.ts";

/** prometheus_client's default buckets, which MLflow's exporter uses. */
export const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export interface RouteSeries {
  method: string;
  route: string;
  status: string;
  count: number;
  /** Non-cumulative per-bucket counts, BUCKETS.length + 1 long (the last is +Inf). */
  buckets: number[];
  sum: number;
}

export interface MetricsSnapshot {
  series: RouteSeries[];
}

export interface Gauges {
  experiments: { active: number; deleted: number };
  runs: { active: number; deleted: number };
}

/** Matched paths MLflow's exporter leaves out; `/metrics` is ours and would only measure scrapes. */
const EXCLUDED = new Set(["/health", "/version", "/metrics"]);
const UNMATCHED = "<unmatched>";

export class MetricsRegistry {
  #series = new Map<string, RouteSeries>();

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let s = this.#series.get(key);
    if (s === undefined) {
      s = {
        method,
        route,
        status: String(status),
        count: 0,
        buckets: new Array(BUCKETS.length + 1).fill(0),
        sum: 0,
      };
      this.#series.set(key, s);
    }
    s.count++;
    s.sum += seconds;
    let i = BUCKETS.findIndex((b) => seconds <= b);
    if (i < 0) i = BUCKETS.length;
    s.buckets[i]++;
  }

  snapshot(): MetricsSnapshot {
    return { series: [...this.#series.values()].map((s) => ({ ...s, buckets: [...s.buckets] })) };
  }

  /** Hono middleware recording every request under its route template (not its concrete path). */
  middleware(prefix: string): MiddlewareHandler {
    const excluded = new Set([...EXCLUDED].map((p) => prefix + p));
    return async (c, next) => {
      const start = performance.now();
      await next();
      // Without an index: the route of the handler that answered (later middleware may also match).
      const route = c.get("metricsUnmatched" as never) ? UNMATCHED : routePath(c);
      if (excluded.has(route)) return;
      this.observe(c.req.method, route, c.res.status, (performance.now() - start) / 1000);
    };
  }
}

/** Adds up snapshots of several registries (one per Worker). */
export function mergeSnapshots(snapshots: MetricsSnapshot[]): MetricsSnapshot {
  const merged = new Map<string, RouteSeries>();
  for (const snap of snapshots) {
    for (const s of snap.series) {
      const key = `${s.method} ${s.status} ${s.route}`;
      const m = merged.get(key);
      if (m === undefined) {
        merged.set(key, { ...s, buckets: [...s.buckets] });
        continue;
      }
      m.count += s.count;
      m.sum += s.sum;
      s.buckets.forEach((n, i) => m.buckets[i] += n);
    }
  }
  return { series: [...merged.values()] };
}

/** Counts experiments and runs through the search interface every store has. */
export async function countEntities(store: TrackingStore): Promise<Gauges> {
  const experimentIds = async (viewType: ViewType) => {
    const ids: string[] = [];
    for (let offset = 0;;) {
      const page = await store.searchExperiments({
        viewType,
        filter: [],
        orderBy: [],
        maxResults: 1000,
        offset,
      });
      ids.push(...page.items.map((e) => e.experimentId));
      offset += page.items.length;
      if (!page.more || page.items.length === 0) return ids;
    }
  };
  const countRuns = async (ids: string[], viewType: ViewType) => {
    let n = 0;
    for (let i = 0; i < ids.length; i += 100) {
      const chunk = ids.slice(i, i + 100);
      for (let offset = 0;;) {
        const page = await store.searchRuns({
          experimentIds: chunk,
          viewType,
          filter: [],
          orderBy: [],
          maxResults: 1000,
          offset,
        });
        n += page.items.length;
        offset += page.items.length;
        if (!page.more || page.items.length === 0) break;
      }
    }
    return n;
  };
  const all = await experimentIds("ALL");
  const deleted = await experimentIds("DELETED_ONLY");
  return {
    experiments: { active: all.length - deleted.length, deleted: deleted.length },
    // Runs of deleted experiments are soft-deleted with them, so searching every experiment is exact.
    runs: { active: await countRuns(all, "ACTIVE_ONLY"), deleted: await countRuns(all, "DELETED_ONLY") },
  };
}

const escapeLabel = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
const labels = (pairs: Record<string, string>) =>
  "{" + Object.entries(pairs).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",") + "}";
const num = (v: number) => Number.isFinite(v) ? String(v) : Number.isNaN(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf";

/** Prometheus text format 0.0.4. */
export function renderPrometheus(snapshot: MetricsSnapshot, gauges?: Gauges): string {
  const out: string[] = [];
  const series = [...snapshot.series].sort((a, b) =>
    a.route.localeCompare(b.route) || a.method.localeCompare(b.method) || a.status.localeCompare(b.status)
  );

  out.push("# HELP mlflow_http_request_duration_seconds Time to answer HTTP requests, in seconds");
  out.push("# TYPE mlflow_http_request_duration_seconds histogram");
  for (const s of series) {
    const base = {
      method: s.method,
      route: s.route,
      status: s.status,
      mlflow_version: MLFLOW_COMPAT_VERSION,
    };
    let cumulative = 0;
    BUCKETS.forEach((b, i) => {
      cumulative += s.buckets[i];
      out.push(
        `mlflow_http_request_duration_seconds_bucket${labels({ ...base, le: String(b) })} ${cumulative}`,
      );
    });
    out.push(`mlflow_http_request_duration_seconds_bucket${labels({ ...base, le: "+Inf" })} ${s.count}`);
    out.push(`mlflow_http_request_duration_seconds_count${labels(base)} ${s.count}`);
    out.push(`mlflow_http_request_duration_seconds_sum${labels(base)} ${num(s.sum)}`);
  }

  out.push("# HELP mlflow_http_request_total HTTP requests answered");
  out.push("# TYPE mlflow_http_request_total counter");
  for (const s of series) {
    out.push(
      `mlflow_http_request_total${labels({ method: s.method, route: s.route, status: s.status })} ${s.count}`,
    );
  }

  // MLflow counts unhandled exceptions; ours all end as 5xx answers, so those are what is counted.
  out.push("# HELP mlflow_http_request_exceptions_total HTTP requests answered with a server error (5xx)");
  out.push("# TYPE mlflow_http_request_exceptions_total counter");
  for (const s of series) {
    if (Number(s.status) < 500) continue;
    const l = labels({ method: s.method, route: s.route, status: s.status });
    out.push(`mlflow_http_request_exceptions_total${l} ${s.count}`);
  }

  out.push("# HELP mlflow_exporter_info Exporter version (always 1)");
  out.push("# TYPE mlflow_exporter_info gauge");
  out.push(`mlflow_exporter_info${labels({ version: TRACKER_VERSION })} 1`);

  if (gauges !== undefined) {
    out.push("# HELP mlflow_experiments Number of experiments by lifecycle stage");
    out.push("# TYPE mlflow_experiments gauge");
    out.push(`mlflow_experiments${labels({ lifecycle_stage: "active" })} ${gauges.experiments.active}`);
    out.push(`mlflow_experiments${labels({ lifecycle_stage: "deleted" })} ${gauges.experiments.deleted}`);
    out.push("# HELP mlflow_runs Number of runs by lifecycle stage");
    out.push("# TYPE mlflow_runs gauge");
    out.push(`mlflow_runs${labels({ lifecycle_stage: "active" })} ${gauges.runs.active}`);
    out.push(`mlflow_runs${labels({ lifecycle_stage: "deleted" })} ${gauges.runs.deleted}`);
  }
  return out.join("\n") + "\n";
}

/** Where `/metrics` gets its text: local in one-thread mode, from the main thread in Worker mode. */
export type MetricsSource = () => Promise<string>;

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * Wraps an app so every request is measured and `<prefix>/metrics` answers with `source()`.
 * The wrapper sits outside the app because middleware added after its routes would never run.
 */
export function withMetrics(
  app: Hono,
  registry: MetricsRegistry,
  prefix: string,
  source: MetricsSource,
): Hono {
  const outer = new Hono();
  outer.use("*", registry.middleware(prefix));
  outer.get(
    `${prefix}/metrics`,
    async (c: Context) => c.body(await source(), 200, { "content-type": PROMETHEUS_CONTENT_TYPE }),
  );
  outer.route("/", app);
  outer.notFound((c: Context) => {
    c.set("metricsUnmatched" as never, true as never);
    return app.fetch(c.req.raw, c.env);
  });
  return outer;
}
