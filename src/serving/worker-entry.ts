// The prediction-worker role: predict-worker.ts runs it in the Worker bundle (web runtime, js flavor); with
// the native runtime, which only loads from source, Workers start from the program's entry module, which
// calls runServingWorker() when isServingWorker() is true.

import { invocations } from "./invocations.ts";
import type { ServableModel } from "./model.ts";
import { JsEngineDeclined, loadServableModel } from "./model-loader.ts";
import { type FromWorker, SERVING_WORKER_NAME, type ToWorker } from "./worker-protocol.ts";

interface WorkerScope {
  name?: string;
  postMessage(message: FromWorker): void;
  onmessage: ((e: MessageEvent<ToWorker>) => void) | null;
}

/** True inside a Worker the serving pool started. */
export function isServingWorker(): boolean {
  const scope = (globalThis as { WorkerGlobalScope?: new () => unknown }).WorkerGlobalScope;
  return typeof scope === "function" && globalThis instanceof scope &&
    (globalThis as unknown as WorkerScope).name === SERVING_WORKER_NAME;
}

export function runServingWorker(scope: WorkerScope = globalThis as unknown as WorkerScope): void {
  let model: ServableModel | undefined;
  scope.onmessage = async (e) => {
    const msg = e.data;
    if (msg.type === "load") {
      try {
        model = await loadServableModel(msg.modelDir, msg.model, {
          engine: msg.engine,
          wasmModule: msg.wasmModule,
        });
        const engine = model.flavor !== "onnx" ? undefined : msg.engine === "auto" ? "js" : msg.engine;
        scope.postMessage({ type: "ready", flavor: model.flavor, engine });
      } catch (err) {
        if (err instanceof JsEngineDeclined) {
          scope.postMessage({ type: "needs-ort", reason: err.message });
          return;
        }
        scope.postMessage({
          type: "load-failed",
          message: err instanceof Error ? err.message : String(err),
          // The serving thread refuses models before any Worker starts; what fails here is loading.
          refused: false,
        });
      }
      return;
    }
    try {
      if (!model) throw new Error("the model is not loaded");
      const r = await invocations(msg.body, msg.contentType, model);
      scope.postMessage({ type: "result", id: msg.id, ...r });
    } catch (err) {
      scope.postMessage({ type: "failed", id: msg.id, message: String((err as Error)?.stack ?? err) });
    }
  };
}
