// Predictions to the response body: `{"predictions": ...}` with DataFrames as records and arrays as nested
// lists. Written as Python's json module writes it (NaN/Infinity tokens, exact 64-bit integers) so clients
// that read MLflow's answers read ours the same way.

import { toNested } from "./ndarray.ts";
import type { Prediction } from "./prediction.ts";

/** The JSON-able value `_get_jsonable_obj` makes of a prediction. */
export function jsonablePrediction(p: Prediction): unknown {
  switch (p.kind) {
    case "records": {
      const rows = new Array(p.rows);
      for (let r = 0; r < p.rows; r++) {
        const row: Record<string, unknown> = {};
        for (let c = 0; c < p.columns.length; c++) row[p.columns[c]] = p.values[c][r];
        rows[r] = row;
      }
      return rows;
    }
    case "arrays":
      return Object.fromEntries([...p.arrays].map(([k, a]) => [k, toNested(a)]));
    case "array":
      return toNested(p.array);
    case "value":
      return p.value;
  }
}

/** JSON text in Python's dialect: bare NaN/Infinity/-Infinity, bigints as integers, typed arrays as lists. */
export function pyJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join("");
}

function write(v: unknown, out: string[]): void {
  if (v === null || v === undefined) {
    out.push("null");
  } else if (typeof v === "number") {
    out.push(Number.isFinite(v) ? String(v) : Number.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
  } else if (typeof v === "bigint") {
    out.push(v.toString());
  } else if (typeof v === "string") {
    out.push(JSON.stringify(v));
  } else if (typeof v === "boolean") {
    out.push(v ? "true" : "false");
  } else if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const items = v as ArrayLike<unknown>;
    out.push("[");
    for (let i = 0; i < items.length; i++) {
      if (i > 0) out.push(", ");
      write(items[i], out);
    }
    out.push("]");
  } else if (v instanceof Map) {
    write(Object.fromEntries(v), out);
  } else if (typeof v === "object") {
    out.push("{");
    let first = true;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined) continue;
      if (!first) out.push(", ");
      first = false;
      out.push(JSON.stringify(k), ": ");
      write(x, out);
    }
    out.push("}");
  } else {
    out.push(JSON.stringify(String(v)));
  }
}

export function predictionsBody(p: Prediction, unwrapped: boolean): string {
  const value = jsonablePrediction(p);
  return pyJson(unwrapped ? value : { predictions: value });
}
