// The prediction-worker role. The program's entry module starts these Workers from itself (so a bundle or
// compiled binary needs no second file) and calls runServingWorker() when isServingWorker() is true.

import { ModelRefused } from "./mlmodel.ts";
import { invocations } from "./invocations.ts";
import { loadModel, type ServableModel } from "./model.ts";
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
        model = await loadModel(msg.modelDir, { ort: msg.ort, wasmModule: msg.wasmModule });
        scope.postMessage({ type: "ready", flavor: model.flavor });
      } catch (err) {
        scope.postMessage({
          type: "load-failed",
          message: err instanceof Error ? err.message : String(err),
          refused: err instanceof ModelRefused,
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
