// The runs view lives in the URL (shareable links): experiments, filter, sort, columns, lifecycle view.
// Parsed on the server for the first render and on the client when it writes history entries.

import { type Column, columnId, parseColumnId } from "./columns.ts";

export type LifecycleView = "active" | "deleted" | "all";

export interface RunsViewState {
  experimentIds: string[];
  filter: string;
  /** Column id to sort on; "" means the default order (newest first). */
  sort: string;
  asc: boolean;
  /** Columns shown, in order; null means "the defaults for these experiments". */
  columns: Column[] | null;
  view: LifecycleView;
}

const ID = /^[a-zA-Z0-9][\w\-]{0,63}$/;

export function parseRunsView(q: URLSearchParams): RunsViewState {
  const experimentIds = (q.get("e") ?? "").split(",").filter((s) => ID.test(s));
  const cols = q.get("cols");
  const view = q.get("view");
  return {
    experimentIds: [...new Set(experimentIds)],
    filter: q.get("q") ?? "",
    sort: parseColumnId(q.get("sort") ?? "") ? q.get("sort")! : "",
    asc: q.get("asc") === "1",
    // Keys cannot contain commas (MLflow's key rule), so a comma list is unambiguous.
    columns: cols === null ? null : cols.split(",").map(parseColumnId).filter((c): c is Column => c !== null),
    view: view === "deleted" || view === "all" ? view : "active",
  };
}

export function runsViewQuery(s: RunsViewState): string {
  const q = new URLSearchParams();
  if (s.experimentIds.length) q.set("e", s.experimentIds.join(","));
  if (s.filter) q.set("q", s.filter);
  if (s.sort) q.set("sort", s.sort);
  if (s.sort && s.asc) q.set("asc", "1");
  if (s.columns) q.set("cols", s.columns.map(columnId).join(","));
  if (s.view !== "active") q.set("view", s.view);
  const text = q.toString();
  return text ? `?${text}` : "";
}

export const VIEW_TYPES: Record<LifecycleView, "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL"> = {
  active: "ACTIVE_ONLY",
  deleted: "DELETED_ONLY",
  all: "ALL",
};
