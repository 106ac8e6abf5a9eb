// The input X of the tree-ensemble ops as onnxruntime reads it, and the float type that the model's
// *_as_tensor attributes tie it to.

import { numeric, type Tensor } from "../tensor.ts";
import type { Ensemble } from "./ml-tree-ensemble.ts";

/** The float type of the model's *_as_tensor attributes, which onnxruntime requires X to have. */
export type TensorFloat = "float32" | "float64" | undefined;

/** The one float type of several *_as_tensor attributes (onnxruntime reads them all as the threshold type). */
export function tensorFloat(op: string, lists: TensorFloat[]): TensorFloat {
  const types = new Set(lists.filter((t) => t !== undefined));
  if (types.size > 1) throw new Error(`${op} mixes float and double *_as_tensor attributes`);
  return [...types][0];
}

/** Rows of X as the trees read them. `f32`: thresholds and sums are float32 (X is not double). */
export interface TreeInput {
  n: number;
  stride: number;
  x: ArrayLike<number>;
  f32: boolean;
}

/**
 * X as the trees read it. onnxruntime compares in float32 unless X is double (integers are converted to
 * float32 first), checks the largest feature id against X's second dimension (1 for a 1-D X), and needs
 * X's float type to match the *_as_tensor attributes.
 */
export function treeInput(x: Tensor, op: string, e: Ensemble, tensor: TensorFloat, ints: boolean): TreeInput {
  const dims = x.dims;
  if (dims.length < 1 || dims.length > 2) {
    throw new Error(`${op} takes a 1-D or 2-D input, got ${dims.length}-D`);
  }
  const n = dims.length === 1 ? 1 : dims[0];
  const stride = dims.length === 1 ? dims[0] : dims[1];
  const features = dims.length === 2 ? dims[1] : 1;
  if (e.maxFeature >= features) {
    throw new Error(`${op}: a node reads feature ${e.maxFeature} but the input has ${features} features`);
  }
  const data = numeric(x, op);
  const f32 = x.type !== "float64";
  if (tensor && tensor !== (f32 ? "float32" : "float64")) {
    const want = tensor === "float64" ? "double" : "float";
    throw new Error(`${op}: its *_as_tensor attributes are ${want}, so X must be ${want}, not ${x.type}`);
  }
  if (x.type === "float32" || x.type === "float64") return { n, stride, x: data, f32 };
  if (ints && (x.type === "int32" || x.type === "int64")) {
    return { n, stride, x: Float32Array.from(data), f32 };
  }
  throw new Error(`${op} does not take ${x.type} inputs`);
}
