// Where prediction Workers start: the generated Worker bundle, embedded as text and served from a Blob URL
// (one per process). Starting from the program's entry would make every Worker load the whole program,
// 14 MB of WebAssembly included, before it could load a model.
//
// `tracker models serve` starts its first Worker before it imports the serving modules and reads MLmodel
// (prestartPredictWorker): the Worker boots on another core meanwhile, which takes ~0.1 s off the start.

import source from "./generated/predict-worker.js" with { type: "text" };
import { SERVING_WORKER_NAME } from "./worker-protocol.ts";

let url: string | undefined;
let prestarted: Worker | undefined;

export function predictWorkerUrl(): string {
  url ??= URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  return url;
}

/** Starts one prediction Worker (with the process's permissions) for the pool to take later. */
export function prestartPredictWorker(): void {
  prestarted ??= new Worker(predictWorkerUrl(), { type: "module", name: SERVING_WORKER_NAME });
}

/** The prestarted Worker, once; undefined when none was started or it was taken. */
export function takePrestartedWorker(): Worker | undefined {
  const w = prestarted;
  prestarted = undefined;
  return w;
}

/** Ends a prestarted Worker nobody took (the model needs another kind of Worker, or serving failed). */
export function discardPrestartedWorker(): void {
  takePrestartedWorker()?.terminate();
}
