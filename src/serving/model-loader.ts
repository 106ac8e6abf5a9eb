// Loads a model directory's flavor from its already parsed MLmodel: the part of model loading that
// prediction Workers run. It never touches the embedded WebAssembly bytes (an onnx model on the web runtime
// needs the compiled module handed in), nor the YAML and schema parsers (the serving thread parsed MLmodel).

import { JsModel } from "./js-model.ts";
import type { FlavorChoice } from "./mlmodel.ts";
import type { LoadOptions, ServableModel } from "./model.ts";
import { OnnxModel } from "./onnx-model.ts";
import { jsEngine } from "./onnx-js/runtime.ts";
import { ortEngine } from "./ort-runtime.ts";
import type { Signature } from "./signature.ts";

export interface ParsedModel {
  choice: FlavorChoice;
  signature?: Signature;
}

export async function loadServableModel(
  dir: string,
  { choice, signature }: ParsedModel,
  options: LoadOptions,
): Promise<ServableModel> {
  if (choice.flavor === "onnx") {
    const engine = options.engine === "js" ? jsEngine : await ortEngine(options.engine, options.wasmModule);
    const onnx = await OnnxModel.load(engine, dir, {
      data: choice.data,
      sessionOptions: choice.sessionOptions,
    });
    return { flavor: "onnx", signature, predict: (input) => onnx.predict(input) };
  }
  const js = await JsModel.load(dir, choice.data, choice.predictFn);
  return { flavor: "js", signature, predict: (input, params) => js.predict(input, params) };
}
