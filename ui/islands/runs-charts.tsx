/// <reference lib="dom" />
// The experiments page's chart view: metric charts of the runs selected in the runs table (or of the first
// few rows when none is selected), overlaid with the run page's controls, then the compare page's scatter
// and parallel coordinates of their latest values. Opened with a toggle; the toggle and the chart settings
// live in the URL like the rest of the view. Rendered inside the runs view, which holds the selection; the
// runs' names, statuses, metrics and params come from one runs/search call.

import { useEffect, useMemo, useState } from "preact/hooks";
import { Api, ApiError } from "../lib/api.ts";
import { CHART_PANEL_PARAM, type ChartView, parseChartView } from "../lib/chart-view.ts";
import { colorFor } from "../lib/colors.ts";
import { type Grouping, groupingOf } from "../lib/grouping.ts";
import { isSystemMetric } from "../lib/system-metrics.ts";
import { setQueryParams } from "../lib/url.ts";
import type { ChartRun } from "./charts/chart-panel.tsx";
import { MetricCharts } from "./metric-charts.tsx";
import { ComparePlots } from "./compare-plots.tsx";
import type { CompareRun } from "./compare-tables.tsx";

/** Rows charted when nothing is selected (MLflow's chart view also starts with the first 10). */
export const FIRST_ROWS = 10;
/** The series endpoint takes at most 100 runs per chart. */
const MAX_RUNS = 100;

export interface RunsChartsProps {
  base: string;
  experimentIds: string[];
  selected: string[];
  /** The runs table's loaded rows by position (mutated in place; `version` says when). */
  rows: Map<number, { id: string }>;
  version: number;
}

interface WireRun {
  info: { run_id: string; run_name?: string; status: string };
  data: {
    metrics?: { key: string; value: number | string }[];
    params?: { key: string; value: string }[];
    tags?: { key: string; value: string }[];
  };
}

interface Loaded extends Grouping {
  /** The run ids asked for: the charts remount (and reread their settings) when these change. */
  key: string;
  runs: ChartRun[];
  metricKeys: string[];
  /** Latest values for the scatter and parallel coordinates. */
  plotRuns: CompareRun[];
}

function toLoaded(ids: string[], found: WireRun[]): Loaded {
  const byId = new Map(found.map((r) => [r.info.run_id, r]));
  const present = ids.map((id) => byId.get(id)).filter((r): r is WireRun => !!r);
  const kv = (xs?: { key: string; value: string }[]) =>
    Object.fromEntries((xs ?? []).map((x) => [x.key, x.value]));
  const plotRuns = present.map((r) => ({
    id: r.info.run_id,
    name: r.info.run_name || r.info.run_id,
    color: colorFor(r.info.run_id),
    params: kv(r.data.params),
    metrics: Object.fromEntries((r.data.metrics ?? []).map((m) => [m.key, m.value])),
    tags: kv(r.data.tags),
  }));
  return {
    key: ids.join(","),
    plotRuns,
    runs: present.map((r) => ({
      id: r.info.run_id,
      name: r.info.run_name || r.info.run_id,
      color: colorFor(r.info.run_id),
      running: r.info.status === "RUNNING",
    })),
    metricKeys: [...new Set(present.flatMap((r) => (r.data.metrics ?? []).map((m) => m.key)))]
      .filter((k) => !isSystemMetric(k)).sort(),
    ...groupingOf(
      present.map((r) => ({ id: r.info.run_id, params: kv(r.data.params), tags: kv(r.data.tags) })),
    ),
  };
}

export function RunsCharts(p: RunsChartsProps) {
  const api = useMemo(() => new Api(p.base), [p.base]);
  // Closed on the server render; the URL opens it once hydrated.
  const [open, setOpen] = useState(false);
  const [view, setView] = useState<ChartView | null>(null);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  const ids = useMemo(() => {
    if (p.selected.length) return p.selected.slice(0, MAX_RUNS);
    const out: string[] = [];
    for (let i = 0; i < FIRST_ROWS; i++) {
      const r = p.rows.get(i);
      if (r) out.push(r.id);
    }
    return out;
  }, [p.selected.join(","), p.version]);
  const idsKey = ids.join(",");

  useEffect(() => {
    if (new URLSearchParams(location.search).get(CHART_PANEL_PARAM) === "1") setOpen(true);
  }, []);

  const toggle = () => {
    const next = !open;
    setQueryParams({ [CHART_PANEL_PARAM]: next ? "1" : null });
    setOpen(next);
  };

  useEffect(() => {
    if (!open) return;
    if (!ids.length) {
      setLoaded({ key: "", runs: [], metricKeys: [], plotRuns: [], groupKeys: [], groupValues: {} });
      return;
    }
    let stale = false;
    // Run ids match MLflow's id rule (no quotes), so listing them in the filter is safe.
    api.mlflow<{ runs?: WireRun[] }>("runs/search", {
      experiment_ids: p.experimentIds,
      filter: `attributes.run_id IN (${ids.map((id) => `'${id}'`).join(", ")})`,
      run_view_type: "ALL",
      max_results: MAX_RUNS,
    }).then((res) => {
      if (stale) return;
      // Read the settings when the charts (re)mount, so they carry over from the previous selection.
      setView(parseChartView(new URLSearchParams(location.search)));
      setLoaded(toLoaded(ids, res.runs ?? []));
      setError(null);
    }).catch((e) => {
      if (!stale) setError(e instanceof ApiError ? e.message : String(e));
    });
    return () => {
      stale = true;
    };
  }, [open, idsKey, p.experimentIds.join(",")]);

  const what = p.selected.length
    ? `${Math.min(p.selected.length, MAX_RUNS)} selected run${p.selected.length === 1 ? "" : "s"}`
    : `the first ${ids.length} runs (select runs to chart others)`;
  return (
    <section class={`runs-charts ${open ? "open" : ""}`} data-runs={open && loaded ? loaded.runs.length : 0}>
      <div class="toolbar runs-charts-bar">
        <button type="button" aria-expanded={open} class="runs-charts-toggle" onClick={toggle}>
          {open ? "Hide charts" : "Show charts"}
        </button>
        {open && <span class="muted small">Charts of {what}</span>}
      </div>
      {open && error && <div class="error" role="alert">{error}</div>}
      {open && loaded && view && (
        loaded.runs.length === 0 ? <p class="muted">No runs to chart.</p> : (
          <MetricCharts
            key={loaded.key}
            base={p.base}
            runs={loaded.runs}
            metricKeys={loaded.metricKeys}
            shown={view.shown}
            settings={view}
            groupKeys={loaded.groupKeys}
            groupValues={loaded.groupValues}
          />
        )
      )}
      {open && loaded && loaded.plotRuns.length >= 2 && (
        <ComparePlots key={loaded.key} runs={loaded.plotRuns} />
      )}
    </section>
  );
}
