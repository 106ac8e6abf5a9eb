// The scoring protocol without HTTP: content types, every JSON layout, CSV, signature checks and the
// response body, run through invocations() on models built in code.

import nodeAssert from "node:assert/strict";
import * as path from "node:path";
import { invocations } from "../../src/serving/invocations.ts";
import { loadModel, type ServableModel } from "../../src/serving/model.ts";
import { checkContentType } from "../../src/serving/parse-request.ts";
import { parseCsvRows } from "../../src/serving/csv.ts";
import { pyJson } from "../../src/serving/response.ts";
import { chooseFlavor, ModelRefused, parseMLmodel } from "../../src/serving/mlmodel.ts";
import {
  linearModel,
  TENSOR_SIGNATURE,
  twoInputModel,
  writeJsModel,
  writeOnnxModel,
  zipmapClassifier,
} from "./serving_fixtures.ts";

const assert = (v: unknown, msg?: string) => nodeAssert.ok(v, msg);
const assertEquals = <T>(a: T, b: T, msg?: string) => nodeAssert.deepStrictEqual(a, b, msg);
const assertMatch = (s: string, re: RegExp) => nodeAssert.match(s, re);

const tmp = await Deno.makeTempDir({ prefix: "serving-protocol-" });
const enc = new TextEncoder();

async function call(model: ServableModel, body: unknown, ctype = "application/json") {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const r = await invocations(enc.encode(text), ctype, model);
  return { status: r.status, ctype: r.contentType, text: r.body, json: () => JSON.parse(r.body) };
}

// The same answers from both ONNX engines: tracker's JS engine and ONNX Runtime's WebAssembly build.
const ENGINES = ["js", "web"] as const;

// y = 1*x0 + 2*x1 + 0.5
const linearDirs = {
  tensor: await writeOnnxModel(path.join(tmp, "lin"), linearModel([1, 2], 0.5), TENSOR_SIGNATURE(2)),
  columns: await writeOnnxModel(
    path.join(tmp, "lincols"),
    linearModel([1, 2], 0.5),
    `'[{"type": "double", "name": "a", "required": true}, {"type": "double", "name": "b", "required": true}]'`,
  ),
};

Deno.test("content types: JSON, CSV and Parquet accepted, UTF-8 only, anything else 415", () => {
  assertEquals(checkContentType("application/json").ok, true);
  assertEquals(checkContentType("text/csv; charset=UTF-8").ok, true);
  assertEquals(checkContentType("application/vnd.apache.parquet").ok, true);
  for (
    const bad of ["text/plain", "application/json; charset=latin-1", "application/json; format=split", null]
  ) {
    const r = checkContentType(bad);
    assert(!r.ok && r.status === 415, String(bad));
  }
});

for (const engine of ENGINES) {
  const linearTensor = await loadModel(linearDirs.tensor, { engine });
  const linearColumns = await loadModel(linearDirs.columns, { engine });

  Deno.test(`every JSON layout gives the same numbers (${engine})`, async () => {
    const rows = [[1, 1], [2, 3]];
    const want = [3.5, 8.5];
    const arrays = [
      { inputs: rows },
      { instances: rows },
      { dataframe_split: { data: rows } },
    ];
    for (const body of arrays) {
      const r = await call(linearTensor, body);
      assertEquals(r.status, 200, r.text);
      const p = r.json().predictions;
      // Tensor signatures hand the model an array, so predictions are a dict of arrays.
      assertEquals(p.variable.map((x: number[]) => x[0]), want);
    }
    const named = [
      { dataframe_split: { columns: ["b", "a"], data: rows.map(([a, b]) => [b, a]) } },
      { dataframe_records: rows.map(([a, b]) => ({ a, b, ignored: "x" })) },
      { instances: rows.map(([a, b]) => ({ a, b })) },
      { inputs: { a: [1, 2], b: [1, 3] } },
    ];
    for (const body of named) {
      const r = await call(linearColumns, body);
      assertEquals(r.status, 200, r.text);
      // Column signatures hand the model a DataFrame, so predictions are records.
      assertEquals(r.json().predictions, want.map((v) => ({ variable: v })));
    }
    const csv = await call(linearColumns, "a,b\n1,1\n2,3\n", "text/csv");
    assertEquals(csv.json().predictions, want.map((v) => ({ variable: v })));
  });

  Deno.test(`bad input gets MLflow's error format and codes (${engine})`, async () => {
    const cases: [ServableModel, unknown, string, number, string][] = [
      [linearTensor, "", "application/json", 400, "BAD_REQUEST"],
      [linearTensor, "[1]", "application/json", 400, "BAD_REQUEST"],
      [linearTensor, { columns: ["a"], data: [[1]] }, "application/json", 400, "BAD_REQUEST"],
      [linearTensor, { inputs: [[1, 2]], instances: [[1, 2]] }, "application/json", 400, "BAD_REQUEST"],
      [linearTensor, { inputs: [[1, 2, 3]] }, "application/json", 400, "INVALID_PARAMETER_VALUE"],
      [linearTensor, { inputs: [["a", "b"]] }, "application/json", 400, "BAD_REQUEST"],
      [linearColumns, { dataframe_records: [{ a: 1 }] }, "application/json", 400, "INVALID_PARAMETER_VALUE"],
      [linearColumns, { dataframe_records: [{ a: 1, b: "x" }] }, "application/json", 400, "BAD_REQUEST"],
      [linearColumns, { dataframe_split: [[1, 2]] }, "application/json", 400, "BAD_REQUEST"],
      [linearColumns, "a,b\n1,x\n", "text/csv", 400, "BAD_REQUEST"],
    ];
    for (const [model, body, ctype, status, code] of cases) {
      const r = await call(model, body, ctype);
      assertEquals([r.status, r.ctype], [status, "application/json"], `${JSON.stringify(body)}: ${r.text}`);
      assertEquals(r.json().error_code, code, r.text);
      assert(r.json().message.length > 0);
    }
    const missing = await call(linearColumns, { dataframe_records: [{ a: 1 }] });
    assertMatch(missing.json().message, /issing inputs \['b'\]/);
    assertEquals(missing.json().error_class, "SCHEMA_ENFORCEMENT_FAILED");
    const unsupported = await call(linearTensor, "1", "text/plain");
    assertEquals(unsupported.status, 415);
    assert(unsupported.ctype.startsWith("text/plain"));
  });

  Deno.test(`several graph inputs are fed one DataFrame column each (${engine})`, async () => {
    const m = await loadModel(await writeOnnxModel(path.join(tmp, `two-${engine}`), twoInputModel()), {
      engine,
    });
    // No signature: JSON integers stay int64, which a float graph refuses, as onnxruntime does for MLflow.
    const ints = await call(m, { dataframe_records: [{ a: 5, b: 2 }] });
    assertEquals([ints.status, ints.json().error_code], [400, "BAD_REQUEST"]);
    const r = await call(m, { dataframe_records: [{ a: 5.5, b: 2.5 }, { a: 1.25, b: 1.25 }] });
    assertEquals(r.json().predictions, [{ sum: 8, diff: 3 }, { sum: 2.5, diff: 0 }]);
    const d = await call(m, { inputs: { a: [1.5], b: [0.5] } });
    assertEquals(d.json().predictions, { sum: [2], diff: [1] });
  });

  Deno.test(`ZipMap classifiers return per-row {label: probability} maps (${engine})`, async () => {
    const m = await loadModel(await writeOnnxModel(path.join(tmp, `clf-${engine}`), zipmapClassifier()), {
      engine,
    });
    const r = await call(m, { inputs: [[3.5, 0.5], [-3.5, 0.5]] });
    assertEquals(r.status, 200, r.text);
    const p = r.json().predictions;
    assertEquals(p.label, [0, 1]);
    const [first, second] = p.output_probability;
    assertEquals(Object.keys(first), ["0", "1"]);
    assert(first["0"] > 0.99 && second["1"] > 0.99);
    assert(Math.abs(first["0"] + first["1"] - 1) < 1e-6);
  });
}

Deno.test("JS models receive plain values and params", async () => {
  const dir = await writeJsModel(
    path.join(tmp, "js"),
    "export function predict(input, params) { return input.map((r) => r.x * (params.k ?? 1)); }",
    `signature:\n  inputs: '[{"type": "double", "name": "x", "required": true}]'\n  outputs: null\n` +
      `  params: '[{"name": "k", "type": "double", "default": 2, "shape": null}]'\n`,
  );
  const m = await loadModel(dir, { engine: "web" });
  assertEquals((await call(m, { dataframe_records: [{ x: 1 }, { x: 2 }] })).json(), { predictions: [2, 4] });
  assertEquals((await call(m, { dataframe_records: [{ x: 1 }], params: { k: 10 } })).json(), {
    predictions: [10],
  });
  const bad = await call(m, { dataframe_records: [{ x: 1 }], params: { k: "big" } });
  assertEquals([bad.status, bad.json().error_code], [400, "INVALID_PARAMETER_VALUE"]);
});

Deno.test("MLmodel: python-only flavors are refused with the way out; paths stay inside", () => {
  const pickle = parseMLmodel(
    "flavors:\n  python_function:\n    loader_module: mlflow.sklearn\n  sklearn: {}\n",
  );
  try {
    chooseFlavor(pickle);
    throw new Error("not refused");
  } catch (e) {
    assert(e instanceof ModelRefused);
    assertMatch((e as Error).message, /mlflow\.onnx\.log_model/);
    assertMatch((e as Error).message, /skl2onnx/);
  }
  for (const data of ["../x.onnx", "/etc/passwd", "a/../../b"]) {
    const m = parseMLmodel(`flavors:\n  onnx:\n    data: ${data}\n`);
    let refused = false;
    try {
      chooseFlavor(m);
    } catch (e) {
      refused = e instanceof ModelRefused;
    }
    assert(refused, data);
  }
  assertEquals(chooseFlavor(parseMLmodel("flavors:\n  onnx:\n    data: sub/model.onnx\n")).flavor, "onnx");
});

Deno.test("CSV rows: quotes, embedded commas and newlines, empty cells", () => {
  assertEquals(parseCsvRows('a,b\n"x,1","he said ""hi"""\n,2\r\n"multi\nline",3'), [
    ["a", "b"],
    ["x,1", 'he said "hi"'],
    [null, "2"],
    ["multi\nline", "3"],
  ]);
});

Deno.test("response JSON uses Python's tokens for non-finite numbers and exact big integers", () => {
  assertEquals(
    pyJson({ p: [NaN, Infinity, -Infinity, 1.5, 2n ** 63n - 1n] }),
    '{"p": [NaN, Infinity, -Infinity, 1.5, 9223372036854775807]}',
  );
});
