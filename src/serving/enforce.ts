// Input checking against the model signature before predict, with the outcomes of MLflow's _enforce_schema:
// named inputs must all be present (extra ones are dropped, order follows the signature), column types may
// only change by safe upcasts, tensors must match rank, fixed dimensions and dtype. Failures are
// INVALID_PARAMETER_VALUE with error_class SCHEMA_ENFORCEMENT_FAILED.

import { ScoringError } from "./errors.ts";
import {
  type Column,
  columnIndex,
  type ColumnName,
  type Frame,
  frameFromColumns,
  frameFromNdArray,
  pyListRepr,
  range,
} from "./frame.ts";
import { describeInput, type PyFuncInput } from "./input.ts";
import {
  castValues,
  type DType,
  FLOAT_DTYPES,
  INTEGER_DTYPES,
  type NdArray,
  shapeRepr,
  size,
} from "./ndarray.ts";
import {
  type ColSpec,
  COLUMN_NUMPY,
  hasInputNames,
  type InputSchema,
  requiredInputNames,
  schemaRepr,
  type TensorSpec,
} from "./signature.ts";

class SchemaViolation extends Error {}

const ITEMSIZE: Partial<Record<DType, number>> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  float16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
};

const kind = (d: DType) =>
  INTEGER_DTYPES.has(d) ? (d.startsWith("u") ? "u" : "i") : FLOAT_DTYPES.has(d) ? "f" : d;

/** Checks input against the signature and returns what the model receives. */
export function enforceSchema(input: PyFuncInput, schema: InputSchema): PyFuncInput {
  try {
    return enforce(input, schema);
  } catch (e) {
    if (!(e instanceof SchemaViolation)) throw e;
    throw new ScoringError(
      "INVALID_PARAMETER_VALUE",
      `The input (${describeInput(input)}) does not match the model signature ${
        schemaRepr(schema)
      }: ${e.message}`,
      { errorClass: "SCHEMA_ENFORCEMENT_FAILED" },
    );
  }
}

function enforce(input: PyFuncInput, schema: InputSchema): PyFuncInput {
  let pf = input;
  if (schema.kind === "columns") pf = toFrame(pf, schema);

  if (hasInputNames(schema)) {
    const required = requiredInputNames(schema);
    const optional = new Set(schema.inputs.filter((s) => !("dtype" in s) && !s.required).map((s) => s.name!));
    let actual: string[] = [];
    if (required.length === 1 && pf.kind === "ndarray") {
      pf = { kind: "dict", entries: new Map([[required[0], pf.array]]) };
      actual = required;
    } else if (pf.kind === "frame") actual = pf.columns.map(String);
    else if (pf.kind === "dict") actual = [...pf.entries.keys()];
    const have = new Set(actual);
    const missing = required.filter((n) => !have.has(n));
    const extra = actual.filter((n) => !required.includes(n) && !optional.has(n));
    if (missing.length > 0) {
      let msg = `Missing inputs ${pyListRepr(missing)} that the signature requires.`;
      if (extra.length > 0) msg += ` Inputs not in the signature: ${pyListRepr(extra)}.`;
      throw new SchemaViolation(msg);
    }
  } else if (schema.kind === "columns" && pf.kind === "frame" && pf.columns.length < schema.inputs.length) {
    throw new SchemaViolation(
      `Model inference is missing inputs. The model signature declares ${schema.inputs.length} inputs  but the ` +
        `provided value only has ${pf.columns.length} inputs. Note: the inputs were not named in the signature so ` +
        "we can only verify their count.",
    );
  }
  if (schema.kind === "tensors") return enforceTensors(pf, schema.inputs);
  const frame = pf as Frame;
  return hasInputNames(schema)
    ? enforceNamedColumns(frame, schema.inputs)
    : enforceUnnamedColumns(frame, schema.inputs);
}

/** Column signatures want a DataFrame: dicts, arrays and scalars are turned into one as pandas would. */
function toFrame(pf: PyFuncInput, schema: InputSchema): Frame {
  switch (pf.kind) {
    case "frame":
      return pf;
    case "scalar":
    case "llm":
      return frameFromColumns([0], [[pf.value]], 1);
    case "ndarray":
      return frameFromNdArray(pf.array);
    case "dict": {
      const names = [...pf.entries.keys()];
      const arrays = [...pf.entries.values()];
      const anyComplex = schema.inputs.some((s) => !("dtype" in s) && s.type === "any");
      const allScalar = arrays.every((a) =>
        a.shape.length === 0 || (a.shape.length === 1 && a.dtype === "str")
      );
      if (anyComplex || allScalar) {
        // One row whose cells are the given values.
        return frameFromColumns(names, arrays.map((a) => [a.shape.length === 0 ? a.data[0] : a.data]), 1);
      }
      const lengths = arrays.map((a) => (a.shape.length === 0 ? 1 : a.shape[0]));
      if (lengths.some((n) => n !== lengths[0])) {
        throw new SchemaViolation(
          "This model contains a column-based signature, which suggests a DataFrame input. There was an error " +
            "casting the input data to a DataFrame: All arrays must be of the same length",
        );
      }
      const cols: Column[] = arrays.map((a) => {
        if (a.shape.length <= 1) {
          return { dtype: a.dtype, values: a.shape.length === 0 ? [a.data[0]] : a.data };
        }
        const inner = size(a.shape.slice(1));
        return {
          dtype: "object",
          values: range(a.shape[0]).map((r) => a.data.slice(r * inner, (r + 1) * inner)),
        };
      });
      return { kind: "frame", columns: names, data: cols, rows: lengths[0] ?? 0 };
    }
  }
}

function enforceNamedColumns(f: Frame, specs: (ColSpec | TensorSpec)[]): Frame {
  const columns: ColumnName[] = [];
  const data: Column[] = [];
  for (const spec of specs as ColSpec[]) {
    const i = columnIndex(f, spec.name!);
    if (i < 0) continue; // optional and absent (required ones were checked)
    columns.push(spec.name!);
    data.push(spec.type === "any" ? f.data[i] : enforceColumnType(spec.name!, f.data[i], spec));
  }
  return { kind: "frame", columns, data, rows: f.rows };
}

function enforceUnnamedColumns(f: Frame, specs: (ColSpec | TensorSpec)[]): Frame {
  const n = Math.min(specs.length, f.columns.length);
  const columns = f.columns.slice(0, n);
  const data = columns.map((name, i) => {
    const spec = specs[i] as ColSpec;
    return spec.type === "any" ? f.data[i] : enforceColumnType(name, f.data[i], spec);
  });
  return { kind: "frame", columns, data, rows: f.rows };
}

/** _enforce_mlflow_datatype: accept equal types and safe upcasts, refuse lossy conversions. */
function enforceColumnType(name: ColumnName, col: Column, spec: ColSpec): Column {
  const t = spec.type as Exclude<ColSpec["type"], "any">;
  if (t === "string" && (col.dtype === "object" || col.dtype === "str")) return col;
  if (t === "binary" && (col.dtype === "str" || col.dtype === "bytes" || col.dtype === "object")) return col;
  if (t === "datetime") return col;
  if (t === "boolean" && col.dtype === "object") return col;
  let dtype = col.dtype;
  const values = col.values;
  if (dtype === "object") {
    // pandas' infer_objects: an object column of plain numbers becomes numeric.
    if (values.every((v) => typeof v === "number")) {
      dtype = values.every(Number.isInteger) ? "int64" : "float64";
    } else if (values.every((v) => typeof v === "boolean")) dtype = "bool";
  }
  const want = COLUMN_NUMPY[t];
  if (dtype === want) return { dtype, values };
  const have = kind(dtype), need = kind(want);
  const hs = ITEMSIZE[dtype], ws = ITEMSIZE[want];
  let upcast = false;
  if (hs !== undefined && ws !== undefined) {
    if (have === need) upcast = hs <= ws;
    else if (have === "u" && need === "i") upcast = hs < ws;
    else if ((have === "i" || have === "u") && want === "float64") upcast = hs <= 6;
  }
  const zeroOrOne = dtype === "int64" && (want === "float32" || want === "float64") &&
    values.every((v) => v === null || Number.isNaN(v) || v === 0 || v === 1);
  if (upcast || zeroOrOne) return { dtype: want, values: castValues(values, want, String(name)) };
  throw new SchemaViolation(
    `Column ${name} cannot be converted without loss from ${dtype === "str" ? "str" : dtype} to ${want}.`,
  );
}

function enforceTensors(pf: PyFuncInput, specs: TensorSpec[]): PyFuncInput {
  const named = specs.every((s) => s.name !== undefined);
  if (named) {
    if (pf.kind === "dict") {
      const entries = new Map<string, NdArray>();
      for (const spec of specs) entries.set(spec.name!, enforceTensorSpec(pf.entries.get(spec.name!)!, spec));
      return { kind: "dict", entries };
    }
    if (pf.kind === "frame") {
      const entries = new Map<string, NdArray>();
      for (const spec of specs) {
        entries.set(spec.name!, reshapeColumn(spec.name!, pf.data[columnIndex(pf, spec.name!)], spec));
      }
      return { kind: "dict", entries };
    }
    throw new SchemaViolation(
      "The signature has named tensor inputs: send an object of named arrays or a table with one column " +
        "per input; " +
        `got ${pyKind(pf)}.`,
    );
  }
  const spec = specs[0];
  if (pf.kind === "frame") {
    if (pf.rows === 0 || pf.columns.length === 0) throw new SchemaViolation("Input DataFrame is empty.");
    if (pf.columns.length === 1) {
      return { kind: "ndarray", array: reshapeColumn(undefined, pf.data[0], spec) };
    }
    const k = pf.columns.length;
    if (!(spec.shape.length === 2 && spec.shape[0] === -1 && spec.shape[1] === k)) {
      throw new SchemaViolation(
        "A table with several columns can only feed an unnamed tensor of shape (-1, number of columns); " +
          "" +
          `this one has ${k} columns and the signature's shape is ${shapeRepr(spec.shape)}.`,
      );
    }
    return { kind: "ndarray", array: enforceTensorSpec(frameValues(pf), spec) };
  }
  if (pf.kind === "ndarray") return { kind: "ndarray", array: enforceTensorSpec(pf.array, spec) };
  throw new SchemaViolation(
    "The signature has one unnamed tensor input: send an array or a table; " +
      `got ${pyKind(pf)}.`,
  );
}

function pyKind(pf: PyFuncInput): string {
  return pf.kind === "dict"
    ? "<class 'dict'>"
    : pf.kind === "scalar"
    ? "<class 'object'>"
    : `<class '${pf.kind}'>`;
}

/** `DataFrame.to_numpy()`: row-major values with the columns' common dtype. */
export function frameValues(f: Frame): NdArray {
  const k = f.columns.length;
  const dtypes = f.data.map((c) => c.dtype);
  const dtype = dtypes.every((d) => d === dtypes[0]) ? dtypes[0] : commonOf(dtypes);
  const data = new Array(f.rows * k);
  for (let c = 0; c < k; c++) {
    const vs = f.data[c].values;
    for (let r = 0; r < f.rows; r++) data[r * k + c] = vs[r];
  }
  return { dtype, shape: [f.rows, k], data };
}

function commonOf(dtypes: DType[]): DType {
  if (dtypes.some((d) => !FLOAT_DTYPES.has(d) && !INTEGER_DTYPES.has(d))) return "object";
  if (dtypes.some((d) => FLOAT_DTYPES.has(d))) {
    return dtypes.every((d) => d === "float32" || (ITEMSIZE[d] ?? 8) <= 2) ? "float32" : "float64";
  }
  return dtypes.some((d) => d === "uint64") ? "float64" : "int64";
}

/** _reshape_and_cast_pandas_column_values for tensor specs fed from a DataFrame column. */
function reshapeColumn(name: string | undefined, col: Column, spec: TensorSpec): NdArray {
  const label = name === undefined ? "the unnamed input" : `input ${name}`;
  if (spec.shape[0] !== -1 || spec.shape.slice(1).includes(-1)) {
    throw new SchemaViolation(
      "For pandas dataframe input, the first dimension of shape must be a variable dimension and other dimensions " +
        `must be fixed, but in model signature the shape of ${label} is ${shapeRepr(spec.shape)}.`,
    );
  }
  const first = col.values[0];
  const n = col.values.length;
  if (!Array.isArray(first)) {
    const ok = (spec.shape.length === 1) || (spec.shape.length === 2 && spec.shape[1] === 1);
    if (!ok) {
      throw new SchemaViolation(
        `The input pandas dataframe column '${name}' contains scalar values, which requires the shape to be (-1,) ` +
          `or (-1, 1), but got tensor spec shape of ${shapeRepr(spec.shape)}.`,
      );
    }
    const array = {
      dtype: spec.dtype,
      shape: spec.shape.length === 1 ? [n] : [n, 1],
      data: castValues(col.values, spec.dtype, name ?? ""),
    };
    return enforceTensorSpec(array, spec);
  }
  const flat = (col.values as unknown[][]).flat(Infinity);
  const inner = size(spec.shape.slice(1));
  if (flat.length !== n * inner) {
    throw new SchemaViolation(
      `The value in the Input DataFrame column '${name}' could not be converted to the expected shape of: ` +
        `'${
          shapeRepr(spec.shape)
        }'. Ensure that each of the input list elements are of uniform length and that ` +
        `the data can be coerced to the tensor type '${spec.dtype}'`,
    );
  }
  return {
    dtype: spec.dtype,
    shape: [n, ...spec.shape.slice(1)],
    data: castValues(flat, spec.dtype, name ?? ""),
  };
}

/** _enforce_tensor_spec: rank, fixed dimensions and dtype must match. */
export function enforceTensorSpec(a: NdArray, spec: TensorSpec): NdArray {
  if (spec.shape.length === 1 && spec.shape[0] === -1 && spec.dtype === "object") return a;
  const mismatch = () =>
    new SchemaViolation(
      `Input shape ${shapeRepr(a.shape)} does not fit the signature's shape ${shapeRepr(spec.shape)}.`,
    );
  if (a.shape.length !== spec.shape.length) throw mismatch();
  spec.shape.forEach((d, i) => {
    if (d !== -1 && d !== a.shape[i]) throw mismatch();
  });
  if (a.dtype !== spec.dtype) {
    throw new SchemaViolation(`Input dtype ${a.dtype} differs from the signature's dtype ${spec.dtype}.`);
  }
  return a;
}
