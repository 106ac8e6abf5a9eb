// Scan (ops/control.ts) and subgraphs beyond what the conformance corpus shows: the distances KNeighbors
// models compute in a Scan (with float32 ReduceSumSquare) equal onnxruntime's bit for bit, since TopK ranks
// neighbours on the last bit; runs that onnxruntime also fails fail with an Error (not a refusal); what the
// engine does not implement is refused at load.

import { CORE_CONTROL_OPS } from "../../src/serving/onnx-js/ops/control.ts";
import { JsSession } from "../../src/serving/onnx-js/session.ts";
import { fromValues, UnsupportedError } from "../../src/serving/onnx-js/tensor.ts";
import {
  assertCorpusBitExact,
  assertRefused,
  assertRuntimeError,
  buildCorpus,
  kernelOf,
  readCase,
  thrown,
} from "./onnx_js_harness.ts";
import { assert, assertEquals } from "./routes_harness.ts";

Deno.test("Scan distances and float32 ReduceSumSquare equal onnxruntime's outputs bit for bit", async () => {
  await assertCorpusBitExact("onnx-js-f32steps-", "_f32steps_", 8);
});

Deno.test("Scan: runs onnxruntime fails fail with an Error; refusals at load", async () => {
  const dir = await buildCorpus("onnx-js-scan-", "ct_scan_");
  try {
    const load = async (name: string) => JsSession.create((await readCase(dir, name)).bytes);
    const f = (dims: number[]) =>
      fromValues("float32", dims, new Array(dims.reduce((a, b) => a * b, 1)).fill(1));
    const running = await load("ct_scan_state_and_output_16");
    const ok = running.run({ s0: f([3]), x: f([4, 3]) });
    assertEquals(ok.ys.dims, [4, 3]);
    // onnxruntime: "Invalid dim0_offset of 0. Dimension 0 is 0".
    assertRuntimeError(() => running.run({ s0: f([3]), x: f([0, 3]) }), "0 iterations");
    assertRuntimeError(() => running.run({ s0: f([2]), x: f([4, 3]) }), "Add node");
    const two = await load("ct_scan_two_inputs");
    const c0 = fromValues("int64", [], [0]);
    assertRuntimeError(() => two.run({ s0: f([4]), c0, a: f([7, 4]), b: f([4, 6]) }), "7 and 6 iterations");
    // The body's missing op is named with the model's other missing ops.
    const { bytes } = await readCase(dir, "ct_scan_body_op_refused");
    assertRefused(() => JsSession.create(bytes), "ops Einsum");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Scan refuses opset 8 and attributes it does not read; its kernel needs the session's scope", () => {
  assert(thrown(() => kernelOf(CORE_CONTROL_OPS, "Scan", 8)) instanceof UnsupportedError);
  const junk = {
    num_scan_inputs: { kind: "int" as const, value: 1 },
    batch_axis: { kind: "int" as const, value: 0 },
  };
  assertRefused(() => kernelOf(CORE_CONTROL_OPS, "Scan", 17, junk), "batch_axis");
  // kernelOf builds no subgraph: a Scan needs the session to build its body.
  const e = thrown(() => kernelOf(CORE_CONTROL_OPS, "Scan", 17, { num_scan_inputs: junk.num_scan_inputs }));
  assert(e instanceof Error && e.message.includes("subgraph"), String(e));
});
