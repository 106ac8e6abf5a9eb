// Loads a model directory's flavor from its already parsed MLmodel: the part of model loading that
// prediction Workers run (`auto` is decided here, so the model is read and checked once, in the Worker). It never touches the embedded WebAssembly bytes (an onnx model on the web runtime
// needs the compiled module handed in), nor the YAML and schema parsers (the serving thread parsed MLmodel).

import { JsModel } from "./js-model.ts";
import type { FlavorChoice } from "./mlmodel.ts";
import type { LoadOptions, ServableModel } from "./model.ts";
import { OnnxModel } from "./onnx-model.ts";
import { jsEngine } from "./onnx-js/runtime.ts";
import { UnsupportedError } from "./onnx-js/tensor.ts";
import { ortEngine } from "./ort-runtime.ts";
import type { Signature } from "./signature.ts";

export interface ParsedModel {
  choice: FlavorChoice;
  signature?: Signature;
}

/** How the JS engine fails a model under `auto`: the reason is shown when ONNX Runtime takes over. */
export class JsEngineDeclined extends Error {}

/**
 * Under `auto`, models with more constant MatMul/Gemm weights than this go to ONNX Runtime: per row its SIMD
 * kernels are ~10x faster on dense layers (bench/onnx-js), which outweighs the JS engine's faster start
 * once a layer is this large (e.g. 256 inputs x 400 units). Smaller MLPs and every tree or linear model
 * stay on the JS engine, where the request's own parsing costs more than the predict.
 */
export const AUTO_DENSE_WEIGHT_LIMIT = 100_000;

/**
 * Under `auto`, models whose Scan nodes iterate more than this over constant inputs go to ONNX Runtime: each
 * iteration runs the body's ops (~11 µs in the JS engine), so a KNN model over 500 training rows already
 * spends ~5 ms a request there (bench: iris KNN, 150 rows, 2.5 ms per 100-row call against 0.7 ms).
 */
export const AUTO_SCAN_STEP_LIMIT = 500;

/**
 * Loads the model. `auto` tries the JS engine and throws JsEngineDeclined when it cannot run the model
 * (an op or attribute it does not implement, or a file it cannot read); the caller then loads again with
 * the web runtime, whose loader reports real errors.
 */
export async function loadServableModel(
  dir: string,
  { choice, signature }: ParsedModel,
  options: LoadOptions,
): Promise<ServableModel> {
  if (choice.flavor === "onnx") {
    const config = { data: choice.data, sessionOptions: choice.sessionOptions };
    let onnx: OnnxModel;
    if (options.engine === "auto") {
      try {
        onnx = await OnnxModel.load(jsEngine, dir, config);
      } catch (e) {
        throw new JsEngineDeclined(
          e instanceof UnsupportedError
            ? `the JS engine does not implement ${e.message}`
            : `the JS engine cannot load the model (${(e as Error).message})`,
        );
      }
      const { denseWeights: dense, scanSteps: steps } = onnx.workload() ?? { denseWeights: 0, scanSteps: 0 };
      if (dense > AUTO_DENSE_WEIGHT_LIMIT) {
        throw new JsEngineDeclined(
          `its dense layers (${dense} weights) run faster on ONNX Runtime; TRACKER_ONNX_RUNTIME=js forces the JS engine`,
        );
      }
      if (steps > AUTO_SCAN_STEP_LIMIT) {
        throw new JsEngineDeclined(
          `its Scan runs ${steps} steps a request, faster on ONNX Runtime; TRACKER_ONNX_RUNTIME=js forces the JS engine`,
        );
      }
    } else {
      const engine = options.engine === "js" ? jsEngine : await ortEngine(options.engine, options.wasmModule);
      onnx = await OnnxModel.load(engine, dir, config);
    }
    return { flavor: "onnx", signature, predict: (input) => onnx.predict(input) };
  }
  const js = await JsModel.load(dir, choice.data, choice.predictFn);
  return { flavor: "js", signature, predict: (input, params) => js.predict(input, params) };
}
