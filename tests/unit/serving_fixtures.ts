// Test models for the serving tests: ONNX graphs built in code with onnx-proto and JS model folders.

import onnxProto from "onnx-proto";
import * as path from "node:path";

const { onnx } = onnxProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

function tensorInfo(name: string, dims: (number | string)[], elemType = FLOAT) {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) },
      },
    },
  });
}

/** y = x @ w + b for x of shape [N, k]; output "variable" [N, 1] like skl2onnx regressors. */
export function linearModel(w: number[], b: number): Uint8Array {
  const k = w.length;
  const m = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }],
    graph: {
      name: "linear",
      node: [{ opType: "Gemm", input: ["X", "W", "B"], output: ["variable"] }],
      initializer: [
        { name: "W", dims: [k, 1], dataType: FLOAT, floatData: w },
        { name: "B", dims: [1], dataType: FLOAT, floatData: [b] },
      ],
      input: [tensorInfo("X", ["N", k])],
      output: [tensorInfo("variable", ["N", 1])],
    },
  });
  return onnx.ModelProto.encode(m).finish();
}

/** Two 1-D inputs a and b; outputs sum = a + b and diff = a - b. */
export function twoInputModel(): Uint8Array {
  const m = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }],
    graph: {
      name: "two",
      node: [
        { opType: "Add", input: ["a", "b"], output: ["sum"] },
        { opType: "Sub", input: ["a", "b"], output: ["diff"] },
      ],
      input: [tensorInfo("a", ["N"]), tensorInfo("b", ["N"])],
      output: [tensorInfo("sum", ["N"]), tensorInfo("diff", ["N"])],
    },
  });
  return onnx.ModelProto.encode(m).finish();
}

/** A 1-D convolution (Conv, kernel [1, 2]) of X [N, 1, 3]: an op ONNX Runtime has and tracker's JS engine
 * does not (the fallback tests need one). */
export function convModel(): Uint8Array {
  const m = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }],
    graph: {
      name: "conv",
      node: [{ opType: "Conv", input: ["X", "W"], output: ["Y"] }],
      initializer: [{ name: "W", dims: [1, 1, 2], dataType: FLOAT, floatData: [1, 10] }],
      input: [tensorInfo("X", ["N", 1, 3])],
      output: [tensorInfo("Y", ["N", 1, 2])],
    },
  });
  return onnx.ModelProto.encode(m).finish();
}

/** Y = S + the sum of the `rows` rows of a constant T [rows, 3] of ones, through a Scan over T (as skl2onnx's
 * KNN scans its training rows). */
export function scanSumModel(rows: number): Uint8Array {
  const m = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }],
    graph: {
      name: "scan",
      node: [{
        opType: "Scan",
        input: ["S", "T"],
        output: ["Y"],
        attribute: [
          { name: "num_scan_inputs", type: onnx.AttributeProto.AttributeType.INT, i: 1 },
          {
            name: "body",
            type: onnx.AttributeProto.AttributeType.GRAPH,
            g: {
              name: "body",
              node: [{ opType: "Add", input: ["s_in", "x"], output: ["s_out"] }],
              input: [tensorInfo("s_in", [3]), tensorInfo("x", [3])],
              output: [tensorInfo("s_out", [3])],
            },
          },
        ],
      }],
      initializer: [{ name: "T", dims: [rows, 3], dataType: FLOAT, floatData: new Array(rows * 3).fill(1) }],
      input: [tensorInfo("S", [3])],
      output: [tensorInfo("Y", [3])],
    },
  });
  return onnx.ModelProto.encode(m).finish();
}

/** A LinearClassifier followed by ZipMap, the shape skl2onnx gives scikit-learn classifiers. */
export function zipmapClassifier(): Uint8Array {
  const ml = "ai.onnx.ml";
  const m = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }, { domain: ml, version: 1 }],
    graph: {
      name: "clf",
      node: [
        {
          opType: "LinearClassifier",
          domain: ml,
          input: ["X"],
          output: ["label", "probabilities"],
          attribute: [
            { name: "classlabels_ints", type: onnx.AttributeProto.AttributeType.INTS, ints: [0, 1] },
            { name: "coefficients", type: onnx.AttributeProto.AttributeType.FLOATS, floats: [1, 0, -1, 0] },
            { name: "intercepts", type: onnx.AttributeProto.AttributeType.FLOATS, floats: [0, 0] },
            {
              name: "post_transform",
              type: onnx.AttributeProto.AttributeType.STRING,
              s: new TextEncoder().encode("SOFTMAX"),
            },
          ],
        },
        {
          opType: "ZipMap",
          domain: ml,
          input: ["probabilities"],
          output: ["output_probability"],
          attribute: [{
            name: "classlabels_int64s",
            type: onnx.AttributeProto.AttributeType.INTS,
            ints: [0, 1],
          }],
        },
      ],
      input: [tensorInfo("X", ["N", 2])],
      output: [
        tensorInfo("label", ["N"], onnx.TensorProto.DataType.INT64),
        onnx.ValueInfoProto.create({
          name: "output_probability",
          type: {
            sequenceType: {
              elemType: {
                mapType: {
                  keyType: onnx.TensorProto.DataType.INT64,
                  valueType: { tensorType: { elemType: FLOAT } },
                },
              },
            },
          },
        }),
      ],
    },
  });
  return onnx.ModelProto.encode(m).finish();
}

export const TENSOR_SIGNATURE = (k: number) =>
  `'[{"type": "tensor", "tensor-spec": {"dtype": "float32", "shape": [-1, ${k}]}}]'`;

/** Writes an ONNX model directory in MLflow's layout; `signature` is the YAML value of signature.inputs. */
export async function writeOnnxModel(
  dir: string,
  model: Uint8Array,
  inputsSignature?: string,
): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeFile(path.join(dir, "model.onnx"), model);
  const sig = inputsSignature
    ? `signature:\n  inputs: ${inputsSignature}\n  outputs: null\n  params: null\n`
    : "";
  await Deno.writeTextFile(
    path.join(dir, "MLmodel"),
    "flavors:\n  onnx:\n    data: model.onnx\n    onnx_version: 1.17.0\n    providers: [CPUExecutionProvider]\n" +
      "  python_function:\n    data: model.onnx\n    loader_module: mlflow.onnx\n" + sig,
  );
  return dir;
}

/** Writes a `js` flavor model whose module source is `source`. */
export async function writeJsModel(dir: string, source: string, extraMLmodel = ""): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(path.join(dir, "model.mjs"), source);
  await Deno.writeTextFile(
    path.join(dir, "MLmodel"),
    "flavors:\n  js:\n    data: model.mjs\n" + extraMLmodel,
  );
  return dir;
}
