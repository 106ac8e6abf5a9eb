/// <reference lib="dom" />
// A searchable key/value table (params, metrics). Large lists show the first rows that match, so a run
// with thousands of params stays quick; the search narrows them down.

import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { formatTime, formatValue } from "../lib/format.ts";

const SHOWN = 500;

export interface KeyValueTableProps {
  title: string;
  kind: "params" | "metrics";
  rows: { key: string; value: string | number; step?: number; timestamp?: number }[];
  /** For metrics: link each key to its chart. */
  chartHref?: string;
}

export function KeyValueTable(p: KeyValueTableProps) {
  const [search, setSearch] = useState("");
  const needle = search.trim().toLowerCase();
  const matches = p.rows.filter((r) =>
    !needle || r.key.toLowerCase().includes(needle) || String(r.value).toLowerCase().includes(needle)
  );
  const metrics = p.kind === "metrics";
  return (
    <section class={`kv-section ${p.kind}`}>
      <div class="section-head">
        <h2>
          {p.title} <span class="muted">({p.rows.length})</span>
        </h2>
        {p.rows.length > 5 && (
          <input
            type="search"
            placeholder={`Search ${p.kind}`}
            aria-label={`Search ${p.kind}`}
            value={search}
            onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
          />
        )}
      </div>
      {p.rows.length === 0 ? <p class="muted">None logged.</p> : (
        <table class="kv">
          <thead>
            <tr>
              <th>Name</th>
              <th>Value</th>
              {metrics && <th>Step</th>}
              {metrics && <th>Logged</th>}
            </tr>
          </thead>
          <tbody>
            {matches.slice(0, SHOWN).map((r) => {
              let key: ComponentChildren = r.key;
              if (p.chartHref) key = <a href={`${p.chartHref}${encodeURIComponent(r.key)}`}>{r.key}</a>;
              return (
                <tr key={r.key}>
                  <th scope="row">{key}</th>
                  <td class={metrics ? "num" : ""} title={String(r.value)}>
                    {metrics ? formatValue(r.value) : String(r.value)}
                  </td>
                  {metrics && <td class="num">{r.step}</td>}
                  {metrics && <td class="nowrap">{formatTime(r.timestamp)}</td>}
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {matches.length > SHOWN && <p class="muted small">{matches.length - SHOWN} more — refine the search.
      </p>}
    </section>
  );
}
