// How close the JS ONNX engine comes to the Python onnxruntime beyond the conformance test's tolerance: runs
// every case of the conformance corpus the engine must run (tests/onnx_js/make_corpus.py) and prints, per case
// family (the name up to its first "_"), the share of float outputs that are bitwise equal to onnxruntime's
// and the largest relative difference, then the cases with the largest differences.
//
//   deno run -A bench/onnx-js/bitwise.ts [--only <substring>] [--worst 10]

import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { JsSession } from "../../src/serving/onnx-js/session.ts";
import { type ElemType, fromValues, type Tensor } from "../../src/serving/onnx-js/tensor.ts";

const args = parseArgs({
  args: Deno.args,
  options: { only: { type: "string", default: "" }, worst: { type: "string", default: "10" } },
});
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dir = await Deno.makeTempDir({ prefix: "onnx-js-bitwise-" });

interface Encoded {
  type: ElemType | "maps";
  dims: number[];
  data: unknown[];
}

const num = (v: unknown) =>
  v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : Number(v);

/** Float values onnxruntime returned: a float tensor, or ZipMap's maps flattened row by row. */
function floatsOf(e: Encoded): number[] | undefined {
  if (e.type === "maps") {
    const labels = Object.keys((e.data[0] ?? {}) as Record<string, number>);
    return e.data.flatMap((m) => labels.map((l) => (m as Record<string, number>)[l]));
  }
  return e.type === "float32" || e.type === "float64" ? e.data.map(num) : undefined;
}

try {
  const made = await new Deno.Command(path.join(root, "tests/compat/.venv/bin/python"), {
    args: [path.join(root, "tests/onnx_js/make_corpus.py"), dir],
    stdout: "null",
    stderr: "null",
  }).output();
  if (!made.success) throw new Error("make_corpus.py failed");
  const names: string[] = JSON.parse(await Deno.readTextFile(path.join(dir, "index.json")));
  const families = new Map<string, { equal: number; total: number; worst: number }>();
  const worst: [number, string][] = [];
  for (const name of names) {
    if (!name.includes(args.values.only!)) continue;
    const c = JSON.parse(await Deno.readTextFile(path.join(dir, `${name}.json`)));
    if (!c.js) continue;
    const session = JsSession.create(await Deno.readFile(path.join(dir, `${name}.onnx`)));
    const feeds: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(c.feeds as Record<string, Encoded>)) {
      feeds[k] = fromValues(
        v.type as ElemType,
        v.dims,
        v.type === "string" ? v.data.map(String) : v.data.map(num),
      );
    }
    const out = session.run(feeds);
    const family = name.slice(0, name.indexOf("_") + 1 || name.length);
    const stats = families.get(family) ?? { equal: 0, total: 0, worst: 0 };
    let caseWorst = 0;
    for (const [k, want] of Object.entries(c.expected as Record<string, Encoded>)) {
      const values = floatsOf(want);
      if (!values) continue;
      const got = out[k].data as ArrayLike<number>;
      const round = want.type === "float64" ? (v: number) => v : Math.fround;
      for (let i = 0; i < values.length; i++) {
        const b = round(values[i]);
        stats.total++;
        if (got[i] === b || (Number.isNaN(got[i]) && Number.isNaN(b))) stats.equal++;
        else caseWorst = Math.max(caseWorst, Math.abs(got[i] - b) / Math.max(Math.abs(b), 1e-30));
      }
    }
    stats.worst = Math.max(stats.worst, caseWorst);
    families.set(family, stats);
    if (caseWorst > 0) worst.push([caseWorst, name]);
  }
  const rows = [["family", "bitwise equal", "of floats", "share", "max rel diff"]];
  for (const [family, s] of [...families].sort()) {
    const share = s.total ? ((100 * s.equal) / s.total).toFixed(2) + "%" : "-";
    rows.push([family, String(s.equal), String(s.total), share, s.worst ? s.worst.toExponential(1) : "0"]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) console.log(r.map((v, i) => v.padEnd(widths[i])).join("  "));
  console.log("\nlargest differences:");
  for (const [d, name] of worst.sort((a, b) => b[0] - a[0]).slice(0, Number(args.values.worst))) {
    console.log(`  ${name}  ${d.toExponential(2)}`);
  }
} finally {
  await Deno.remove(dir, { recursive: true });
}
