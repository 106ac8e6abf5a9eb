// The YAML writer (MLmodel, conda.yaml, logDict): checked by parsing its output back with a YAML parser.

import assert from "node:assert/strict";
import { parse } from "yaml";
import { toYaml } from "../../src/client/yaml.ts";

Deno.test("YAML: nested maps and lists parse back to the same value", () => {
  const value = {
    flavors: {
      onnx: { data: "model.onnx", providers: ["CUDAExecutionProvider", "CPUExecutionProvider"], code: null },
    },
    dependencies: ["python=3.11", "pip", { pip: ["mlflow==3.18.0", "onnx==1.23.2"] }],
    empty_map: {},
    empty_list: [],
    nested: [[1, 2], [{ a: 1 }]],
    n: 3.5,
    neg: -2,
    yes: true,
  };
  assert.deepEqual(parse(toYaml(value)), value);
});

Deno.test("YAML: strings that a plain scalar would misread stay strings", () => {
  const tricky = [
    "true",
    "no",
    "null",
    "~",
    "1.0",
    "2024-01-01",
    "0x1F",
    ".inf",
    "a: b",
    "- x",
    "#c",
    "",
    " lead",
    "trail ",
    "line\nbreak",
    'quote"s',
    "ünï",
    "2026-01-01 00:00:00.000000",
  ];
  const doc = Object.fromEntries(tricky.map((s, i) => [`k${i}`, s]));
  assert.deepEqual(parse(toYaml(doc)), doc);
  assert.deepEqual(parse(toYaml({ "a key: with colon": 1 })), { "a key: with colon": 1 });
});

Deno.test("YAML: keys are sorted like PyYAML's safe_dump unless asked otherwise", () => {
  assert.equal(toYaml({ b: 1, a: 2 }), "a: 2\nb: 1\n");
  assert.equal(toYaml({ b: 1, a: 2 }, { sortKeys: false }), "b: 1\na: 2\n");
  assert.equal(toYaml({ x: NaN, y: -Infinity }), "x: .nan\ny: -.inf\n");
});
