// Messages between the serving thread and its prediction Workers. Request bodies travel as transferred
// bytes; answers come back as finished HTTP data.

import type { ParsedModel } from "./model-loader.ts";
import type { EngineKind, EngineSetting } from "./ort-runtime.ts";

/** The Worker `name` that tells an entry module to run the prediction-worker role. */
export const SERVING_WORKER_NAME = "tracker-serving-predictor";

export type ToWorker =
  | {
    type: "load";
    modelDir: string;
    model: ParsedModel;
    /** auto: the Worker tries the JS engine and answers `needs-ort` when it cannot run the model. */
    engine: EngineSetting;
    wasmModule?: WebAssembly.Module;
  }
  | { type: "invoke"; id: number; body: Uint8Array; contentType: string | null };

export type FromWorker =
  | { type: "ready"; flavor: string; engine?: EngineKind }
  | { type: "needs-ort"; reason: string }
  | { type: "load-failed"; message: string; refused: boolean }
  | { type: "result"; id: number; status: number; contentType: string; body: string; rows?: number }
  | { type: "failed"; id: number; message: string };
