// The runs view lives in the URL (shareable links): experiments, filter, sort, columns (order and widths),
// lifecycle view, selected runs and expanded parents. Parsed on the server for the first render and on the
// client when it writes history entries.

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
  /** Widths in px the user dragged, by column id; other columns keep their default width. */
  widths: Record<string, number>;
  /** Selected run ids (checkboxes). */
  selected: string[];
  /** Parent runs whose children are unfolded. */
  expanded: string[];
}

const ID = /^[a-zA-Z0-9][\w\-]{0,63}$/;
export const MIN_WIDTH = 40;
export const MAX_WIDTH = 2000;
/** Run ids kept in the URL per list: a link must stay shareable (browsers and proxies cap URL length). */
export const MAX_URL_RUNS = 200;

function idList(q: URLSearchParams, name: string, max = Infinity): string[] {
  return [...new Set((q.get(name) ?? "").split(",").filter((s) => ID.test(s)))].slice(0, max);
}

export function clampWidth(px: number): number {
  return Math.round(Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, px)));
}

/** "w=<column id>:<px>,…"; a column id may itself hold ":", the width is what follows the last one. */
function parseWidths(text: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of (text ?? "").split(",")) {
    const at = item.lastIndexOf(":");
    const id = item.slice(0, at);
    const px = Number(item.slice(at + 1));
    if (at > 0 && parseColumnId(id) && /^\d{1,4}$/.test(item.slice(at + 1))) out[id] = clampWidth(px);
  }
  return out;
}

export function parseRunsView(q: URLSearchParams): RunsViewState {
  const cols = q.get("cols");
  const view = q.get("view");
  return {
    experimentIds: idList(q, "e"),
    filter: q.get("q") ?? "",
    sort: parseColumnId(q.get("sort") ?? "") ? q.get("sort")! : "",
    asc: q.get("asc") === "1",
    // Keys cannot contain commas (MLflow's key rule), so a comma list is unambiguous.
    columns: cols === null ? null : cols.split(",").map(parseColumnId).filter((c): c is Column => c !== null),
    view: view === "deleted" || view === "all" ? view : "active",
    widths: parseWidths(q.get("w")),
    selected: idList(q, "sel", MAX_URL_RUNS),
    expanded: idList(q, "open", MAX_URL_RUNS),
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
  const widths = Object.entries(s.widths);
  if (widths.length) q.set("w", widths.map(([id, px]) => `${id}:${px}`).join(","));
  if (s.selected.length) q.set("sel", s.selected.slice(0, MAX_URL_RUNS).join(","));
  if (s.expanded.length) q.set("open", s.expanded.slice(0, MAX_URL_RUNS).join(","));
  const text = q.toString();
  return text ? `?${text}` : "";
}

export const VIEW_TYPES: Record<LifecycleView, "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL"> = {
  active: "ACTIVE_ONLY",
  deleted: "DELETED_ONLY",
  all: "ALL",
};
