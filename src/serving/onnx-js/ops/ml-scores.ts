// Score post-transforms of the ai.onnx.ml classifiers and regressors (post_transform attribute), computed in
// float32 steps as onnxruntime does, so probabilities and labels derived from them match it.

import { UnsupportedError } from "../tensor.ts";

export type PostTransform = "NONE" | "LOGISTIC" | "SOFTMAX" | "SOFTMAX_ZERO" | "PROBIT";

const TRANSFORMS: readonly PostTransform[] = ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"];

/** The post_transform attribute, refusing names onnxruntime would silently read as PROBIT. */
export function postTransform(name: string, op: string): PostTransform {
  if (!(TRANSFORMS as readonly string[]).includes(name)) {
    throw new UnsupportedError(`${op} post_transform ${name}`);
  }
  return name as PostTransform;
}

const f = Math.fround;
const PI_F = f(Math.PI);
const SQRT2_F = f(Math.SQRT2);

export function logistic(x: number): number {
  const v = f(1 / f(1 + f(Math.exp(-Math.abs(x)))));
  return x < 0 ? f(1 - v) : v;
}

// onnxruntime's batched logistic (MLAS, after Eigen): an odd rational function of x on [-18, 18] plus 1/2,
// evaluated with fused multiply-adds and clamped to [0, 1]. It differs from 1 / (1 + e^-x) by up to ~2e-7.
const LOGISTIC_P = [
  4.37031012579801e-11,
  1.15627324459942e-07,
  6.08574864600143e-05,
  8.51377133304701e-03,
  2.48287947061529e-01,
].map(f);
const LOGISTIC_Q = [
  6.10247389755681e-13,
  5.76102136993427e-09,
  6.29106785017040e-06,
  1.70198817374094e-03,
  1.16817656904453e-01,
  9.93151921023180e-01,
].map(f);

export function mlasLogistic(value: number): number {
  const x = value < -18 ? -18 : value > 18 ? 18 : value;
  const x2 = f(x * x);
  let p = LOGISTIC_P[0];
  for (let i = 1; i < LOGISTIC_P.length; i++) p = f(p * x2 + LOGISTIC_P[i]);
  p = f(p * x);
  let q = LOGISTIC_Q[0];
  for (let i = 1; i < LOGISTIC_Q.length; i++) q = f(q * x2 + LOGISTIC_Q[i]);
  const y = f(f(p / q) + 0.5);
  return y < 0 ? 0 : y > 1 ? 1 : y;
}

/** Inverse error function by Winitzki's approximation, the one onnxruntime uses (not the exact inverse). */
function erfInv(x: number): number {
  const sgn = x < 0 ? -1 : 1;
  const y = f(f(1 - x) * f(1 + x));
  const ln = f(Math.log(y));
  const v = f(f(2 / f(PI_F * f(0.147))) + f(0.5 * ln));
  const v2 = f(f(1 / f(0.147)) * ln);
  const v3 = f(-v + f(Math.sqrt(f(f(v * v) - v2))));
  return f(sgn * f(Math.sqrt(v3)));
}

export function probit(x: number): number {
  return f(SQRT2_F * erfInv(f(f(2 * x) - 1)));
}

function softmax(s: Float32Array, start: number, width: number): void {
  let max = -3.4028234663852886e38;
  for (let i = start; i < start + width; i++) if (s[i] > max) max = s[i];
  let sum = 0;
  for (let i = start; i < start + width; i++) {
    s[i] = Math.exp(f(s[i] - max));
    sum = f(sum + s[i]);
  }
  for (let i = start; i < start + width; i++) s[i] = s[i] / sum;
}

/** Softmax that leaves (near-)zero scores out of the sum and scales them instead of exponentiating. */
function softmaxZero(s: Float32Array, start: number, width: number): void {
  let max = -3.4028234663852886e38;
  for (let i = start; i < start + width; i++) if (s[i] > max) max = s[i];
  const expNegMax = f(Math.exp(-max));
  const eps = f(0.0000001);
  let sum = 0;
  for (let i = start; i < start + width; i++) {
    const v = s[i];
    if (v > eps || v < -eps) {
      s[i] = Math.exp(f(v - max));
      sum = f(sum + s[i]);
    } else {
      s[i] = v * expNegMax;
    }
  }
  for (let i = start; i < start + width; i++) s[i] = s[i] / sum;
}

/**
 * Applies the transform in place to `n` rows of `width` scores. With one score per row onnxruntime applies
 * only PROBIT (LOGISTIC and the softmaxes leave a single score as it is); callers handle the binary
 * two-column expansion themselves. `batched`: LOGISTIC by MLAS's approximation, as onnxruntime's linear and
 * SVM ops transform their scores (batched_update_scores_inplace); otherwise by the exact formula.
 */
export function transformRows(
  s: Float32Array,
  n: number,
  width: number,
  post: PostTransform,
  batched = false,
): void {
  const end = n * width;
  if (post === "PROBIT") {
    for (let i = 0; i < end; i++) s[i] = probit(s[i]);
    return;
  }
  if (width <= 1) return;
  switch (post) {
    case "LOGISTIC":
      if (batched) { for (let i = 0; i < end; i++) s[i] = mlasLogistic(s[i]); }
      else for (let i = 0; i < end; i++) s[i] = logistic(s[i]);
      break;
    case "SOFTMAX":
      for (let r = 0; r < end; r += width) softmax(s, r, width);
      break;
    case "SOFTMAX_ZERO":
      for (let r = 0; r < end; r += width) softmaxZero(s, r, width);
      break;
  }
}
