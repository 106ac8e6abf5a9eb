/// <reference lib="dom" />
// Metric charts for one or more runs: pick the metrics, the x axis (step, wall time, relative time or any
// other metric), log scale, smoothing, and, with several runs, grouping by a param or tag (mean ± std).
// Colours come from the run (or group) id, so they are the same on every chart and page. The settings live
// in the URL (lib/chart-view.ts). `system` charts MLflow's system/... metrics, under a heading per kind;
// otherwise those are left out. Keys that running runs log later are added as they appear.

import { useEffect, useMemo, useState } from "preact/hooks";
import { Api } from "../lib/api.ts";
import { colorFor } from "../lib/colors.ts";
import { setQueryParams } from "../lib/url.ts";
import { isSystemMetric, sortSystemMetrics, systemMetricKind } from "../lib/system-metrics.ts";
import { ChartPanel, type ChartRun, type ChartSettings } from "./charts/chart-panel.tsx";
import { useLiveKeys } from "./charts/use-live-keys.ts";

const DEFAULT_CHARTS = 6;
/** A search shows at most this many charts (each is a request and a canvas). */
const MAX_FOUND = 30;

export interface MetricChartsProps {
  base: string;
  runs: ChartRun[];
  metricKeys: string[];
  /** Metrics shown first (from the URL); default: the first few keys. */
  shown?: string[];
  settings?: Partial<ChartSettings> & { group?: string; search?: string };
  /** For grouping: each run's values of the groupable keys ("params.x" / "tags.y"). */
  groupValues?: Record<string, Record<string, string>>;
  groupKeys?: string[];
  /** System metrics (system/...), laid out by kind, instead of the model metrics. */
  system?: boolean;
  /** The x axis when the URL names none (left out of the URL when chosen). */
  defaultX?: ChartSettings["x"];
}

export function MetricCharts(p: MetricChartsProps) {
  const api = useMemo(() => new Api(p.base), [p.base]);
  const defaultX = p.defaultX ?? "step";
  const [shown, setShown] = useState<string[]>(() => {
    // Charts named in the URL that these runs do not have are dropped; none left: the defaults.
    const asked = p.shown?.filter((k) => p.metricKeys.includes(k));
    return asked?.length ? asked : p.metricKeys.slice(0, DEFAULT_CHARTS);
  });
  const [x, setX] = useState<ChartSettings["x"]>(p.settings?.x ?? defaultX);
  const [xKey, setXKey] = useState(p.settings?.xKey ?? "");
  const [logY, setLogY] = useState(p.settings?.logY ?? false);
  const [smoothing, setSmoothing] = useState(p.settings?.smoothing ?? 0);
  const [group, setGroup] = useState(p.settings?.group ?? "");
  const [adding, setAdding] = useState("");
  const [search, setSearch] = useState(p.settings?.search ?? "");
  const metricKeys = useLiveKeys(
    api,
    p.runs,
    p.metricKeys,
    p.system ? isSystemMetric : (k) => !isSystemMetric(k),
    p.system ? sortSystemMetrics : (ks) => ks.sort(),
  );

  // New keys from running runs: charted while there is room (system metrics: always, they are few).
  const [known, setKnown] = useState(p.metricKeys);
  useEffect(() => {
    const added = metricKeys.filter((k) => !known.includes(k));
    if (!added.length) return;
    setKnown(metricKeys);
    setShown((cur) => [
      ...cur,
      ...added.slice(0, p.system ? added.length : Math.max(0, DEFAULT_CHARTS - cur.length)),
    ]);
  }, [metricKeys]);

  useEffect(() => {
    setQueryParams({
      charts: shown.join(","),
      x: x === defaultX ? null : x,
      x_key: x === "metric" ? xKey : null,
      log: logY ? "1" : null,
      smooth: smoothing ? String(smoothing) : null,
      group: group || null,
      chart_q: search || null,
    });
  }, [shown.join(","), x, xKey, logY, smoothing, group, search]);

  const runs: ChartRun[] = p.runs.map((r) => {
    if (!group) return r;
    const g = p.groupValues?.[r.id]?.[group] ?? "(none)";
    return { ...r, group: g, groupColor: colorFor(`${group}=${g}`) };
  });
  const settings: ChartSettings = {
    x,
    xKey: x === "metric" ? xKey : undefined,
    logY,
    smoothing,
    grouped: !!group,
  };
  const hidden = metricKeys.filter((k) => !shown.includes(k));
  // Searching charts every matching metric instead of the chosen ones, like MLflow's chart search.
  const needle = search.trim().toLowerCase();
  const found = needle ? metricKeys.filter((k) => k.toLowerCase().includes(needle)) : [];
  const displayed = needle ? found.slice(0, MAX_FOUND) : shown;

  return (
    <section class="metric-charts">
      <div class="toolbar chart-controls">
        <label>
          x axis{" "}
          <select
            aria-label="X axis"
            value={x === "metric" ? `metric:${xKey}` : x}
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              if (v.startsWith("metric:")) {
                setX("metric");
                setXKey(v.slice(7));
              } else setX(v as ChartSettings["x"]);
            }}
          >
            <option value="step">Step</option>
            <option value="time">Wall time</option>
            <option value="relative">Relative time</option>
            {metricKeys.map((k) => <option key={k} value={`metric:${k}`}>Metric: {k}</option>)}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={logY}
            onChange={(e) => setLogY((e.target as HTMLInputElement).checked)}
          />{" "}
          Log scale
        </label>
        <label class="smoothing">
          Smoothing{" "}
          <input
            type="range"
            min="0"
            max="0.99"
            step="0.01"
            aria-label="Smoothing"
            value={smoothing}
            onInput={(e) => setSmoothing(Number((e.target as HTMLInputElement).value))}
          />
          <span class="mono small">{smoothing.toFixed(2)}</span>
        </label>
        {p.groupKeys && p.groupKeys.length > 0 && p.runs.length > 1 && (
          <label>
            Group by{" "}
            <select
              aria-label="Group by"
              value={group}
              onChange={(e) => setGroup((e.target as HTMLSelectElement).value)}
            >
              <option value="">(no grouping)</option>
              {p.groupKeys.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
          </label>
        )}
        <input
          type="search"
          class="chart-search"
          aria-label="Search charts"
          placeholder="Search metrics"
          value={search}
          onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
        />
        {needle && (
          <span class="muted small chart-found">
            {found.length > MAX_FOUND
              ? `first ${MAX_FOUND} of ${found.length} matching metrics`
              : `${found.length} matching metric${found.length === 1 ? "" : "s"}`}
          </span>
        )}
        {!needle && hidden.length > 0 && (
          <select
            aria-label="Add chart"
            value={adding}
            onChange={(e) => {
              const k = (e.target as HTMLSelectElement).value;
              if (k) setShown([...shown, k]);
              setAdding("");
            }}
          >
            <option value="">+ Add chart ({hidden.length})</option>
            {hidden.map((k) => <option key={k} value={k}>{k}</option>)}
          </select>
        )}
      </div>
      {metricKeys.length === 0 && <p class="muted">No metrics logged.</p>}
      {sectionsOf(displayed, metricKeys, p.system ? systemMetricKind : undefined).map(([title, keys]) => (
        <div class="chart-section" key={title ?? ""} data-section={title}>
          {title !== null && <h3 class="chart-section-title">{title}</h3>}
          <div class="chart-grid">
            {keys.map((k) => (
              <div class="chart-cell" key={k}>
                {!needle && (
                  <button
                    type="button"
                    class="icon chart-close"
                    aria-label={`Remove chart ${k}`}
                    onClick={() =>
                      setShown(shown.filter((s) => s !== k))}
                  >
                    ✕
                  </button>
                )}
                <ChartPanel api={api} runs={runs} metricKey={k} settings={settings} />
              </div>
            ))}
          </div>
        </div>
      ))}
      <p class="muted small">
        Drag across a chart to zoom (full resolution is fetched for the window); double-click to reset.
      </p>
    </section>
  );
}

/** Shown keys per section, sections in the order their keys have in `all`; one untitled section without. */
function sectionsOf(
  shown: string[],
  all: string[],
  sectionOf?: (key: string) => string,
): [string | null, string[]][] {
  if (!sectionOf) return [[null, shown]];
  const out = new Map<string, string[]>();
  const rank = new Map(all.map((k, i) => [k, i]));
  for (const k of [...shown].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0))) {
    const title = sectionOf(k);
    if (!out.has(title)) out.set(title, []);
    out.get(title)!.push(k);
  }
  return [...out];
}
