// `text/csv` requests: a header row and data rows (RFC 4180 quoting), read the way `pd.read_csv` reads them:
// per-column inference (int64, float64, bool, str; empty cells missing) or the signature's dtypes.

import { ScoringError } from "./errors.ts";
import { type Column, type ColumnName, type Frame, inferColumn } from "./frame.ts";
import { castValues, type DType, parsePyFloat } from "./ndarray.ts";
import { specDtype } from "./schema-cast.ts";
import type { InputSchema } from "./signature.ts";

/** Splits CSV text into rows of fields; `null` marks an empty unquoted field (pandas' missing value). */
export function parseCsvRows(text: string): (string | null)[][] {
  const rows: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let field = "";
  let quoted = false;
  let wasQuoted = false;
  let i = 0;
  const endField = () => {
    row.push(!wasQuoted && field === "" ? null : field);
    field = "";
    wasQuoted = false;
  };
  const endRow = () => {
    endField();
    if (!(row.length === 1 && row[0] === null)) rows.push(row);
    row = [];
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
      wasQuoted = true;
    } else if (ch === ",") endField();
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      endRow();
    } else field += ch;
    i++;
  }
  if (quoted) throw new Error("EOF inside string");
  if (field !== "" || wasQuoted || row.length > 0) endRow();
  return rows;
}

const MISSING = new Set([
  "",
  "NA",
  "N/A",
  "NaN",
  "nan",
  "NULL",
  "null",
  "None",
  "<NA>",
  "n/a",
  "-NaN",
  "-nan",
]);
const TRUE = new Set(["True", "TRUE", "true"]);
const FALSE = new Set(["False", "FALSE", "false"]);

/** pandas' inference for a column of CSV cells. */
function inferCsvColumn(cells: (string | null)[]): Column {
  const present = cells.filter((c): c is string => c !== null && !MISSING.has(c));
  if (present.length === 0) return { dtype: "float64", values: cells.map(() => NaN) };
  const missing = present.length !== cells.length;
  if (present.every((c) => /^\s*[+-]?\d+\s*$/.test(c))) {
    const ints = cells.map((c) => (c === null || MISSING.has(c) ? NaN : Number(c)));
    return missing ? { dtype: "float64", values: ints } : { dtype: "int64", values: ints };
  }
  if (present.every((c) => parsePyFloat(c) !== undefined)) {
    return {
      dtype: "float64",
      values: cells.map((c) => (c === null || MISSING.has(c) ? NaN : parsePyFloat(c)!)),
    };
  }
  if (!missing && present.every((c) => TRUE.has(c) || FALSE.has(c))) {
    return { dtype: "bool", values: present.map((c) => TRUE.has(c)) };
  }
  return inferColumn(cells.map((c) => (c === null || MISSING.has(c) ? null : c)));
}

function typedCsvColumn(cells: (string | null)[], dtype: DType, name: string): Column {
  const values = cells.map((c) => (c === null || MISSING.has(c) ? null : c));
  if (dtype === "str" || dtype === "bytes" || dtype === "object") return { dtype: "object", values };
  if (dtype === "bool") {
    return {
      dtype,
      values: castValues(
        values.map((v) => (v === null ? null : TRUE.has(v) ? true : FALSE.has(v) ? false : v)),
        dtype,
        name,
      ),
    };
  }
  return { dtype, values: castValues(values, dtype, name) };
}

/** parse_csv_input: CSV text to a frame, with the signature's dtypes when the model has named inputs. */
export function parseCsvInput(text: string, schema: InputSchema | undefined): Frame {
  try {
    const rows = parseCsvRows(text);
    if (rows.length === 0) throw new Error("No columns to parse from file");
    const header = rows[0].map((h, i): ColumnName => (h === null ? `Unnamed: ${i}` : h));
    const body = rows.slice(1);
    for (const [r, row] of body.entries()) {
      if (row.length > header.length) {
        throw new Error(
          `Error tokenizing data. C error: Expected ${header.length} fields in line ${
            r + 2
          }, saw ${row.length}`,
        );
      }
    }
    const dtypes = new Map<string, DType>();
    if (schema !== undefined) {
      for (const s of schema.inputs) {
        const d = specDtype(s);
        if (s.name !== undefined && d !== undefined) dtypes.set(s.name, d);
      }
    }
    // MLflow 3.18 fails every CSV request for an unnamed tensor signature (pandas cannot take a TensorSpec
    // dtype); reading each column as the tensor's dtype is what its JSON path does.
    const tensorDtype =
      schema?.kind === "tensors" && schema.inputs.length === 1 && schema.inputs[0].name === undefined
        ? schema.inputs[0].dtype
        : undefined;
    const data = header.map((name, c) => {
      const cells = body.map((row) => row[c] ?? null);
      const d = tensorDtype ?? dtypes.get(String(name));
      return d === undefined ? inferCsvColumn(cells) : typedCsvColumn(cells, d, String(name));
    });
    return { kind: "frame", columns: header, data, rows: body.length };
  } catch (e) {
    throw new ScoringError(
      "BAD_REQUEST",
      "The CSV body could not be read as a table (a header row, then one line per row, as written by " +
        `pandas.DataFrame.to_csv()): '${(e as Error).message}'`,
    );
  }
}
