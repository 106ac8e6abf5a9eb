/// <reference lib="dom" />
// Params and metrics of several runs side by side; "differences only" hides rows where every run agrees.

import { useState } from "preact/hooks";
import { formatValue } from "../lib/format.ts";

export interface CompareRun {
  id: string;
  name: string;
  color: string;
  params: Record<string, string>;
  metrics: Record<string, number | string>;
  tags: Record<string, string>;
}

export interface CompareTablesProps {
  base: string;
  runs: CompareRun[];
}

function keysOf(runs: CompareRun[], pick: (r: CompareRun) => Record<string, unknown>): string[] {
  const s = new Set<string>();
  for (const r of runs) for (const k of Object.keys(pick(r))) s.add(k);
  return [...s].sort();
}

export function CompareTables(p: CompareTablesProps) {
  const [diffOnly, setDiffOnly] = useState(false);
  const [search, setSearch] = useState("");
  const needle = search.trim().toLowerCase();
  const section = (
    title: string,
    kind: "params" | "metrics" | "tags",
    pick: (r: CompareRun) => Record<string, unknown>,
  ) => {
    const rows = keysOf(p.runs, pick).filter((k) => {
      if (needle && !k.toLowerCase().includes(needle)) return false;
      if (!diffOnly) return true;
      const vals = p.runs.map((r) => JSON.stringify(pick(r)[k] ?? null));
      return new Set(vals).size > 1;
    });
    return (
      <tbody class={`compare-${kind}`}>
        <tr class="group-row">
          <th colSpan={p.runs.length + 1}>
            {title} <span class="muted">({rows.length})</span>
          </th>
        </tr>
        {rows.map((k) => {
          const vals = p.runs.map((r) => pick(r)[k]);
          const differs = new Set(vals.map((v) => JSON.stringify(v ?? null))).size > 1;
          return (
            <tr key={k} class={differs ? "differs" : ""} data-key={k}>
              <th scope="row">{k}</th>
              {vals.map((v, i) => (
                <td key={p.runs[i].id} class={kind === "metrics" ? "num" : ""}>
                  {v === undefined
                    ? <span class="empty">—</span>
                    : kind === "metrics"
                    ? formatValue(v)
                    : String(v)}
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    );
  };
  return (
    <section class="compare-tables">
      <div class="toolbar">
        <label>
          <input
            type="checkbox"
            checked={diffOnly}
            aria-label="Show differences only"
            onChange={(e) => setDiffOnly((e.target as HTMLInputElement).checked)}
          />{" "}
          Differences only
        </label>
        <input
          type="search"
          placeholder="Search keys"
          aria-label="Search keys"
          value={search}
          onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
        />
      </div>
      <div class="compare-scroll">
        <table class="kv compare">
          <thead>
            <tr>
              <th>Run</th>
              {p.runs.map((r) => (
                <th key={r.id}>
                  <span class="color-dot" style={{ background: r.color }} />
                  <a href={`${p.base}/runs/${encodeURIComponent(r.id)}`}>{r.name}</a>
                </th>
              ))}
            </tr>
          </thead>
          {section("Parameters", "params", (r) => r.params)}
          {section("Metrics", "metrics", (r) => r.metrics)}
          {section("Tags", "tags", (r) => r.tags)}
        </table>
      </div>
    </section>
  );
}
