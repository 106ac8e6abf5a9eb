// ai.onnx.ml tree ensembles: TreeEnsembleRegressor and TreeEnsembleClassifier (opsets 1-3, with opset 3's
// *_as_tensor attributes) and TreeEnsemble (opset 5), computed as onnxruntime 1.31 does. Attributes are read
// and the trees compiled once per model (ml-tree-ensemble.ts); kernels only walk trees and aggregate.

import type { GraphNode } from "../graph.ts";
import { type ElemType, type Tensor, UnsupportedError } from "../tensor.ts";
import { required } from "./misc.ts";
import { type ClassRules, finishClasses, LITERAL_1 } from "./ml-tree-classes.ts";
import {
  compileEnsemble,
  type Ensemble,
  LEAF,
  modeCodes,
  type TreeNodes,
  type TreeWeights,
} from "./ml-tree-ensemble.ts";
import { type TensorFloat, tensorFloat, treeInput } from "./ml-tree-input.ts";
import {
  accumulate,
  type Aggregate,
  finishTargets,
  type Regression,
  singleTargetScores,
} from "./ml-tree-scores.ts";
import { convertTreeEnsemble } from "./ml-tree-v5.ts";
import { type PostTransform, postTransform, probit, transformRows } from "./ml-scores.ts";
import type { Attrs, OpTable } from "./types.ts";

const AGGREGATES: readonly Aggregate[] = ["SUM", "AVERAGE", "MIN", "MAX"];

interface NumberList {
  values: number[];
  tensor: TensorFloat;
}

/** A float list given as `name` (floats) or `name_as_tensor` (a 1-D float or double tensor), not both. */
function numberList(attrs: Attrs, op: string, name: string): NumberList {
  const t = attrs.tensor(`${name}_as_tensor`);
  if (!t) return { values: attrs.floats(name, []), tensor: undefined };
  if (attrs.has(name)) throw new Error(`${op} has both ${name} and ${name}_as_tensor`);
  if (t.type !== "float32" && t.type !== "float64") {
    throw new UnsupportedError(`${op} ${name}_as_tensor of type ${t.type}`);
  }
  if (t.dims.length !== 1 || t.dims[0] === 0) {
    throw new Error(`${op} ${name}_as_tensor must be a non-empty vector`);
  }
  return { values: Array.from(t.data as ArrayLike<number>), tensor: t.type };
}

interface TreeAttrs {
  ensemble: Ensemble;
  base: number[];
  post: PostTransform;
  tensor: TensorFloat;
  /** Every weight as listed, including those onnxruntime ignores on branch nodes. */
  weightIds: number[];
  weightValues: number[];
}

/** A `strings` attribute's raw bytes ([] when absent). */
function rawStrings(node: GraphNode, name: string): Uint8Array[] {
  const a = node.attributes.get(name);
  if (!a) return [];
  if (a.kind !== "strings") {
    throw new Error(`${node.opType} attribute ${name} is ${a.kind}, expected strings`);
  }
  return a.value;
}

/** The attributes TreeEnsembleRegressor (prefix "target") and TreeEnsembleClassifier ("class") share. */
function readTrees(node: GraphNode, attrs: Attrs, op: string, prefix: "target" | "class"): TreeAttrs {
  const values = numberList(attrs, op, "nodes_values");
  const weights = numberList(attrs, op, `${prefix}_weights`);
  const base = numberList(attrs, op, "base_values");
  const hitrates = numberList(attrs, op, "nodes_hitrates");
  const tensor = tensorFloat(op, [values.tensor, weights.tensor, base.tensor, hitrates.tensor]);
  const nodes: TreeNodes = {
    treeIds: attrs.ints("nodes_treeids", []),
    nodeIds: attrs.ints("nodes_nodeids", []),
    featureIds: attrs.ints("nodes_featureids", []),
    modes: modeCodes(op, rawStrings(node, "nodes_modes")),
    values: values.values,
    trueIds: attrs.ints("nodes_truenodeids", []),
    falseIds: attrs.ints("nodes_falsenodeids", []),
    missingTrue: attrs.ints("nodes_missing_value_tracks_true", []),
  };
  const w: TreeWeights = {
    treeIds: attrs.ints(`${prefix}_treeids`, []),
    nodeIds: attrs.ints(`${prefix}_nodeids`, []),
    targets: attrs.ints(`${prefix}_ids`, []),
    values: weights.values,
  };
  return {
    ensemble: compileEnsemble(op, nodes, w),
    base: base.values,
    post: postTransform(attrs.string("post_transform", "NONE"), op),
    tensor,
    weightIds: w.targets,
    weightValues: w.values,
  };
}

function checkTargets(op: string, e: Ensemble, width: number): void {
  for (const t of e.target) {
    if (t < 0 || t >= width) throw new Error(`${op} has a weight for target ${t} of ${width}`);
  }
}

function aggregate(name: string, op: string): Aggregate {
  if (!(AGGREGATES as readonly string[]).includes(name)) {
    throw new UnsupportedError(`${op} aggregate_function ${name}`);
  }
  return name as Aggregate;
}

/** The regressor kernel (shared by TreeEnsemble opset 5, whose output type follows X when `typedOutput`). */
export function regressionKernel(spec: Regression, typedOutput: boolean) {
  const { op, ensemble: e, aggregate: agg, post, base, targets } = spec;
  if (base.length !== 0 && base.length !== targets) {
    throw new Error(`${op} has ${base.length} base values for ${targets} targets`);
  }
  if (targets > 1) checkTargets(op, e, targets);
  return ([input]: (Tensor | undefined)[]): Tensor[] => {
    const x = required(input, op);
    const rows = treeInput(x, op, e, spec.tensor, false);
    const n = rows.n;
    const type: ElemType = typedOutput && x.type === "float64" ? "float64" : "float32";
    const out = type === "float64" ? new Float64Array(n * targets) : new Float32Array(n * targets);
    if (targets === 1) {
      singleTargetScores(e, agg, base.length === 1 ? base[0] : 0, rows, out);
      if (post === "PROBIT") { for (let r = 0; r < n; r++) out[r] = probit(Math.fround(out[r])); }
    } else {
      const scores = new Float64Array(n * targets);
      const has = new Uint8Array(n * targets);
      accumulate(e, agg, targets, rows, scores, has);
      finishTargets(agg, base, e.roots.length, rows.f32, scores, has, out);
      if (post !== "NONE") {
        const s = out instanceof Float32Array ? out : Float32Array.from(out);
        transformRows(s, n, targets, post);
        if (s !== out) out.set(s);
      }
    }
    return [{ type, dims: [n, targets], data: out }];
  };
}

/** True when some leaf has no weight for class 1, so a row may end with class 0's score alone. */
function someLeafLacksClass1(e: Ensemble): boolean {
  for (let i = 0; i < e.mode.length; i++) {
    if (e.mode[i] !== LEAF) continue;
    let found = false;
    for (let k = e.weightStart[i]; k < e.weightStart[i] + e.weightCount[i]; k++) {
      if (e.target[k] === 1) found = true;
    }
    if (!found) return true;
  }
  return false;
}

function classifier(node: GraphNode, attrs: Attrs) {
  const op = "TreeEnsembleClassifier";
  const t = readTrees(node, attrs, op, "class");
  const names = attrs.strings("classlabels_strings", []);
  const ints = attrs.ints("classlabels_int64s", []);
  if (names.length > 0 && ints.length > 0) {
    throw new UnsupportedError(`${op} with both string and int64 labels`);
  }
  const strings = names.length > 0;
  const classes = strings ? names.length : ints.length;
  if (classes < 2) throw new UnsupportedError(`${op} with ${classes} class labels`);
  if (classes === 2 ? t.base.length > 2 : t.base.length !== 0 && t.base.length !== classes) {
    throw new Error(`${op} has ${t.base.length} base values for ${classes} classes`);
  }
  checkTargets(op, t.ensemble, classes);
  const rules: ClassRules = {
    classes,
    base: t.base,
    binary: classes === 2 && new Set(t.weightIds).size === 1,
    allPositive: t.weightValues.every((v) => !(v < 0)),
    post: t.post,
  };
  if (classes === 2 && t.base.length <= 1 && someLeafLacksClass1(t.ensemble)) {
    // onnxruntime then writes one score and leaves the second column unset in these two cases.
    if (t.post === "PROBIT") throw new UnsupportedError(`${op} PROBIT with one score for two classes`);
    if (!rules.binary && t.base.length === 1) {
      throw new UnsupportedError(`${op} with one base value and class 1 missing from some leaves`);
    }
  }
  const e = t.ensemble;
  return ([input]: (Tensor | undefined)[]): Tensor[] => {
    const rows = treeInput(required(input, op), op, e, t.tensor, true);
    const n = rows.n;
    const scores = new Float64Array(n * classes);
    const has = new Uint8Array(n * classes);
    accumulate(e, "SUM", classes, rows, scores, has);
    const out = new Float32Array(n * classes);
    const pick = new Int32Array(n);
    finishClasses(rules, rows.f32, n, scores, has, out, pick);
    const probabilities: Tensor = { type: "float32", dims: [n, classes], data: out };
    if (strings) {
      const labels = new Array<string>(n);
      for (let r = 0; r < n; r++) labels[r] = names[pick[r] >= 0 ? pick[r] : pick[r] === LITERAL_1 ? 1 : 0];
      return [{ type: "string", dims: [n], data: labels }, probabilities];
    }
    const labels = new Float64Array(n);
    for (let r = 0; r < n; r++) labels[r] = pick[r] >= 0 ? ints[pick[r]] : pick[r] === LITERAL_1 ? 1 : 0;
    return [{ type: "int64", dims: [n], data: labels }, probabilities];
  };
}

export const ML_TREE_OPS: OpTable = {
  TreeEnsembleRegressor: ({ node, attrs }) => {
    const op = "TreeEnsembleRegressor";
    const t = readTrees(node, attrs, op, "target");
    const targets = attrs.int("n_targets", 0);
    if (targets < 1) throw new Error(`${op} needs n_targets ≥ 1`);
    const agg = aggregate(attrs.string("aggregate_function", "SUM"), op);
    return regressionKernel({
      op,
      ensemble: t.ensemble,
      aggregate: agg,
      post: t.post,
      base: t.base,
      targets,
      tensor: t.tensor,
    }, false);
  },
  TreeEnsembleClassifier: ({ node, attrs }) => classifier(node, attrs),
  TreeEnsemble: ({ attrs, opset }) => {
    if (opset < 5) throw new UnsupportedError(`TreeEnsemble in ai.onnx.ml opset ${opset}`);
    return regressionKernel(convertTreeEnsemble(attrs), true);
  },
};
