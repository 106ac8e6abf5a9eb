// Prometheus text of --expose-prometheus: format, histogram arithmetic, merging across Workers, and the
// middleware on a real app (route templates, excluded paths, unmatched routes).

import assert from "node:assert/strict";
import { createApp } from "../../src/server/app.ts";
import {
  BUCKETS,
  type Gauges,
  mergeSnapshots,
  MetricsRegistry,
  PROMETHEUS_CONTENT_TYPE,
  renderPrometheus,
  withMetrics,
} from "../../src/server/metrics.ts";
import { openKvStore } from "../../src/store/kv/mod.ts";
import { testConfig } from "./routes_harness.ts";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the text format: every sample line must parse and belong to a declared metric. */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  assert.ok(text.endsWith("\n"));
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.slice(0, -1).split("\n")) {
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === "TYPE") types.set(meta[2], meta[3]);
      continue;
    }
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{(.*)\} (\S+)$/.exec(line);
    assert.ok(m, `bad sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of m[2].matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[k] = v.replace(/\\n/g, "\n").replace(/\\"/g, '"').replace(/\\\\/g, "\\");
    }
    const base = m[1].replace(/_(bucket|count|sum)$/, "");
    assert.ok(types.has(m[1]) || types.get(base) === "histogram", `undeclared metric ${m[1]}`);
    samples.push({ name: m[1], labels, value: m[3] === "+Inf" ? Infinity : Number(m[3]) });
  }
  return { types, samples };
}

const gauges: Gauges = { experiments: { active: 3, deleted: 1 }, runs: { active: 7, deleted: 2 } };

Deno.test("metrics: histogram buckets are cumulative and end with +Inf = count", () => {
  const reg = new MetricsRegistry();
  for (const s of [0.001, 0.004, 0.02, 0.3, 0.3, 12]) {
    reg.observe("POST", "/api/2.0/mlflow/runs/create", 200, s);
  }
  const { types, samples } = parseExposition(renderPrometheus(reg.snapshot(), gauges));
  assert.equal(types.get("mlflow_http_request_duration_seconds"), "histogram");
  assert.equal(types.get("mlflow_http_request_total"), "counter");
  const buckets = samples.filter((s) => s.name === "mlflow_http_request_duration_seconds_bucket");
  assert.deepEqual(buckets.map((b) => b.labels.le), [...BUCKETS.map(String), "+Inf"]);
  const counts = buckets.map((b) => b.value);
  assert.deepEqual(counts.slice(0, 4), [2, 2, 3, 3]); // <=0.005, <=0.01, <=0.025, <=0.05
  assert.equal(counts[BUCKETS.indexOf(0.5)], 5);
  assert.equal(counts[BUCKETS.length - 1], 5); // 12 s is above the last finite bucket
  assert.equal(counts.at(-1), 6);
  for (let i = 1; i < counts.length; i++) assert.ok(counts[i] >= counts[i - 1]);
  const count = samples.find((s) => s.name === "mlflow_http_request_duration_seconds_count")!;
  const sum = samples.find((s) => s.name === "mlflow_http_request_duration_seconds_sum")!;
  assert.equal(count.value, 6);
  assert.ok(Math.abs(sum.value - 12.625) < 1e-9);
  assert.deepEqual(count.labels, {
    method: "POST",
    route: "/api/2.0/mlflow/runs/create",
    status: "200",
    mlflow_version: count.labels.mlflow_version,
  });
  const total = samples.find((s) => s.name === "mlflow_http_request_total")!;
  assert.deepEqual([total.labels, total.value], [{
    method: "POST",
    route: "/api/2.0/mlflow/runs/create",
    status: "200",
  }, 6]);
});

Deno.test("metrics: gauges for experiments and runs; exceptions count 5xx answers only", () => {
  const reg = new MetricsRegistry();
  reg.observe("GET", "/a", 500, 0.01);
  reg.observe("GET", "/a", 404, 0.01);
  const { types, samples } = parseExposition(renderPrometheus(reg.snapshot(), gauges));
  const value = (name: string, labels: Record<string, string>) =>
    samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
      ?.value;
  assert.equal(types.get("mlflow_experiments"), "gauge");
  assert.equal(types.get("mlflow_runs"), "gauge");
  assert.equal(value("mlflow_experiments", { lifecycle_stage: "active" }), 3);
  assert.equal(value("mlflow_experiments", { lifecycle_stage: "deleted" }), 1);
  assert.equal(value("mlflow_runs", { lifecycle_stage: "active" }), 7);
  assert.equal(value("mlflow_runs", { lifecycle_stage: "deleted" }), 2);
  const exceptions = samples.filter((s) => s.name === "mlflow_http_request_exceptions_total");
  assert.deepEqual(exceptions.map((s) => [s.labels.status, s.value]), [["500", 1]]);
  assert.equal(value("mlflow_exporter_info", {}), 1);
});

Deno.test("metrics: label values are escaped", () => {
  const reg = new MetricsRegistry();
  reg.observe("GET", 'odd"route\\with\nnewline', 200, 0.1);
  const { samples } = parseExposition(renderPrometheus(reg.snapshot()));
  assert.equal(
    samples.find((s) => s.name === "mlflow_http_request_total")!.labels.route,
    'odd"route\\with\nnewline',
  );
});

Deno.test("metrics: snapshots of several Workers add up", () => {
  const w1 = new MetricsRegistry();
  const w2 = new MetricsRegistry();
  w1.observe("GET", "/x", 200, 0.001);
  w1.observe("GET", "/y", 200, 1);
  w2.observe("GET", "/x", 200, 3);
  w2.observe("GET", "/x", 404, 0.2);
  // Snapshots cross a postMessage boundary in real use.
  const merged = mergeSnapshots([structuredClone(w1.snapshot()), structuredClone(w2.snapshot())]);
  const x = merged.series.find((s) => s.route === "/x" && s.status === "200")!;
  assert.equal(x.count, 2);
  assert.equal(x.sum, 3.001);
  assert.equal(x.buckets.reduce((a, b) => a + b, 0), 2);
  assert.equal(merged.series.length, 3);
  // Merging must not change the inputs.
  assert.equal(w1.snapshot().series.find((s) => s.route === "/x")!.count, 1);
});

Deno.test("metrics: middleware records route templates under the static prefix, skips /health", async () => {
  const store = await openKvStore({ path: ":memory:", defaultArtifactRoot: "mlflow-artifacts:/" });
  try {
    const reg = new MetricsRegistry();
    const deps = { store, config: testConfig({ staticPrefix: "/p", exposePrometheus: true }) };
    const app = createApp(deps, {
      api: [(api) => api.get("/runs/:run_id/thing", (c) => c.json({ id: c.req.param("run_id") }))],
    });
    const wrapped = withMetrics(app, reg, "/p", () => Promise.resolve(renderPrometheus(reg.snapshot())));
    assert.equal((await wrapped.request("/p/api/2.0/mlflow/runs/abc/thing")).status, 200);
    assert.equal((await wrapped.request("/p/ajax-api/2.0/mlflow/runs/def/thing")).status, 200);
    assert.equal((await wrapped.request("/p/health")).status, 200);
    const missing = await wrapped.request("/p/api/2.0/mlflow/nope");
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error_code, "ENDPOINT_NOT_FOUND");
    assert.equal((await wrapped.request("/p/metrics")).status, 200);
    const res = await wrapped.request("/p/metrics");
    assert.equal(res.headers.get("content-type"), PROMETHEUS_CONTENT_TYPE);
    const { samples } = parseExposition(await res.text());
    const totals = samples.filter((s) => s.name === "mlflow_http_request_total")
      .map((s) => `${s.labels.method} ${s.labels.route} ${s.labels.status} ${s.value}`).sort();
    assert.deepEqual(totals, [
      "GET /p/ajax-api/2.0/mlflow/runs/:run_id/thing 200 1",
      "GET /p/api/2.0/mlflow/runs/:run_id/thing 200 1",
      "GET <unmatched> 404 1",
    ]);
    // The wrapper keeps the app's own headers.
    assert.equal((await wrapped.request("/p/health")).headers.get("x-content-type-options"), "nosniff");
  } finally {
    await store.close();
  }
});
