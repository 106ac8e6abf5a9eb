// A model directory loaded for serving: MLmodel, signature and the flavor's predict.

import { chooseFlavor, type FlavorChoice, readMLmodel } from "./mlmodel.ts";
import type { PyFuncInput } from "./input.ts";
import { JsEngineDeclined, loadServableModel } from "./model-loader.ts";
import type { EngineSetting } from "./ort-runtime.ts";
import type { Prediction } from "./prediction.ts";
import type { Signature } from "./signature.ts";

export interface ServableModel {
  flavor: FlavorChoice["flavor"];
  signature?: Signature;
  predict(input: PyFuncInput, params: unknown): Promise<Prediction>;
}

export interface LoadOptions {
  /** auto: the JS engine when it runs the model, else ONNX Runtime web. */
  engine: EngineSetting;
  /** Compiled ORT WebAssembly (shared by the pool); required by the web runtime. */
  wasmModule?: WebAssembly.Module;
}

/** Loads in this thread; compiles the embedded WebAssembly when the web runtime gets no module. */
export async function loadModel(dir: string, options: LoadOptions): Promise<ServableModel> {
  const meta = await readMLmodel(dir);
  const parsed = { choice: chooseFlavor(meta), signature: meta.signature };
  const onWeb = async () => {
    const { compileOrtWasm } = await import("./ort-wasm.ts");
    const wasmModule = options.wasmModule ?? await compileOrtWasm();
    return await loadServableModel(dir, parsed, { engine: "web", wasmModule });
  };
  if (parsed.choice.flavor === "onnx" && options.engine === "web") return await onWeb();
  try {
    return await loadServableModel(dir, parsed, options);
  } catch (e) {
    if (e instanceof JsEngineDeclined) return await onWeb();
    throw e;
  }
}
