// ai.onnx.ml linear models: LinearRegressor (and LinearClassifier, below).

import { numeric, type Tensor, UnsupportedError } from "../tensor.ts";
import { required } from "./misc.ts";
import type { OpTable } from "./types.ts";

/** [N, C] view of a 1-D or 2-D input, as the ml ops read their X. */
export function rows(x: Tensor, op: string): { n: number; c: number; data: ArrayLike<number> } {
  const data = numeric(x, op);
  if (x.dims.length === 1) return { n: 1, c: x.dims[0], data };
  if (x.dims.length !== 2) throw new Error(`${op} takes a 1-D or 2-D input, got ${x.dims.length}-D`);
  return { n: x.dims[0], c: x.dims[1], data };
}

export const ML_LINEAR_OPS: OpTable = {
  LinearRegressor: ({ attrs }) => {
    const coef = attrs.floats("coefficients");
    const intercepts = attrs.floats("intercepts", []);
    const targets = attrs.int("targets", 1);
    const post = attrs.string("post_transform", "NONE");
    if (post !== "NONE") throw new UnsupportedError(`LinearRegressor post_transform ${post}`);
    return ([input]) => {
      const { n, c, data } = rows(required(input, "LinearRegressor"), "LinearRegressor");
      if (coef.length !== targets * c) {
        throw new Error(
          `LinearRegressor has ${coef.length} coefficients for ${targets} targets × ${c} features`,
        );
      }
      const out = new Float32Array(n * targets);
      for (let r = 0; r < n; r++) {
        for (let t = 0; t < targets; t++) {
          let s = intercepts[t] ?? 0;
          for (let k = 0; k < c; k++) s += data[r * c + k] * coef[t * c + k];
          out[r * targets + t] = s;
        }
      }
      return [{ type: "float32", dims: [n, targets], data: out }];
    };
  },
};
