// Rows of the runs table, fetched in blocks as they scroll into view. The first answer names a server-side
// snapshot of the ordered list; later blocks (and column changes) reuse it, so scrolling never searches
// again and rows keep their places. A new query (filter, sort, view, expansion) starts a new snapshot.

import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { type Api, ApiError, TRACKER_API } from "../../lib/api.ts";
import type { TableRow, TableWindow } from "../../lib/wire.ts";

export const BLOCK = 100;

export interface TableQueryBody {
  experiment_ids: string[];
  filter: string;
  view: string;
  sort: string;
  asc: boolean;
  expanded: string[];
}

export interface TableData {
  total: number;
  /** Loaded rows by position; mutated in place, `version` changes whenever it does. */
  rows: Map<number, TableRow>;
  version: number;
  error: string | null;
  loading: boolean;
  /** Counts replacements of the row list by a poll that found new or removed runs. */
  reloads: number;
  /** Asks for the blocks covering rows [from, to). */
  ensure(from: number, to: number): void;
  /** Re-runs the query from scratch (after edits). */
  refresh(): void;
  /**
   * Asks the server whether the query's rows changed since our snapshot. If so the rows around the
   * viewport are replaced (new snapshot, `reloads` + 1); if not, with `cells` the rows around the
   * viewport get fresh values (running runs) and only the snapshot is kept.
   */
  poll(cells: boolean): Promise<void>;
}

function windowToMap(w: TableWindow, into = new Map<number, TableRow>()): Map<number, TableRow> {
  w.rows.forEach((r, i) => into.set(w.offset + i, r));
  return into;
}

export function useTableData(
  api: Api,
  query: TableQueryBody,
  columns: string[],
  initial: TableWindow | null,
  initialError: string | null,
): TableData {
  const queryKey = JSON.stringify(query);
  const colKey = columns.join(",");
  // Rows are written in place (copying a 10k-entry map per arriving block made garbage while scrolling);
  // `version` tells components that it changed.
  const rows = useRef<Map<number, TableRow>>(null as unknown as Map<number, TableRow>);
  if (rows.current === null) rows.current = initial ? windowToMap(initial) : new Map();
  const [state, setState] = useState(() => ({
    total: initial?.total ?? 0,
    version: 0,
    reloads: 0,
    error: initialError,
    loading: false,
  }));
  /** First row the grid shows (with its overscan): where a poll re-reads. */
  const viewFrom = useRef(0);
  const polling = useRef(false);
  const snapshot = useRef<string | undefined>(initial?.snapshot);
  const loaded = useRef(new Set<number>(initial ? blocksOf(initial) : []));
  const pending = useRef(new Set<number>());
  const generation = useRef(0);
  const firstQuery = useRef(queryKey);
  const firstCols = useRef(colKey);
  const [refreshes, setRefreshes] = useState(0);
  const seenRefreshes = useRef(0);

  const fetchBlock = useCallback((block: number, fresh: boolean) => {
    const gen = generation.current;
    pending.current.add(block);
    if (fresh) setState((s) => ({ ...s, loading: true }));
    api.post<TableWindow>(`${TRACKER_API}/runs-table`, {
      ...query,
      columns,
      offset: block * BLOCK,
      limit: BLOCK * (fresh ? 2 : 1),
      snapshot: fresh ? undefined : snapshot.current,
    }).then((w) => {
      if (gen !== generation.current) return;
      pending.current.delete(block);
      if (!fresh && w.snapshot !== snapshot.current) {
        // The server lost our snapshot: start over so all rows come from one ordering.
        restart();
        return;
      }
      snapshot.current = w.snapshot;
      for (const b of blocksOf(w)) loaded.current.add(b);
      if (fresh) rows.current = new Map();
      windowToMap(w, rows.current);
      setState((s) => ({ ...s, total: w.total, version: s.version + 1, error: null, loading: false }));
    }).catch((e) => {
      if (gen !== generation.current) return;
      pending.current.delete(block);
      const msg = e instanceof ApiError ? e.message : String(e);
      setState((s) => ({ ...s, error: msg, loading: false }));
    });
  }, [queryKey, colKey]);

  const restart = () => {
    generation.current++;
    pending.current.clear();
    loaded.current.clear();
    snapshot.current = undefined;
    fetchBlock(0, true);
  };

  // A changed query: new snapshot. Changed columns only: same snapshot, refetch the loaded blocks.
  useEffect(() => {
    const refreshed = refreshes !== seenRefreshes.current;
    seenRefreshes.current = refreshes;
    if (firstQuery.current === queryKey && firstCols.current === colKey && !refreshed) return;
    const queryChanged = firstQuery.current !== queryKey || refreshed;
    firstQuery.current = queryKey;
    firstCols.current = colKey;
    if (queryChanged || !snapshot.current) {
      restart();
      return;
    }
    generation.current++;
    const blocks = [...loaded.current];
    loaded.current.clear();
    pending.current.clear();
    // Cells of the old columns must not show under the new headers.
    rows.current = new Map();
    setState((s) => ({ ...s, version: s.version + 1 }));
    for (const b of blocks.length ? blocks : [0]) fetchBlock(b, false);
  }, [queryKey, colKey, refreshes]);

  const ensure = (from: number, to: number) => {
    viewFrom.current = from;
    if (state.error && !snapshot.current) return;
    const last = Math.min(Math.ceil(Math.min(to, state.total) / BLOCK), Math.ceil(state.total / BLOCK));
    for (let b = Math.floor(from / BLOCK); b < last; b++) {
      if (!loaded.current.has(b) && !pending.current.has(b)) fetchBlock(b, false);
    }
  };

  const poll = async (cells: boolean) => {
    const held = snapshot.current;
    if (!held || polling.current || pending.current.size) return;
    polling.current = true;
    const gen = generation.current;
    // The block before the viewport too: a poll that finds new runs above must still hold the row the
    // grid keeps in place.
    const offset = Math.max(0, Math.floor(viewFrom.current / BLOCK) - 1) * BLOCK;
    try {
      const w = await api.post<TableWindow>(`${TRACKER_API}/runs-table`, {
        ...query,
        columns,
        offset,
        limit: BLOCK * 3,
        check_snapshot: held,
        with_rows: cells,
      });
      if (gen !== generation.current || snapshot.current !== held) return;
      if (w.unchanged) {
        if (!w.rows.length) return;
        windowToMap(w, rows.current);
        // Other loaded blocks are stale now: they are read again when they scroll into view.
        const fresh = new Set(blocksOf(w));
        for (const b of [...loaded.current]) if (!fresh.has(b)) loaded.current.delete(b);
        setState((s) => ({ ...s, total: w.total, version: s.version + 1 }));
        return;
      }
      generation.current++;
      pending.current.clear();
      loaded.current = new Set(blocksOf(w));
      snapshot.current = w.snapshot;
      rows.current = windowToMap(w);
      setState((s) => ({
        ...s,
        total: w.total,
        version: s.version + 1,
        reloads: s.reloads + 1,
        error: null,
      }));
    } catch {
      // A failed poll changes nothing on screen; the next one tries again.
    } finally {
      polling.current = false;
    }
  };

  return { ...state, rows: rows.current, ensure, refresh: () => setRefreshes((n) => n + 1), poll };
}

function blocksOf(w: TableWindow): number[] {
  const out: number[] = [];
  for (let b = Math.floor(w.offset / BLOCK); b * BLOCK < w.offset + w.rows.length; b++) out.push(b);
  return out;
}
