// float32 MatMul and Gemm with their weights as initializers (how every converted model holds them) follow
// onnxruntime's summation order, so they must equal its outputs bit for bit, not just to the conformance
// test's 1e-5: cancellation (KMeans distances) and thresholds (labels) depend on the last bit. The "_mlas_"
// cases of tests/onnx_js/cases_linalg.py are built and run by onnxruntime, then by the JS engine.

import * as path from "node:path";
import { JsSession } from "../../src/serving/onnx-js/session.ts";
import { fromValues, type Tensor } from "../../src/serving/onnx-js/tensor.ts";
import { assert, assertEquals } from "./routes_harness.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

interface Encoded {
  type: "float32";
  dims: number[];
  data: number[];
}

async function buildCases(filter: string): Promise<string> {
  const setup = await new Deno.Command("bash", { args: [`${ROOT}scripts/setup-python.sh`], stdout: "piped" })
    .output();
  assert(setup.success, "scripts/setup-python.sh failed");
  const python = new TextDecoder().decode(setup.stdout).trim();
  const dir = await Deno.makeTempDir({ prefix: "onnx-js-mlas-" });
  const res = await new Deno.Command(python, {
    args: [`${ROOT}tests/onnx_js/make_corpus.py`, dir],
    env: { ONNX_JS_CASE: filter },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(res.success, new TextDecoder().decode(res.stderr));
  return dir;
}

Deno.test("float32 MatMul/Gemm over initializer weights equal onnxruntime's outputs bit for bit", async () => {
  const dir = await buildCases("_mlas_");
  try {
    const names: string[] = JSON.parse(await Deno.readTextFile(path.join(dir, "index.json")));
    assert(names.length >= 8, `only ${names.length} _mlas_ cases`);
    for (const name of names) {
      const c = JSON.parse(await Deno.readTextFile(path.join(dir, `${name}.json`)));
      const session = JsSession.create(await Deno.readFile(path.join(dir, `${name}.onnx`)));
      const feeds: Record<string, Tensor> = {};
      for (const [k, v] of Object.entries(c.feeds as Record<string, Encoded>)) {
        feeds[k] = fromValues(v.type, v.dims, v.data);
      }
      const out = session.run(feeds);
      for (const [k, want] of Object.entries(c.expected as Record<string, Encoded>)) {
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
