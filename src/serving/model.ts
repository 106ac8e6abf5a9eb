// A model directory loaded for serving: MLmodel, signature and the flavor's predict.

import { chooseFlavor, type FlavorChoice, readMLmodel } from "./mlmodel.ts";
import type { PyFuncInput } from "./input.ts";
import { JsModel } from "./js-model.ts";
import { OnnxModel } from "./onnx-model.ts";
import { loadOrt, type OrtKind } from "./ort-runtime.ts";
import type { Prediction } from "./prediction.ts";
import type { Signature } from "./signature.ts";

export interface ServableModel {
  flavor: FlavorChoice["flavor"];
  signature?: Signature;
  predict(input: PyFuncInput, params: unknown): Promise<Prediction>;
}

export interface LoadOptions {
  ort: OrtKind;
  /** Precompiled ORT WebAssembly (shared by the pool); compiled on demand when absent. */
  wasmModule?: WebAssembly.Module;
}

export async function loadModel(dir: string, options: LoadOptions): Promise<ServableModel> {
  const meta = await readMLmodel(dir);
  const choice = chooseFlavor(meta);
  if (choice.flavor === "onnx") {
    const ort = await loadOrt(options.ort, options.wasmModule);
    const onnx = await OnnxModel.load(
      ort,
      dir,
      { data: choice.data, sessionOptions: choice.sessionOptions },
      options.ort === "node",
    );
    return { flavor: "onnx", signature: meta.signature, predict: (input) => onnx.predict(input) };
  }
  const js = await JsModel.load(dir, choice.data, choice.predictFn);
  return { flavor: "js", signature: meta.signature, predict: (input, params) => js.predict(input, params) };
}
