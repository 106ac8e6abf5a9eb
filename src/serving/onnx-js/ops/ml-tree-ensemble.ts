// The trees of the ai.onnx.ml tree-ensemble ops, compiled once at model load into flat typed arrays (one
// slot per node, children as absolute indices, leaf weights as ranges) so that finding a row's leaf is a
// tight loop. Structure follows onnxruntime: nodes are keyed by (tree id, node id), a tree starts at the
// first node of each run of equal tree ids, weights attached to branch nodes are ignored, and a leaf with
// no weight is an invalid model.

import { UnsupportedError } from "../tensor.ts";

/** The nodes_* attributes of TreeEnsembleRegressor/Classifier (the form TreeEnsemble opset 5 is turned into). */
export interface TreeNodes {
  treeIds: number[];
  nodeIds: number[];
  featureIds: number[];
  /** Mode codes (modeCode()). */
  modes: number[];
  values: number[];
  trueIds: number[];
  falseIds: number[];
  missingTrue: number[];
}

/** The target_* or class_* attributes: one weight per entry, attached to the leaf (tree id, node id). */
export interface TreeWeights {
  treeIds: number[];
  nodeIds: number[];
  targets: number[];
  values: number[];
}

export const LEAF = 0;
const LEQ = 1;
const LT = 2;
const GTE = 3;
const GT = 4;
const EQ = 5;
const NEQ = 6;

const MODE_CODES: Readonly<Record<string, number>> = {
  LEAF,
  BRANCH_LEQ: LEQ,
  BRANCH_LT: LT,
  BRANCH_GTE: GTE,
  BRANCH_GT: GT,
  BRANCH_EQ: EQ,
  BRANCH_NEQ: NEQ,
};

/** The code of a nodes_modes name; UnsupportedError for a name onnxruntime would read some other way. */
export function modeCode(op: string, name: string): number {
  if (!Object.hasOwn(MODE_CODES, name)) throw new UnsupportedError(`${op} node mode ${name}`);
  return MODE_CODES[name];
}

/**
 * Mode codes of a raw `strings` attribute. The names are joined and decoded in one TextDecoder call: per-node
 * decoding or byte comparison dominated the load time of large forests.
 */
export function modeCodes(op: string, raw: readonly Uint8Array[]): number[] {
  let total = 0;
  for (let i = 0; i < raw.length; i++) total += raw[i].length + 1;
  const joined = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < raw.length; i++) {
    joined.set(raw[i], at);
    at += raw[i].length;
    joined[at++] = 10; // "\n"
  }
  const names = new TextDecoder().decode(joined).split("\n");
  if (names.length !== raw.length + 1) throw new UnsupportedError(`${op} node mode names with line breaks`);
  const codes = new Array<number>(raw.length);
  for (let i = 0; i < raw.length; i++) codes[i] = modeCode(op, names[i]);
  return codes;
}

/** Node index by (tree id, node id): a dense table when the ids are small, as exporters write them. */
class NodeIndex {
  private readonly dense?: Int32Array;
  private readonly width: number = 0;
  private readonly map?: Map<number, number>;

  constructor(op: string, treeIds: readonly number[], nodeIds: readonly number[]) {
    let maxTree = 0;
    let maxNode = 0;
    for (let i = 0; i < treeIds.length; i++) {
      const t = treeIds[i];
      const id = nodeIds[i];
      // onnxruntime reads ids as 32-bit ints; larger ones would wrap there.
      if (!(t >= 0 && t < 2 ** 20 && id >= 0 && id < 2 ** 31)) {
        throw new UnsupportedError(`${op} tree id ${t} / node id ${id} out of range`);
      }
      if (t > maxTree) maxTree = t;
      if (id > maxNode) maxNode = id;
    }
    if ((maxTree + 1) * (maxNode + 1) <= 4 * treeIds.length + 4096) {
      this.width = maxNode + 1;
      this.dense = new Int32Array((maxTree + 1) * this.width).fill(-1);
    } else {
      this.map = new Map();
    }
    for (let i = 0; i < treeIds.length; i++) {
      if (this.get(treeIds[i], nodeIds[i]) >= 0) {
        throw new Error(`${op}: node ${nodeIds[i]} of tree ${treeIds[i]} is defined twice`);
      }
      if (this.dense) this.dense[treeIds[i] * this.width + nodeIds[i]] = i;
      else this.map!.set(treeIds[i] * 2 ** 32 + nodeIds[i], i);
    }
  }

  /** The node's position, or -1. */
  get(tree: number, node: number): number {
    if (this.dense) {
      if (!(tree >= 0 && node >= 0 && node < this.width && tree * this.width + node < this.dense.length)) {
        return -1;
      }
      return this.dense[tree * this.width + node];
    }
    if (!(node >= 0 && node < 2 ** 32)) return -1;
    return this.map!.get(tree * 2 ** 32 + node) ?? -1;
  }
}

export interface Ensemble {
  /** Index of each tree's first node. */
  roots: Int32Array;
  mode: Uint8Array;
  feature: Int32Array;
  threshold: Float64Array;
  /** 1 where a NaN feature value takes the true branch. */
  nanTrue: Uint8Array;
  trueNode: Int32Array;
  falseNode: Int32Array;
  /** For leaves: where the leaf's weights start in `target`/`weight`, and how many there are. */
  weightStart: Int32Array;
  weightCount: Int32Array;
  target: Int32Array;
  weight: Float64Array;
  /** The largest feature id of any node (leaves included, as onnxruntime checks it against the input). */
  maxFeature: number;
  /** Every branch is BRANCH_LEQ (the walk then takes a shorter loop). */
  allLeq: boolean;
  /** Some branch sends NaN to its true branch. */
  anyNanTrue: boolean;
}

function checkLengths(op: string, what: string, n: number, lists: Record<string, unknown[]>): void {
  for (const [name, list] of Object.entries(lists)) {
    if (list.length !== n) throw new Error(`${op}: ${name} has ${list.length} entries for ${n} ${what}`);
  }
}

export function compileEnsemble(op: string, nodes: TreeNodes, weights: TreeWeights): Ensemble {
  const n = nodes.treeIds.length;
  if (n === 0) throw new UnsupportedError(`${op} without nodes`);
  checkLengths(op, "nodes", n, {
    nodes_nodeids: nodes.nodeIds,
    nodes_featureids: nodes.featureIds,
    nodes_modes: nodes.modes,
    nodes_values: nodes.values,
    nodes_truenodeids: nodes.trueIds,
    nodes_falsenodeids: nodes.falseIds,
  });
  const w = weights.treeIds.length;
  checkLengths(op, "weights", w, { nodeids: weights.nodeIds, ids: weights.targets, weights: weights.values });

  const index = new NodeIndex(op, nodes.treeIds, nodes.nodeIds);
  const mode = new Uint8Array(n);
  const feature = new Int32Array(n);
  const threshold = Float64Array.from(nodes.values);
  const nanTrue = new Uint8Array(n);
  let maxFeature = 0;
  let allLeq = true;
  let anyNanTrue = false;
  for (let i = 0; i < n; i++) {
    const code = nodes.modes[i];
    if (!(code >= LEAF && code <= NEQ)) throw new Error(`${op}: node mode code ${code}`);
    mode[i] = code;
    const f = nodes.featureIds[i];
    if (f < 0) throw new Error(`${op}: node ${i} reads feature ${f}`);
    feature[i] = f;
    maxFeature = Math.max(maxFeature, f);
    nanTrue[i] = nodes.missingTrue[i] === 1 ? 1 : 0;
    if (code !== LEAF && code !== LEQ) allLeq = false;
    if (code !== LEAF && nanTrue[i]) anyNanTrue = true;
  }

  const trueNode = new Int32Array(n).fill(-1);
  const falseNode = new Int32Array(n).fill(-1);
  const child = (i: number, id: number, side: string): number => {
    const c = index.get(nodes.treeIds[i], id);
    if (c < 0) {
      throw new Error(`${op}: node ${i} has no ${side} node ${id} in tree ${nodes.treeIds[i]}`);
    }
    if (c === i) throw new Error(`${op}: node ${i} is its own ${side} node`);
    return c;
  };
  for (let i = 0; i < n; i++) {
    if (mode[i] === LEAF) continue;
    trueNode[i] = child(i, nodes.trueIds[i], "true");
    falseNode[i] = child(i, nodes.falseIds[i], "false");
  }

  const roots: number[] = [];
  for (let i = 0; i < n; i++) if (i === 0 || nodes.treeIds[i] !== nodes.treeIds[i - 1]) roots.push(i);
  checkAcyclic(op, roots, mode, trueNode, falseNode);

  // Weights in their listed order, grouped by leaf (onnxruntime keeps that order within a leaf).
  const owner = new Int32Array(w).fill(-1);
  const weightCount = new Int32Array(n);
  for (let k = 0; k < w; k++) {
    const i = index.get(weights.treeIds[k], weights.nodeIds[k]);
    if (i < 0) {
      throw new Error(
        `${op}: a weight is attached to node ${weights.nodeIds[k]} of tree ${
          weights.treeIds[k]
        }, which does not exist`,
      );
    }
    if (mode[i] !== LEAF) continue;
    owner[k] = i;
    weightCount[i]++;
  }
  const weightStart = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (mode[i] === LEAF && weightCount[i] === 0) {
      throw new Error(`${op}: leaf ${nodes.nodeIds[i]} of tree ${nodes.treeIds[i]} has no weight`);
    }
    weightStart[i] = total;
    total += weightCount[i];
  }
  const target = new Int32Array(total);
  const weight = new Float64Array(total);
  const filled = new Int32Array(n);
  for (let k = 0; k < w; k++) {
    const i = owner[k];
    if (i < 0) continue;
    const at = weightStart[i] + filled[i]++;
    target[at] = weights.targets[k];
    weight[at] = weights.values[k];
  }
  return {
    roots: Int32Array.from(roots),
    mode,
    feature,
    threshold,
    nanTrue,
    trueNode,
    falseNode,
    weightStart,
    weightCount,
    target,
    weight,
    maxFeature,
    allLeq,
    anyNanTrue,
  };
}

/** A branch that leads back to itself would make onnxruntime (and this engine) loop forever: refuse it. */
function checkAcyclic(op: string, roots: number[], mode: Uint8Array, t: Int32Array, f: Int32Array): void {
  const state = new Uint8Array(mode.length); // 0 unseen, 1 on the current path, 2 done
  const stack: number[] = [];
  for (const root of roots) {
    if (state[root] === 2) continue;
    stack.push(root);
    while (stack.length > 0) {
      const i = stack[stack.length - 1];
      if (state[i] === 0) {
        state[i] = 1;
        if (mode[i] === LEAF) continue;
        for (let side = 0; side < 2; side++) {
          const c = side === 0 ? t[i] : f[i];
          if (state[c] === 1) throw new Error(`${op}: the trees have a cycle through node ${c}`);
          if (state[c] === 0) stack.push(c);
        }
      } else {
        if (state[i] === 1) state[i] = 2;
        stack.pop();
      }
    }
  }
}

/**
 * The leaf each of `n` rows reaches in the tree at `root` (row r's features are x[r * stride + feature]),
 * written to `leaves`. One tree over all rows: the arrays are read once and the first branches repeat.
 */
export function leavesOf(
  e: Ensemble,
  root: number,
  x: ArrayLike<number>,
  n: number,
  stride: number,
  leaves: Int32Array,
): void {
  if (!e.allLeq) {
    for (let r = 0; r < n; r++) leaves[r] = leafAny(e, root, x, r * stride);
    return;
  }
  const { mode, feature, threshold, trueNode, falseNode, nanTrue } = e;
  if (!e.anyNanTrue) {
    for (let r = 0, off = 0; r < n; r++, off += stride) {
      let i = root;
      while (mode[i] !== LEAF) i = x[off + feature[i]] <= threshold[i] ? trueNode[i] : falseNode[i];
      leaves[r] = i;
    }
    return;
  }
  // The NaN-aware trees scikit-learn (and its HistGradientBoosting) export: BRANCH_LEQ, NaN to either side.
  for (let r = 0, off = 0; r < n; r++, off += stride) {
    let i = root;
    while (mode[i] !== LEAF) {
      const v = x[off + feature[i]];
      i = v <= threshold[i] || (v !== v && nanTrue[i] === 1) ? trueNode[i] : falseNode[i];
    }
    leaves[r] = i;
  }
}

function leafAny(e: Ensemble, root: number, x: ArrayLike<number>, off: number): number {
  const { mode, feature, threshold, trueNode, falseNode } = e;
  let i = root;
  for (;;) {
    const m = mode[i];
    if (m === LEAF) return i;
    const v = x[off + feature[i]];
    const t = threshold[i];
    let go: boolean;
    switch (m) {
      case LEQ:
        go = v <= t;
        break;
      case LT:
        go = v < t;
        break;
      case GTE:
        go = v >= t;
        break;
      case GT:
        go = v > t;
        break;
      case EQ:
        go = v === t;
        break;
      default: // NEQ: NaN differs from everything, so it goes true
        go = v !== t;
    }
    if (!go && e.nanTrue[i] === 1 && v !== v) go = true;
    i = go ? trueNode[i] : falseNode[i];
  }
}
