// Writes the Deno-built test models into a folder (for the bundle smoke test and the benchmark):
//   <out>/linear  ONNX y = x @ [1..k] + 0.5 with a tensor signature [-1, k]
//   <out>/js      a JS model doubling column x
import * as path from "node:path";
import { linearModel, TENSOR_SIGNATURE, writeJsModel, writeOnnxModel } from "../unit/serving_fixtures.ts";

const out = Deno.args[0];
const k = 10;
await writeOnnxModel(
  path.join(out, "linear"),
  linearModel(Array.from({ length: k }, (_, i) => i + 1), 0.5),
  TENSOR_SIGNATURE(k),
);
await writeJsModel(
  path.join(out, "js"),
  "export function predict(rows) { return rows.map((r) => r.x * 2); }",
);
