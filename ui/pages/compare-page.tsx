// Compare runs: side-by-side tables, overlaid metric charts (optionally grouped), scatter and parallel
// coordinates.

import type { CompareRun } from "../islands/compare-tables.tsx";
import { Island } from "./island.tsx";
import type { ChartView } from "../lib/chart-view.ts";
import { groupingOf } from "../lib/grouping.ts";
import { isSystemMetric } from "../lib/system-metrics.ts";

export interface ComparePageProps {
  base: string;
  runs: (CompareRun & { running: boolean; experimentName: string })[];
  missing: string[];
  charts?: ChartView;
}

export function ComparePage(p: ComparePageProps) {
  // System metrics (system/...) have their own tab on the run page; MLflow leaves them out here too.
  const metricKeys = [...new Set(p.runs.flatMap((r) => Object.keys(r.metrics)))].filter((k) =>
    !isSystemMetric(k)
  ).sort();
  const { groupKeys, groupValues } = groupingOf(p.runs);
  const tableRuns = p.runs.map(({ id, name, color, params, metrics, tags }) => ({
    id,
    name,
    color,
    params,
    metrics,
    tags: Object.fromEntries(Object.entries(tags).filter(([k]) => !k.startsWith("mlflow."))),
  }));
  return (
    <div class="compare-page">
      <h1>Comparing {p.runs.length} runs</h1>
      {p.missing.length > 0 && <div class="error">Unknown runs left out: {p.missing.join(", ")}</div>}
      <Island name="CompareTables" props={{ base: p.base, runs: tableRuns }} />
      <h2 class="section-title">Metrics</h2>
      <Island
        name="MetricCharts"
        props={{
          base: p.base,
          runs: p.runs.map((r) => ({ id: r.id, name: r.name, color: r.color, running: r.running })),
          metricKeys,
          shown: p.charts?.shown,
          settings: {
            x: p.charts?.x ?? "step",
            xKey: p.charts?.xKey,
            logY: p.charts?.logY,
            smoothing: p.charts?.smoothing,
            group: p.charts?.group,
            search: p.charts?.search,
          },
          groupKeys,
          groupValues,
        }}
      />
      <h2 class="section-title">Plots</h2>
      <Island name="ComparePlots" props={{ runs: tableRuns }} />
    </div>
  );
}
