// Chart data assembly (client code, run here without a browser): runs aligned on a shared x axis,
// smoothing applied per run, and grouping into mean ± std bands.

import { assert, assertEquals } from "./routes_harness.ts";
import { buildPlot, type ChartRun } from "../../ui/islands/charts/chart-panel.tsx";
import type { Series } from "../../ui/lib/wire.ts";

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
