// Benchmark: the JS ONNX engine against the Python onnxruntime (one intra-op thread) on a MatMul
// [100,10]x[10,100], and skl2onnx conversions over 100 rows: MLPRegressor(100,) (also on 1 row),
// LogisticRegression and SVC(rbf) with and without probabilities (make_models.py lists them). Prints one
// table of median microseconds per run call (inputs already built) and the JS/onnxruntime ratio.
//
//   deno run -A bench/onnx-js/main.ts [--rounds 2000]

import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { JsSession } from "../../src/serving/onnx-js/session.ts";
import { fromValues, type Tensor } from "../../src/serving/onnx-js/tensor.ts";
import { quantile } from "../stats.ts";

const args = parseArgs({ args: Deno.args, options: { rounds: { type: "string", default: "2000" } } });
const ROUNDS = Number(args.values.rounds);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const work = await Deno.makeTempDir({ prefix: "onnx-js-bench-" });

interface Made {
  model: string;
  feeds: string;
  ort_us: number;
}

try {
  const res = await new Deno.Command(path.join(root, "tests/compat/.venv/bin/python"), {
    args: [path.join(root, "bench/onnx-js/make_models.py"), work, String(ROUNDS)],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (!res.success) throw new Error("make_models.py failed");
  const made: Record<string, Made> = JSON.parse(new TextDecoder().decode(res.stdout));
  const rows: string[][] = [["case", "js µs/run", "onnxruntime µs/run", "js / ort"]];
  for (const [name, m] of Object.entries(made)) {
    const session = JsSession.create(await Deno.readFile(m.model));
    const encoded: Record<string, { dims: number[]; data: number[] }> = JSON.parse(
      await Deno.readTextFile(m.feeds),
    );
    const feeds: Record<string, Tensor> = Object.fromEntries(
      Object.entries(encoded).map(([k, v]) => [k, fromValues("float32", v.dims, v.data)]),
    );
    for (let i = 0; i < ROUNDS / 10; i++) session.run(feeds);
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t = performance.now();
      session.run(feeds);
      times.push((performance.now() - t) * 1000);
    }
    const js = quantile(times.sort((a, b) => a - b), 0.5);
    rows.push([name, js.toFixed(1), m.ort_us.toFixed(1), (js / m.ort_us).toFixed(2)]);
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) console.log(r.map((v, c) => v.padEnd(widths[c])).join("  "));
} finally {
  await Deno.remove(work, { recursive: true });
}
