// Which engine an onnx model is served on: auto takes tracker's JS engine when it implements the whole
// model and ONNX Runtime's WebAssembly build otherwise (with the reason), decided by the first Worker; js
// and web are taken as asked.

import * as path from "node:path";
import { ModelLoadError } from "../../src/serving/pool.ts";
import { startScoringServer } from "../../src/serving/server.ts";
import { loadModel } from "../../src/serving/model.ts";
import { AUTO_DENSE_WEIGHT_LIMIT, AUTO_SCAN_STEP_LIMIT } from "../../src/serving/model-loader.ts";
import { type EngineSetting, engineSettingFromEnv } from "../../src/serving/ort-runtime.ts";
import { invocations } from "../../src/serving/invocations.ts";
import nodeAssert from "node:assert/strict";
import { assert, assertEquals } from "./routes_harness.ts";
import {
  convModel,
  linearModel,
  scanSumModel,
  TENSOR_SIGNATURE,
  writeOnnxModel,
  zipmapClassifier,
} from "./serving_fixtures.ts";

const assertMatch = (s: string, re: RegExp) => nodeAssert.match(s, re);

const ENTRY = new URL("../../src/serving/entry.ts", import.meta.url).href;
const tmp = await Deno.makeTempDir({ prefix: "serving-engine-" });
const linear = await writeOnnxModel(path.join(tmp, "lin"), linearModel([1, 2], 0.5), TENSOR_SIGNATURE(2));
const classifier = await writeOnnxModel(path.join(tmp, "clf"), zipmapClassifier());
const conv = await writeOnnxModel(path.join(tmp, "conv"), convModel());

async function predict(dir: string, engine: EngineSetting, body: unknown) {
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

async function serve(dir: string, engine: EngineSetting) {
  const s = await startScoringServer({
    modelDir: dir,
    host: "127.0.0.1",
    port: 0,
    workers: 2,
    timeoutMs: 30_000,
    engine,
    entryUrl: ENTRY,
  });
  return s;
}

Deno.test("auto serves models the JS engine implements on it, and later Workers follow", async () => {
  for (const dir of [linear, classifier]) {
    const s = await serve(dir, "auto");
    try {
      await s.ready;
      assertEquals([s.engine, s.fallbackReason], ["js", undefined]);
      // The second Worker starts after the first is ready and loads with the decided engine.
      for (let i = 0; i < 50 && s.pool.readyWorkers < 2; i++) await new Promise((r) => setTimeout(r, 20));
      assertEquals(s.pool.readyWorkers, 2);
    } finally {
      await s.close();
    }
  }
});

Deno.test("auto falls back to ONNX Runtime, naming the missing op, and the model still serves", async () => {
  const s = await serve(conv, "auto");
  try {
    await s.ready;
    assertEquals(s.engine, "web");
    assertMatch(s.fallbackReason ?? "", /the JS engine does not implement ops Conv/);
    const r = await fetch(`http://127.0.0.1:${s.port}/invocations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ inputs: [[[1.5, 2, 3]], [[4, 5, 6]]] }),
    });
    assertEquals(await r.json(), { predictions: { Y: [[[21.5, 32]], [[54, 65]]] } });
  } finally {
    await s.close();
  }
  // In-thread loading falls back the same way.
  const m = await predict(conv, "auto", { inputs: [[[1.5, 1, 1]]] });
  assertEquals(m.json.predictions, { Y: [[[11.5, 11]]] });
});

Deno.test("auto leaves models with large dense layers to ONNX Runtime; js still takes them", async () => {
  const k = AUTO_DENSE_WEIGHT_LIMIT + 1;
  const dir = await writeOnnxModel(path.join(tmp, "dense"), linearModel(new Array(k).fill(0.5), 1));
  const auto = await serve(dir, "auto");
  try {
    await auto.ready;
    assertEquals(auto.engine, "web");
    assertMatch(auto.fallbackReason ?? "", new RegExp(`dense layers \\(${k} weights\\)`));
  } finally {
    await auto.close();
  }
  const js = await serve(dir, "js");
  try {
    await js.ready;
    assertEquals([js.engine, js.fallbackReason], ["js", undefined]);
  } finally {
    await js.close();
  }
});

Deno.test("auto leaves long Scans over constants (big KNN training sets) to ONNX Runtime", async () => {
  for (const rows of [AUTO_SCAN_STEP_LIMIT, AUTO_SCAN_STEP_LIMIT + 1]) {
    const dir = await writeOnnxModel(path.join(tmp, `scan-${rows}`), scanSumModel(rows));
    const s = await serve(dir, "auto");
    try {
      await s.ready;
      if (rows > AUTO_SCAN_STEP_LIMIT) {
        assertEquals(s.engine, "web");
        assertMatch(s.fallbackReason ?? "", new RegExp(`its Scan runs ${rows} steps a request`));
      } else {
        assertEquals([s.engine, s.fallbackReason], ["js", undefined]);
      }
      const r = await fetch(`http://127.0.0.1:${s.port}/invocations`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ inputs: [0.5, 1.5, -2.5] }),
      });
      assertEquals(await r.json(), { predictions: { Y: [rows + 0.5, rows + 1.5, rows - 2.5] } });
    } finally {
      await s.close();
    }
  }
});

Deno.test("a model file the JS engine cannot read goes to ONNX Runtime, whose loader reports it", async () => {
  const dir = await writeOnnxModel(path.join(tmp, "broken"), new TextEncoder().encode("not a model"));
  const s = await serve(dir, "auto");
  let err: unknown;
  try {
    await s.ready;
  } catch (e) {
    err = e;
  } finally {
    await s.close();
  }
  assert(err instanceof ModelLoadError, `expected a load error, got ${err}`);
  assertEquals(s.fallbackReason?.startsWith("the JS engine cannot load the model"), true);
});

Deno.test("js and web are taken as asked; js refuses at load what it does not implement", async () => {
  const web = await serve(linear, "web");
  try {
    await web.ready;
    assertEquals(web.engine, "web");
  } finally {
    await web.close();
  }
  const js = await serve(conv, "js");
  let err: unknown;
  try {
    await js.ready;
  } catch (e) {
    err = e;
  } finally {
    await js.close();
  }
  assert(err instanceof ModelLoadError, "serving Conv on the JS engine must fail");
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
