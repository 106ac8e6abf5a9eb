// Parsing what MLflow logs for datasets (schema, profile, source) and model signatures folded by YAML.

import { assertEquals } from "./routes_harness.ts";
import { datasetSourceText, parseDatasetProfile, parseDatasetSchema } from "../../ui/lib/dataset.ts";
import { mlmodelSignature } from "../../ui/lib/artifact-kind.ts";

Deno.test("dataset schema: pandas colspec, numpy tensorspec, unreadable text kept raw", () => {
  assertEquals(
    parseDatasetSchema(JSON.stringify({
      mlflow_colspec: [
        { type: "double", name: "a", required: true },
        { type: "array", items: { type: "string" }, name: "tags", required: false },
      ],
    })),
    {
      columns: [{ name: "a", type: "double", required: true }, {
        name: "tags",
        type: "array<string>",
        required: false,
      }],
    },
  );
  // MLflow's numpy datasets nest each part as a JSON string.
  const tensor = JSON.stringify({
    mlflow_tensorspec: {
      features: JSON.stringify([{ type: "tensor", "tensor-spec": { dtype: "float64", shape: [-1, 4] } }]),
      targets: JSON.stringify([{ type: "tensor", "tensor-spec": { dtype: "int64", shape: [-1] } }]),
    },
  });
  assertEquals(parseDatasetSchema(tensor)?.columns, [
    { name: "features", type: "tensor float64 [-1,4]", required: undefined },
    { name: "targets", type: "tensor int64 [-1]", required: undefined },
  ]);
  assertEquals(parseDatasetSchema("not json"), { columns: [], raw: "not json" });
  assertEquals(parseDatasetSchema(undefined), null);
});

Deno.test("dataset profile and source", () => {
  assertEquals(parseDatasetProfile('{"num_rows": 4, "num_elements": 12}'), [
    { key: "num_rows", value: "4" },
    { key: "num_elements", value: "12" },
  ]);
  assertEquals(parseDatasetProfile("[1]"), [{ key: "profile", value: "[1]" }]);
  assertEquals(datasetSourceText('{"url": "https://x/y.csv"}'), "https://x/y.csv");
  assertEquals(datasetSourceText('{"tags": {"mlflow.source.name": "train.py"}}'), "train.py");
  assertEquals(datasetSourceText("s3://bucket/key"), "s3://bucket/key");
});

Deno.test("MLmodel signature: a long inputs line folded over several lines by YAML is read whole", () => {
  // As MLflow 3.18 writes it for a 2-column sklearn model.
  const yaml = `flavors: {}
signature:
  inputs: '[{"type": "double", "name": "sepal_length", "required": true}, {"type":
    "double", "name": "petal_width", "required": true}]'
  outputs: '[{"type": "long", "required": true}]'
  params: null
utc_time_created: '2026-11-27'
`;
  assertEquals(mlmodelSignature(yaml), {
    inputs: [{ name: "sepal_length", type: "double" }, { name: "petal_width", type: "double" }],
    outputs: [{ name: "[0]", type: "long" }],
  });
  const quoted = `signature:\n  inputs: '[{"type": "string", "name": "it''s"}]'\n`;
  assertEquals(mlmodelSignature(quoted)?.inputs, [{ name: "it's", type: "string" }]);
});
