/// <reference lib="dom" />
// One metric chart (uPlot on a canvas). The server sends each run's history reduced to the chart's width
// while keeping every bucket's min and max; zooming (drag) asks again for just the visible window, so the
// detail returns at full resolution; double-click goes back to the whole history. A chart loads once it
// comes near the viewport. While a run is RUNNING (as the last answer said) the chart polls with the
// answer's ETag: nothing new costs a bodiless 304; the poll stops once no run is running.

import { useEffect, useRef, useState } from "preact/hooks";
import uPlot from "uplot";
import { type Api, ApiError, TRACKER_API } from "../../lib/api.ts";
import { formatValue } from "../../lib/format.ts";
import { ema, meanStd } from "../../lib/smoothing.ts";
import { dashesFor } from "../../lib/colors.ts";
import type { Series } from "../../lib/wire.ts";

export const CHART_HEIGHT = 240;
const POLL_MS = 5000;
/** Charts this far below (or above) the viewport load ahead of being scrolled to. */
const NEAR_VIEW = "800px 0px";

export interface ChartRun {
  id: string;
  name: string;
  color: string;
  running: boolean;
  /** Group label when runs are grouped (mean ± std drawn per group). */
  group?: string;
  groupColor?: string;
}

export interface ChartSettings {
  x: "step" | "time" | "relative" | "metric";
  xKey?: string;
  logY: boolean;
  smoothing: number;
  grouped: boolean;
}

export interface ChartPanelProps {
  api: Api;
  runs: ChartRun[];
  metricKey: string;
  settings: ChartSettings;
}

type Window = { min: number; max: number } | null;

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return v || fallback;
}

/** Aligned uPlot data and series options for the current settings. */
export function buildPlot(series: Series[], runs: ChartRun[], s: ChartSettings) {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const present = series.filter((x) => x.x.length && byId.has(x.run_id));
  const tables = present.map((x) =>
    [x.x, s.smoothing > 0 ? ema(x.y, s.smoothing) : x.y] as uPlot.AlignedData
  );
  const data = tables.length ? uPlot.join(tables) : ([[]] as unknown as uPlot.AlignedData);
  const opts: uPlot.Series[] = [{ label: xLabel(s) }];
  const bands: uPlot.Band[] = [];
  if (s.grouped) {
    // One mean line and a ±1 std band per group, over the union of x values.
    const groups = new Map<string, number[]>();
    present.forEach((x, i) => {
      const g = byId.get(x.run_id)!.group ?? "(none)";
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)!.push(i + 1);
    });
    const out: (number | null)[][] = [data[0] as unknown as number[]];
    for (const [g, cols] of groups) {
      const color = runs.find((r) => (r.group ?? "(none)") === g)?.groupColor ?? "#888";
      const { mean, std } = meanStd(cols.map((c) => data[c] as (number | null)[]), data[0].length);
      const hi = mean.map((m, i) => (m === null ? null : m + std[i]!));
      const lo = mean.map((m, i) => (m === null ? null : m - std[i]!));
      const base = out.length;
      out.push(hi, mean, lo);
      // The band's edges are invisible series (uPlot fills between them); the mean is the line.
      const edge = (label: string) =>
        ({
          label,
          stroke: color,
          width: 0,
          spanGaps: true,
          points: { show: false },
          legend: false,
        }) as uPlot.Series;
      opts.push(
        edge(`${g} +σ`),
        { label: `${g} (${cols.length})`, stroke: color, width: 2, spanGaps: true, points: { size: 5 } },
        edge(`${g} −σ`),
      );
      bands.push({ series: [base, base + 2], fill: `${color}33` });
    }
    return { data: out as unknown as uPlot.AlignedData, series: opts, bands, present };
  }
  const dashes = dashesFor(present.map((x) => byId.get(x.run_id)!.color));
  present.forEach((x, i) => {
    const r = byId.get(x.run_id)!;
    // uPlot's default point markers appear only where points are sparse (a single logged value stays visible).
    // spanGaps off: a NaN (null) breaks the line; x values only other runs have (undefined) are bridged.
    opts.push({
      label: r.name,
      stroke: r.color,
      dash: dashes[i],
      width: 1.5,
      spanGaps: false,
      points: { size: 5 },
    });
  });
  return { data, series: opts, bands, present };
}

export function ChartPanel(p: ChartPanelProps) {
  const figure = useRef<HTMLElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoom = useRef<Window>(null);
  const quiet = useRef(false);
  const seq = useRef(0);
  const [status, setStatus] = useState<"loading" | "ready" | "empty" | "error">("loading");
  const [info, setInfo] = useState("");
  const [themeTick, setThemeTick] = useState(0);
  const [near, setNear] = useState(false);
  const [live, setLive] = useState(() => p.runs.some((r) => r.running));
  const [points, setPoints] = useState({ drawn: 0, total: 0 });
  /** ETag of the answer on screen, for the query that produced it. */
  const shownTag = useRef<{ query: string; tag: string } | null>(null);
  const runKey = p.runs.map((r) => `${r.id}:${r.color}:${r.group ?? ""}`).join(",");
  const settingsKey = JSON.stringify(p.settings);

  /** poll: ask with the shown answer's tag and keep it when the server says nothing changed. */
  const load = async (win: Window, rebuild: boolean, poll = false) => {
    const mine = ++seq.current;
    const el = host.current;
    if (!el) return;
    const width = Math.max(200, el.clientWidth);
    const query = {
      run_ids: p.runs.map((r) => r.id),
      key: p.metricKey,
      x: p.settings.x,
      x_key: p.settings.x === "metric" ? p.settings.xKey : undefined,
      min: win?.min,
      max: win?.max,
      buckets: Math.min(2000, Math.round(width)),
    };
    const queryKey = JSON.stringify(query);
    const known = poll && shownTag.current?.query === queryKey ? shownTag.current.tag : undefined;
    let series: Series[];
    try {
      const res = await p.api.getIfChanged<{ series: Series[] }>(
        `${TRACKER_API}/metric-series`,
        query,
        known,
      );
      if (mine !== seq.current || res === null) return;
      series = res.body.series;
      shownTag.current = res.tag ? { query: queryKey, tag: res.tag } : null;
    } catch (e) {
      if (mine !== seq.current) return;
      setStatus("error");
      setInfo(e instanceof ApiError ? e.message : String(e));
      return;
    }
    setLive(series.some((s) => s.running));
    const built = buildPlot(series, p.runs, p.settings);
    if (!built.present.length) {
      plot.current?.destroy();
      plot.current = null;
      setStatus("empty");
      return;
    }
    const total = built.present.reduce((n, s) => n + s.total, 0);
    const drawn = built.present.reduce((n, s) => n + s.x.length, 0);
    setPoints({ drawn, total });
    setInfo(
      drawn < total
        ? `${drawn.toLocaleString("en-US")} of ${total.toLocaleString("en-US")} points (min/max kept)`
        : `${total.toLocaleString("en-US")} points`,
    );
    if (!plot.current || rebuild || plot.current.series.length !== built.series.length) {
      plot.current?.destroy();
      plot.current = create(el, built, width);
    } else {
      quiet.current = true;
      plot.current.setData(forScale(built.data, p.settings.logY), win === null);
      if (win) plot.current.setScale("x", win);
      quiet.current = false;
    }
    setStatus("ready");
  };

  const create = (el: HTMLDivElement, built: ReturnType<typeof buildPlot>, width: number): uPlot => {
    const fg = cssVar("--fg-muted", "#667085");
    const grid = cssVar("--border", "#e2e5ea");
    const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const xTime = p.settings.x === "time";
    const opts: uPlot.Options = {
      width,
      height: CHART_HEIGHT,
      ms: 1,
      scales: { x: { time: xTime }, y: { distr: p.settings.logY ? 3 : 1 } },
      axes: [
        { ...axis, label: xLabel(p.settings), labelSize: 18, size: 40 },
        { ...axis, size: 60, values: (_u, ticks) => ticks.map((t) => formatValue(t)) },
      ],
      series: built.series,
      bands: built.bands,
      legend: { show: true, live: true },
      cursor: {
        drag: { x: true, y: false },
        bind: {
          dblclick: () => () => {
            zoom.current = null;
            load(null, false);
            return null;
          },
        },
      },
      hooks: {
        // The benchmark reads when each chart first drew its lines.
        draw: [() => {
          const name = `tracker-chart:${p.metricKey}`;
          if (!performance.getEntriesByName(name).length) performance.mark(name);
        }],
        setScale: [(u, key) => {
          if (key !== "x" || quiet.current) return;
          const { min, max } = u.scales.x;
          if (min === undefined || max === undefined || min === null || max === null) return;
          // uPlot also sets the scale itself (after creating the plot, after new data) to the data's
          // extent: that is the whole history, not a zoom, and polling must keep asking for all of it.
          const xs = u.data[0];
          if (!zoom.current && xs.length && min <= xs[0] && max >= xs[xs.length - 1]) return;
          zoom.current = { min, max };
          load(zoom.current, false);
        }],
      },
    };
    quiet.current = true;
    const u = new uPlot(opts, forScale(built.data, p.settings.logY), el);
    quiet.current = false;
    return u;
  };

  useEffect(() => {
    if (!near) return;
    zoom.current = null;
    load(null, true);
  }, [near, p.metricKey, runKey, settingsKey, themeTick]);

  useEffect(() => setLive(p.runs.some((r) => r.running)), [runKey]);

  // Only charts near the viewport fetch and draw: a page of many charts starts with the ones in sight.
  useEffect(() => {
    if (typeof IntersectionObserver === "undefined") {
      setNear(true);
      return;
    }
    const io = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      setNear(true);
      io.disconnect();
    }, { rootMargin: NEAR_VIEW });
    io.observe(figure.current!);
    return () => io.disconnect();
  }, []);

  useEffect(() => {
    const el = host.current!;
    const ro = new ResizeObserver(() =>
      plot.current?.setSize({ width: el.clientWidth, height: CHART_HEIGHT })
    );
    ro.observe(el);
    const onTheme = () => setThemeTick((n) => n + 1);
    const mq = matchMedia("(prefers-color-scheme: dark)");
    addEventListener("tracker-theme", onTheme);
    mq.addEventListener("change", onTheme);
    return () => {
      ro.disconnect();
      removeEventListener("tracker-theme", onTheme);
      mq.removeEventListener("change", onTheme);
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    if (!live || !near) return;
    const t = setInterval(() => load(zoom.current, false, true), POLL_MS);
    return () => clearInterval(t);
  }, [live, near, p.metricKey, runKey, settingsKey]);

  return (
    <figure
      class="chart-panel"
      ref={figure}
      data-metric={p.metricKey}
      data-status={status}
      data-live={live ? "1" : "0"}
      data-points={points.drawn}
      data-total={points.total}
    >
      <figcaption>
        <span class="chart-title">{p.metricKey}</span>
        <span class="muted small">{status === "ready" ? info : ""}{live ? " · live" : ""}</span>
      </figcaption>
      <div class="chart-wrap" style={{ minHeight: `${CHART_HEIGHT}px` }}>
        {/* uPlot owns this element's children; Preact's overlays live beside it. */}
        <div class="chart-host" ref={host} />
        {status === "loading" && <div class="chart-overlay muted">Loading…</div>}
        {status === "empty" && <div class="chart-overlay muted">No data</div>}
        {status === "error" && <div class="chart-overlay error">{info}</div>}
      </div>
    </figure>
  );
}

/** A log scale cannot show values ≤ 0: they become gaps instead of breaking the axis. */
function forScale(data: uPlot.AlignedData, logY: boolean): uPlot.AlignedData {
  if (!logY) return data;
  return data.map((col, i) =>
    i === 0 ? col : (col as (number | null)[]).map((v) => (v !== null && v > 0 ? v : null))
  ) as unknown as uPlot.AlignedData;
}

function xLabel(s: ChartSettings): string {
  return s.x === "step"
    ? "step"
    : s.x === "time"
    ? "time"
    : s.x === "relative"
    ? "seconds since start"
    : s.xKey ?? "";
}
