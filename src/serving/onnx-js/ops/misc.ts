// Ops that move or relabel values without computing: Identity, Cast, Constant, and ZipMap (its maps are
// built outside the engine, from the probability tensor it passes through).

import { cast, elemType, type Tensor } from "../tensor.ts";
import type { OpTable } from "./types.ts";

function required(t: Tensor | undefined, op: string): Tensor {
  if (!t) throw new Error(`${op} is missing an input`);
  return t;
}

export const CORE_MISC_OPS: OpTable = {
  Identity: () => ([x]) => [required(x, "Identity")],
  Cast: ({ attrs }) => {
    const to = elemType(attrs.int("to"));
    return ([x]) => [cast(required(x, "Cast"), to)];
  },
  Constant: ({ attrs }) => {
    const t = attrs.tensor("value");
    if (t) return () => [t];
    if (attrs.has("value_float")) {
      return () => [{ type: "float32", dims: [], data: Float32Array.of(attrs.float("value_float")) }];
    }
    if (attrs.has("value_int")) {
      return () => [{ type: "int64", dims: [], data: Float64Array.of(attrs.int("value_int")) }];
    }
    if (attrs.has("value_floats")) {
      const v = attrs.floats("value_floats");
      return () => [{ type: "float32", dims: [v.length], data: Float32Array.from(v) }];
    }
    if (attrs.has("value_ints")) {
      const v = attrs.ints("value_ints");
      return () => [{ type: "int64", dims: [v.length], data: Float64Array.from(v) }];
    }
    throw new Error("Constant has no value attribute this engine reads");
  },
};

export { required };

export const ML_MISC_OPS: OpTable = {
  // The session reports ZipMap's output as a map sequence; OnnxModel rebuilds the maps from this tensor.
  ZipMap: () => ([x]) => [required(x, "ZipMap")],
};
