// The runs table behind the UI: one search over the selected experiments, ordered, with nested runs placed
// under their parents, then only the requested window of rows and only the requested columns go out.
// The ordered row list is kept as a short-lived snapshot so scrolling fetches later windows without
// searching again, and rows keep their places while the user scrolls.

import { type Column, orderByFor } from "../../../ui/lib/columns.ts";
import type { Cell, RowRef, RunKeys, TableRow, TableWindow } from "../../../ui/lib/wire.ts";
import type { TrackingService } from "../../services/tracking.ts";
import type { Run, ViewType } from "../../store/types.ts";
import type { TrackingStore } from "../../store/tracking-store.ts";

export const PARENT_TAG = "mlflow.parentRunId";
export const SOURCE_TAG = "mlflow.source.name";
const SEARCH_PAGE = 50000;
const SNAPSHOT_TTL_MS = 5 * 60_000;
const MAX_SNAPSHOTS = 32;

export interface TableQuery {
  experimentIds: string[];
  filter: string;
  viewType: ViewType;
  sort: Column | null;
  asc: boolean;
  /** Parents whose children are shown; children of other parents are folded away. */
  expanded: string[];
}

export async function searchAll(svc: TrackingService, q: Omit<TableQuery, "expanded">): Promise<Run[]> {
  const orderBy = q.sort ? orderByFor(q.sort, q.asc) : null;
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await svc.searchRuns({
      experimentIds: q.experimentIds,
      viewType: q.viewType,
      filter: q.filter,
      orderBy: orderBy ? [orderBy] : [],
      maxResults: SEARCH_PAGE,
      pageToken,
    });
    runs.push(...page.items);
    pageToken = page.nextPageToken;
  } while (pageToken);
  if (q.sort && !orderBy) sortBy(runs, q.sort, q.asc);
  return runs;
}

/** Columns the search grammar cannot order by (duration, experiment): a stable sort, missing last. */
function sortBy(runs: Run[], col: Column, asc: boolean) {
  const key = (r: Run): number | string | null => {
    if (col.key === "duration") {
      return r.info.endTime === undefined ? null : r.info.endTime - r.info.startTime;
    }
    if (col.key === "experiment") return r.info.experimentId;
    return null;
  };
  const keyed = runs.map((r, i) => ({ r, i, k: key(r) }));
  keyed.sort((a, b) => {
    if (a.k === null || b.k === null) return a.k === b.k ? a.i - b.i : a.k === null ? 1 : -1;
    const c = a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
    return (asc ? c : -c) || a.i - b.i;
  });
  keyed.forEach((x, i) => (runs[i] = x.r));
}

/**
 * Places each run whose parent is also in the result right after the parent (children keep the result's
 * order), and drops children of folded parents. Runs whose parent is absent stay top-level.
 */
export function nestRuns(
  runs: Run[],
  expanded: ReadonlySet<string>,
): { refs: RowRef[]; byId: Map<string, Run> } {
  const byId = new Map(runs.map((r) => [r.info.runId, r]));
  const children = new Map<string, Run[]>();
  const roots: Run[] = [];
  for (const r of runs) {
    const parent = tag(r, PARENT_TAG);
    if (parent && parent !== r.info.runId && byId.has(parent)) {
      const list = children.get(parent);
      if (list) list.push(r);
      else children.set(parent, [r]);
    } else roots.push(r);
  }
  const refs: RowRef[] = [];
  const seen = new Set<string>();
  const visit = (r: Run, depth: number) => {
    const id = r.info.runId;
    if (seen.has(id)) return; // parent cycles written by hand must not loop
    seen.add(id);
    const kids = children.get(id) ?? [];
    refs.push({ id, depth, kids: kids.length });
    if (expanded.has(id)) { for (const k of kids) visit(k, depth + 1); }
  };
  for (const r of roots) visit(r, 0);
  // Runs only reachable through a cycle have no root; show them top-level rather than lose them.
  for (const r of runs) if (!seen.has(r.info.runId) && !byId.has(tag(r, PARENT_TAG) ?? "")) visit(r, 0);
  return { refs, byId };
}

export function tag(r: Run, key: string): string | undefined {
  return r.data.tags.find((t) => t.key === key)?.value;
}

/** The cells of one run for the requested columns; NaN/±Infinity as strings (JSON has none). */
export function project(r: Run, cols: Column[], expNames: ReadonlyMap<string, string>, now: number): Cell[] {
  let params: Map<string, string> | undefined;
  let tags: Map<string, string> | undefined;
  let metrics: Map<string, number> | undefined;
  return cols.map((c): Cell => {
    switch (c.kind) {
      case "m": {
        metrics ??= new Map(r.data.metrics.map((m) => [m.key, m.value]));
        const v = metrics.get(c.key);
        return v === undefined ? null : Number.isFinite(v) ? v : String(v);
      }
      case "p":
        params ??= new Map(r.data.params.map((p) => [p.key, p.value]));
        return params.get(c.key) ?? null;
      case "t":
        tags ??= new Map(r.data.tags.map((t) => [t.key, t.value]));
        return tags.get(c.key) ?? null;
    }
    const i = r.info;
    switch (c.key) {
      case "name":
        return i.runName;
      case "created":
        return i.startTime;
      case "duration":
        return i.endTime !== undefined
          ? i.endTime - i.startTime
          : i.status === "RUNNING"
          ? now - i.startTime
          : null;
      case "user":
        return i.userId;
      case "source":
        return tag(r, SOURCE_TAG) ?? null;
      case "status":
        return i.status;
      case "run_id":
        return i.runId;
      case "experiment":
        return expNames.get(i.experimentId) ?? i.experimentId;
    }
    return null;
  });
}

export function toRow(
  ref: RowRef,
  r: Run,
  cols: Column[],
  expNames: ReadonlyMap<string, string>,
  now: number,
) {
  return {
    ...ref,
    deleted: r.info.lifecycleStage === "deleted",
    running: r.info.status === "RUNNING",
    cells: project(r, cols, expNames, now),
  } satisfies TableRow;
}

/** One snapshot cache per app, shared by the page renderer and the runs-table endpoint. */
const snapshotCaches = new WeakMap<object, SnapshotCache>();
export function snapshotsFor(deps: object): SnapshotCache {
  let c = snapshotCaches.get(deps);
  if (!c) snapshotCaches.set(deps, c = new SnapshotCache());
  return c;
}

interface Snapshot {
  refs: RowRef[];
  expires: number;
  /** The store's change count read before the search that made it (-1: unknown). */
  changes: number;
}

/** Ordered row lists by id, evicted oldest-first; one table per app. */
export class SnapshotCache {
  #map = new Map<string, Snapshot>();
  #next = 1;
  constructor(private readonly now: () => number = Date.now) {}

  put(refs: RowRef[], changes = -1): string {
    const id = `${this.#next++}.${crypto.randomUUID().slice(0, 8)}`;
    this.#map.set(id, { refs, expires: this.now() + SNAPSHOT_TTL_MS, changes });
    while (this.#map.size > MAX_SNAPSHOTS) this.#map.delete(this.#map.keys().next().value!);
    return id;
  }

  get(id: string): RowRef[] | undefined {
    const s = this.#map.get(id);
    if (!s) return undefined;
    if (s.expires < this.now()) {
      this.#map.delete(id);
      return undefined;
    }
    return s.refs;
  }

  /** The store's change count when the snapshot was made (-1 when unknown or gone). */
  changesOf(id: string): number {
    return this.#map.get(id)?.changes ?? -1;
  }

  /** Keeps a snapshot a page still polls from expiring; `changes`: the list was found equal at that count. */
  touch(id: string, changes?: number): void {
    const s = this.#map.get(id);
    if (!s) return;
    s.expires = this.now() + SNAPSHOT_TTL_MS;
    if (changes !== undefined) s.changes = changes;
  }
}

function sameRefs(a: readonly RowRef[], b: readonly RowRef[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i].id !== b[i].id || a[i].depth !== b[i].depth || a[i].kids !== b[i].kids) return false;
  }
  return true;
}

/** A live page asking whether its snapshot still matches the query's result. */
export interface ChangeCheck {
  snapshot: string;
  /** Also send the window's rows when nothing moved (fresh cells of running runs). */
  withRows: boolean;
}

/** Rows [offset, offset+limit) of the table, from the snapshot when it is still there. */
export async function tableWindow(
  svc: TrackingService,
  store: TrackingStore,
  cache: SnapshotCache,
  q: TableQuery,
  cols: Column[],
  offset: number,
  limit: number,
  snapshot?: string,
  check?: ChangeCheck,
): Promise<TableWindow> {
  const now = Date.now();
  const expNames = await experimentNames(store, q.experimentIds, cols);
  const windowOf = async (refs: RowRef[]): Promise<TableRow[]> => {
    const slice = refs.slice(offset, offset + limit);
    const runs = await Promise.all(slice.map((ref) => store.getRun(ref.id).catch(() => null)));
    const rows: TableRow[] = [];
    slice.forEach((ref, i) => {
      const r = runs[i];
      if (r) rows.push(toRow(ref, r, cols, expNames, now));
    });
    return rows;
  };
  const cached = snapshot ? cache.get(snapshot) : undefined;
  if (cached) return { total: cached.length, snapshot: snapshot!, offset, rows: await windowOf(cached) };
  // Read before searching: a write that lands during the search makes the next poll search again.
  const changes = await store.changeCount();
  if (check) {
    // Nothing written since the page's snapshot was made: the same rows, without searching again.
    const held = cache.get(check.snapshot);
    if (held && cache.changesOf(check.snapshot) === changes) {
      cache.touch(check.snapshot);
      const rows = check.withRows ? await windowOf(held) : [];
      return { total: held.length, snapshot: check.snapshot, offset, rows, unchanged: true };
    }
  }
  const runs = await searchAll(svc, q);
  const { refs, byId } = nestRuns(runs, new Set(q.expanded));
  // Polling for changes: when the ordered list is the one the page holds, its snapshot stays and only
  // the (optional) fresh cells go back, so an idle page costs one search and a few bytes per poll.
  const held = check ? cache.get(check.snapshot) : undefined;
  if (check && held && sameRefs(held, refs)) {
    cache.touch(check.snapshot, changes);
    const rows = check.withRows
      ? refs.slice(offset, offset + limit).map((ref) => toRow(ref, byId.get(ref.id)!, cols, expNames, now))
      : [];
    return { total: refs.length, snapshot: check.snapshot, offset, rows, unchanged: true };
  }
  const id = cache.put(refs, changes);
  const rows = refs.slice(offset, offset + limit).map((ref) =>
    toRow(ref, byId.get(ref.id)!, cols, expNames, now)
  );
  return { total: refs.length, snapshot: id, offset, rows };
}

async function experimentNames(
  store: TrackingStore,
  ids: string[],
  cols: Column[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (!cols.some((c) => c.kind === "a" && c.key === "experiment")) return out;
  for (const id of ids) {
    const e = await store.getExperiment(id).catch(() => null);
    if (e) out.set(id, e.name);
  }
  return out;
}

/** Every metric, param and tag key used by the experiments' runs (for the column chooser). */
export async function runKeys(svc: TrackingService, experimentIds: string[]): Promise<RunKeys> {
  const runs = await searchAll(svc, {
    experimentIds,
    filter: "",
    viewType: "ALL",
    sort: null,
    asc: false,
  });
  const m = new Set<string>(), p = new Set<string>(), t = new Set<string>();
  for (const r of runs) {
    for (const x of r.data.metrics) m.add(x.key);
    for (const x of r.data.params) p.add(x.key);
    for (const x of r.data.tags) t.add(x.key);
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return { metrics: sorted(m), params: sorted(p), tags: sorted(t) };
}
