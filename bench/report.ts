// Markdown tables of a benchmark run: one row per measure with tracker/MLflow and tracker/FastTrackML
// ratios and the target verdicts, then the server CPU time per request of each load phase.

import type { ServerName, Sizes } from "./config.ts";
import { LABELS } from "./servers.ts";
import type { Memory } from "./proc.ts";
import { median } from "./stats.ts";
import type { Phase, PhaseResult } from "./workload.ts";
import type { ProfileSummary } from "./profile.ts";

export interface ServerResult {
  /** Seconds to first /health 200, one per launch. */
  startS: number[];
  phases: Partial<Record<Phase, PhaseResult>>;
  memory: Memory | null;
  /** Right after the workload launch answered /health. */
  idleMemory?: Memory;
  /** Set when the server could not be started or measured at all. */
  error?: string;
}

export type Results = Partial<Record<ServerName, ServerResult>>;

type RowKey = Phase | "start" | "rss" | "rssIdle";

interface Row {
  key: RowKey;
  label: string;
  unit: string;
  higherIsBetter: boolean;
  /** Write rows must reach 10x MLflow and 2x FastTrackML. */
  write?: boolean;
  /** Absolute ceiling of tracker's value. */
  max?: number;
}

function rows(s: Sizes): Row[] {
  const k = (n: number) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
  return [
    {
      key: "createRuns",
      label: `create runs (1 client, ${k(s.createRuns)})`,
      unit: "runs/s",
      higherIsBetter: true,
      write: true,
    },
    {
      key: "logBatch",
      label: `log-batch of ${k(s.batchSize)} metrics (1 client, ${k(s.logBatches * s.batchSize)} pts)`,
      unit: "points/s",
      higherIsBetter: true,
      write: true,
    },
    {
      key: "logMetricSeq",
      label: `log-metric sequential (${k(s.logMetricSeq)})`,
      unit: "req/s",
      higherIsBetter: true,
      write: true,
    },
    {
      key: "logMetricConc",
      label: `log-metric, ${s.clients} clients (${k(s.logMetricConc)})`,
      unit: "req/s",
      higherIsBetter: true,
      write: true,
    },
    {
      key: "seed",
      label: `seed: create + log-batch, ${s.clients} clients`,
      unit: "runs/s",
      higherIsBetter: true,
    },
    {
      key: "search",
      label: `runs/search, ${k(s.seedRuns)} runs, filter + order_by, top ${s.searchMaxResults}`,
      unit: "ms (median)",
      higherIsBetter: false,
      max: 50,
    },
    {
      key: "history",
      label: `get-history, ${k(s.logBatches * s.batchSize)} pts, pages of 25k`,
      unit: "ms (median)",
      higherIsBetter: false,
      max: 100,
    },
    {
      key: "bulkInterval",
      label: "get-history-bulk-interval (2500 samples)",
      unit: "ms (median)",
      higherIsBetter: false,
    },
    {
      key: "start",
      label: "start to first /health 200 (fresh store)",
      unit: "s (median)",
      higherIsBetter: false,
      max: 0.3,
    },
    { key: "rss", label: "RSS after load (process tree)", unit: "MB", higherIsBetter: false, max: 80 },
    { key: "rssIdle", label: "RSS idle, right after start", unit: "MB", higherIsBetter: false },
  ];
}

interface Cell {
  value: number | null;
  why?: string;
}

function cell(r: ServerResult | undefined, key: RowKey): Cell {
  if (!r) return { value: null, why: "not run" };
  if (key === "start") return r.startS.length ? { value: median(r.startS) } : { value: null, why: r.error };
  if (key === "rss" || key === "rssIdle") {
    const m = key === "rss" ? r.memory : r.idleMemory;
    return m ? { value: m.rssMb } : { value: null, why: r.error ?? "not measured" };
  }
  const p = r.phases[key];
  if (!p) return { value: null, why: r.error ?? "not run" };
  return p.value === null ? { value: null, why: p.error } : { value: p.value };
}

function fmt(v: number): string {
  if (v >= 100) return Math.round(v).toLocaleString("en-US");
  if (v >= 10) return v.toFixed(1);
  if (v >= 1) return v.toFixed(2);
  return v.toFixed(3);
}

const short = (s = "", n = 160) => (s.length > n ? s.slice(0, n - 3) + "..." : s).replace(/\|/g, "/");

function ratio(a: Cell, b: Cell): number | null {
  return a.value !== null && b.value !== null && b.value > 0 ? a.value / b.value : null;
}

function verdict(row: Row, t: Cell, m: Cell, f: Cell): string {
  if (row.write) {
    const rm = ratio(t, m), rf = ratio(t, f);
    if (rm === null && rf === null) return "≥10× MLflow, ≥2× FML: n/a";
    const ok = (rm === null || rm >= 10) && (rf === null || rf >= 2);
    return `≥10× MLflow, ≥2× FML: ${ok ? "pass" : "**MISS**"}`;
  }
  if (row.max !== undefined) {
    if (t.value === null) return `≤ ${row.max}: n/a`;
    return `≤ ${row.max}: ${t.value <= row.max ? "pass" : "**MISS**"}`;
  }
  return "—";
}

export function resultTable(res: Results, sizes: Sizes): string {
  const head = `| measure | unit | ${LABELS.tracker} | ${LABELS.mlflow} | ${LABELS.fml} ` +
    "| tracker/MLflow | tracker/FML | target (tracker) |";
  const lines = [head, "|" + " --- |".repeat(8)];
  // One footnote per distinct reason: a server that never started fails every row the same way.
  const notes: string[] = [];
  for (const row of rows(sizes)) {
    const [t, m, f] = (["tracker", "mlflow", "fml"] as const).map((n) => cell(res[n], row.key));
    const show = (c: Cell, who: string) => {
      if (c.value !== null) return fmt(c.value);
      if (c.why === "not run") return "—";
      const note = `${who}: ${short(c.why ?? "failed")}`;
      if (!notes.includes(note)) notes.push(note);
      return `n/a [${notes.indexOf(note) + 1}]`;
    };
    const r = (x: number | null) => (x === null ? "—" : `${fmt(x)}×`);
    lines.push(
      `| ${row.label} | ${row.unit} ${row.higherIsBetter ? "↑" : "↓"} | ${show(t, "tracker")} | ${
        show(m, "MLflow")
      } | ${show(f, "FML")} | ${r(ratio(t, m))} | ${r(ratio(t, f))} | ${verdict(row, t, m, f)} |`,
    );
  }
  const out = [lines.join("\n")];
  if (notes.length) out.push(notes.map((n, i) => `[${i + 1}] ${n}`).join("\n"));
  return out.join("\n\n");
}

/**
 * Where each request's wall time went, in ms per request: server CPU (utime+stime of the tree) +
 * time the server waited for a CPU (runqueue), against wall time per request. The rest of the wall
 * time is I/O (fsync), the network and the client; the last column is the client's own CPU + wait
 * during tracker's phase. Phase notes (deadline caps, data sizes) follow.
 */
export function cpuTable(res: Results, phases: readonly Phase[]): string {
  const names = (["tracker", "mlflow", "fml"] as const).filter((n) => res[n]);
  const per = (x: number, n: number) => {
    const v = x / n;
    return v.toFixed(v < 1 ? 2 : v < 100 ? 1 : 0);
  };
  const lines = [
    `| phase | ${names.map((n) => LABELS[n]).join(" | ")} | client (tracker phase) | notes |`,
    "|" + " --- |".repeat(3 + names.length),
  ];
  for (const p of phases) {
    const cells = names.map((n) => {
      const r = res[n]?.phases[p];
      if (!r?.requests) return "—";
      return `${per(r.serverCpuMs, r.requests)} + ${per(r.serverWaitMs, r.requests)} / ${
        per(r.elapsedMs, r.requests)
      }`;
    });
    const t = res.tracker?.phases[p];
    const client = t?.requests
      ? `${per(t.clientCpuMs, t.requests)} + ${per(t.clientWaitMs, t.requests)}`
      : "—";
    const notes = names.map((n) => [n, res[n]?.phases[p]?.note] as const).filter(([, x]) => x)
      .map(([n, x]) => `${n}: ${short(x, 90)}`).join("; ");
    lines.push(`| ${p} | ${cells.join(" | ")} | ${client} | ${notes} |`);
  }
  return lines.join("\n");
}

type Profiled = { profile?: PhaseResult["profile"]; elapsedMs?: number };

/** Under --profile: tracker's start-up, then per phase, where its main isolate spent sampled CPU. */
export function profileReport(res: Results, startup?: ProfileSummary | string): string {
  const out = ["### tracker CPU profile (self time, ms; sampled every 200 µs)"];
  const rows: [string, Profiled][] = Object.entries(res.tracker?.phases ?? {});
  if (startup) {
    const profile = typeof startup === "string" ? { error: startup } : startup;
    rows.unshift(["start-up (first line to /health 200)", { profile }]);
  }
  for (const [phase, r] of rows) {
    const p = r.profile;
    if (!p) continue;
    if ("error" in p) {
      out.push(`- ${phase}: profile failed: ${p.error}`);
      continue;
    }
    const files = p.topFiles.slice(0, 5).map((f) => `${f.file} ${f.ms}`).join(", ");
    const fns = p.topFunctions.slice(0, 6).map((f) => `${f.name} ${f.ms}`).join("; ");
    const wall = r.elapsedMs === undefined ? "" : ` of ${Math.round(r.elapsedMs)} ms wall`;
    out.push(`- **${phase}**: busy ${p.busyMs} ms${wall}. Files: ${files}.`);
    out.push(`  Functions: ${fns}`);
  }
  return out.join("\n");
}
