// A minimal pandas DataFrame: named columns with a dtype each, built from the `dataframe_split` and
// `dataframe_records` layouts with pandas' per-column type inference (ints + missing -> float64 with NaN,
// strings -> str, anything mixed -> object). The scoring protocol's casts and checks are defined on these.

import { castValues, type DType, inferDtype, type NdArray, pyTypeName } from "./ndarray.ts";
import { invalidInput } from "./errors.ts";

export type ColumnName = string | number;

export interface Column {
  dtype: DType;
  values: unknown[];
}

export interface Frame {
  kind: "frame";
  columns: ColumnName[];
  data: Column[];
  rows: number;
}

/** pandas' inference for one column of JSON values (None/NaN are missing). */
export function inferColumn(values: unknown[]): Column {
  const present = values.filter((v) => v !== null && v !== undefined);
  const missing = present.length !== values.length;
  if (present.length === 0) return { dtype: "object", values: values.map(() => null) };
  if (present.some((v) => Array.isArray(v) || (typeof v === "object"))) return { dtype: "object", values };
  const d = inferDtype(present);
  if (d === "bool") return missing ? { dtype: "object", values } : { dtype: "bool", values };
  if (d === "int64") {
    if (present.some((v) => typeof v === "boolean")) return { dtype: "object", values };
    return missing ? { dtype: "float64", values: values.map((v) => v ?? NaN) } : { dtype: "int64", values };
  }
  if (d === "float64") {
    if (present.some((v) => typeof v === "boolean")) return { dtype: "object", values };
    return { dtype: "float64", values: values.map((v) => v ?? NaN) };
  }
  if (d === "str") {
    return present.every((v) => typeof v === "string")
      ? { dtype: "str", values }
      : { dtype: "object", values };
  }
  return { dtype: "object", values };
}

export function frameFromColumns(columns: ColumnName[], raw: unknown[][], rows?: number): Frame {
  return {
    kind: "frame",
    columns,
    data: raw.map(inferColumn),
    rows: rows ?? (raw[0]?.length ?? 0),
  };
}

/** `pd.DataFrame(data=..., columns=..., index=...)` for the split orient. */
export function frameFromSplit(input: unknown): Frame {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    const what = Array.isArray(input) ? "list" : `type <class '${pyTypeName(input)}'>`;
    throw invalidInput(`dataframe_split must be a JSON object, got ${what}.`);
  }
  const obj = input as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (!("data" in obj) || keys.some((k) => k !== "columns" && k !== "data" && k !== "index")) {
    throw invalidInput(
      `dataframe_split needs a 'data' key and may only add 'columns' and 'index'; got the keys {${
        keys.map((k) => `'${k}'`).join(", ")
      }}.'`,
    );
  }
  const bad = (why: string) =>
    invalidInput(
      `dataframe_split does not describe a table: '${why}'`,
    );
  const data = obj.data;
  if (!Array.isArray(data)) throw bad("DataFrame constructor not properly called!");
  const columns = obj.columns;
  if (columns !== undefined && columns !== null && !Array.isArray(columns)) {
    throw bad("columns must be a list-like");
  }
  const rowsAsLists = data.map((r) => (Array.isArray(r) ? r : [r]));
  const width = rowsAsLists.reduce((m, r) => Math.max(m, r.length), 0);
  const names: ColumnName[] = Array.isArray(columns) ? columns.map(asColumnName) : range(width);
  if (rowsAsLists.some((r) => r.length !== names.length) && data.length > 0) {
    throw bad(`${names.length} columns passed, passed data had ${width} columns`);
  }
  const index = obj.index;
  if (Array.isArray(index) && index.length !== data.length) {
    throw bad(
      `Shape of passed values is (${data.length}, ${names.length}), indices imply (${index.length}, ${names.length})`,
    );
  }
  const cols = names.map((_, c) => rowsAsLists.map((r) => r[c]));
  return frameFromColumns(names, cols, data.length);
}

/** `pd.DataFrame(list_of_records)`: keys in order of first appearance, missing values as NaN/None. */
export function frameFromRecords(input: unknown): Frame {
  if (!Array.isArray(input)) {
    const what = typeof input === "object" && input !== null
      ? "dictionary"
      : `type <class '${pyTypeName(input)}'>`;
    throw invalidInput(`dataframe_records must be a list of objects, got ${what}.`);
  }
  if (input.every((r) => typeof r === "object" && r !== null && !Array.isArray(r))) {
    const names: string[] = [];
    const seen = new Set<string>();
    for (const r of input as Record<string, unknown>[]) {
      for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), names.push(k));
    }
    const cols = names.map((n) => (input as Record<string, unknown>[]).map((r) => (n in r ? r[n] : null)));
    return frameFromColumns(names, cols, input.length);
  }
  if (
    input.every((r) => Array.isArray(r)) || input.every((r) => !Array.isArray(r) && typeof r !== "object")
  ) {
    return frameFromSplit({ data: input });
  }
  throw invalidInput(
    "dataframe_records does not describe a table: " +
      "Error: 'Mixing dicts with non-Series may lead to ambiguous ordering.'",
  );
}

function asColumnName(c: unknown): ColumnName {
  return typeof c === "number" ? c : String(c);
}

export function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

export function columnIndex(f: Frame, name: ColumnName): number {
  return f.columns.findIndex((c) => c === name || String(c) === String(name));
}

/** `df[col].astype(dtype)` for one column. */
export function castColumn(col: Column, dtype: DType, name: ColumnName): Column {
  return { dtype, values: castValues(col.values, dtype, String(name)) };
}

/** `pd.DataFrame(ndarray)`: a 1-D array is one column `0`, a 2-D array has columns `0..k-1`. */
export function frameFromNdArray(a: NdArray): Frame {
  if (a.shape.length === 0) return frameFromColumns([0], [[a.data[0]]], 1);
  if (a.shape.length === 1) {
    return { kind: "frame", columns: [0], data: [{ dtype: a.dtype, values: a.data }], rows: a.shape[0] };
  }
  if (a.shape.length === 2) {
    const [n, k] = a.shape;
    const data = range(k).map((c) => ({ dtype: a.dtype, values: range(n).map((r) => a.data[r * k + c]) }));
    return { kind: "frame", columns: range(k), data, rows: n };
  }
  throw invalidInput(`Must pass 2-d input. shape=(${a.shape.join(", ")})`);
}

/** Python's repr of a column list, e.g. `['a', 'b']` or `[0, 1]`, as MLflow prints it in messages. */
export function pyListRepr(names: readonly ColumnName[]): string {
  return "[" + names.map((n) => (typeof n === "number" ? String(n) : `'${n}'`)).join(", ") + "]";
}
