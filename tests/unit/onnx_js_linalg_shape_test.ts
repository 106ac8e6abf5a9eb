// The linear-algebra and shape ops' refusals and runtime errors that the conformance corpus cannot show:
// onnxruntime rejects those models itself, or the refusal depends on the values fed. Values are checked
// against the corpus instead.

import type { AttrValue } from "../../src/serving/onnx-js/graph.ts";
import { CORE_LINALG_OPS } from "../../src/serving/onnx-js/ops/linalg.ts";
import { CORE_SHAPE_OPS } from "../../src/serving/onnx-js/ops/shape.ts";
import type { Kernel } from "../../src/serving/onnx-js/ops/types.ts";
import { fromValues, UnsupportedError } from "../../src/serving/onnx-js/tensor.ts";
import { kernelOf, thrown } from "./onnx_js_harness.ts";
import { assert, assertEquals } from "./routes_harness.ts";

const TABLE = { ...CORE_LINALG_OPS, ...CORE_SHAPE_OPS };

function kernel(
  opType: string,
  opset: number,
  attributes: Record<string, AttrValue> = {},
  outputs = 1,
): Kernel {
  return kernelOf(TABLE, opType, opset, attributes, {
    outputs: Array.from({ length: outputs }, (_, i) => `y${i}`),
  });
}

const int = (value: number): AttrValue => ({ kind: "int", value });

Deno.test("an attribute the engine does not read refuses the node at load", () => {
  const e = thrown(() => kernel("Transpose", 13, { perm: { kind: "ints", value: [1, 0] }, extra: int(1) }));
  assert(e instanceof UnsupportedError, String(e));
  assert(String(e).includes("extra"));
  assert(kernel("Transpose", 13, { perm: { kind: "ints", value: [1, 0] } }));
});

Deno.test("attribute values the engine does not implement are refused at load", () => {
  const mode = (m: string): AttrValue => ({ kind: "string", value: new TextEncoder().encode(m) });
  for (const m of ["reflect", "edge", "wrap"]) {
    assert(thrown(() => kernel("Pad", 19, { mode: mode(m) })) instanceof UnsupportedError, m);
  }
  assert(thrown(() => kernel("TopK", 11, { sorted: int(0) })) instanceof UnsupportedError);
  assert(thrown(() => kernel("Gemm", 6)) instanceof UnsupportedError);
  assert(thrown(() => kernel("LpNormalization", 1, { p: int(3) })) instanceof UnsupportedError);
});

Deno.test("Gather of string rows is refused at run time (onnxruntime 1.31 blanks all but their first string)", () => {
  const gather = kernel("Gather", 13, { axis: int(0) });
  const rows = fromValues("string", [2, 2], ["a", "b", "c", "d"]);
  const e = thrown(() => gather([rows, fromValues("int64", [1], [1])]));
  assert(e instanceof UnsupportedError, String(e));
  // One string per gathered slice is what onnxruntime gets right, and runs.
  const column = kernel("Gather", 13, { axis: int(1) })([rows, fromValues("int64", [2], [1, -2])])[0];
  assertEquals(column.data, ["b", "a", "d", "c"]);
});

Deno.test("TopK over NaN is refused at run time (onnxruntime's order around NaN is its sort's own)", () => {
  const topk = kernel("TopK", 11, {}, 2);
  const e = thrown(() => topk([fromValues("float32", [3], [1, NaN, 2]), fromValues("int64", [1], [2])]));
  assert(e instanceof UnsupportedError, String(e));
});

Deno.test("bad shapes at run time are plain Errors naming the op", () => {
  const cases: [string, () => unknown][] = [
    [
      "MatMul",
      () =>
        kernel("MatMul", 13)([
          fromValues("float32", [2, 3], [1, 2, 3, 4, 5, 6]),
          fromValues("float32", [2], [1, 2]),
        ]),
    ],
    [
      "Reshape",
      () => kernel("Reshape", 13)([fromValues("float32", [4], [1, 2, 3, 4]), fromValues("int64", [1], [3])]),
    ],
    [
      "Gather",
      () => kernel("Gather", 13)([fromValues("float32", [2], [1, 2]), fromValues("int64", [1], [2])]),
    ],
    ["Split", () => kernel("Split", 13, {}, 2)([fromValues("float32", [3], [1, 2, 3])])],
    [
      "Expand",
      () => kernel("Expand", 13)([fromValues("float32", [2], [1, 2]), fromValues("int64", [1], [3])]),
    ],
  ];
  for (const [op, f] of cases) {
    const e = thrown(f);
    assert(e instanceof Error && !(e instanceof UnsupportedError), `${op}: ${e}`);
    assert((e as Error).message.startsWith(op), (e as Error).message);
  }
});

Deno.test("Gemm keeps a transposed B only while the same B comes again", () => {
  const gemm = kernel("Gemm", 13, { transB: int(1) });
  const a = fromValues("float32", [1, 2], [1, 2]);
  const b1 = fromValues("float32", [3, 2], [1, 0, 0, 1, 1, 1]);
  const b2 = fromValues("float32", [3, 2], [2, 0, 0, 2, 2, 2]);
  assertEquals(Array.from(gemm([a, b1])[0].data as Float32Array), [1, 2, 3]);
  assertEquals(Array.from(gemm([a, b1])[0].data as Float32Array), [1, 2, 3]);
  assertEquals(Array.from(gemm([a, b2])[0].data as Float32Array), [2, 4, 6]);
  assertEquals(Array.from(gemm([a, b1])[0].data as Float32Array), [1, 2, 3]);
});
