// A chart view's settings in the URL (shareable): which charts, x axis, log scale, smoothing, grouping.
// The run page, the compare page and the experiments page's chart panel read and write the same names.

export type XAxis = "step" | "time" | "relative" | "metric";

export interface ChartView {
  /** Charts shown, in order (from ?charts=a,b); undefined: the defaults. */
  shown?: string[];
  x: XAxis;
  xKey?: string;
  logY: boolean;
  smoothing: number;
  group?: string;
  /** Text the chart search box holds: every metric whose name contains it is charted. */
  search?: string;
}

/** The query names a chart view writes (MetricCharts), plus the experiments page's panel toggle. */
export const CHART_PANEL_PARAM = "chart_view";
export const CHART_PARAMS = ["charts", "x", "x_key", "log", "smooth", "group", "chart_q", CHART_PANEL_PARAM];

const AXES: readonly string[] = ["step", "time", "relative", "metric"];

export function parseChartView(q: URLSearchParams, defaultX: XAxis = "step"): ChartView {
  const x = q.get("x") ?? "";
  const xKey = q.get("x_key") || undefined;
  const smooth = Number(q.get("smooth"));
  // Metric keys cannot contain commas (MLflow's key rule).
  const shown = q.get("charts")?.split(",").filter(Boolean);
  return {
    shown: shown?.length ? shown : undefined,
    x: AXES.includes(x) && (x !== "metric" || xKey) ? x as XAxis : defaultX,
    xKey: x === "metric" ? xKey : undefined,
    logY: q.get("log") === "1",
    smoothing: Number.isFinite(smooth) ? Math.min(0.99, Math.max(0, smooth)) : 0,
    group: q.get("group") || undefined,
    search: q.get("chart_q") || undefined,
  };
}

/** `query` ("?a=b" or "") with the chart parameters of `current` added: views that rewrite the whole query
 * (the runs table) keep the chart panel's state. */
export function withChartParams(query: string, current: string): string {
  const cur = new URLSearchParams(current);
  const out = new URLSearchParams(query);
  for (const k of CHART_PARAMS) {
    const v = cur.get(k);
    if (v !== null && !out.has(k)) out.set(k, v);
  }
  const text = out.toString();
  return text ? `?${text}` : "";
}
