// Runs-table columns. A column id is "<kind>:<key>" (a: attribute, m: metric, p: param, t: tag); ids travel
// in URLs and in the runs-table request, so the client asks the server for exactly the columns it shows.

export type ColumnKind = "a" | "m" | "p" | "t";

export interface Column {
  kind: ColumnKind;
  key: string;
}

/** Attribute columns the table knows, in display order. */
export const ATTRIBUTES = ["name", "created", "duration", "user", "source", "status", "run_id", "experiment"];
export const DEFAULT_ATTRIBUTES = ["name", "created", "duration", "user", "source", "status"];

const ATTRIBUTE_LABELS: Record<string, string> = {
  name: "Run name",
  created: "Created",
  duration: "Duration",
  user: "User",
  source: "Source",
  status: "Status",
  run_id: "Run ID",
  experiment: "Experiment",
};

export function columnId(c: Column): string {
  return `${c.kind}:${c.key}`;
}

export function parseColumnId(id: string): Column | null {
  const kind = id.slice(0, 1);
  if (id[1] !== ":" || !"ampt".includes(kind) || kind === "") return null;
  const key = id.slice(2);
  if (!key || (kind === "a" && !ATTRIBUTES.includes(key))) return null;
  return { kind: kind as ColumnKind, key };
}

export function columnLabel(c: Column): string {
  return c.kind === "a" ? ATTRIBUTE_LABELS[c.key] ?? c.key : c.key;
}

export function columnGroup(c: Column): string {
  return { a: "Attributes", m: "Metrics", p: "Parameters", t: "Tags" }[c.kind];
}

/** Quotes a key for the search grammar: backticks, or double quotes when the key holds a backtick. */
export function quoteKey(key: string): string {
  return key.includes("`") ? `"${key.replaceAll('"', '\\"')}"` : `\`${key}\``;
}

/**
 * The `order_by` item for sorting on a column, in MLflow's grammar; null for columns the grammar cannot
 * order by (duration, experiment), which the server sorts itself.
 */
export function orderByFor(c: Column, asc: boolean): string | null {
  const dir = asc ? "ASC" : "DESC";
  switch (c.kind) {
    case "m":
      return `metrics.${quoteKey(c.key)} ${dir}`;
    case "p":
      return `params.${quoteKey(c.key)} ${dir}`;
    case "t":
      return `tags.${quoteKey(c.key)} ${dir}`;
  }
  const attr: Record<string, string> = {
    name: "attributes.run_name",
    created: "attributes.start_time",
    user: "attributes.user_id",
    status: "attributes.status",
    run_id: "attributes.run_id",
    source: "tags.`mlflow.source.name`",
  };
  return attr[c.key] ? `${attr[c.key]} ${dir}` : null;
}

/** Default pixel width per column kind; names get more room. */
export function columnWidth(c: Column): number {
  if (c.kind === "a") {
    return {
      name: 220,
      created: 165,
      duration: 90,
      user: 110,
      source: 160,
      status: 100,
      run_id: 260,
    }[c.key] ??
      140;
  }
  return 120;
}
