// Tensors of the JS ONNX engine. Values are kept in typed arrays; int64 and uint64 are held as doubles
// (exact to 2^53, which covers labels, indices and shapes) so ops can do plain arithmetic on them.

export type ElemType =
  | "float32"
  | "float64"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "bool"
  | "string";

export type NumericData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array;

export type TensorData = NumericData | string[];

export interface Tensor {
  type: ElemType;
  dims: number[];
  data: TensorData;
}

/** Raised when a model uses something this engine does not implement: the caller falls back to ORT. */
export class UnsupportedError extends Error {}

/** TensorProto.DataType numbers this engine reads. */
export const ONNX_ELEM_TYPES: Readonly<Record<number, ElemType>> = {
  1: "float32",
  2: "uint8",
  3: "int8",
  4: "uint16",
  5: "int16",
  6: "int32",
  7: "int64",
  8: "string",
  9: "bool",
  11: "float64",
  12: "uint32",
  13: "uint64",
};

export function elemType(code: number): ElemType {
  const t = ONNX_ELEM_TYPES[code];
  if (!t) throw new UnsupportedError(`tensor element type ${code}`);
  return t;
}

export function size(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

/** A zeroed numeric array (or empty strings) of `n` elements for the type. */
export function allocData(type: ElemType, n: number): TensorData {
  switch (type) {
    case "float32":
      return new Float32Array(n);
    case "float64":
    case "int64":
    case "uint64":
      return new Float64Array(n);
    case "int8":
      return new Int8Array(n);
    case "int16":
      return new Int16Array(n);
    case "int32":
      return new Int32Array(n);
    case "uint8":
    case "bool":
      return new Uint8Array(n);
    case "uint16":
      return new Uint16Array(n);
    case "uint32":
      return new Uint32Array(n);
    case "string":
      return new Array<string>(n).fill("");
  }
}

export function alloc(type: ElemType, dims: number[]): Tensor {
  return { type, dims, data: allocData(type, size(dims)) };
}

/** A tensor over existing values, copied into the type's array (numbers are converted as a C cast would). */
export function fromValues(type: ElemType, dims: number[], values: ArrayLike<number> | string[]): Tensor {
  const t = alloc(type, dims);
  if (t.data.length !== values.length) {
    throw new Error(`tensor of shape [${dims.join(", ")}] given ${values.length} values`);
  }
  writeValues(t, values);
  return t;
}

function writeValues(t: Tensor, values: ArrayLike<number> | string[]): void {
  const out = t.data;
  if (Array.isArray(out)) {
    for (let i = 0; i < out.length; i++) out[i] = String(values[i]);
    return;
  }
  if (t.type === "int64" || t.type === "uint64") {
    for (let i = 0; i < out.length; i++) out[i] = Math.trunc(Number(values[i]));
  } else if (t.type === "bool") {
    for (let i = 0; i < out.length; i++) out[i] = Number(values[i]) ? 1 : 0;
  } else {
    for (let i = 0; i < out.length; i++) out[i] = Number(values[i]);
  }
}

export function isNumeric(t: Tensor): t is Tensor & { data: NumericData } {
  return t.type !== "string";
}

/** The numeric data of `t`, or an UnsupportedError naming the op that wanted numbers. */
export function numeric(t: Tensor, op: string): NumericData {
  if (t.type === "string") throw new UnsupportedError(`${op} on string tensors`);
  return t.data as NumericData;
}

/** ONNX Cast: float to integer truncates toward zero; anything to bool is "not zero". */
export function cast(t: Tensor, to: ElemType): Tensor {
  if (t.type === to) return t;
  if (to === "string" || t.type === "string") {
    throw new UnsupportedError(`Cast between ${t.type} and ${to}`);
  }
  const src = t.data as NumericData;
  const out = alloc(to, [...t.dims]);
  const dst = out.data as NumericData;
  const integral = to !== "float32" && to !== "float64" && to !== "bool";
  for (let i = 0; i < src.length; i++) {
    const v = src[i];
    dst[i] = to === "bool" ? (v !== 0 ? 1 : 0) : integral ? Math.trunc(v) : v;
  }
  return out;
}

/** Row-major strides of a shape. */
export function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length);
  let acc = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= dims[i];
  }
  return s;
}
