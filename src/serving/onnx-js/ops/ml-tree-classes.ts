// TreeEnsembleClassifier's last step as onnxruntime 1.31 takes it: class scores from the summed leaf weights,
// the label, and the score output. Two classes follow onnxruntime's binary rules: when the leaves only
// weigh one class ("binary case") the label is decided on that class's score (> 0.5 when every weight is
// positive, > 0 otherwise) and a single score is expanded to two columns; when both classes are weighed the
// label is the literal index 1 or 0 by the sign of class 1's score (not a class label).

import { logistic, type PostTransform, transformRows } from "./ml-scores.ts";

const f = Math.fround;
const same = (v: number) => v;

/** Label picks that are not class indexes: onnxruntime's literal 0 and 1 (see above). */
export const LITERAL_0 = -1;
export const LITERAL_1 = -2;

export interface ClassRules {
  classes: number;
  base: readonly number[];
  /** Two classes and the weights name one class id only. */
  binary: boolean;
  /** No class weight is negative. */
  allPositive: boolean;
  post: PostTransform;
}

/**
 * From summed scores and has-flags ([n, classes], as accumulate() leaves them), writes the score output
 * and label picks (class index, or LITERAL_0/LITERAL_1).
 */
export function finishClasses(
  rules: ClassRules,
  f32: boolean,
  n: number,
  scores: Float64Array,
  has: Uint8Array,
  out: Float32Array,
  pick: Int32Array,
): void {
  if (rules.classes > 2) {
    finishMany(rules, f32, n, scores, has, out, pick);
    transformRows(out, n, rules.classes, rules.post);
  } else {
    finishTwo(rules, f32, n, scores, has, out, pick);
  }
}

function finishMany(
  rules: ClassRules,
  f32: boolean,
  n: number,
  scores: Float64Array,
  has: Uint8Array,
  out: Float32Array,
  pick: Int32Array,
): void {
  const round = f32 ? f : same;
  const { classes, base } = rules;
  for (let r = 0; r < n; r++) {
    const row = r * classes;
    let best = -1;
    let bestScore = 0;
    for (let k = 0; k < classes; k++) {
      const i = row + k;
      if (k < base.length) {
        // A base value makes the class count as scored even when no leaf weighed it.
        scores[i] = has[i] ? round(scores[i] + base[k]) : base[k];
        has[i] = 1;
      }
      if (has[i] && (best < 0 || scores[i] > bestScore)) {
        best = k;
        bestScore = scores[i];
      }
      out[i] = has[i] ? scores[i] : 0;
    }
    pick[r] = best;
  }
}

function finishTwo(
  rules: ClassRules,
  f32: boolean,
  n: number,
  scores: Float64Array,
  has: Uint8Array,
  out: Float32Array,
  pick: Int32Array,
): void {
  const round = f32 ? f : same;
  const { base, binary, allPositive, post } = rules;
  // Rows left with one score get their two columns after the transform of the two-score rows.
  const single = new Uint8Array(n);
  const kept = new Float64Array(n);
  const second = new Int8Array(n);
  for (let r = 0; r < n; r++) {
    const o = 2 * r;
    let s0 = scores[o];
    let s1 = scores[o + 1];
    const h0 = has[o];
    const h1 = has[o + 1];
    let expand = -1;
    if (base.length === 2) {
      if (h1) {
        // onnxruntime adds base 1 to class 0's sum here and mirrors it (base 0 unused).
        s1 = round(base[1] + s0);
        s0 = -s1;
      } else {
        s1 = round(s1 + base[1]);
        s0 = round(s0 + base[0]);
      }
    } else if (base.length === 1) {
      s0 = round(s0 + base[0]);
      single[r] = h1 ? 0 : 1;
    } else {
      expand = 3;
      single[r] = h1 ? 0 : 1;
    }
    const positive = !single[r] && h1 ? s1 : h0 ? s0 : 0;
    if (binary) {
      const win = allPositive ? positive > 0.5 : positive > 0;
      expand = (allPositive ? 0 : 2) + (win ? 0 : 1);
      pick[r] = win ? 1 : 0;
    } else {
      pick[r] = positive > 0 ? LITERAL_1 : LITERAL_0;
    }
    second[r] = expand;
    kept[r] = h0 ? s0 : 0;
    out[o] = h0 ? s0 : 0;
    out[o + 1] = h1 && !single[r] ? s1 : 0;
  }
  transformRows(out, n, 2, post);
  for (let r = 0; r < n; r++) {
    if (!single[r]) continue;
    const o = 2 * r;
    const v = f(kept[r]);
    if (second[r] === 0 || second[r] === 1) {
      out[o] = 1 - v;
      out[o + 1] = v;
    } else if (post === "LOGISTIC") {
      out[o] = logistic(-v);
      out[o + 1] = logistic(v);
    } else {
      // The factory refuses the models that would reach here with no expansion rule (-1).
      out[o] = -v;
      out[o + 1] = v;
    }
  }
}
