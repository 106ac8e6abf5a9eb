/// <reference lib="dom" />
// The runs view of the experiments page: filter box (search grammar, inline error from the server), view
// selector, column chooser, selection actions, and the virtualised grid. All view state is in the URL.
// While the page is open it polls for new runs (see LIVE_MS).

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { Api } from "../lib/api.ts";
import { type Column, columnId } from "../lib/columns.ts";
import { type LifecycleView, runsViewQuery, type RunsViewState } from "../lib/view-state.ts";
import type { TableWindow } from "../lib/wire.ts";
import { ColumnChooser } from "./runs/column-chooser.tsx";
import { useTableData } from "./runs/use-table-data.ts";
import { VirtualGrid } from "./runs/virtual-grid.tsx";
import { RunsCharts } from "./runs-charts.tsx";
import { withChartParams } from "../lib/chart-view.ts";

/**
 * Poll cadence. Each poll re-runs the page's query on the server (an in-memory search) and compares the
 * ordered run list with the page's snapshot; an unchanged list answers in a few bytes. While a shown run
 * is RUNNING the poll is frequent and also refreshes the visible cells (live metrics); otherwise new runs
 * only need to show up within seconds. Hidden tabs do not poll.
 */
const LIVE_MS = { running: 3_000, idle: 10_000 };

export interface RunsViewProps {
  base: string;
  state: RunsViewState & { columns: Column[] };
  defaultColumns: Column[];
  /** The URL chose the columns (otherwise they are the defaults and stay out of the URL). */
  customColumns: boolean;
  initial: TableWindow | null;
  initialError: string | null;
}

export function RunsView(props: RunsViewProps) {
  const api = useMemo(() => new Api(props.base), [props.base]);
  const s0 = props.state;
  const [filterText, setFilterText] = useState(s0.filter);
  const [filter, setFilter] = useState(s0.filter);
  const [sort, setSort] = useState({ id: s0.sort, asc: s0.asc });
  const [view, setView] = useState<LifecycleView>(s0.view);
  const [columns, setColumns] = useState<Column[]>(s0.columns);
  const [customColumns, setCustomColumns] = useState(props.customColumns);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set(s0.expanded));
  const [selected, setSelected] = useState<Set<string>>(() => new Set(s0.selected));
  const [widths, setWidths] = useState<Record<string, number>>(s0.widths);
  const [chooser, setChooser] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);

  const query = {
    experiment_ids: s0.experimentIds,
    filter,
    view,
    sort: sort.id,
    asc: sort.asc,
    expanded: [...expanded].sort(),
  };
  const colIds = columns.map(columnId);
  const data = useTableData(api, query, colIds, props.initial, props.initialError);

  // Live: new runs appear and running rows update without a reload (scroll and selection stay).
  const anyRunning = useMemo(() => {
    for (const r of data.rows.values()) if (r.running) return true;
    return false;
  }, [data.version]);
  const latest = useRef(data);
  latest.current = data;
  useEffect(() => {
    const tick = () => {
      if (!document.hidden) latest.current.poll(anyRunning);
    };
    const t = setInterval(tick, anyRunning ? LIVE_MS.running : LIVE_MS.idle);
    document.addEventListener("visibilitychange", tick);
    return () => {
      clearInterval(t);
      document.removeEventListener("visibilitychange", tick);
    };
  }, [anyRunning]);

  // "/" jumps to the filter box, as in most search UIs.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.key !== "/" || t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable) return;
      e.preventDefault();
      document.querySelector<HTMLInputElement>(".filter-input")?.focus();
    };
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);

  // The URL always describes the current view, so it can be shared or reloaded.
  useEffect(() => {
    const next: RunsViewState = {
      experimentIds: s0.experimentIds,
      filter,
      sort: sort.id,
      asc: sort.asc,
      columns: customColumns ? columns : null,
      view,
      widths,
      selected: [...selected],
      expanded: [...expanded],
    };
    const url = `${location.pathname}${withChartParams(runsViewQuery(next), location.search)}`;
    if (url !== `${location.pathname}${location.search}`) history.replaceState(null, "", url);
  }, [filter, sort.id, sort.asc, view, colIds.join(","), customColumns, widths, selected, expanded]);

  const moveColumn = (from: number, to: number) => {
    if (to < 0 || to >= columns.length || from === to) return;
    const next = [...columns];
    const [c] = next.splice(from, 1);
    next.splice(to, 0, c);
    setColumns(next);
    setCustomColumns(true);
  };

  const onSort = (id: string) =>
    setSort((cur) =>
      cur.id === id ? (cur.asc ? { id: "", asc: false } : { id, asc: true }) : { id, asc: false }
    );

  const toggleSet = (set: Set<string>, id: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  };

  const lifecycle = async (action: "delete" | "restore") => {
    const ids = [...selected];
    setBusy(`${action === "delete" ? "Deleting" : "Restoring"} ${ids.length} run(s)…`);
    try {
      for (const id of ids) await api.mlflow(`runs/${action}`, { run_id: id });
      setSelected(new Set());
      data.refresh();
    } catch (e) {
      alert(String((e as Error).message ?? e));
    } finally {
      setBusy(null);
    }
  };

  const selectedIds = [...selected];
  return (
    <section class="runs-view">
      <div class="toolbar">
        <form
          class="filter-form"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            setFilter(filterText.trim());
          }}
        >
          <input
            type="search"
            name="filter"
            class={`filter-input ${data.error ? "invalid" : ""}`}
            placeholder="metrics.rmse < 1 and params.model = 'tree'"
            aria-label="Filter runs"
            aria-invalid={data.error ? "true" : "false"}
            aria-describedby="filter-error"
            value={filterText}
            onInput={(e) => setFilterText((e.target as HTMLInputElement).value)}
          />
          <button type="submit">Search</button>
          {filter && (
            <button
              type="button"
              onClick={() => {
                setFilterText("");
                setFilter("");
              }}
            >
              Clear
            </button>
          )}
        </form>
        <select
          aria-label="Lifecycle"
          value={view}
          onChange={(e) => setView((e.target as HTMLSelectElement).value as LifecycleView)}
        >
          <option value="active">Active</option>
          <option value="deleted">Deleted</option>
          <option value="all">All</option>
        </select>
        <div class="chooser-anchor">
          <button type="button" aria-expanded={chooser} onClick={() => setChooser(!chooser)}>
            Columns ({columns.length})
          </button>
          {chooser && (
            <ColumnChooser
              api={api}
              experimentIds={s0.experimentIds}
              columns={columns}
              onChange={(c) => {
                setColumns(c);
                setCustomColumns(true);
              }}
              onMove={moveColumn}
              onReset={() => {
                setColumns(props.defaultColumns);
                setCustomColumns(false);
                setWidths({});
              }}
              onClose={() => setChooser(false)}
            />
          )}
        </div>
        <a
          class={`button ${selectedIds.length >= 2 ? "" : "disabled"}`}
          aria-disabled={selectedIds.length < 2}
          href={selectedIds.length >= 2
            ? `${props.base}/compare?runs=${selectedIds.map(encodeURIComponent).join(",")}`
            : undefined}
        >
          Compare ({selectedIds.length})
        </a>
        {selectedIds.length > 0 && view !== "deleted" && (
          <button
            type="button"
            class="danger"
            onClick={() => lifecycle("delete")}
          >
            Delete
          </button>
        )}
        {selectedIds.length > 0 && view !== "active" && (
          <button
            type="button"
            onClick={() => lifecycle("restore")}
          >
            Restore
          </button>
        )}
        <button type="button" onClick={data.refresh} title="Reload runs">↻</button>
        <span class="count" aria-live="polite">
          {busy ?? (data.loading ? "Loading…" : `${data.total.toLocaleString("en-US")} runs`)}
        </span>
      </div>
      {data.error && (
        <div id="filter-error" class="filter-error" role="alert">
          {data.error}
        </div>
      )}
      <RunsCharts
        base={props.base}
        experimentIds={s0.experimentIds}
        selected={selectedIds}
        rows={data.rows}
        version={data.version}
      />
      <VirtualGrid
        base={props.base}
        columns={columns}
        data={data}
        sort={sort.id}
        asc={sort.asc}
        onSort={onSort}
        selected={selected}
        onSelect={(id, on) => setSelected((s) => toggleSet(s, id, on))}
        expanded={expanded}
        onExpand={(id, on) => setExpanded((s) => toggleSet(s, id, on))}
        onClearSelection={() => setSelected(new Set())}
        widths={widths}
        onResize={(id, px) => setWidths((w) => ({ ...w, [id]: px }))}
        onMove={moveColumn}
      />
    </section>
  );
}
