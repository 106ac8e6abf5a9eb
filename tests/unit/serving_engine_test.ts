// Which engine an onnx model is served on: auto takes tracker's JS engine when it implements the whole
// model and ONNX Runtime's WebAssembly build otherwise (with the reason); js and web are taken as asked.

import * as path from "node:path";
import { chooseEngine } from "../../src/serving/engine-choice.ts";
import { loadModel } from "../../src/serving/model.ts";
import { type EngineKind, engineSettingFromEnv } from "../../src/serving/ort-runtime.ts";
import { invocations } from "../../src/serving/invocations.ts";
import nodeAssert from "node:assert/strict";
import { assert, assertEquals } from "./routes_harness.ts";
import {
  convModel,
  linearModel,
  TENSOR_SIGNATURE,
  writeOnnxModel,
  zipmapClassifier,
} from "./serving_fixtures.ts";

const assertMatch = (s: string, re: RegExp) => nodeAssert.match(s, re);

const tmp = await Deno.makeTempDir({ prefix: "serving-engine-" });
const linear = await writeOnnxModel(path.join(tmp, "lin"), linearModel([1, 2], 0.5), TENSOR_SIGNATURE(2));
const classifier = await writeOnnxModel(path.join(tmp, "clf"), zipmapClassifier());
const conv = await writeOnnxModel(path.join(tmp, "conv"), convModel());

async function predict(dir: string, engine: EngineKind, body: unknown) {
  const model = await loadModel(dir, { engine });
  const r = await invocations(new TextEncoder().encode(JSON.stringify(body)), "application/json", model);
  return { status: r.status, json: JSON.parse(r.body) };
}

Deno.test("TRACKER_ONNX_RUNTIME: auto by default; js, web/wasm, node/native; anything else refused", () => {
  assertEquals(engineSettingFromEnv(undefined), "auto");
  assertEquals(engineSettingFromEnv(" AUTO "), "auto");
  assertEquals(engineSettingFromEnv("js"), "js");
  assertEquals(engineSettingFromEnv("wasm"), "web");
  assertEquals(engineSettingFromEnv("native"), "node");
  let err: unknown;
  try {
    engineSettingFromEnv("gpu");
  } catch (e) {
    err = e;
  }
  assertMatch(String(err), /must be 'auto', 'js', 'web' or 'node', got 'gpu'/);
});

Deno.test("auto picks the JS engine for models it implements", async () => {
  assertEquals(await chooseEngine("auto", linear, "model.onnx"), { engine: "js" });
  assertEquals(await chooseEngine("auto", classifier, "model.onnx"), { engine: "js" });
});

Deno.test("auto falls back to ONNX Runtime, naming the missing op, and the model still serves", async () => {
  const c = await chooseEngine("auto", conv, "model.onnx");
  assertEquals(c.engine, "web");
  assertMatch(c.fallbackReason ?? "", /does not implement ops Conv/);
  const r = await predict(conv, c.engine, { inputs: [[[1.5, 2, 3]], [[4, 5, 6]]] });
  assertEquals(r.status, 200, JSON.stringify(r.json));
  assertEquals(r.json.predictions, { Y: [[[21.5, 32]], [[54, 65]]] });
});

Deno.test("an unreadable model file goes to ONNX Runtime, whose loader reports it", async () => {
  const dir = await writeOnnxModel(path.join(tmp, "broken"), new TextEncoder().encode("not a model"));
  const c = await chooseEngine("auto", dir, "model.onnx");
  assertEquals(c.engine, "web");
  assertMatch(c.fallbackReason ?? "", /cannot read the model/);
  assertEquals(await chooseEngine("auto", path.join(tmp, "missing"), "model.onnx"), { engine: "web" });
});

Deno.test("js and web are taken as asked; js refuses at load what it does not implement", async () => {
  assertEquals(await chooseEngine("js", conv, "model.onnx"), { engine: "js" });
  assertEquals(await chooseEngine("web", linear, "model.onnx"), { engine: "web" });
  let err: unknown;
  try {
    await loadModel(conv, { engine: "js" });
  } catch (e) {
    err = e;
  }
  assert(err instanceof Error, "loading Conv on the JS engine must fail");
  assertMatch(err.message, /ops Conv/);
});

Deno.test("both engines give the same predictions for the same models", async () => {
  const rows = { inputs: [[1.5, -2], [0.25, 4]] };
  const js = await predict(linear, "js", rows);
  const web = await predict(linear, "web", rows);
  assertEquals(js, web);
  assertEquals(js.json.predictions, { variable: [[-2], [8.75]] });
  const clf = { inputs: [[3.5, 0.5], [-3.5, 0.5], [0, 0]] };
  const a = await predict(classifier, "js", clf);
  const b = await predict(classifier, "web", clf);
  assertEquals(a.json.predictions.label, b.json.predictions.label);
  a.json.predictions.output_probability.forEach((row: Record<string, number>, i: number) => {
    for (const [k, v] of Object.entries(row)) {
      assert(Math.abs(v - b.json.predictions.output_probability[i][k]) < 1e-6, `${k}: ${v}`);
    }
  });
});
