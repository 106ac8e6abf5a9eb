/// <reference lib="dom" />
// Scatter of two values (metrics or numeric params) across runs, and parallel coordinates over several,
// drawn as SVG: at most a hundred runs, so plain elements are fast and stay crisp and accessible. Runs keep
// their colour from every other chart; a run sharing its colour with an earlier one is hollow / dashed.

import { useState } from "preact/hooks";
import { dashesFor } from "../lib/colors.ts";
import { formatValue, toNumber } from "../lib/format.ts";
import { isSystemMetric } from "../lib/system-metrics.ts";
import type { CompareRun } from "./compare-tables.tsx";

export interface ComparePlotsProps {
  runs: CompareRun[];
}

const W = 520, H = 320, PAD = 48;

/** "m:key" / "p:key" → the run's numeric value, or undefined. */
function valueOf(r: CompareRun, dim: string): number | undefined {
  const key = dim.slice(2);
  const raw = dim[0] === "m" ? r.metrics[key] : r.params[key];
  if (raw === undefined) return undefined;
  const v = toNumber(raw);
  return Number.isFinite(v) ? v : undefined;
}

function numericDims(runs: CompareRun[]): string[] {
  const m = new Set<string>(), p = new Set<string>();
  for (const r of runs) {
    for (const k of Object.keys(r.metrics)) m.add(k);
    for (const [k, v] of Object.entries(r.params)) {
      if (v.trim() !== "" && Number.isFinite(Number(v))) p.add(k);
    }
  }
  // System metrics (system/...) go last: they describe the machine, and only runs that logged them have them.
  const metrics = [...m].sort();
  return [
    ...metrics.filter((k) => !isSystemMetric(k)).map((k) => `m:${k}`),
    ...[...p].sort().map((k) => `p:${k}`),
    ...metrics.filter(isSystemMetric).map((k) => `m:${k}`),
  ];
}

const label = (d: string) => `${d[0] === "m" ? "metric" : "param"} ${d.slice(2)}`;

function scale(vals: number[], lo: number, hi: number) {
  const min = Math.min(...vals), max = Math.max(...vals);
  const span = max - min || 1;
  return (v: number) => lo + ((v - min) / span) * (hi - lo);
}

export function ComparePlots(p: ComparePlotsProps) {
  const dims = numericDims(p.runs);
  const [xDim, setX] = useState(dims[0] ?? "");
  const [yDim, setY] = useState(dims[1] ?? dims[0] ?? "");
  const [axes, setAxes] = useState<string[]>(dims.filter((d) => !isSystemMetric(d.slice(2))).slice(0, 6));
  if (dims.length === 0) return <p class="muted">No numeric params or metrics to plot.</p>;
  const select = (value: string, set: (v: string) => void, name: string) => (
    <select
      aria-label={name}
      value={value}
      onChange={(e) => set((e.target as HTMLSelectElement).value)}
    >
      {dims.map((d) => <option key={d} value={d}>{label(d)}</option>)}
    </select>
  );

  const pts = p.runs.map((r) => ({ r, x: valueOf(r, xDim), y: valueOf(r, yDim) }))
    .filter((d): d is { r: CompareRun; x: number; y: number } => d.x !== undefined && d.y !== undefined);
  const sx = scale(pts.map((d) => d.x), PAD, W - 16);
  const sy = scale(pts.map((d) => d.y), H - PAD, 16);
  const xs = pts.map((d) => d.x), ys = pts.map((d) => d.y);
  const hollow = dashesFor(pts.map((d) => d.r.color));

  return (
    <section class="compare-plots">
      <div class="plot-card">
        <div class="toolbar">
          <h2>Scatter</h2>
          x {select(xDim, setX, "Scatter x")} y {select(yDim, setY, "Scatter y")}
        </div>
        <svg
          class="scatter"
          viewBox={`0 0 ${W} ${H}`}
          role="img"
          aria-label={`Scatter of ${label(yDim)} against ${label(xDim)}`}
        >
          <line x1={PAD} y1={H - PAD} x2={W - 16} y2={H - PAD} class="axis" />
          <line x1={PAD} y1={16} x2={PAD} y2={H - PAD} class="axis" />
          {pts.length > 0 && (
            <>
              <text x={PAD} y={H - PAD + 16} class="tick">{formatValue(Math.min(...xs))}</text>
              <text x={W - 16} y={H - PAD + 16} class="tick end">{formatValue(Math.max(...xs))}</text>
              <text x={PAD - 4} y={H - PAD} class="tick end">{formatValue(Math.min(...ys))}</text>
              <text x={PAD - 4} y={24} class="tick end">{formatValue(Math.max(...ys))}</text>
            </>
          )}
          <text x={(W + PAD) / 2} y={H - 8} class="axis-label">{label(xDim)}</text>
          {pts.map((d, i) => (
            <circle
              key={d.r.id}
              data-run-id={d.r.id}
              cx={sx(d.x)}
              cy={sy(d.y)}
              r={6}
              fill={hollow[i] ? "none" : d.r.color}
              stroke={d.r.color}
              stroke-width={2}
            >
              <title>{`${d.r.name}: ${formatValue(d.x)}, ${formatValue(d.y)}`}</title>
            </circle>
          ))}
        </svg>
      </div>
      <div class="plot-card">
        <div class="toolbar">
          <h2>Parallel coordinates</h2>
          <select
            aria-label="Add axis"
            value=""
            onChange={(e) => {
              const v = (e.target as HTMLSelectElement).value;
              if (v && !axes.includes(v)) setAxes([...axes, v]);
            }}
          >
            <option value="">+ axis</option>
            {dims.filter((d) => !axes.includes(d)).map((d) => <option key={d} value={d}>{label(d)}</option>)}
          </select>
        </div>
        <ParallelCoordinates
          runs={p.runs}
          axes={axes}
          onRemove={(d) => setAxes(axes.filter((a) => a !== d))}
        />
      </div>
    </section>
  );
}

function ParallelCoordinates(
  { runs, axes, onRemove }: { runs: CompareRun[]; axes: string[]; onRemove(d: string): void },
) {
  if (axes.length < 2) return <p class="muted">Choose at least two axes.</p>;
  const w = Math.max(W, axes.length * 120);
  const step = (w - 2 * PAD) / (axes.length - 1);
  const dashes = dashesFor(runs.map((r) => r.color));
  const scales = axes.map((d) => {
    const vals = runs.map((r) => valueOf(r, d)).filter((v): v is number => v !== undefined);
    return { d, vals, f: vals.length ? scale(vals, H - PAD, 30) : () => H - PAD };
  });
  return (
    <svg class="parallel" viewBox={`0 0 ${w} ${H}`} role="img" aria-label="Parallel coordinates">
      {scales.map((s, i) => (
        <g key={s.d}>
          <line x1={PAD + i * step} y1={30} x2={PAD + i * step} y2={H - PAD} class="axis" />
          <text x={PAD + i * step} y={18} class="axis-label" onClick={() => onRemove(s.d)}>
            {s.d.slice(2)}
            <title>{`${label(s.d)} (click to remove)`}</title>
          </text>
          {s.vals.length > 0 && (
            <>
              <text x={PAD + i * step + 4} y={H - PAD + 14} class="tick">
                {formatValue(Math.min(...s.vals))}
              </text>
              <text x={PAD + i * step + 4} y={40} class="tick">{formatValue(Math.max(...s.vals))}</text>
            </>
          )}
        </g>
      ))}
      {runs.map((r, ri) => {
        const points = scales.map((s, i) => {
          const v = valueOf(r, s.d);
          return v === undefined ? null : `${PAD + i * step},${s.f(v)}`;
        });
        if (points.some((pt) => pt === null)) return null;
        return (
          <polyline
            key={r.id}
            data-run-id={r.id}
            points={points.join(" ")}
            fill="none"
            stroke={r.color}
            stroke-dasharray={dashes[ri]?.join(" ")}
            stroke-width={2}
            opacity={0.85}
          >
            <title>{r.name}</title>
          </polyline>
        );
      })}
    </svg>
  );
}
