// The tree-ensemble ops' guards the conformance corpus cannot show, because onnxruntime itself refuses those
// models or inputs: malformed trees fail at load (never loop or read past a row at request time), and inputs
// of the wrong width or type fail with a clear error. Values are checked against onnxruntime by the corpus
// (tests/onnx_js/cases_trees.py).

import type { AttrValue } from "../../src/serving/onnx-js/graph.ts";
import { ML_TREE_OPS } from "../../src/serving/onnx-js/ops/ml-tree.ts";
import type { Kernel } from "../../src/serving/onnx-js/ops/types.ts";
import { fromValues, type Tensor, UnsupportedError } from "../../src/serving/onnx-js/tensor.ts";
import { kernelOf, thrown } from "./onnx_js_harness.ts";
import { assert, assertEquals } from "./routes_harness.ts";

const ENCODER = new TextEncoder();

function kernel(opType: string, attributes: Record<string, AttrValue>, opset = 3): Kernel {
  return kernelOf(ML_TREE_OPS, opType, opset, attributes, {
    domain: "ai.onnx.ml",
    inputs: ["X"],
    outputs: ["Y"],
  });
}

const ints = (value: number[]): AttrValue => ({ kind: "ints", value });
const floats = (value: number[]): AttrValue => ({ kind: "floats", value });
const strings = (value: string[]): AttrValue => ({
  kind: "strings",
  value: value.map((s) => ENCODER.encode(s)),
});
const tensor = (type: "float32" | "float64", value: number[]): AttrValue => ({
  kind: "tensor",
  value: fromValues(type, [value.length], value),
});

/** One tree: node 0 tests feature `feature` <= 0.5, leaves 1 (weight 10) and 2 (weight 20). */
function stump(feature = 1): Record<string, AttrValue> {
  return {
    nodes_treeids: ints([0, 0, 0]),
    nodes_nodeids: ints([0, 1, 2]),
    nodes_featureids: ints([feature, 0, 0]),
    nodes_modes: strings(["BRANCH_LEQ", "LEAF", "LEAF"]),
    nodes_values: floats([0.5, 0, 0]),
    nodes_truenodeids: ints([1, 0, 0]),
    nodes_falsenodeids: ints([2, 0, 0]),
    target_treeids: ints([0, 0]),
    target_nodeids: ints([1, 2]),
    target_ids: ints([0, 0]),
    target_weights: floats([10, 20]),
    n_targets: { kind: "int", value: 1 },
  };
}

const x = (type: "float32" | "float64" | "int64", dims: number[], values: number[]): Tensor =>
  fromValues(type, dims, values);

Deno.test("tree regressor: predicts, and refuses an X narrower than the features its nodes read", () => {
  const k = kernel("TreeEnsembleRegressor", stump(1));
  assertEquals(Array.from(k([x("float32", [2, 2], [0, 0.5, 0, 0.7])])[0].data as Float32Array), [10, 20]);
  const e = thrown(() => k([x("float32", [2, 1], [0, 1])]));
  assert(e instanceof Error && !(e instanceof UnsupportedError), String(e));
  assert(/feature 1 but the input has 1 features/.test((e as Error).message), (e as Error).message);
  // A 1-D X counts as one feature (onnxruntime's rule), whatever its length.
  assert(thrown(() => k([x("float32", [2], [0, 1])])) instanceof Error);
});

Deno.test("tree regressor: int X, and an X whose float type differs from the *_as_tensor attributes, fail", () => {
  const plain = kernel("TreeEnsembleRegressor", stump(0));
  assert(/does not take int64/.test(String(thrown(() => plain([x("int64", [1, 1], [0])])))));
  const { nodes_values: _, ...rest } = stump(0);
  const doubles = kernel("TreeEnsembleRegressor", {
    ...rest,
    nodes_values_as_tensor: tensor("float64", [0.5, 0, 0]),
  });
  assertEquals(Array.from(doubles([x("float64", [1, 1], [0.6])])[0].data as Float32Array), [20]);
  assert(/X must be double, not float32/.test(String(thrown(() => doubles([x("float32", [1, 1], [0.6])])))));
  const singles = kernel("TreeEnsembleRegressor", {
    ...rest,
    nodes_values_as_tensor: tensor("float32", [0.5, 0, 0]),
  });
  assert(/X must be float, not float64/.test(String(thrown(() => singles([x("float64", [1, 1], [0.6])])))));
});

Deno.test("tree ensembles: malformed trees fail at load, not at request time", () => {
  // Node 1 is a branch whose false child is node 0: a cycle.
  const cycle = {
    ...stump(0),
    nodes_modes: strings(["BRANCH_LEQ", "BRANCH_LEQ", "LEAF"]),
    nodes_truenodeids: ints([1, 2, 0]),
    nodes_falsenodeids: ints([2, 0, 0]),
  };
  assert(/cycle/.test(String(thrown(() => kernel("TreeEnsembleRegressor", cycle)))));
  const noWeight = { ...stump(0), target_nodeids: ints([1, 1]) };
  assert(/has no weight/.test(String(thrown(() => kernel("TreeEnsembleRegressor", noWeight)))));
  const missingChild = { ...stump(0), nodes_falsenodeids: ints([7, 0, 0]) };
  assert(/no false node 7/.test(String(thrown(() => kernel("TreeEnsembleRegressor", missingChild)))));
  const twice = { ...stump(0), nodes_nodeids: ints([0, 1, 1]) };
  assert(/defined twice/.test(String(thrown(() => kernel("TreeEnsembleRegressor", twice)))));
});

Deno.test("tree ensembles: what onnxruntime would read differently is refused with UnsupportedError", () => {
  const unknownMode = { ...stump(0), nodes_modes: strings(["BRANCH_MEMBER", "LEAF", "LEAF"]) };
  assert(thrown(() => kernel("TreeEnsembleRegressor", unknownMode)) instanceof UnsupportedError);
  for (const odd of ["constructor", "LEAF\nLEAF", "BRANCH_LEQ\nLEAF"]) {
    const modes = { ...stump(0), nodes_modes: strings(["BRANCH_LEQ", odd, "LEAF"]) };
    assert(thrown(() => kernel("TreeEnsembleRegressor", modes)) instanceof UnsupportedError, odd);
  }
  const badPost = { ...stump(0), post_transform: { kind: "string", value: ENCODER.encode("RELU") } } as const;
  assert(thrown(() => kernel("TreeEnsembleRegressor", badPost)) instanceof UnsupportedError);
  const { target_treeids, target_nodeids, target_ids, target_weights, n_targets: _, ...nodes } = stump(0);
  const labelled = {
    ...nodes,
    class_treeids: target_treeids,
    class_nodeids: target_nodeids,
    class_ids: target_ids,
    class_weights: target_weights,
  };
  const both = { ...labelled, classlabels_int64s: ints([1, 2]), classlabels_strings: strings(["a", "b"]) };
  assert(thrown(() => kernel("TreeEnsembleClassifier", both)) instanceof UnsupportedError);
  assert(
    thrown(() => kernel("TreeEnsembleClassifier", { ...labelled, classlabels_int64s: ints([1]) })) instanceof
      UnsupportedError,
  );
  assert(thrown(() => kernel("TreeEnsemble", {}, 3)) instanceof UnsupportedError);
});

Deno.test("TreeEnsemble (opset 5): walks rewritten trees; a cycle fails at load", () => {
  const v5 = (falseIds: number[]): Record<string, AttrValue> => ({
    tree_roots: ints([0]),
    nodes_featureids: ints([0, 0]),
    nodes_modes: { kind: "tensor", value: fromValues("uint8", [2], [0, 3]) },
    nodes_splits: tensor("float32", [0.5, 2]),
    nodes_truenodeids: ints([0, 1]),
    nodes_trueleafs: ints([1, 1]),
    nodes_falsenodeids: ints(falseIds),
    nodes_falseleafs: ints([0, 0]),
    leaf_targetids: ints([0, 0]),
    leaf_weights: tensor("float32", [1.5, -2]),
    n_targets: { kind: "int", value: 1 },
  });
  // Node 0: x <= 0.5 ? leaf 0 : node 1; node 1: x > 2 ? leaf 1 : node 0 (a cycle) or node 1's false leaf.
  const k = kernel("TreeEnsemble", { ...v5([1, 0]), nodes_falseleafs: ints([0, 1]) }, 5);
  assertEquals(Array.from(k([x("float32", [3, 1], [0, 3, 1])])[0].data as Float32Array), [1.5, -2, 1.5]);
  assert(/cycle/.test(String(thrown(() => kernel("TreeEnsemble", v5([1, 0]), 5)))));
});
