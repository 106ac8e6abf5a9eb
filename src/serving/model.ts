// A model directory loaded for serving: MLmodel, signature and the flavor's predict.

import { chooseFlavor, type FlavorChoice, readMLmodel } from "./mlmodel.ts";
import type { PyFuncInput } from "./input.ts";
import { loadServableModel } from "./model-loader.ts";
import type { EngineKind } from "./ort-runtime.ts";
import type { Prediction } from "./prediction.ts";
import type { Signature } from "./signature.ts";

export interface ServableModel {
  flavor: FlavorChoice["flavor"];
  signature?: Signature;
  predict(input: PyFuncInput, params: unknown): Promise<Prediction>;
}

export interface LoadOptions {
  engine: EngineKind;
  /** Compiled ORT WebAssembly (shared by the pool); required by the web runtime. */
  wasmModule?: WebAssembly.Module;
}

/** Loads in this thread; compiles the embedded WebAssembly when the web runtime gets no module. */
export async function loadModel(dir: string, options: LoadOptions): Promise<ServableModel> {
  const meta = await readMLmodel(dir);
  const parsed = { choice: chooseFlavor(meta), signature: meta.signature };
  let wasmModule = options.wasmModule;
  if (parsed.choice.flavor === "onnx" && options.engine === "web" && !wasmModule) {
    const { compileOrtWasm } = await import("./ort-wasm.ts");
    wasmModule = await compileOrtWasm();
  }
  return await loadServableModel(dir, parsed, { ...options, wasmModule });
}
