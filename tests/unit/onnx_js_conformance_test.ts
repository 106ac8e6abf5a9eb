// The JS ONNX engine against the Python onnxruntime: tests/onnx_js/make_corpus.py writes models (skl2onnx
// conversions and single-op graphs) with onnxruntime's outputs; every case the corpus marks `js` must load
// in the JS engine and give the same outputs, every other case must be refused at load (UnsupportedError),
// so that serving falls back to ONNX Runtime.

import * as path from "node:path";
import { JsSession } from "../../src/serving/onnx-js/session.ts";
import {
  type ElemType,
  fromValues,
  type Tensor,
  UnsupportedError,
} from "../../src/serving/onnx-js/tensor.ts";
import { assert, assertEquals } from "./routes_harness.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

interface Encoded {
  type: ElemType | "maps";
  dims: number[];
  data: unknown[];
}

interface Case {
  name: string;
  js: boolean;
  feeds: Record<string, Encoded>;
  expected: Record<string, Encoded>;
}

function num(v: unknown): number {
  return v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : Number(v);
}

function decode(e: Encoded): Tensor {
  if (e.type === "maps") throw new Error("maps are outputs only");
  if (e.type === "string") return fromValues("string", e.dims, e.data.map(String));
  return fromValues(e.type, e.dims, e.data.map(num));
}

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

async function corpus(): Promise<string> {
  const setup = await new Deno.Command("bash", { args: [`${ROOT}scripts/setup-python.sh`], stdout: "piped" })
    .output();
  assert(setup.success, "scripts/setup-python.sh failed");
  const python = new TextDecoder().decode(setup.stdout).trim();
  const dir = await Deno.makeTempDir({ prefix: "onnx-js-corpus-" });
  const res = await new Deno.Command(python, {
    args: [`${ROOT}tests/onnx_js/make_corpus.py`, dir],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(res.success, new TextDecoder().decode(res.stderr));
  return dir;
}

Deno.test("JS ONNX engine matches onnxruntime on the conformance corpus", async (t) => {
  const dir = await corpus();
  try {
    const names: string[] = JSON.parse(await Deno.readTextFile(path.join(dir, "index.json")));
    assert(names.length > 0, "empty corpus");
    const only = Deno.env.get("ONNX_JS_CASE");
    for (const name of names) {
      if (only && !name.includes(only)) continue;
      await t.step(name, async () => {
        const c: Case = JSON.parse(await Deno.readTextFile(path.join(dir, `${name}.json`)));
        const bytes = await Deno.readFile(path.join(dir, `${name}.onnx`));
        if (!c.js) {
          let refused: unknown;
          try {
            JsSession.create(bytes);
          } catch (e) {
            refused = e;
          }
          assert(
            refused instanceof UnsupportedError,
            `${name} should be refused with UnsupportedError, got ${refused}`,
          );
          return;
        }
        const session = JsSession.create(bytes);
        const feeds = Object.fromEntries(Object.entries(c.feeds).map(([k, v]) => [k, decode(v)]));
        const out = session.run(feeds);
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
