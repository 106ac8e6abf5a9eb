// A Parquet table as pandas.read_parquet (pyarrow) hands it to MLflow's scoring server: numpy dtypes from the
// physical and logical types, integers with missing values as float64 with NaN, strings as Python str, and
// the index columns pandas stored (`__index_level_0__`, named indexes) dropped from the data.

import type { Column, Frame } from "../frame.ts";
import { inferColumn } from "../frame.ts";
import type { DType } from "../ndarray.ts";
import { type ParquetColumn, ParquetError, type ParquetTable } from "./read.ts";

// Thrift ConvertedType ids and LogicalType union ids (parquet.thrift).
const CONVERTED_INT: Record<number, DType> = {
  11: "uint8",
  12: "uint16",
  13: "uint32",
  14: "uint64",
  15: "int8",
  16: "int16",
  17: "int32",
  18: "int64",
};
const CONVERTED_STRING = new Set([0, 4, 19]); // UTF8, ENUM, JSON
const LOGICAL_STRING = new Set([1, 4, 12]); // STRING, ENUM, JSON
const LOGICAL_INTEGER = 10;
const UNSUPPORTED_LOGICAL: Record<number, string> = {
  5: "decimal",
  6: "date",
  7: "time",
  8: "timestamp",
  14: "uuid",
};
const UNSUPPORTED_CONVERTED: Record<number, string> = {
  5: "decimal",
  6: "date",
  7: "time",
  8: "time",
  9: "timestamp",
  10: "timestamp",
  20: "bson",
  21: "interval",
};

const utf8 = new TextDecoder("utf-8", { fatal: true });

function integerDtype(c: ParquetColumn, fallback: DType): DType {
  if (c.logical?.kind === LOGICAL_INTEGER) {
    const bits = c.logical.fields.get(1) as number | undefined;
    const signed = c.logical.fields.get(2) as boolean | undefined;
    if (bits) return `${signed === false ? "u" : ""}int${bits}` as DType;
  }
  return (c.converted !== undefined ? CONVERTED_INT[c.converted] : undefined) ?? fallback;
}

function unsupported(c: ParquetColumn): string | undefined {
  if (c.logical && UNSUPPORTED_LOGICAL[c.logical.kind]) return UNSUPPORTED_LOGICAL[c.logical.kind];
  if (c.converted !== undefined && UNSUPPORTED_CONVERTED[c.converted]) {
    return UNSUPPORTED_CONVERTED[c.converted];
  }
  if (c.physical === "INT96") return "INT96 timestamp";
  if (c.physical === "FIXED_LEN_BYTE_ARRAY") return "fixed-length binary";
  return undefined;
}

function toColumn(c: ParquetColumn): Column {
  const kind = unsupported(c);
  if (kind) throw new ParquetError(`column '${c.name}' holds ${kind} values, which tracker does not read`);
  const missing = c.values.some((v) => v === null);
  const withNaN = () => c.values.map((v) => (v === null ? NaN : Number(v)));
  switch (c.physical) {
    case "BOOLEAN":
      return inferColumn(c.values);
    case "INT32":
    case "INT64": {
      if (missing) return { dtype: "float64", values: withNaN() };
      return {
        dtype: integerDtype(c, c.physical === "INT32" ? "int32" : "int64"),
        values: c.values.map(Number),
      };
    }
    case "FLOAT":
      return { dtype: "float32", values: withNaN() };
    case "DOUBLE":
      return { dtype: "float64", values: withNaN() };
    case "BYTE_ARRAY": {
      const isText = (c.logical && LOGICAL_STRING.has(c.logical.kind)) ||
        (c.converted !== undefined && CONVERTED_STRING.has(c.converted));
      if (!isText) {
        throw new ParquetError(`column '${c.name}' holds binary values, which tracker does not read`);
      }
      return inferColumn(c.values.map((v) => (v === null ? null : utf8.decode(v as Uint8Array))));
    }
    default:
      throw new ParquetError(`column '${c.name}' has the unsupported type ${c.physical}`);
  }
}

/** Names of the columns pandas stored for the DataFrame's index (not part of the data). */
function indexColumns(table: ParquetTable): Set<string> {
  const raw = table.metadata.get("pandas");
  if (!raw) return new Set();
  try {
    const meta = JSON.parse(raw) as { index_columns?: unknown[] };
    return new Set((meta.index_columns ?? []).filter((c): c is string => typeof c === "string"));
  } catch {
    return new Set();
  }
}

export function parquetToFrame(table: ParquetTable): Frame {
  const index = indexColumns(table);
  const kept = table.columns.filter((c) => !index.has(c.name));
  return { kind: "frame", columns: kept.map((c) => c.name), data: kept.map(toColumn), rows: table.rows };
}
