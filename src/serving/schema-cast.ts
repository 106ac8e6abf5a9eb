// Parse-time casts of request data to the signature's types, as MLflow's scoring server applies them before
// predict: DataFrame columns `astype` the schema type (cast_df_types_according_to_schema) and TF-serving
// values become `np.array(value, dtype)` (convert_data_type). Failures are BAD_REQUEST "Invalid input".

import { invalidInput } from "./errors.ts";
import { castColumn, columnIndex, type Frame } from "./frame.ts";
import { CastError, type DType, type NdArray, toNdArray } from "./ndarray.ts";
import { type ColSpec, COLUMN_NUMPY, hasInputNames, type InputSchema, type TensorSpec } from "./signature.ts";

/** The numpy dtype a spec casts to, or undefined for pass-through column types. */
export function specDtype(spec: ColSpec | TensorSpec): DType | undefined {
  if ("dtype" in spec) return spec.dtype;
  if (spec.type === "any" || spec.type === "datetime") return undefined;
  return COLUMN_NUMPY[spec.type];
}

function castFailure(name: string | number, dtype: DType, e: unknown): never {
  const why = e instanceof CastError ? `ValueError("${e.message}")` : String(e);
  throw invalidInput(
    `Column ${name} cannot be converted to the signature's type '${dtype}': '${why}'`,
  );
}

/** cast_df_types_according_to_schema: returns a new frame with the schema's columns cast. */
export function castFrameToSchema(f: Frame, schema: InputSchema): Frame {
  const pairs: [string | number, ColSpec | TensorSpec][] = [];
  if (hasInputNames(schema)) {
    schema.inputs.forEach((s) => pairs.push([s.name!, s]));
  } else if (schema.kind === "tensors" && schema.inputs.length === 1) {
    f.columns.forEach((c) => pairs.push([c, schema.inputs[0]]));
  } else {
    const n = Math.min(schema.inputs.length, f.columns.length);
    for (let i = 0; i < n; i++) pairs.push([f.columns[i], schema.inputs[i]]);
  }
  const data = [...f.data];
  for (const [name, spec] of pairs) {
    const i = columnIndex(f, name);
    if (i < 0) continue;
    const col = data[i];
    const dtype = specDtype(spec);
    if (dtype === undefined) continue;
    // Columns of lists stay as they are for tensor specs; enforcement reshapes them later.
    if (schema.kind === "tensors" && Array.isArray(col.values[0])) continue;
    if (dtype === "str" && (col.dtype === "str" || col.dtype === "object")) continue;
    if (dtype === "bytes") {
      data[i] = { dtype: "bytes", values: col.values.map((v) => decodeBase64Column(v, name)) };
      continue;
    }
    if (dtype === "bool" && col.values.some((v) => v === null)) continue;
    try {
      data[i] = castColumn(col, dtype, name);
    } catch (e) {
      castFailure(name, dtype, e);
    }
  }
  return { ...f, data };
}

function decodeBase64Column(v: unknown, name: string | number): unknown {
  if (typeof v !== "string") {
    castFailure(name, "bytes", new CastError("expected a base64 string", String(name)));
  }
  try {
    return Uint8Array.from(atob(v.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  } catch {
    return castFailure(name, "bytes", new CastError("Incorrect padding", String(name)));
  }
}

/** convert_data_type: `np.array(data, dtype)` for a spec, `np.array(data)` without one. */
export function convertToArray(data: unknown, spec: ColSpec | TensorSpec | undefined): NdArray {
  try {
    if (spec === undefined) return toNdArray(data);
    const dtype = specDtype(spec);
    if (dtype === undefined) return toNdArray(data);
    const isBoolOrStr = !("dtype" in spec) &&
      (spec.type === "boolean" || spec.type === "string" || spec.type === "binary");
    if (isBoolOrStr && (data === null || (Array.isArray(data) && data.some((x) => x === null)))) {
      const a = toNdArray(data);
      return { ...a, dtype: "object" };
    }
    return toNdArray(data, dtype === "bytes" ? "str" : dtype);
  } catch (e) {
    if (e instanceof CastError) throw invalidInput(e.message);
    throw e;
  }
}
