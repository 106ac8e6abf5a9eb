// Model signatures (the `signature` block of MLmodel): column-based or tensor-based input schemas and the
// params schema (mlflow/types/schema.py), and what serving asks of them. Parsing is in signature-parse.ts,
// which prediction Workers do not load: they get the parsed signature from the serving thread.

import type { DType } from "./ndarray.ts";

/** MLflow's scalar DataTypes; `array`/`object`/`map`/`any` columns are kept as "any" (passed through). */
export type ColumnType =
  | "boolean"
  | "integer"
  | "long"
  | "float"
  | "double"
  | "string"
  | "binary"
  | "datetime"
  | "any";

export interface ColSpec {
  name?: string;
  type: ColumnType;
  /** The JSON type as written, for messages about non-scalar columns. */
  typeRepr: string;
  required: boolean;
}

export interface TensorSpec {
  name?: string;
  dtype: DType;
  /** -1 marks a variable dimension. */
  shape: number[];
}

export type InputSchema =
  | { kind: "columns"; inputs: ColSpec[] }
  | { kind: "tensors"; inputs: TensorSpec[] };

export interface ParamSpec {
  name: string;
  type: ColumnType;
  default: unknown;
  shape: number[] | null;
}

export interface Signature {
  inputs?: InputSchema;
  params?: ParamSpec[];
  /** Raw JSON of the outputs schema; serving does not enforce outputs (MLflow does not either). */
  outputs?: unknown;
}

/** numpy dtype of a column type, as `DataType.to_numpy()` gives it. */
export const COLUMN_NUMPY: Record<Exclude<ColumnType, "any">, DType> = {
  boolean: "bool",
  integer: "int32",
  long: "int64",
  float: "float32",
  double: "float64",
  string: "str",
  binary: "bytes",
  datetime: "object",
};

export function hasInputNames(s: InputSchema): boolean {
  return s.inputs.every((i) => i.name !== undefined && i.name !== null);
}

export function inputNames(s: InputSchema): string[] {
  return s.inputs.map((i) => i.name!).filter((n) => n !== undefined);
}

export function requiredInputNames(s: InputSchema): string[] {
  if (s.kind === "tensors") return inputNames(s);
  return s.inputs.filter((c) => c.required && c.name !== undefined).map((c) => c.name!);
}

/** MLflow's repr of a schema, used inside "Failed to enforce schema" messages. */
export function schemaRepr(s: InputSchema): string {
  if (s.kind === "tensors") {
    return "[" + s.inputs.map((t) => {
      const spec = `Tensor('${t.dtype}', (${t.shape.join(", ")}${t.shape.length === 1 ? "," : ""}))`;
      return t.name === undefined ? spec : `'${t.name}': ${spec}`;
    }).join(", ") + "]";
  }
  return "[" + s.inputs.map((c) => {
    const req = c.required ? "required" : "optional";
    const type = c.type === "any" ? c.typeRepr : c.type;
    return c.name === undefined ? `${type} (${req})` : `'${c.name}': ${type} (${req})`;
  }).join(", ") + "]";
}
