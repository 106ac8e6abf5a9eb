// Entry of the prediction Worker bundle (src/serving/generated/predict-worker.js, built by
// build-worker.ts): the serving pool starts it from a Blob URL, so a Worker loads only this code, not the
// whole program with its embedded 14 MB of WebAssembly.

import { runServingWorker } from "./worker-entry.ts";

runServingWorker();
