// float32 MatMul and Gemm with their weights as initializers (how every converted model holds them) follow
// onnxruntime's summation order, so they must equal its outputs bit for bit, not just to the conformance
// test's 1e-5: cancellation (KMeans distances) and thresholds (labels) depend on the last bit. The "_mlas_"
// cases of tests/onnx_js/cases_linalg.py are built and run by onnxruntime, then by the JS engine.

import { assertCorpusBitExact } from "./onnx_js_harness.ts";

Deno.test("float32 MatMul/Gemm over initializer weights equal onnxruntime's outputs bit for bit", async () => {
  await assertCorpusBitExact("onnx-js-mlas-", "_mlas_", 8);
});
