/// <reference lib="dom" />
// Column chooser: all attribute, metric, param and tag keys of the experiments (fetched when opened),
// searchable, with at most a few hundred checkboxes per group on screen however many keys exist. The
// shown columns are listed in order with move buttons: the keyboard way to reorder them.

import { useEffect, useState } from "preact/hooks";
import { type Api, TRACKER_API } from "../../lib/api.ts";
import { ATTRIBUTES, type Column, columnId, type ColumnKind, columnLabel } from "../../lib/columns.ts";
import { errorText } from "../../lib/use-action.ts";
import type { RunKeys } from "../../lib/wire.ts";

const SHOWN_PER_GROUP = 200;

export interface ChooserProps {
  api: Api;
  experimentIds: string[];
  columns: Column[];
  onChange(cols: Column[]): void;
  /** Moves the shown column at `from` to `to`. */
  onMove(from: number, to: number): void;
  onReset(): void;
  onClose(): void;
}

export function ColumnChooser(p: ChooserProps) {
  const [keys, setKeys] = useState<RunKeys | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [search, setSearch] = useState("");

  useEffect(() => {
    p.api.get<RunKeys>(`${TRACKER_API}/run-keys`, { experiment_ids: p.experimentIds })
      .then(setKeys, (e) => setError(errorText(e)));
  }, [p.experimentIds.join(",")]);

  const shown = new Set(p.columns.map(columnId));
  const toggle = (c: Column, on: boolean) => {
    const id = columnId(c);
    p.onChange(on ? [...p.columns, c] : p.columns.filter((x) => columnId(x) !== id));
  };
  const needle = search.trim().toLowerCase();
  const groups: [string, ColumnKind, string[]][] = [
    ["Attributes", "a", ATTRIBUTES],
    ["Metrics", "m", keys?.metrics ?? []],
    ["Parameters", "p", keys?.params ?? []],
    ["Tags", "t", keys?.tags ?? []],
  ];

  return (
    <div class="popover column-chooser" role="dialog" aria-label="Choose columns">
      <div class="popover-head">
        <input
          type="search"
          placeholder="Search columns"
          aria-label="Search columns"
          value={search}
          onInput={(e) => setSearch((e.target as HTMLInputElement).value)}
          autoFocus
        />
        <button type="button" onClick={p.onReset}>Defaults</button>
        <button type="button" onClick={p.onClose} aria-label="Close">✕</button>
      </div>
      {error && <div class="error">{error}</div>}
      {!keys && !error && <div class="muted">Loading keys…</div>}
      <div class="popover-body">
        {!needle && <ShownOrder columns={p.columns} onMove={p.onMove} />}
        {groups.map(([title, kind, list]) => {
          const matches = list.filter((k) => {
            const label = kind === "a" ? columnLabel({ kind, key: k }) : k;
            return !needle || label.toLowerCase().includes(needle);
          });
          if (!matches.length) return null;
          return (
            <fieldset key={kind}>
              <legend>
                {title} <span class="muted">({matches.length})</span>
              </legend>
              {matches.slice(0, SHOWN_PER_GROUP).map((k) => {
                const c = { kind, key: k };
                const id = columnId(c);
                return (
                  <label key={id} class="check-line">
                    <input
                      type="checkbox"
                      checked={shown.has(id)}
                      data-col={id}
                      onChange={(e) => toggle(c, (e.target as HTMLInputElement).checked)}
                    />
                    <span>{columnLabel(c)}</span>
                  </label>
                );
              })}
              {matches.length > SHOWN_PER_GROUP && (
                <div class="muted">{matches.length - SHOWN_PER_GROUP} more — refine the search</div>
              )}
            </fieldset>
          );
        })}
      </div>
    </div>
  );
}

/** The shown columns in order, each with "move left/right" buttons (focus follows the moved column). */
function ShownOrder({ columns, onMove }: { columns: Column[]; onMove(from: number, to: number): void }) {
  const move = (e: Event, from: number, to: number, dir: "left" | "right") => {
    onMove(from, to);
    // The list re-renders in the new order; keep the keyboard on the same button of the moved column.
    const list = (e.currentTarget as HTMLElement).closest("ol");
    requestAnimationFrame(() =>
      list?.querySelector<HTMLButtonElement>(`li:nth-child(${to + 1}) button[data-dir="${dir}"]:enabled`)
        ?.focus()
    );
  };
  return (
    <fieldset class="shown-order">
      <legend>Shown, in order</legend>
      <ol>
        {columns.map((c, i) => {
          const label = columnLabel(c);
          return (
            <li key={columnId(c)} data-col={columnId(c)}>
              <span class="label" title={label}>{label}</span>
              <button
                type="button"
                class="icon"
                data-dir="left"
                aria-label={`Move ${label} left`}
                disabled={i === 0}
                onClick={(e) => move(e, i, i - 1, "left")}
              >
                ←
              </button>
              <button
                type="button"
                class="icon"
                data-dir="right"
                aria-label={`Move ${label} right`}
                disabled={i === columns.length - 1}
                onClick={(e) => move(e, i, i + 1, "right")}
              >
                →
              </button>
            </li>
          );
        })}
      </ol>
    </fieldset>
  );
}
