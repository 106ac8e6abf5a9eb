// Chart data assembly (client code, run here without a browser): runs aligned on a shared x axis,
// smoothing applied per run, grouping into mean ± std bands, dashes for shared colours; the chart view's
// URL parameters, system-metric kinds and grouping keys.

import { assert, assertEquals } from "./routes_harness.ts";
import { buildPlot, type ChartRun } from "../../ui/islands/charts/chart-panel.tsx";
import type { Series } from "../../ui/lib/wire.ts";
import { parseChartView, withChartParams } from "../../ui/lib/chart-view.ts";
import { groupingOf } from "../../ui/lib/grouping.ts";
import { isSystemMetric, sortSystemMetrics, systemMetricKind } from "../../ui/lib/system-metrics.ts";

const runs: ChartRun[] = [
  { id: "a", name: "A", color: "#111111", running: false, group: "lr=1", groupColor: "#aa0000" },
  { id: "b", name: "B", color: "#222222", running: false, group: "lr=1", groupColor: "#aa0000" },
  { id: "c", name: "C", color: "#333333", running: false, group: "lr=2", groupColor: "#00aa00" },
];
const series: Series[] = [
  { run_id: "a", x: [0, 1, 2], y: [1, 2, 3], total: 3, sampled: false },
  { run_id: "b", x: [0, 2], y: [3, 5], total: 2, sampled: false },
  { run_id: "c", x: [1], y: [10], total: 1, sampled: false },
  { run_id: "unknown", x: [0], y: [0], total: 1, sampled: false },
];
const base = { x: "step" as const, logY: false, smoothing: 0, grouped: false };

Deno.test("runs are aligned on the union of x values; unknown runs are left out", () => {
  const p = buildPlot(series, runs, base);
  assertEquals(p.present.map((s) => s.run_id), ["a", "b", "c"]);
  assertEquals([...p.data[0]], [0, 1, 2]);
  // uPlot.join marks "no point at this x" as undefined (spanned, unlike a null gap).
  assertEquals([...p.data[2]], [3, undefined, 5]);
  assertEquals(p.series.map((s) => s.label), ["step", "A", "B", "C"]);
  assertEquals(p.series[1].stroke, "#111111");
});

Deno.test("smoothing changes the lines but keeps their x values", () => {
  const p = buildPlot(series, runs, { ...base, smoothing: 0.5 });
  assertEquals([...p.data[0]], [0, 1, 2]);
  const a = p.data[1] as number[];
  assertEquals(a[0], 1);
  assert(a[2] < 3 && a[2] > 2, String(a[2]));
});

Deno.test("grouping draws one mean line and a ±std band per group", () => {
  const p = buildPlot(series, runs, { ...base, grouped: true });
  // x, then (hi, mean, lo) per group.
  assertEquals(p.data.length, 1 + 3 * 2);
  const [hi, mean, lo] = [p.data[1], p.data[2], p.data[3]] as number[][];
  assertEquals(mean, [2, 2, 4]);
  assertEquals(hi, [3, 2, 5]);
  assertEquals(lo, [1, 2, 3]);
  assertEquals(p.bands.map((b) => b.series), [[1, 3], [4, 6]]);
  assertEquals(p.series[2].label, "lr=1 (2)");
  assertEquals(p.series[2].stroke, "#aa0000");
});

Deno.test("two runs of one colour in a chart: the second line is dashed, the colour stays", () => {
  const same: ChartRun[] = [
    { id: "a", name: "A", color: "#111111", running: false },
    { id: "b", name: "B", color: "#111111", running: false },
    { id: "c", name: "C", color: "#333333", running: false },
  ];
  const p = buildPlot(series, same, base);
  assertEquals(p.series.slice(1).map((s) => s.stroke), ["#111111", "#111111", "#333333"]);
  assertEquals(p.series.slice(1).map((s) => s.dash === undefined), [true, false, true]);
});

Deno.test("chart view in the URL: validated axis, clamped smoothing, defaults, kept across runs-table rewrites", () => {
  const v = parseChartView(
    new URLSearchParams("charts=loss,acc&x=metric&x_key=acc&log=1&smooth=5&group=params.lr&chart_q=val"),
  );
  assertEquals(v, {
    shown: ["loss", "acc"],
    x: "metric",
    xKey: "acc",
    logY: true,
    smoothing: 0.99,
    group: "params.lr",
    search: "val",
  });
  // An unknown axis, or x=metric without its key, falls back to the page's default.
  assertEquals(parseChartView(new URLSearchParams("x=bogus&smooth=abc"), "relative").x, "relative");
  assertEquals(parseChartView(new URLSearchParams("x=metric")).x, "step");
  assertEquals(parseChartView(new URLSearchParams("x=metric&smooth=abc")).smoothing, 0);
  assertEquals(parseChartView(new URLSearchParams("charts=")).shown, undefined);
  // The runs table rewrites its whole query; the chart panel's parameters survive, its own win.
  assertEquals(
    withChartParams("?e=1&q=x", "?e=2&chart_view=1&charts=loss&x=time&sort=a:name&chart_q=l"),
    "?e=1&q=x&charts=loss&x=time&chart_q=l&chart_view=1",
  );
  assertEquals(withChartParams("", ""), "");
});

Deno.test("system metrics: recognised by prefix, grouped by kind (multi-node names too), ordered by kind", () => {
  assert(isSystemMetric("system/cpu_utilization_percentage"));
  assert(!isSystemMetric("loss") && !isSystemMetric("systemic"));
  assertEquals(systemMetricKind("system/gpu_0_utilization_percentage"), "GPU");
  assertEquals(systemMetricKind("system/node_1/system_memory_usage_megabytes"), "Memory");
  assertEquals(systemMetricKind("system/something_new"), "Other");
  assertEquals(
    sortSystemMetrics([
      "system/network_receive_megabytes",
      "system/disk_usage_percentage",
      "system/zzz",
      "system/gpu_0_utilization_percentage",
      "system/cpu_utilization_percentage",
      "system/system_memory_usage_percentage",
      "system/system_memory_usage_megabytes",
    ]),
    [
      "system/cpu_utilization_percentage",
      "system/system_memory_usage_megabytes",
      "system/system_memory_usage_percentage",
      "system/gpu_0_utilization_percentage",
      "system/network_receive_megabytes",
      "system/disk_usage_percentage",
      "system/zzz",
    ],
  );
});

Deno.test("grouping keys: params and user tags (mlflow.* left out), each run's values", () => {
  const g = groupingOf([
    { id: "a", params: { lr: "0.1" }, tags: { team: "x", "mlflow.user": "u" } },
    { id: "b", params: { lr: "0.2", opt: "adam" }, tags: {} },
  ]);
  assertEquals(g.groupKeys, ["params.lr", "params.opt", "tags.team"]);
  assertEquals(g.groupValues, {
    a: { "params.lr": "0.1", "tags.team": "x" },
    b: { "params.lr": "0.2", "params.opt": "adam" },
  });
});
