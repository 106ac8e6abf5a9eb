// ai.onnx.ml linear models: LinearRegressor and LinearClassifier, as onnxruntime computes them (scores in
// float32, labels from the raw scores, then the post_transform).

import { numeric, type Tensor, UnsupportedError } from "../tensor.ts";
import { required } from "./misc.ts";
import { gemmTransB } from "./mlas-gemm.ts";
import { logistic, postTransform, transformRows } from "./ml-scores.ts";
import type { Attrs, OpTable } from "./types.ts";

/** [N, C] view of a 1-D or 2-D input, as the ml ops read their X. */
export function rows(x: Tensor, op: string): { n: number; c: number; data: ArrayLike<number> } {
  const data = numeric(x, op);
  if (x.dims.length === 1) return { n: 1, c: x.dims[0], data };
  if (x.dims.length !== 2) throw new Error(`${op} takes a 1-D or 2-D input, got ${x.dims.length}-D`);
  return { n: x.dims[0], c: x.dims[1], data };
}

/** rows() with the values cast to float32, as onnxruntime's classifiers cast any numeric X first. */
export function floatRows(x: Tensor, op: string): { n: number; c: number; data: Float32Array } {
  const { n, c, data } = rows(x, op);
  return { n, c, data: data instanceof Float32Array ? data : Float32Array.from(data) };
}

/** Class labels of a classifier: int64 (`classlabels_ints`) or strings (`classlabels_strings`). */
export interface ClassLabels {
  strings: boolean;
  ints: number[];
  names: string[];
  count: number;
}

export function classLabels(attrs: Attrs): ClassLabels {
  const names = attrs.strings("classlabels_strings", []);
  const ints = attrs.ints("classlabels_ints", []);
  const strings = names.length > 0;
  return { strings, ints, names, count: strings ? names.length : ints.length };
}

/** A label output [n] filled by `pick(row)`, which returns a class index into `labels`. */
export function labelTensor(labels: ClassLabels, n: number, pick: (row: number) => number): Tensor {
  if (labels.strings) {
    const out = new Array<string>(n);
    for (let r = 0; r < n; r++) out[r] = labels.names[pick(r)];
    return { type: "string", dims: [n], data: out };
  }
  const out = new Float64Array(n);
  for (let r = 0; r < n; r++) out[r] = labels.ints[pick(r)];
  return { type: "int64", dims: [n], data: out };
}

/** out[r, t] = X[r] · coef[t] + bias[t] as onnxruntime's GEMM rounds it, so labels at a threshold agree. */
function affine(
  data: Float32Array,
  n: number,
  c: number,
  coef: Float32Array,
  bias: Float32Array,
  targets: number,
): Float32Array {
  const out = new Float32Array(n * targets);
  gemmTransB(data, n, c, coef, targets, 1, bias, out);
  return out;
}

function checkFeatures(op: string, coefCount: number, targets: number, c: number): void {
  if (coefCount !== targets * c) {
    throw new Error(`${op} has ${coefCount} coefficients for ${targets} targets × ${c} features`);
  }
}

export const ML_LINEAR_OPS: OpTable = {
  LinearRegressor: ({ attrs }) => {
    const coef = Float32Array.from(attrs.floats("coefficients"));
    const targets = attrs.int("targets", 1);
    const given = attrs.floats("intercepts", []);
    // onnxruntime ignores intercepts whose count is not the number of targets.
    const bias = given.length === targets ? Float32Array.from(given) : new Float32Array(targets);
    const post = postTransform(attrs.string("post_transform", "NONE"), "LinearRegressor");
    return ([input]) => {
      const x = required(input, "LinearRegressor");
      if (x.type !== "float32") throw new Error(`LinearRegressor takes float32 input, got ${x.type}`);
      const { n, c, data } = floatRows(x, "LinearRegressor");
      checkFeatures("LinearRegressor", coef.length, targets, c);
      const out = affine(data, n, c, coef, bias, targets);
      transformRows(out, n, targets, post, true);
      return [{ type: "float32", dims: [n, targets], data: out }];
    };
  },

  LinearClassifier: ({ attrs }) => {
    const coef = Float32Array.from(attrs.floats("coefficients"));
    const intercepts = attrs.floats("intercepts", []);
    const post = postTransform(attrs.string("post_transform", "NONE"), "LinearClassifier");
    const labels = classLabels(attrs);
    // onnxruntime takes the class count from the intercepts and ignores multi_class.
    const classes = intercepts.length;
    if (classes === 0) throw new UnsupportedError("LinearClassifier without intercepts");
    // onnxruntime refuses one score unless there are two labels; more scores need a label each.
    if (classes === 1 ? labels.count !== 2 : labels.count < classes) {
      throw new UnsupportedError(`LinearClassifier with ${classes} score(s) and ${labels.count} labels`);
    }
    // One score for two labels: onnxruntime writes [1 - p, p], p the logistic of the score for LOGISTIC and
    // the raw score for the other transforms, except PROBIT, where it fills only half the output.
    if (classes === 1 && post === "PROBIT") {
      throw new UnsupportedError("LinearClassifier PROBIT with one score for two classes");
    }
    const bias = Float32Array.from(intercepts);
    return ([input]) => {
      const { n, c, data } = floatRows(required(input, "LinearClassifier"), "LinearClassifier");
      checkFeatures("LinearClassifier", coef.length, classes, c);
      const raw = affine(data, n, c, coef, bias, classes);
      if (classes === 1) {
        const label = labelTensor(labels, n, (r) => (raw[r] > 0 ? 1 : 0));
        const scores = new Float32Array(2 * n);
        for (let r = 0; r < n; r++) {
          const p = post === "LOGISTIC" ? logistic(raw[r]) : raw[r];
          scores[2 * r] = 1 - p;
          scores[2 * r + 1] = p;
        }
        return [label, { type: "float32", dims: [n, 2], data: scores }];
      }
      const label = labelTensor(labels, n, (r) => {
        const o = r * classes;
        let best = 0;
        for (let j = 1; j < classes; j++) if (raw[o + j] > raw[o + best]) best = j;
        return best;
      });
      transformRows(raw, n, classes, post, true);
      return [label, { type: "float32", dims: [n, classes], data: raw }];
    };
  },
};
