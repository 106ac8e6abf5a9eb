// Compare runs: side-by-side tables, overlaid metric charts (optionally grouped), scatter and parallel
// coordinates.

import type { CompareRun } from "../islands/compare-tables.tsx";
import { Island } from "./island.tsx";

export interface ComparePageProps {
  base: string;
  runs: (CompareRun & { running: boolean; experimentName: string })[];
  missing: string[];
  charts?: {
    shown?: string[];
    x?: string;
    xKey?: string;
    logY?: boolean;
    smoothing?: number;
    group?: string;
  };
}

export function ComparePage(p: ComparePageProps) {
  const metricKeys = [...new Set(p.runs.flatMap((r) => Object.keys(r.metrics)))].sort();
  const groupKeys = [
    ...[...new Set(p.runs.flatMap((r) => Object.keys(r.params)))].sort().map((k) => `params.${k}`),
    ...[...new Set(p.runs.flatMap((r) => Object.keys(r.tags)))].filter((k) => !k.startsWith("mlflow."))
      .sort().map((k) => `tags.${k}`),
  ];
  const groupValues: Record<string, Record<string, string>> = {};
  for (const r of p.runs) {
    const g: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.params)) g[`params.${k}`] = v;
    for (const [k, v] of Object.entries(r.tags)) g[`tags.${k}`] = v;
    groupValues[r.id] = g;
  }
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
            x: (p.charts?.x ?? "step") as "step",
            xKey: p.charts?.xKey,
            logY: p.charts?.logY,
            smoothing: p.charts?.smoothing,
            group: p.charts?.group,
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
