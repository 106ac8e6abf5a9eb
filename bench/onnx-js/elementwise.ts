// Benchmark: the JS ONNX engine's elementwise and reduction kernels on float32 tensors, per broadcast layout
// (same shape, [N,C] op [C], scalar, [N,1] op [1,C], rank 3) and for a serving-sized call of one row. Prints
// one table of median microseconds per kernel call and nanoseconds per output element.
//
//   deno run -A bench/onnx-js/elementwise.ts [--rounds 300]

import { parseArgs } from "node:util";
import type { GraphNode } from "../../src/serving/onnx-js/graph.ts";
import { CORE_ELEMENTWISE_OPS } from "../../src/serving/onnx-js/ops/elementwise.ts";
import { CORE_REDUCE_OPS } from "../../src/serving/onnx-js/ops/reduce.ts";
import { Attrs, type Kernel, type OpTable } from "../../src/serving/onnx-js/ops/types.ts";
import { fromValues, size, type Tensor } from "../../src/serving/onnx-js/tensor.ts";
import { quantile } from "../stats.ts";

const args = parseArgs({ args: Deno.args, options: { rounds: { type: "string", default: "300" } } });
const ROUNDS = Number(args.values.rounds);

function kernel(
  table: OpTable,
  opType: string,
  opset: number,
  attributes: GraphNode["attributes"] = new Map(),
) {
  const node: GraphNode = { name: "bench", opType, domain: "", inputs: [], outputs: [], attributes };
  return table[opType]({ node, opset, attrs: new Attrs(node) });
}

function tensor(dims: number[], type: "float32" | "int64" = "float32"): Tensor {
  const n = size(dims);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = type === "int64" ? (i % 7) + 1 : Math.sin(i) * 3;
  return fromValues(type, dims, v);
}

function time(k: Kernel, inputs: Tensor[]): { us: number; elems: number } {
  let elems = 0;
  for (let i = 0; i < 20; i++) elems = size(k(inputs)[0].dims); // warm up the JIT
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    k(inputs);
    samples.push((performance.now() - t0) * 1000);
  }
  return { us: quantile(samples, 0.5), elems };
}

const N = 1000, C = 100;
const add = kernel(CORE_ELEMENTWISE_OPS, "Add", 14);
const rows: [string, Kernel, Tensor[]][] = [
  ["Add same [1000,100]", add, [tensor([N, C]), tensor([N, C])]],
  ["Add [1000,100] + [100]", add, [tensor([N, C]), tensor([C])]],
  ["Add [1000,100] + scalar", add, [tensor([N, C]), tensor([])]],
  ["Add [1000,1] + [1,100]", add, [tensor([N, 1]), tensor([1, C])]],
  ["Add [10,100,100] + [100,1]", add, [tensor([10, C, C]), tensor([C, 1])]],
  ["Div int64 [1000,100] / [100]", kernel(CORE_ELEMENTWISE_OPS, "Div", 14), [
    tensor([N, C], "int64"),
    tensor([C], "int64"),
  ]],
  ["Where [1000,1] ? [1000,100] : scalar", kernel(CORE_ELEMENTWISE_OPS, "Where", 16), [
    fromValues("bool", [N, 1], Array.from({ length: N }, (_, i) => i % 2)),
    tensor([N, C]),
    tensor([]),
  ]],
  ["Sigmoid [1000,100]", kernel(CORE_ELEMENTWISE_OPS, "Sigmoid", 13), [tensor([N, C])]],
  ["Relu [1000,100]", kernel(CORE_ELEMENTWISE_OPS, "Relu", 14), [tensor([N, C])]],
  ["Erf [1000,100]", kernel(CORE_ELEMENTWISE_OPS, "Erf", 13), [tensor([N, C])]],
  ["ReduceSum [1000,100] axis 1", kernel(CORE_REDUCE_OPS, "ReduceSum", 13), [
    tensor([N, C]),
    fromValues("int64", [1], [1]),
  ]],
  ["ReduceSum [1000,100] axis 0", kernel(CORE_REDUCE_OPS, "ReduceSum", 13), [
    tensor([N, C]),
    fromValues("int64", [1], [0]),
  ]],
  ["ReduceLogSumExp [1000,100] axis 1", kernel(CORE_REDUCE_OPS, "ReduceLogSumExp", 18), [
    tensor([N, C]),
    fromValues("int64", [1], [1]),
  ]],
  [
    "ArgMax [1000,100] axis 1",
    kernel(CORE_REDUCE_OPS, "ArgMax", 13, new Map([["axis", { kind: "int", value: 1 }]])),
    [
      tensor([N, C]),
    ],
  ],
  ["Add one row [1,10] + [10]", add, [tensor([1, 10]), tensor([10])]],
  ["ReduceSum one row [1,3] axis 1", kernel(CORE_REDUCE_OPS, "ReduceSum", 13), [
    tensor([1, 3]),
    fromValues("int64", [1], [1]),
  ]],
];

console.log("| kernel | µs per call (median) | ns per output element |");
console.log("|---|---:|---:|");
for (const [name, k, inputs] of rows) {
  const { us, elems } = time(k, inputs);
  console.log(`| ${name} | ${us.toFixed(1)} | ${((us * 1000) / elems).toFixed(2)} |`);
}
