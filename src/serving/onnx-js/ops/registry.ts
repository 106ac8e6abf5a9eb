// Every op the JS engine implements, by domain ("" is ai.onnx). A model whose ops are all here runs
// without ONNX Runtime; any other falls back to it.

import { CORE_CONTROL_OPS } from "./control.ts";
import { CORE_ELEMENTWISE_OPS } from "./elementwise.ts";
import { CORE_LINALG_OPS } from "./linalg.ts";
import { CORE_MISC_OPS, ML_MISC_OPS } from "./misc.ts";
import { CORE_REDUCE_OPS } from "./reduce.ts";
import { CORE_SHAPE_OPS } from "./shape.ts";
import { ML_LINEAR_OPS } from "./ml-linear.ts";
import { ML_PREPROCESS_OPS } from "./ml-preprocess.ts";
import { ML_SVM_OPS } from "./ml-svm.ts";
import { ML_TREE_OPS } from "./ml-tree.ts";
import type { OpFactory, OpTable } from "./types.ts";

const DOMAINS: ReadonlyMap<string, OpTable> = new Map([
  ["", {
    ...CORE_MISC_OPS,
    ...CORE_ELEMENTWISE_OPS,
    ...CORE_LINALG_OPS,
    ...CORE_REDUCE_OPS,
    ...CORE_SHAPE_OPS,
    ...CORE_CONTROL_OPS,
  }],
  ["ai.onnx.ml", { ...ML_MISC_OPS, ...ML_LINEAR_OPS, ...ML_PREPROCESS_OPS, ...ML_SVM_OPS, ...ML_TREE_OPS }],
]);

export function opFactory(domain: string, opType: string): OpFactory | undefined {
  const table = DOMAINS.get(domain);
  return table && Object.hasOwn(table, opType) ? table[opType] : undefined;
}

/** "Op" for ai.onnx and "domain:Op" otherwise, for docs and tests. */
export function supportedOps(): string[] {
  return [...DOMAINS].flatMap(([d, table]) => Object.keys(table).map((op) => (d ? `${d}:${op}` : op))).sort();
}
