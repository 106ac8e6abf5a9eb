// The scoring server over HTTP with its Worker pool: readiness, a slow request does not block others and
// times out with 504, a crashing Worker is replaced and its request gets 500, refused models fail at start,
// close() drains the requests in flight.

import nodeAssert from "node:assert/strict";
import * as path from "node:path";
import { ModelRefused } from "../../src/serving/mlmodel.ts";
import { ModelLoadError } from "../../src/serving/pool.ts";
import type { EngineSetting } from "../../src/serving/ort-runtime.ts";
import { type ScoringServer, startScoringServer } from "../../src/serving/server.ts";
import { prestartPredictWorker, takePrestartedWorker } from "../../src/serving/worker-source.ts";
import { linearModel, TENSOR_SIGNATURE, writeJsModel, writeOnnxModel } from "./serving_fixtures.ts";

const ENTRY = new URL("../../src/serving/entry.ts", import.meta.url).href;
const tmp = await Deno.makeTempDir({ prefix: "serving-pool-" });

// A JS model whose behaviour the request picks: echo, sleep, hang, or crash its Worker.
const CONTROL_MODEL = `
export async function predict(input) {
  const op = input[0].op;
  if (op === "sleep") await new Promise((r) => setTimeout(r, input[0].ms));
  if (op === "hang") { const end = Date.now() + 60000; while (Date.now() < end) {} }
  if (op === "crash") { setTimeout(() => { throw new Error("worker blew up"); }, 0); await new Promise(() => {}); }
  if (op === "throw") throw new Error("model error");
  return { op, pid: globalThis.name };
}`;

async function withServer(
  dir: string,
  opts: { workers?: number; timeoutMs?: number; engine?: EngineSetting },
  fn: (s: ScoringServer, url: string) => Promise<void>,
) {
  const s = await startScoringServer({
    modelDir: dir,
    host: "127.0.0.1",
    port: 0,
    workers: opts.workers ?? 2,
    timeoutMs: opts.timeoutMs ?? 30_000,
    engine: opts.engine ?? "web",
    entryUrl: ENTRY,
    maxBodyBytes: 1024 * 1024,
  });
  try {
    await s.ready;
    await fn(s, `http://127.0.0.1:${s.port}`);
  } finally {
    await s.close();
  }
}

function invoke(url: string, body: unknown, ctype = "application/json") {
  return fetch(url + "/invocations", {
    method: "POST",
    headers: { "content-type": ctype },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

const op = (name: string, extra: Record<string, unknown> = {}) => ({
  dataframe_records: [{ op: name, ...extra }],
});

Deno.test("ONNX model over HTTP: ping, version, predictions, 413, 404, metrics", async () => {
  const dir = await writeOnnxModel(path.join(tmp, "lin"), linearModel([1, 2], 0.5), TENSOR_SIGNATURE(2));
  await withServer(dir, {}, async (s, url) => {
    for (const route of ["/ping", "/health"]) {
      const r = await fetch(url + route);
      nodeAssert.deepEqual([r.status, await r.text()], [200, "\n"]);
    }
    nodeAssert.equal(await (await fetch(url + "/version")).text(), "3.18.0");
    const r = await invoke(url, { inputs: [[1, 1], [2, 3]] });
    nodeAssert.equal(r.status, 200);
    nodeAssert.deepEqual(await r.json(), { predictions: { variable: [[3.5], [8.5]] } });
    const big = await invoke(url, { inputs: new Array(200_000).fill([1.5, 2.5]) });
    nodeAssert.equal(big.status, 413);
    nodeAssert.equal((await big.json()).error_code, "BAD_REQUEST");
    const missing = await fetch(url + "/nope");
    nodeAssert.equal(missing.status, 404);
    await missing.body?.cancel();
    // The pool answers once one Worker has the model; the second may still be loading.
    for (let i = 0; i < 400 && s.pool.readyWorkers < 2; i++) await new Promise((r) => setTimeout(r, 25));
    const metrics = await (await fetch(url + "/metrics")).text();
    nodeAssert.match(metrics, /tracker_serving_requests_total\{status="200"\} 1/);
    nodeAssert.match(metrics, /tracker_serving_requests_total\{status="413"\} 1/);
    nodeAssert.match(metrics, /tracker_serving_batch_rows_bucket\{le="2"\} 1/);
    nodeAssert.match(metrics, /tracker_serving_workers_ready 2/);
  });
});

Deno.test("a slow request does not block others; past the timeout it gets 504 and its Worker is replaced", async () => {
  const dir = await writeJsModel(path.join(tmp, "ctl-timeout"), CONTROL_MODEL);
  await withServer(dir, { workers: 2, timeoutMs: 1500 }, async (s, url) => {
    const hung = invoke(url, op("hang"));
    // The other Worker keeps answering while one is stuck.
    for (let i = 0; i < 5; i++) {
      const r = await invoke(url, op("echo"));
      nodeAssert.equal(r.status, 200);
      nodeAssert.deepEqual((await r.json()).predictions.op, "echo");
    }
    const r = await hung;
    nodeAssert.equal(r.status, 504);
    nodeAssert.equal(await r.text(), "Request processing time exceeded limit");
    nodeAssert.equal(s.pool.restarts, 1);
    // The replacement loads and serves.
    for (let i = 0; i < 4; i++) {
      nodeAssert.equal((await invoke(url, op("echo")).then((x) => x.json())).predictions.op, "echo");
    }
  });
});

Deno.test("a crashing Worker answers 500 with a clear message and is replaced", async () => {
  const dir = await writeJsModel(path.join(tmp, "ctl-crash"), CONTROL_MODEL);
  await withServer(dir, { workers: 1 }, async (s, url) => {
    const r = await invoke(url, op("crash"));
    nodeAssert.equal(r.status, 500);
    const body = await r.json();
    nodeAssert.equal(body.error_code, "INTERNAL_ERROR");
    nodeAssert.match(body.message, /crashed.*worker blew up.*replaced/s);
    nodeAssert.equal(s.pool.restarts, 1);
    const after = await invoke(url, op("echo"));
    nodeAssert.equal(after.status, 200);
    await after.body?.cancel();
    // An exception inside predict is the model's error, not a crash: 400 like MLflow.
    const thrown = await invoke(url, op("throw"));
    nodeAssert.deepEqual([thrown.status, (await thrown.json()).error_code], [400, "BAD_REQUEST"]);
  });
});

Deno.test("close() drains requests in flight before ending the Workers", async () => {
  const dir = await writeJsModel(path.join(tmp, "ctl-drain"), CONTROL_MODEL);
  const s = await startScoringServer({
    modelDir: dir,
    host: "127.0.0.1",
    port: 0,
    workers: 1,
    timeoutMs: 30_000,
    engine: "web",
    entryUrl: ENTRY,
  });
  await s.ready;
  const url = `http://127.0.0.1:${s.port}`;
  const slow = [invoke(url, op("sleep", { ms: 300 })), invoke(url, op("sleep", { ms: 300 }))];
  await new Promise((r) => setTimeout(r, 50));
  const closed = s.close();
  const answers = await Promise.all(slow);
  nodeAssert.deepEqual(answers.map((a) => a.status), [200, 200]);
  await Promise.all(answers.map((a) => a.body?.cancel()));
  await closed;
  nodeAssert.equal(s.pool.size, 0);
});

Deno.test("models that cannot be served fail at start", async () => {
  const pickle = path.join(tmp, "pickle");
  await Deno.mkdir(pickle, { recursive: true });
  await Deno.writeTextFile(
    path.join(pickle, "MLmodel"),
    "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n    model_path: model.pkl\n  sklearn: {}\n",
  );
  await nodeAssert.rejects(
    startScoringServer({
      modelDir: pickle,
      host: "127.0.0.1",
      port: 0,
      workers: 1,
      timeoutMs: 1000,
      engine: "web",
      entryUrl: ENTRY,
    }),
    (e: unknown) => e instanceof ModelRefused && /mlflow\.onnx\.log_model/.test((e as Error).message),
  );
  const broken = await writeJsModel(path.join(tmp, "broken"), "export const predict = 1;");
  const s = await startScoringServer({
    modelDir: broken,
    host: "127.0.0.1",
    port: 0,
    workers: 2,
    timeoutMs: 1000,
    engine: "web",
    entryUrl: ENTRY,
  });
  await nodeAssert.rejects(
    s.ready,
    (e: unknown) => e instanceof ModelLoadError && /predict/.test((e as Error).message),
  );
  await s.close();
});

Deno.test("a model that never finishes loading fails the start after the load timeout", async () => {
  const stuck = await writeJsModel(
    path.join(tmp, "stuck"),
    "await new Promise(() => {});\nexport function predict(rows) { return rows; }",
  );
  const s = await startScoringServer({
    modelDir: stuck,
    host: "127.0.0.1",
    port: 0,
    workers: 2,
    timeoutMs: 1000,
    loadTimeoutMs: 500,
    engine: "web",
    entryUrl: ENTRY,
  });
  await nodeAssert.rejects(
    s.ready,
    (e: unknown) => e instanceof ModelLoadError && /did not load within 0\.5 s/.test((e as Error).message),
  );
  // Not ready, so /ping says so (404, as while loading); no Worker is left running.
  const ping = await fetch(`http://127.0.0.1:${s.port}/ping`);
  await ping.body?.cancel();
  nodeAssert.equal(ping.status, 404);
  nodeAssert.equal(s.pool.size, 0);
  await s.close();
});

Deno.test("a prestarted Worker becomes the pool's first; auto serves the ONNX model on the JS engine", async () => {
  const dir = await writeOnnxModel(path.join(tmp, "prestart"), linearModel([1, 2], 0.5), TENSOR_SIGNATURE(2));
  prestartPredictWorker();
  await withServer(dir, { workers: 1, engine: "auto" }, async (s, url) => {
    nodeAssert.deepEqual([s.engine, s.pool.size, takePrestartedWorker()], ["js", 1, undefined]);
    const r = await invoke(url, { inputs: [[1, 1]] });
    nodeAssert.deepEqual(await r.json(), { predictions: { variable: [[3.5]] } });
  });
});
