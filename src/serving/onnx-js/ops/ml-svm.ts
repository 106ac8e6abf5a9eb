// ai.onnx.ml support vector machines: SVMRegressor and SVMClassifier as onnxruntime computes them, including
// its choice of label, its binary score columns, and libsvm's pairwise coupling of Platt probabilities
// (run in float32 steps, since its stopping test depends on the rounding).

import { UnsupportedError } from "../tensor.ts";
import { required } from "./misc.ts";
import { gemmTransB } from "./mlas-gemm.ts";
import { classLabels, floatRows, labelTensor, rows } from "./ml-linear.ts";
import { logistic, type PostTransform, postTransform, transformRows } from "./ml-scores.ts";
import type { Attrs, OpTable } from "./types.ts";

const f = Math.fround;

type KernelType = "LINEAR" | "POLY" | "RBF" | "SIGMOID";

interface SvmKernel {
  type: KernelType;
  gamma: number;
  coef0: number;
  degree: number;
}

function svmKernel(attrs: Attrs, op: string, linear: boolean): SvmKernel {
  const type = attrs.string("kernel_type", "LINEAR");
  if (!["LINEAR", "POLY", "RBF", "SIGMOID"].includes(type)) {
    throw new UnsupportedError(`${op} kernel_type ${type}`);
  }
  // Required, as onnxruntime refuses to load an SVM without it.
  const params = attrs.floats("kernel_params");
  const [gamma = 0, coef0 = 0, degree = 0] = params;
  // Without support vectors onnxruntime runs the coefficients as a linear model whatever the kernel says.
  return { type: linear ? "LINEAR" : type as KernelType, gamma, coef0, degree };
}

/**
 * out[r, v] = K(X[r], vectors[v]) (+ bias for LINEAR), stored as float32, in the float32 steps of onnxruntime's
 * RBF loop and of its GEMM for the others.
 */
function kernelRows(
  k: SvmKernel,
  x: Float32Array,
  n: number,
  c: number,
  vectors: Float32Array,
  count: number,
  bias: number,
): Float32Array {
  const out = new Float32Array(n * count);
  if (k.type === "RBF") {
    rbfRows(x, n, c, vectors, count, f(-k.gamma), out);
    return out;
  }
  // LINEAR adds the bias; POLY and SIGMOID scale the products by gamma and add coef0, all inside the GEMM.
  const linear = k.type === "LINEAR";
  gemmTransB(x, n, c, vectors, count, linear ? 1 : k.gamma, linear ? bias : k.coef0, out);
  if (linear) return out;
  const degree = k.degree;
  for (let i = 0; i < out.length; i++) {
    const b = out[i];
    if (k.type === "POLY") out[i] = degree === 2 ? b * b : degree === 3 ? f(b * b) * b : Math.pow(b, degree);
    else out[i] = mlasTanh(b);
  }
  return out;
}

function rbfRows(
  x: Float32Array,
  n: number,
  c: number,
  vectors: Float32Array,
  count: number,
  negGamma: number,
  out: Float32Array,
): void {
  let o = 0;
  for (let r = 0; r < n; r++) {
    const xo = r * c;
    for (let vo = 0; vo < count * c; vo += c) {
      let s = 0;
      for (let j = 0; j < c; j++) {
        const d = f(x[xo + j] - vectors[vo + j]);
        s = f(s + f(d * d));
      }
      out[o++] = negGamma * s;
    }
  }
  // A second pass: calling exp inside the loop above makes V8 spill its registers (~25% slower).
  for (let i = 0; i < out.length; i++) out[i] = Math.exp(out[i]);
}

// onnxruntime's tanh (MLAS, after Eigen): an odd rational function on [-9, 9], evaluated with fused
// multiply-adds. Its error, up to ~1e-6, shows through SVM sums, so the engine uses the same approximation.
const TANH_P = [
  -2.76076847742355e-16,
  2.00018790482477e-13,
  -8.60467152213735e-11,
  5.12229709037114e-08,
  1.48572235717979e-05,
  6.37261928875436e-04,
  4.89352455891786e-03,
].map(f);
const TANH_Q = [1.19825839466702e-06, 1.18534705686654e-04, 2.26843463243900e-03, 4.89352518554385e-03].map(
  f,
);

function mlasTanh(value: number): number {
  const x = value < -9 ? -9 : value > 9 ? 9 : value;
  const x2 = f(x * x);
  let p = TANH_P[0];
  for (let i = 1; i < TANH_P.length; i++) p = f(p * x2 + TANH_P[i]);
  let q = TANH_Q[0];
  for (let i = 1; i < TANH_Q.length; i++) q = f(q * x2 + TANH_Q[i]);
  return f(f(p * x) / q);
}

function checkWidth(op: string, c: number, features: number): void {
  if (c !== features) throw new Error(`${op} expects ${features} features, got ${c}`);
}

/**
 * libsvm's multi-class probability from pairwise probabilities r (k×k), by the fixed-point iteration of Wu,
 * Lin and Weng, in float32 as onnxruntime runs it. Writes k probabilities to p at `at`.
 */
function coupleProbabilities(
  k: number,
  r: Float32Array,
  q: Float32Array,
  qp: Float32Array,
  p: Float32Array,
  at: number,
): void {
  q.fill(0);
  for (let i = 0; i < k; i++) {
    p[at + i] = f(1 / k);
    for (let j = 0; j < i; j++) {
      q[i * k + i] = f(q[i * k + i] + f(r[j * k + i] * r[j * k + i]));
      q[i * k + j] = q[j * k + i];
    }
    for (let j = i + 1; j < k; j++) {
      q[i * k + i] = f(q[i * k + i] + f(r[j * k + i] * r[j * k + i]));
      q[i * k + j] = f(-r[j * k + i] * r[i * k + j]);
    }
  }
  const eps = f(0.005 / k);
  for (let loop = 0; loop < 100; loop++) {
    let pqp = 0;
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s = f(s + f(q[i * k + j] * p[at + j]));
      qp[i] = s;
      pqp = f(pqp + f(p[at + i] * s));
    }
    let maxError = 0;
    for (let i = 0; i < k; i++) {
      const e = Math.abs(f(qp[i] - pqp));
      if (e > maxError) maxError = e;
    }
    if (maxError < eps) break;
    for (let i = 0; i < k; i++) {
      const qii = q[i * k + i];
      const diff = f(f(-qp[i] + pqp) / qii);
      p[at + i] = f(p[at + i] + diff);
      const grow = f(1 + diff);
      pqp = f(f(f(pqp + f(diff * f(f(diff * qii) + f(2 * qp[i])))) / grow) / grow);
      for (let j = 0; j < k; j++) {
        qp[j] = f(f(qp[j] + f(diff * q[i * k + j])) / grow);
        p[at + j] = f(p[at + j] / grow);
      }
    }
  }
}

export const ML_SVM_OPS: OpTable = {
  SVMRegressor: ({ attrs }) => {
    const count = attrs.int("n_supports", 0);
    const vectors = Float32Array.from(attrs.floats("support_vectors", []));
    const coef = Float64Array.from(attrs.floats("coefficients"));
    const rho = attrs.floats("rho");
    if (coef.length === 0 || rho.length === 0) {
      throw new UnsupportedError("SVMRegressor without coefficients or rho");
    }
    const oneClass = attrs.int("one_class", 0) !== 0;
    // onnxruntime reads post_transform but never applies it; the attribute is accepted and ignored alike.
    postTransform(attrs.string("post_transform", "NONE"), "SVMRegressor");
    const linear = count <= 0;
    const kernel = svmKernel(attrs, "SVMRegressor", linear);
    const features = linear ? coef.length : vectors.length / count;
    const weights = Float32Array.from(coef);
    if (!linear && (!Number.isInteger(features) || coef.length < count)) {
      throw new UnsupportedError(
        `SVMRegressor with ${vectors.length} support vector values for ${count} vectors`,
      );
    }
    return ([input]) => {
      const x = required(input, "SVMRegressor");
      if (x.type !== "float32") throw new Error(`SVMRegressor takes float32 input, got ${x.type}`);
      const { n, c, data } = rows(x, "SVMRegressor");
      checkWidth("SVMRegressor", c, features);
      const xf = data as Float32Array;
      let out: Float32Array;
      if (linear) {
        out = kernelRows(kernel, xf, n, c, weights, 1, rho[0]);
      } else {
        const k = kernelRows(kernel, xf, n, c, vectors, count, 0);
        out = new Float32Array(n);
        gemmTransB(k, n, count, weights, 1, 1, rho[0], out);
      }
      if (oneClass) { for (let r = 0; r < n; r++) out[r] = out[r] > 0 ? 1 : -1; }
      return [{ type: "float32", dims: [n, 1], data: out }];
    };
  },

  SVMClassifier: ({ attrs }) => {
    const labels = classLabels(attrs);
    const classes = labels.count;
    if (classes === 0) throw new UnsupportedError("SVMClassifier without class labels");
    const perClass = attrs.ints("vectors_per_class", []);
    const vectors = Float32Array.from(attrs.floats("support_vectors", []));
    const coef = Float64Array.from(attrs.floats("coefficients"));
    const rho = attrs.floats("rho");
    const probA = attrs.floats("prob_a", []);
    const probB = attrs.floats("prob_b", []);
    const post = postTransform(attrs.string("post_transform", "NONE"), "SVMClassifier");
    if (probA.length !== probB.length) {
      throw new UnsupportedError("SVMClassifier prob_a and prob_b differ in length");
    }
    if (coef.length === 0 || rho.length === 0) {
      throw new UnsupportedError("SVMClassifier without coefficients or rho");
    }
    const count = perClass.reduce((a, b) => a + b, 0);
    const linear = count <= 0;
    const kernel = svmKernel(attrs, "SVMClassifier", linear);
    const haveProba = probA.length > 0;
    const pairs = (classes * (classes - 1)) / 2;
    const allPositive = coef.every((w) => w >= 0);
    if (linear) {
      if (coef.length % classes !== 0) {
        throw new UnsupportedError("SVMClassifier coefficients do not fit the classes");
      }
      const features = coef.length / classes;
      const weights = Float32Array.from(coef);
      return ([input]) => {
        const { n, c, data } = floatRows(required(input, "SVMClassifier"), "SVMClassifier");
        checkWidth("SVMClassifier", c, features);
        // Every class score gets rho[0], as in onnxruntime.
        const scores = kernelRows(kernel, data, n, c, weights, classes, rho[0]);
        const label = labelTensor(labels, n, (r) => {
          const o = r * classes;
          let best = 0;
          for (let j = 1; j < classes; j++) if (scores[o + j] > scores[o + best]) best = j;
          const max = scores[o + best];
          // onnxruntime's binary rule for a linear SVM: class 1 past 0.5 (all weights >= 0) or past 0.
          if (classes === 2 && !haveProba && (allPositive ? max >= 0.5 : max > 0)) return 1;
          return best;
        });
        transformRows(scores, n, classes, post, true);
        return [label, { type: "float32", dims: [n, classes], data: scores }];
      };
    }
    if (classes < 2) {
      throw new UnsupportedError("SVMClassifier with support vectors and fewer than 2 classes");
    }
    if (perClass.length !== classes) {
      throw new UnsupportedError(
        `SVMClassifier with ${perClass.length} vectors_per_class for ${classes} classes`,
      );
    }
    if (vectors.length % count !== 0 || coef.length < (classes - 1) * count || rho.length < pairs) {
      throw new UnsupportedError("SVMClassifier support vectors, coefficients or rho do not fit the classes");
    }
    if (haveProba && probA.length < pairs) {
      throw new UnsupportedError("SVMClassifier prob_a shorter than the class pairs");
    }
    // Two classes without probabilities: onnxruntime fills half the scores for PROBIT.
    if (classes === 2 && !haveProba && post === "PROBIT") {
      throw new UnsupportedError("SVMClassifier PROBIT with two classes");
    }
    const features = vectors.length / count;
    const start = new Int32Array(classes);
    for (let i = 1; i < classes; i++) start[i] = start[i - 1] + perClass[i - 1];
    const width = haveProba ? classes : classes === 2 ? 2 : pairs;
    return ([input]) => {
      const { n, c, data } = floatRows(required(input, "SVMClassifier"), "SVMClassifier");
      checkWidth("SVMClassifier", c, features);
      const k = kernelRows(kernel, data, n, c, vectors, count, 0);
      const decision = new Float32Array(n * pairs);
      const votes = new Int32Array(n * classes);
      for (let r = 0; r < n; r++) {
        const ko = r * count;
        let d = 0;
        for (let i = 0; i < classes - 1; i++) {
          for (let j = i + 1; j < classes; j++) {
            // Coefficients are [classes - 1, vectors]: the i-j pair uses row j-1 for class i's vectors, row i
            // for class j's. Each product is float32, the sum double.
            let s = 0;
            const rowJ = (j - 1) * count;
            for (let m = start[i]; m < start[i] + perClass[i]; m++) s += f(coef[rowJ + m] * k[ko + m]);
            const rowI = i * count;
            for (let m = start[j]; m < start[j] + perClass[j]; m++) s += f(coef[rowI + m] * k[ko + m]);
            s += rho[d];
            decision[r * pairs + d++] = s;
            votes[r * classes + (s > 0 ? i : j)]++;
          }
        }
      }
      const label = labelTensor(labels, n, (r) => {
        const o = r * classes;
        let best = 0;
        for (let j = 1; j < classes; j++) if (votes[o + j] > votes[o + best]) best = j;
        return best;
      });
      const scores = new Float32Array(n * width);
      if (haveProba) {
        plattCoupled(decision, n, classes, probA, probB, scores);
        transformRows(scores, n, classes, post, true);
      } else if (classes === 2) {
        binaryColumns(decision, n, post, scores);
      } else {
        scores.set(decision);
        transformRows(scores, n, pairs, post, true);
      }
      return [label, { type: "float32", dims: [n, width], data: scores }];
    };
  },
};

/**
 * Two score columns from one decision value s: [-s, s] without a transform, [1 - p, p] with p = logistic(s)
 * for LOGISTIC, and [1 - s, s] for the other transforms, which onnxruntime leaves unapplied here.
 */
function binaryColumns(decision: Float32Array, n: number, post: PostTransform, out: Float32Array): void {
  for (let r = 0; r < n; r++) {
    const s = decision[r];
    const p = post === "LOGISTIC" ? logistic(s) : s;
    out[2 * r] = post === "NONE" ? -s : 1 - p;
    out[2 * r + 1] = p;
  }
}

/** Platt-scaled pairwise probabilities, clipped to [1e-7, 1 - 1e-7], coupled into one probability per class. */
function plattCoupled(
  decision: Float32Array,
  n: number,
  classes: number,
  probA: number[],
  probB: number[],
  out: Float32Array,
): void {
  const pairs = (classes * (classes - 1)) / 2;
  const r = new Float32Array(classes * classes);
  const q = new Float32Array(classes * classes);
  const qp = new Float32Array(classes);
  const low = f(1e-7);
  const high = f(1 - low);
  for (let row = 0; row < n; row++) {
    r.fill(0);
    let d = 0;
    for (let i = 0; i < classes - 1; i++) {
      for (let j = i + 1; j < classes; j++, d++) {
        const v = f(1 - logistic(f(f(decision[row * pairs + d] * probA[d]) + probB[d])));
        const p = Math.min(Math.max(v, low), high);
        r[i * classes + j] = p;
        r[j * classes + i] = f(1 - p);
      }
    }
    coupleProbabilities(classes, r, q, qp, out, row * classes);
  }
}
