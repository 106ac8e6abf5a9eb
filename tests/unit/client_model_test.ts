// logModel: the folders it writes load where they must — a JS predict module through tracker's serving
// loader (src/serving), an ONNX model through tracker's serving loader and through the real mlflow
// (mlflow.pyfunc / mlflow.onnx on runs:/ and models:/ URIs against a tracker server). Against a server with
// logged models the model is an MLflow 3 logged model of the run; `layout: "mlflow2"` (what a server without
// them gets) puts the folder into the run's artifacts.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import * as tracker from "../../src/client/mod.ts";
import { resetFluentState } from "../../src/client/fluent.ts";
import { resolveModelUri } from "../../src/serving/resolve-uri.ts";
import { envOf, ROOT, runDeno, startProxy, startTracker, withFluentTracker } from "./client_harness.ts";

// ---- A tiny ONNX model, y = x·W + b with x: float[N, 2], hand-encoded as protobuf ----

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) {
    out.push((n & 127) | 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const field = (no: number, wire: number) => varint(no * 8 + wire);
const int = (no: number, v: number) => [...field(no, 0), ...varint(v)];
const bytes = (no: number, b: number[]) => [...field(no, 2), ...varint(b.length), ...b];
const str = (no: number, s: string) => bytes(no, [...new TextEncoder().encode(s)]);
const floats = (no: number, v: number[]) => bytes(no, [...new Uint8Array(new Float32Array(v).buffer)]);

function tensorType(dims: (number | string)[]): number[] {
  const shape = dims.flatMap((d) => bytes(1, typeof d === "number" ? int(1, d) : str(2, d)));
  return bytes(1, [...int(1, 1), ...bytes(2, shape)]); // TypeProto.tensor_type: FLOAT, shape
}

/** W = [[2], [3]], b = [1]: y = 2·x0 + 3·x1 + 1. */
export function linearOnnx(): Uint8Array {
  const valueInfo = (
    name: string,
    dims: (number | string)[],
  ) => [...str(1, name), ...bytes(2, tensorType(dims))];
  const tensor = (name: string, dims: number[], data: number[]) => [
    ...dims.flatMap((d) => int(1, d)),
    ...int(2, 1),
    ...floats(4, data),
    ...str(8, name),
  ];
  const node = (inputs: string[], output: string, op: string) => [
    ...inputs.flatMap((i) => str(1, i)),
    ...str(2, output),
    ...str(4, op),
  ];
  const graph = [
    ...bytes(1, node(["x", "W"], "xw", "MatMul")),
    ...bytes(1, node(["xw", "b"], "y", "Add")),
    ...str(2, "linear"),
    ...bytes(5, tensor("W", [2, 1], [2, 3])),
    ...bytes(5, tensor("b", [1], [1])),
    ...bytes(11, valueInfo("x", ["N", 2])),
    ...bytes(12, valueInfo("y", ["N", 1])),
  ];
  return new Uint8Array([
    ...int(1, 8),
    ...str(2, "tracker-test"),
    ...bytes(7, graph),
    ...bytes(8, [...str(1, ""), ...int(2, 17)]),
  ]);
}

const VENV_PYTHON = join(ROOT, "tests/compat/.venv/bin/python");

/**
 * Loads `dir` with tracker's serving loader (src/serving/model.ts) in a subprocess — it needs Deno's
 * --unstable-raw-imports for ONNX Runtime's embedded WebAssembly — and predicts `input` (a serving input).
 */
async function serve(dir: string, input: unknown): Promise<{ flavor: string; p: Record<string, unknown> }> {
  const script = join(await Deno.makeTempDir({ prefix: "tracker-serve-" }), "serve.ts");
  await Deno.writeTextFile(
    script,
    `import { loadModel } from ${JSON.stringify(join(ROOT, "src/serving/model.ts"))};
const m = await loadModel(${JSON.stringify(dir)}, { engine: "web" });
const p = await m.predict(${JSON.stringify(input)}, undefined);
const plain = (_k: string, v: unknown) =>
  v instanceof Map ? Object.fromEntries(v) : ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v;
console.log(JSON.stringify({ flavor: m.flavor, p }, plain));
`,
  );
  const out = await runDeno([script]);
  assert.equal(out.code, 0, out.stderr);
  return JSON.parse(out.stdout.trim().split("\n").at(-1)!);
}

Deno.test("logModel (js, mlflow2 layout): run artifacts + log-model history; tracker's serving loader runs it", async () => {
  const server = await startTracker();
  const tmp = await Deno.makeTempDir({ prefix: "tracker-model-" });
  try {
    await Deno.writeTextFile(join(tmp, "weights.json"), JSON.stringify({ scale: 10 }));
    await Deno.writeTextFile(
      join(tmp, "predict.mjs"),
      `import { readFileSync } from "node:fs";
const { scale } = JSON.parse(readFileSync(new URL("./weights.json", import.meta.url), "utf8"));
export function score(rows) { return rows.map((r) => r.a * scale + r.b); }
`,
    );
    await resetFluentState(envOf());
    await tracker.setTrackingUri(server.url);
    const signature = {
      inputs: [{ type: "double", name: "a", required: true }, { type: "double", name: "b", required: true }],
    };
    const { runId, info } = await tracker.withRun(async (run) => ({
      runId: run.runId,
      info: await run.logModel({
        artifactPath: "js-model",
        js: { module: join(tmp, "predict.mjs"), predictFn: "score", files: [join(tmp, "weights.json")] },
        signature,
        layout: "mlflow2",
      }),
    }));
    assert.equal(info.modelUri, `runs:/${runId}/js-model`);
    assert.equal(info.modelId, undefined);
    const client = await tracker.getClient();
    assert.deepEqual((await client.listRunArtifacts(runId, "js-model")).map((f) => f.path), [
      "js-model/MLmodel",
      "js-model/predict.mjs",
      "js-model/weights.json",
    ]);
    const dir = await client.downloadArtifacts(runId, "js-model", join(tmp, "dl"));
    const mlmodel = parse(await Deno.readTextFile(join(dir, "MLmodel")));
    assert.deepEqual(mlmodel.flavors, { js: { data: "predict.mjs", predict_fn: "score" } });
    assert.equal(mlmodel.run_id, runId);
    assert.equal(mlmodel.artifact_path, "js-model");
    assert.match(mlmodel.utc_time_created, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
    assert.deepEqual(JSON.parse(mlmodel.signature.inputs), signature.inputs);
    const history = JSON.parse(
      (await client.getRun(runId)).data.tags.find((t) => t.key === "mlflow.log-model.history")!.value,
    );
    assert.equal(history[0].artifact_path, "js-model");

    const served = await serve(dir, { kind: "scalar", value: [{ a: 1, b: 2 }, { a: 3, b: 4 }] });
    assert.deepEqual(served, { flavor: "js", p: { kind: "value", value: [12, 34] } });
  } finally {
    await resetFluentState();
    await server.stop();
  }
});

Deno.test("logModel (js) from source text: written as model.mjs with predict_fn predict", async () => {
  await withFluentTracker(async (server) => {
    const runId = await tracker.withRun(async (run) => {
      await run.logModel({ js: { module: { source: "export const predict = (x) => x.length;" } } });
      return run.runId;
    });
    // What `tracker models serve -m runs:/<run>/model` does: the run's logged model named "model".
    const { dir } = await resolveModelUri(`runs:/${runId}/model`, { trackingUri: server.url });
    assert.deepEqual(parse(await Deno.readTextFile(join(dir, "MLmodel"))).flavors.js, {
      data: "model.mjs",
      predict_fn: "predict",
    });
    assert.deepEqual((await serve(dir, { kind: "scalar", value: [1, 2, 3] })).p, { kind: "value", value: 3 });
    await assert.rejects(
      tracker.withRun((run) => run.logModel({ js: { module: { source: "" }, predictFn: "not a name" } })),
      /not a function name/,
    );
  });
});

Deno.test("logModel (mlflow 3): a READY logged model of the run, linked as output, files at its location", async () => {
  await withFluentTracker(async (server) => {
    const { runId, info } = await tracker.withRun(async (run) => {
      await run.logParams({ lr: 0.1 });
      return {
        runId: run.runId,
        info: await run.logModel({
          artifactPath: "net",
          js: { module: { source: "export const predict = (rows) => rows.length;" } },
          tags: { stage: "dev" },
          step: 3,
        }),
      };
    });
    const client = await tracker.getClient();
    assert.ok(info.modelId?.startsWith("m-"));
    assert.equal(info.modelUri, `models:/${info.modelId}`);
    assert.equal(info.runUri, `runs:/${runId}/net`);
    const lm = await client.getLoggedModel(info.modelId!);
    assert.equal(lm.info.status, "LOGGED_MODEL_READY");
    assert.equal(lm.info.name, "net");
    assert.equal(lm.info.sourceRunId, runId);
    assert.equal(lm.info.artifactUri, info.artifactUri);
    assert.deepEqual(lm.data.params, [{ key: "lr", value: "0.1" }]);
    const tags = Object.fromEntries(lm.info.tags.map((t) => [t.key, t.value]));
    assert.equal(tags.stage, "dev");
    assert.equal(tags["mlflow.source.type"], "LOCAL");
    const run = await client.getRun(runId);
    assert.deepEqual(run.outputs.modelOutputs, [{ modelId: info.modelId, step: 3 }]);
    // As mlflow 3 does: nothing in the run's own artifacts, no log-model history tag.
    assert.deepEqual(await client.listRunArtifacts(runId), []);
    assert.equal(run.data.tags.find((t) => t.key === "mlflow.log-model.history"), undefined);

    for (const uri of [info.runUri, info.modelUri]) {
      const resolved = await resolveModelUri(uri, { trackingUri: server.url });
      try {
        const mlmodel = parse(await Deno.readTextFile(join(resolved.dir, "MLmodel")));
        assert.equal(mlmodel.model_id, info.modelId);
        assert.equal(mlmodel.model_uuid, info.modelId);
        assert.equal(mlmodel.artifact_path, info.artifactUri);
        assert.equal(mlmodel.run_id, runId);
        assert.deepEqual((await serve(resolved.dir, { kind: "scalar", value: [1, 2] })).p, {
          kind: "value",
          value: 2,
        });
      } finally {
        if (resolved.tempDir) await Deno.remove(resolved.tempDir, { recursive: true });
      }
    }
  });
});

Deno.test("logModel against a server without logged models (MLflow 2: 404) writes the run-artifacts layout", async () => {
  const server = await startTracker();
  // An MLflow 2.x server answers the 3.x endpoints with Flask's HTML 404.
  const proxy = await startProxy(
    server.url,
    (req) =>
      new URL(req.url).pathname.includes("/logged-models")
        ? new Response("<!doctype html><title>404 Not Found</title>", { status: 404 })
        : undefined,
  );
  try {
    await resetFluentState(envOf());
    await tracker.setTrackingUri(proxy.url);
    const { runId, info } = await tracker.withRun(async (run) => ({
      runId: run.runId,
      info: await run.logModel({ js: { module: { source: "export const predict = () => 1;" } } }),
    }));
    assert.equal(info.modelId, undefined);
    assert.equal(info.modelUri, `runs:/${runId}/model`);
    const client = await tracker.getClient();
    assert.deepEqual((await client.listRunArtifacts(runId, "model")).map((f) => f.path), [
      "model/MLmodel",
      "model/model.mjs",
    ]);
    assert.ok((await client.getRun(runId)).data.tags.some((t) => t.key === "mlflow.log-model.history"));
    assert.ok(proxy.seen.some((r) => r.path.endsWith("/logged-models")));
  } finally {
    await resetFluentState();
    await proxy.close();
    await server.stop();
  }
});

Deno.test("logModel (onnx): MLflow's onnx flavor layout; tracker's serving loader predicts with it", async () => {
  await withFluentTracker(async (server) => {
    const tmp = await Deno.makeTempDir({ prefix: "tracker-model-" });
    await Deno.writeFile(join(tmp, "linear.onnx"), linearOnnx());
    const runId = await tracker.withRun(async (run) => {
      await run.logModel({
        onnx: join(tmp, "linear.onnx"),
        signature: {
          inputs: [{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, 2] }, name: "x" }],
          outputs: [{ type: "tensor", "tensor-spec": { dtype: "float32", shape: [-1, 1] }, name: "y" }],
        },
      });
      return run.runId;
    });
    const { dir } = await resolveModelUri(`runs:/${runId}/model`, { trackingUri: server.url });
    const names = [...Deno.readDirSync(dir)].map((e) => e.name).sort();
    assert.deepEqual(names, ["MLmodel", "conda.yaml", "model.onnx", "python_env.yaml", "requirements.txt"]);
    const mlmodel = parse(await Deno.readTextFile(join(dir, "MLmodel")));
    assert.equal(mlmodel.flavors.onnx.data, "model.onnx");
    assert.deepEqual(mlmodel.flavors.onnx.providers, ["CUDAExecutionProvider", "CPUExecutionProvider"]);
    assert.equal(mlmodel.flavors.python_function.loader_module, "mlflow.onnx");
    assert.deepEqual(mlmodel.flavors.python_function.env, {
      conda: "conda.yaml",
      virtualenv: "python_env.yaml",
    });
    assert.equal(mlmodel.model_size_bytes, linearOnnx().length);
    assert.match(await Deno.readTextFile(join(dir, "requirements.txt")), /^mlflow==3\.18\.0\nonnx==/);
    assert.deepEqual(parse(await Deno.readTextFile(join(dir, "python_env.yaml"))).dependencies, [
      "-r requirements.txt",
    ]);

    const result = await serve(dir, {
      kind: "ndarray",
      array: { dtype: "float32", shape: [2, 2], data: [1, 2, 0, 0] },
    });
    assert.equal(result.flavor, "onnx");
    // Named outputs, as mlflow's onnx pyfunc gives for ndarray input: y = [2·1 + 3·2 + 1, 1].
    assert.equal(result.p.kind, "arrays");
    const y = (result.p.arrays as Record<string, { shape: number[]; data: number[] }>).y;
    assert.deepEqual([y.shape, y.data], [[2, 1], [9, 1]]);
  });
});

Deno.test({
  name: "logModel (onnx): the real mlflow finds it (search_logged_models) and loads runs:/ and models:/ URIs",
  ignore: !existsSync(VENV_PYTHON),
  async fn() {
    await withFluentTracker(async (server) => {
      const { info, experimentId } = await tracker.withRun(async (run) => ({
        info: await run.logModel({ onnx: linearOnnx() }),
        experimentId: run.info.experimentId,
      }));
      const py = `
import json, sys, numpy as np, mlflow, mlflow.onnx, mlflow.pyfunc
run_uri, model_uri, experiment_id = sys.argv[1:4]
found = mlflow.search_logged_models(experiment_ids=[experiment_id], output_format="list")
pyfunc = mlflow.pyfunc.load_model(run_uri)
out = pyfunc.predict(np.array([[1.0, 2.0], [0.0, 0.0]], dtype=np.float32))
raw = mlflow.onnx.load_model(model_uri)
print(json.dumps({"y": np.asarray(out["y"]).ravel().tolist(), "ir": raw.ir_version,
                  "loader": pyfunc.metadata.flavors["python_function"]["loader_module"],
                  "found": [(m.model_id, m.name, str(m.status)) for m in found]}))
`;
      const out = await new Deno.Command(VENV_PYTHON, {
        args: ["-c", py, info.runUri, info.modelUri, experimentId],
        env: { MLFLOW_TRACKING_URI: server.url, MLFLOW_ALLOW_FILE_STORE: "true" },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const stderr = new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, stderr);
      const result = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
      assert.deepEqual(result, {
        y: [9, 1],
        ir: 8,
        loader: "mlflow.onnx",
        found: [[info.modelId, "model", "READY"]],
      });
    });
  },
});
