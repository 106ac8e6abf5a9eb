// TreeEnsemble (ai.onnx.ml opset 5) rewritten into the TreeEnsembleRegressor form, as onnxruntime runs it:
// each tree is walked from its root and renumbered, and leaves become LEAF nodes with one weight.
// BRANCH_MEMBER is refused: onnxruntime 1.31 does not test plain set membership (with members outside
// 0..31 it matches 3.7 against 3, for instance), and that behaviour is not worth copying.

import { UnsupportedError } from "../tensor.ts";
import { compileEnsemble, LEAF, modeCode, type TreeNodes, type TreeWeights } from "./ml-tree-ensemble.ts";
import { tensorFloat } from "./ml-tree-input.ts";
import type { Aggregate, Regression } from "./ml-tree-scores.ts";
import type { PostTransform } from "./ml-scores.ts";
import type { Attrs } from "./types.ts";

const OP = "TreeEnsemble";
const MODES = ["BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT", "BRANCH_EQ", "BRANCH_NEQ"];
const AGGREGATES: readonly Aggregate[] = ["AVERAGE", "SUM", "MIN", "MAX"];
// onnxruntime's order, which swaps 1 and 2 against the operator's documentation (1 SOFTMAX, 2 LOGISTIC).
const TRANSFORMS: readonly PostTransform[] = ["NONE", "LOGISTIC", "SOFTMAX", "SOFTMAX_ZERO", "PROBIT"];

function floatTensor(
  attrs: Attrs,
  name: string,
  needed: boolean,
): { values: number[]; type?: "float32" | "float64" } {
  const t = attrs.tensor(name);
  if (!t) {
    if (needed) throw new Error(`${OP} needs the attribute ${name}`);
    return { values: [] };
  }
  if (t.type !== "float32" && t.type !== "float64") {
    throw new UnsupportedError(`${OP} ${name} of type ${t.type}`);
  }
  return { values: Array.from(t.data as ArrayLike<number>), type: t.type };
}

export function convertTreeEnsemble(attrs: Attrs): Regression {
  const splits = floatTensor(attrs, "nodes_splits", true);
  const leafWeights = floatTensor(attrs, "leaf_weights", true);
  const hitrates = floatTensor(attrs, "nodes_hitrates", false);
  const tensor = tensorFloat(OP, [splits.type, leafWeights.type, hitrates.type]);
  const modesTensor = attrs.tensor("nodes_modes");
  if (!modesTensor) throw new Error(`${OP} needs the attribute nodes_modes`);
  if (modesTensor.type !== "uint8") {
    throw new UnsupportedError(`${OP} nodes_modes of type ${modesTensor.type}`);
  }
  const modes = Array.from(modesTensor.data as Uint8Array);
  const aggCode = attrs.int("aggregate_function", 1);
  const postCode = attrs.int("post_transform", 0);
  if (!AGGREGATES[aggCode]) throw new UnsupportedError(`${OP} aggregate_function ${aggCode}`);
  if (!TRANSFORMS[postCode]) throw new UnsupportedError(`${OP} post_transform ${postCode}`);

  const roots = attrs.ints("tree_roots");
  const feature = attrs.ints("nodes_featureids");
  const trueIds = attrs.ints("nodes_truenodeids");
  const falseIds = attrs.ints("nodes_falsenodeids");
  const trueLeafs = attrs.ints("nodes_trueleafs");
  const falseLeafs = attrs.ints("nodes_falseleafs");
  const missing = attrs.ints("nodes_missing_value_tracks_true", []);
  const leafTargets = attrs.ints("leaf_targetids");
  const count = modes.length;
  for (
    const [name, list] of Object.entries({
      feature,
      trueIds,
      falseIds,
      trueLeafs,
      falseLeafs,
      splits: splits.values,
    })
  ) {
    if (list.length !== count) {
      throw new Error(`${OP}: ${name} has ${list.length} entries for ${count} nodes`);
    }
  }
  if (missing.length !== 0 && missing.length !== count) {
    throw new Error(
      `${OP}: nodes_missing_value_tracks_true has ${missing.length} entries for ${count} nodes`,
    );
  }
  if (leafTargets.length !== leafWeights.values.length) {
    throw new Error(`${OP}: leaf_targetids and leaf_weights differ in length`);
  }

  for (let i = 0; i < count; i++) {
    if (!MODES[modes[i]]) throw new UnsupportedError(`${OP} node mode ${modes[i]}`);
  }

  const nodes: TreeNodes = {
    treeIds: [],
    nodeIds: [],
    featureIds: [],
    modes: [],
    values: [],
    trueIds: [],
    falseIds: [],
    missingTrue: [],
  };
  const weights: TreeWeights = { treeIds: [], nodeIds: [], targets: [], values: [] };
  let tree = 0;
  let depth = 0;

  /** Emits node (or leaf) `index` of the current tree as node id `id`; returns the last id its subtree used. */
  const emit = (index: number, leaf: boolean, id: number): number => {
    if (++depth > count + 1) throw new Error(`${OP}: the trees have a cycle`);
    nodes.treeIds.push(tree);
    nodes.nodeIds.push(id);
    if (leaf) {
      if (!(index >= 0 && index < leafTargets.length)) throw new Error(`${OP}: leaf ${index} does not exist`);
      nodes.featureIds.push(0);
      nodes.modes.push(LEAF);
      nodes.values.push(0);
      nodes.trueIds.push(0);
      nodes.falseIds.push(0);
      nodes.missingTrue.push(0);
      weights.treeIds.push(tree);
      weights.nodeIds.push(id);
      weights.targets.push(leafTargets[index]);
      weights.values.push(leafWeights.values[index]);
      depth--;
      return id;
    }
    if (!(index >= 0 && index < count)) throw new Error(`${OP}: node ${index} does not exist`);
    const slot = nodes.falseIds.length;
    nodes.featureIds.push(feature[index]);
    nodes.modes.push(modeCode(OP, MODES[modes[index]]));
    nodes.values.push(splits.values[index]);
    nodes.trueIds.push(id + 1);
    nodes.falseIds.push(0);
    nodes.missingTrue.push(missing.length > 0 ? missing[index] : 0);
    const lastTrue = emit(trueIds[index], trueLeafs[index] !== 0, id + 1);
    nodes.falseIds[slot] = lastTrue + 1;
    const last = emit(falseIds[index], falseLeafs[index] !== 0, lastTrue + 1);
    depth--;
    return last;
  };

  for (const root of roots) {
    if (!(root >= 0 && root < count)) throw new Error(`${OP}: tree root ${root} does not exist`);
    // onnxruntime reads such a root as a leaf whose weight is leaf_*[root], not the leaf both branches name.
    if (trueIds[root] === falseIds[root]) throw new UnsupportedError(`${OP} tree of a single leaf`);
    emit(root, false, 0);
    tree++;
  }
  const targets = attrs.int("n_targets", 0);
  if (targets < 1) throw new Error(`${OP} needs n_targets ≥ 1`);
  return {
    op: OP,
    ensemble: compileEnsemble(OP, nodes, weights),
    aggregate: AGGREGATES[aggCode],
    post: TRANSFORMS[postCode],
    base: [],
    targets,
    tensor,
  };
}
