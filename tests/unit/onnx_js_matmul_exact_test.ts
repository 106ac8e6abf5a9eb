// float32 MatMul and Gemm with their weights as initializers (how every converted model holds them) follow
// onnxruntime's summation order, so they must equal its outputs bit for bit, not just to the conformance
// test's 1e-5: cancellation (KMeans distances) and thresholds (labels) depend on the last bit. The "_mlas_"
// cases of tests/onnx_js/cases_linalg.py are built and run by onnxruntime, then by the JS engine.

import { JsSession } from "../../src/serving/onnx-js/session.ts";
import { buildCorpus, corpusNames, decodeFeeds, readCase } from "./onnx_js_harness.ts";
import { assert, assertEquals } from "./routes_harness.ts";

Deno.test("float32 MatMul/Gemm over initializer weights equal onnxruntime's outputs bit for bit", async () => {
  const dir = await buildCorpus("onnx-js-mlas-", "_mlas_");
  try {
    const names = await corpusNames(dir);
    assert(names.length >= 8, `only ${names.length} _mlas_ cases`);
    for (const name of names) {
      const { c, bytes } = await readCase(dir, name);
      const out = JsSession.create(bytes).run(decodeFeeds(c.feeds));
      for (const [k, want] of Object.entries(c.expected)) {
        assertEquals(want.type, "float32", `${name}: ${k}`);
        const got = Array.from(out[k].data as Float32Array);
        const differ = got.filter((v, i) => v !== want.data[i]).length;
        assertEquals(differ, 0, `${name}: ${differ} of ${got.length} values of ${k} differ from onnxruntime`);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
