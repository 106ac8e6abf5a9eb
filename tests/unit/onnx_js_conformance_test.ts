// The JS ONNX engine against the Python onnxruntime: tests/onnx_js/make_corpus.py writes models (skl2onnx
// conversions and single-op graphs) with onnxruntime's outputs; every case the corpus marks `js` must load
// in the JS engine and give the same outputs, every other case must be refused at load (UnsupportedError),
// so that serving falls back to ONNX Runtime.

import { JsSession } from "../../src/serving/onnx-js/session.ts";
import type { Tensor } from "../../src/serving/onnx-js/tensor.ts";
import {
  assertRefused,
  buildCorpus,
  corpusNames,
  decodeFeeds,
  type Encoded,
  num,
  readCase,
} from "./onnx_js_harness.ts";
import { assert, assertEquals } from "./routes_harness.ts";

/** Float outputs agree to 1e-5 relative (or 1e-6 absolute near zero); everything else exactly. */
function close(a: number, b: number, type: string): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (type !== "float32" && type !== "float64") return a === b;
  return a === b || Math.abs(a - b) <= 1e-5 * Math.max(Math.abs(b), 0.1);
}

function compare(name: string, got: Tensor, want: Encoded): string | undefined {
  if (want.type === "maps") {
    // ZipMap: the engine passes the probability tensor through; the maps are its rows.
    const labels = Object.keys((want.data[0] ?? {}) as Record<string, number>);
    const flat = want.data.flatMap((m) => labels.map((l) => (m as Record<string, number>)[l]));
    return compare(name, got, { type: "float32", dims: [want.data.length, labels.length], data: flat });
  }
  if (got.type !== want.type) return `${name}: type ${got.type}, onnxruntime ${want.type}`;
  if (got.dims.join(",") !== want.dims.join(",")) {
    return `${name}: shape [${got.dims}], onnxruntime [${want.dims}]`;
  }
  const data = got.data as ArrayLike<unknown>;
  for (let i = 0; i < want.data.length; i++) {
    const ok = want.type === "string"
      ? data[i] === want.data[i]
      : close(Number(data[i]), num(want.data[i]), want.type);
    if (!ok) return `${name}[${i}]: ${data[i]}, onnxruntime ${want.data[i]}`;
  }
  return undefined;
}

Deno.test("JS ONNX engine matches onnxruntime on the conformance corpus", async (t) => {
  const dir = await buildCorpus("onnx-js-corpus-");
  try {
    const names = await corpusNames(dir);
    assert(names.length > 0, "empty corpus");
    const only = Deno.env.get("ONNX_JS_CASE");
    for (const name of names) {
      if (only && !name.includes(only)) continue;
      await t.step(name, async () => {
        const { c, bytes } = await readCase(dir, name);
        if (!c.js) {
          assertRefused(() => JsSession.create(bytes), "", name);
          return;
        }
        const out = JsSession.create(bytes).run(decodeFeeds(c.feeds));
        assertEquals(Object.keys(out).sort(), Object.keys(c.expected).sort());
        const problems = Object.entries(c.expected).map(([k, want]) => compare(k, out[k], want)).filter(
          Boolean,
        );
        assertEquals(problems, []);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
