// The elementwise ops' broadcasting plan and the refusals and runtime errors the conformance corpus cannot
// show (onnxruntime itself fails on those models or inputs). Values are checked against the corpus instead.

import { broadcastPlan, forEachBlock } from "../../src/serving/onnx-js/ops/broadcast.ts";
import { CORE_ELEMENTWISE_OPS } from "../../src/serving/onnx-js/ops/elementwise.ts";
import { erf } from "../../src/serving/onnx-js/ops/unary.ts";
import { CORE_REDUCE_OPS } from "../../src/serving/onnx-js/ops/reduce.ts";
import { fromValues, UnsupportedError } from "../../src/serving/onnx-js/tensor.ts";
import { kernelOf, thrown } from "./onnx_js_harness.ts";
import { assert, assertEquals } from "./routes_harness.ts";

function blocks(shapes: number[][]): { starts: number[][]; inner: number; steps: number[] } {
  const plan = broadcastPlan("t", shapes);
  const starts: number[][] = [];
  forEachBlock(plan, (b, off) => starts.push([b * plan.inner, ...off]));
  return { starts, inner: plan.inner, steps: plan.steps };
}

Deno.test("broadcast plan: same shapes and scalars are one block", () => {
  assertEquals(blocks([[3, 4], [3, 4]]), { starts: [[0, 0, 0]], inner: 12, steps: [1, 1] });
  assertEquals(blocks([[3, 4], []]), { starts: [[0, 0, 0]], inner: 12, steps: [1, 0] });
  assertEquals(blocks([[1], [2, 1, 3]]), { starts: [[0, 0, 0]], inner: 6, steps: [0, 1] });
});

Deno.test("broadcast plan: [N,C] op [C] and [N,1] op [1,C] are N blocks of C", () => {
  assertEquals(blocks([[3, 4], [4]]), {
    starts: [[0, 0, 0], [4, 4, 0], [8, 8, 0]],
    inner: 4,
    steps: [1, 1],
  });
  assertEquals(blocks([[2, 1], [1, 3]]), { starts: [[0, 0, 0], [3, 1, 0]], inner: 3, steps: [0, 1] });
});

Deno.test("broadcast plan: rank 3 walks the outer dimensions with each input's strides", () => {
  // [2,1,4] with [3,1]: output [2,3,4]; the first input repeats over the middle axis, the second over the
  // first and last.
  const { starts, inner, steps } = blocks([[2, 1, 4], [3, 1]]);
  assertEquals(inner, 4);
  assertEquals(steps, [1, 0]);
  assertEquals(starts, [[0, 0, 0], [4, 0, 1], [8, 0, 2], [12, 4, 0], [16, 4, 1], [20, 4, 2]]);
});

Deno.test("broadcast plan: incompatible shapes are an Error naming them", () => {
  const e = thrown(() => broadcastPlan("Add", [[3, 4], [3]]));
  assert(e instanceof Error && !(e instanceof UnsupportedError));
  assert(e.message.includes("[3,4] and [3]"), e.message);
  const add = kernelOf(CORE_ELEMENTWISE_OPS, "Add", 17);
  const a = fromValues("float32", [2, 3], [1, 2, 3, 4, 5, 6]);
  assert(thrown(() => add([a, fromValues("float32", [2], [1, 2])])) instanceof Error);
});

Deno.test("Add and the comparisons refuse opsets before 7 (axis-aligned one-way broadcasting)", () => {
  for (const op of ["Add", "Sub", "Mul", "Div", "Pow", "Equal", "Less", "Greater", "And", "Or", "Xor"]) {
    assert(thrown(() => kernelOf(CORE_ELEMENTWISE_OPS, op, 6)) instanceof UnsupportedError, op);
    assertEquals(typeof kernelOf(CORE_ELEMENTWISE_OPS, op, 7), "function");
  }
});

Deno.test("attribute values outside the spec are refused at load, so onnxruntime reports them", () => {
  const fmod = new Map([["fmod", { kind: "int" as const, value: 2 }]]);
  assert(thrown(() => kernelOf(CORE_ELEMENTWISE_OPS, "Mod", 13, fmod)) instanceof UnsupportedError);
  const erf = new Map([["approximate", { kind: "string" as const, value: new TextEncoder().encode("erf") }]]);
  assert(thrown(() => kernelOf(CORE_ELEMENTWISE_OPS, "Gelu", 20, erf)) instanceof UnsupportedError);
});

Deno.test("an attribute an op does not read refuses the model instead of being ignored", () => {
  const junk = new Map([["alpha", { kind: "float" as const, value: 0.5 }]]);
  for (
    const [table, op, opset] of [
      [CORE_ELEMENTWISE_OPS, "Relu", 14],
      [CORE_ELEMENTWISE_OPS, "Add", 14],
      [CORE_ELEMENTWISE_OPS, "Mod", 13],
      [CORE_REDUCE_OPS, "ReduceSum", 13],
      [CORE_REDUCE_OPS, "ArgMax", 13],
    ] as const
  ) {
    assert(thrown(() => kernelOf(table, op, opset, junk)) instanceof UnsupportedError, op);
  }
  assertEquals(typeof kernelOf(CORE_ELEMENTWISE_OPS, "LeakyRelu", 16, junk), "function");
});

Deno.test("integer Div and Mod by zero are errors, float Div by zero is infinity", () => {
  const div = kernelOf(CORE_ELEMENTWISE_OPS, "Div", 14);
  const ints = fromValues("int64", [2], [4, 5]);
  const e = thrown(() => div([ints, fromValues("int64", [2], [2, 0])]));
  assert(e instanceof Error && e.message.includes("division by zero"), String(e));
  const mod = kernelOf(CORE_ELEMENTWISE_OPS, "Mod", 13);
  assert(thrown(() => mod([ints, fromValues("int64", [], [0])])) instanceof Error);
  const [q] = div([fromValues("float32", [1], [1]), fromValues("float32", [1], [0])]);
  assertEquals(Array.from(q.data as Float32Array), [Infinity]);
});

Deno.test("string tensors in arithmetic and reductions are refused as unsupported", () => {
  const s = fromValues("string", [1], ["a"]);
  assert(thrown(() => kernelOf(CORE_ELEMENTWISE_OPS, "Add", 14)([s, s])) instanceof UnsupportedError);
  assert(thrown(() => kernelOf(CORE_REDUCE_OPS, "ReduceSum", 13)([s])) instanceof UnsupportedError);
});

Deno.test("reductions refuse repeated or out-of-range axes", () => {
  const x = fromValues("float32", [2, 2], [1, 2, 3, 4]);
  const sum = kernelOf(CORE_REDUCE_OPS, "ReduceSum", 13);
  assert(thrown(() => sum([x, fromValues("int64", [2], [1, -1])])) instanceof Error);
  assert(thrown(() => sum([x, fromValues("int64", [1], [2])])) instanceof Error);
  const [y] = sum([x, fromValues("int64", [1], [-2])]);
  assertEquals([y.dims, Array.from(y.data as Float32Array)], [[1, 2], [4, 6]]);
});

Deno.test("erf is accurate to double precision across its series and asymptotic ranges", () => {
  // Reference values: Python's math.erf (C library erf).
  const want: [number, number][] = [
    [1e-8, 1.1283791670955126e-8],
    [1e-3, 0.0011283787909692365],
    [0.5, 0.5204998778130465],
    [1, 0.8427007929497149],
    [2, 0.9953222650189527],
    [-2.5, -0.999593047982555],
    [3, 0.9999779095030014],
    [3.99, 0.9999999832607886],
    [4, 0.9999999845827421],
    [4.5, 0.9999999998033839],
    [5.5, 0.9999999999999927],
    [27, 1],
    [Infinity, 1],
    [-Infinity, -1],
  ];
  for (const [x, y] of want) {
    const got = erf(x);
    assert(Math.abs(got - y) <= 1e-14 * Math.abs(y), `erf(${x}) = ${got}, want ${y}`);
  }
  assert(Number.isNaN(erf(NaN)));
});
