// Which engine runs an onnx-flavor model. With `auto` the serving thread loads the model in the JS engine
// once: if every op and attribute is implemented there, Workers use it (no WebAssembly to compile, so the
// server is up in a fraction of the time); otherwise they use ONNX Runtime's WebAssembly build.

import * as path from "node:path";
import { JsSession } from "./onnx-js/session.ts";
import { UnsupportedError } from "./onnx-js/tensor.ts";
import type { EngineKind, EngineSetting } from "./ort-runtime.ts";

export interface EngineChoice {
  engine: EngineKind;
  /** Why auto did not take the JS engine. */
  fallbackReason?: string;
}

export async function chooseEngine(
  setting: EngineSetting,
  modelDir: string,
  data: string,
): Promise<EngineChoice> {
  if (setting !== "auto") return { engine: setting };
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path.resolve(modelDir, data));
  } catch {
    return { engine: "web" }; // ONNX Runtime's loader reports the missing file
  }
  try {
    JsSession.create(bytes);
    return { engine: "js" };
  } catch (e) {
    const why = e instanceof UnsupportedError
      ? `the JS engine does not implement ${e.message}`
      : `the JS engine cannot read the model (${(e as Error).message})`;
    return { engine: "web", fallbackReason: why };
  }
}
