// N-dimensional arrays as numpy builds them from JSON (`np.array(list)`): the shape comes from the nesting, the
// dtype from the values. The scoring protocol's meaning depends on these inferences (int64 vs float64, ragged
// lists), so they follow numpy's rules for the JSON value kinds.

import { ScoringError } from "./errors.ts";

/** numpy dtypes a JSON request can produce or a signature can ask for. */
export type DType =
  | "bool"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "float16"
  | "float32"
  | "float64"
  | "str"
  | "bytes"
  | "object";

/** A dense array: `data` holds the elements in row-major order. */
export interface NdArray {
  dtype: DType;
  shape: number[];
  data: unknown[];
}

export const INTEGER_DTYPES: ReadonlySet<DType> = new Set([
  "int8",
  "int16",
  "int32",
  "int64",
  "uint8",
  "uint16",
  "uint32",
  "uint64",
]);
export const FLOAT_DTYPES: ReadonlySet<DType> = new Set(["float16", "float32", "float64"]);

/** Booleans and numbers carry the same names in numpy, MLflow's tensor specs and ONNX Runtime. */
export const NUMERIC_DTYPE_NAMES: Readonly<Record<string, DType>> = Object.fromEntries(
  ["bool", ...INTEGER_DTYPES, ...FLOAT_DTYPES].map((d) => [d, d as DType]),
);

/** numpy's spelling, used in error messages ("float64", "<U0" is shown as "str"). */
export function dtypeName(d: DType): string {
  return d === "str" ? "<U" : d;
}

function isSequence(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

/** Shape of a nested list, or undefined when it is ragged (numpy refuses those without dtype=object). */
export function shapeOf(value: unknown): number[] | undefined {
  // The first elements give the candidate shape; one walk then checks every element against it, without
  // building a shape per row (a 100x10 request made ~1100 short-lived arrays).
  const shape: number[] = [];
  for (let v = value; isSequence(v); v = v[0]) {
    shape.push(v.length);
    if (v.length === 0) break;
  }
  return conforms(value, shape, 0) ? shape : undefined;
}

function conforms(value: unknown, shape: number[], depth: number): boolean {
  if (depth === shape.length) return !isSequence(value);
  if (!isSequence(value) || value.length !== shape[depth]) return false;
  for (const v of value) if (!conforms(v, shape, depth + 1)) return false;
  return true;
}

function flatten(value: unknown, depth: number, out: unknown[]): void {
  if (depth === 0) {
    out.push(value);
    return;
  }
  for (const v of value as unknown[]) flatten(v, depth - 1, out);
}

/** The dtype numpy infers for a list of JSON scalars. */
export function inferDtype(values: readonly unknown[]): DType {
  let sawBool = false, sawInt = false, sawFloat = false, sawStr = false, sawOther = false;
  for (const v of values) {
    if (typeof v === "boolean") sawBool = true;
    else if (typeof v === "number") {
      Number.isInteger(v) && !Object.is(v, -0) ? (sawInt = true) : (sawFloat = true);
    } else if (typeof v === "bigint") sawInt = true;
    else if (typeof v === "string") sawStr = true;
    else sawOther = true;
  }
  if (sawOther) return "object";
  if (sawStr) return "str";
  if (sawFloat) return "float64";
  if (sawInt) return "int64";
  if (sawBool) return "bool";
  return "float64"; // np.array([]) is float64
}

/** `np.array(value)` (optionally `dtype=`), with numpy's refusal of ragged nesting. */
export function toNdArray(value: unknown, dtype?: DType): NdArray {
  const shape = shapeOf(value);
  if (shape === undefined) {
    throw new ScoringError(
      "BAD_REQUEST",
      "Invalid input. setting an array element with a sequence. The requested array has an inhomogeneous shape.",
    );
  }
  const data: unknown[] = [];
  flatten(value, shape.length, data);
  const inferred = inferDtype(data);
  if (dtype === undefined) return { dtype: inferred, shape, data: normalize(data, inferred) };
  return { dtype, shape, data: castValues(data, dtype, "") };
}

function normalize(data: unknown[], dtype: DType): unknown[] {
  if (dtype === "str") return data.map((v) => (typeof v === "string" ? v : pyStr(v)));
  if (dtype === "float64" || dtype === "int64") {
    return data.map((v) => (typeof v === "boolean" ? Number(v) : v));
  }
  return data;
}

/** Python's `str()` of a JSON scalar, as numpy uses when it coerces mixed lists to strings. */
export function pyStr(v: unknown): string {
  if (v === true) return "True";
  if (v === false) return "False";
  if (v === null || v === undefined) return "None";
  if (typeof v === "number") return pyFloatOrInt(v);
  return String(v);
}

function pyFloatOrInt(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  return String(v);
}

const INT_RANGES: Partial<Record<DType, [bigint, bigint]>> = {
  int8: [-128n, 127n],
  int16: [-32768n, 32767n],
  int32: [-2147483648n, 2147483647n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint8: [0n, 255n],
  uint16: [0n, 65535n],
  uint32: [0n, 4294967295n],
  uint64: [0n, 2n ** 64n - 1n],
};

/**
 * `astype(dtype)` on JSON scalars, raising the way numpy/pandas do for values that cannot be represented
 * (strings that are not numbers, NaN to integers, None to numbers). `what` names the column for messages.
 */
export function castValues(data: readonly unknown[], dtype: DType, what: string): unknown[] {
  const fail = (msg: string): never => {
    throw new CastError(msg, what);
  };
  switch (dtype) {
    case "object":
      return [...data];
    case "str":
      return data.map((v) => (typeof v === "string" ? v : pyStr(v)));
    case "bytes":
      return data.map((v) => (typeof v === "string" ? v : pyStr(v)));
    case "bool":
      return data.map((v) => {
        if (typeof v === "boolean") return v;
        if (typeof v === "number") return v !== 0;
        if (typeof v === "string") return v.length > 0;
        return v === null ? false : fail(`Cannot convert ${pyStr(v)} to bool`);
      });
    case "float16":
    case "float32":
    case "float64":
      return data.map((v) => {
        if (typeof v === "number") return dtype === "float32" ? Math.fround(v) : v;
        if (typeof v === "boolean") return Number(v);
        if (typeof v === "bigint") return Number(v);
        if (v === null) return NaN;
        if (typeof v === "string") {
          const n = parsePyFloat(v);
          if (n === undefined) fail(`could not convert string to float: '${v}'`);
          return dtype === "float32" ? Math.fround(n!) : n;
        }
        return fail(`float() argument must be a string or a real number, not '${pyTypeName(v)}'`);
      });
    default: {
      const range = INT_RANGES[dtype]!;
      return data.map((v) => {
        let n: bigint;
        if (typeof v === "bigint") n = v;
        else if (typeof v === "boolean") n = v ? 1n : 0n;
        else if (typeof v === "number") {
          if (!Number.isFinite(v)) fail("Cannot convert non-finite values (NA or inf) to integer");
          n = BigInt(Math.trunc(v));
        } else if (typeof v === "string") {
          if (!/^\s*[+-]?\d+\s*$/.test(v)) fail(`invalid literal for int() with base 10: '${v}'`);
          n = BigInt(v.trim());
        } else if (v === null) {
          return fail("Cannot convert non-finite values (NA or inf) to integer");
        } else return fail(`int() argument must be a string or a real number, not '${pyTypeName(v)}'`);
        if (n < range[0] || n > range[1]) fail(`Python integer ${n} out of bounds for ${dtype}`);
        return dtype === "int64" || dtype === "uint64"
          ? (Number.isSafeInteger(Number(n)) ? Number(n) : n)
          : Number(n);
      });
    }
  }
}

/** Python's `float(str)`: decimal literals plus nan/inf spellings. */
export function parsePyFloat(s: string): number | undefined {
  const t = s.trim().toLowerCase().replaceAll("_", "");
  if (/^[+-]?(nan)$/.test(t)) return NaN;
  if (/^[+-]?(inf|infinity)$/.test(t)) return t.startsWith("-") ? -Infinity : Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/.test(t)) return undefined;
  return Number(t);
}

export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return "NoneType";
  if (Array.isArray(v)) return "list";
  if (typeof v === "object") return "dict";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  return typeof v;
}

/** A failed `astype`; callers wrap it in the protocol's message for their context. */
export class CastError extends Error {
  constructor(message: string, readonly column: string) {
    super(message);
  }
}

/** The common dtype numpy picks for stacking columns (`DataFrame.values`). */
export function commonDtype(dtypes: readonly DType[]): DType {
  if (dtypes.length === 0) return "object";
  if (dtypes.every((d) => d === dtypes[0])) return dtypes[0];
  if (dtypes.some((d) => d === "object" || d === "str" || d === "bytes")) return "object";
  if (dtypes.some((d) => d === "bool")) return "object";
  if (dtypes.some((d) => FLOAT_DTYPES.has(d))) {
    // float32 with int64 (or float64) widens to float64, as numpy's promotion does.
    const onlyF32 = dtypes.every((d) =>
      d === "float32" || d === "float16" || d === "int8" || d === "uint8" ||
      d === "int16" || d === "uint16"
    );
    return onlyF32 ? "float32" : "float64";
  }
  return "int64";
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** numpy's tuple repr of a shape, e.g. `(-1, 4)` or `(3,)`. */
export function shapeRepr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** Nested JS arrays of the given shape, as `ndarray.tolist()` returns. */
export function toNested(a: NdArray): unknown {
  if (a.shape.length === 0) return a.data[0];
  let i = 0;
  const build = (dim: number): unknown[] => {
    const n = a.shape[dim];
    const out = new Array(n);
    if (dim === a.shape.length - 1) {
      for (let k = 0; k < n; k++) out[k] = a.data[i++];
    } else {
      for (let k = 0; k < n; k++) out[k] = build(dim + 1);
    }
    return out;
  };
  return build(0);
}
