// Where prediction Workers start: the generated Worker bundle, embedded as text and served from a Blob URL
// (one per process). Starting from the program's entry would make every Worker load the whole program,
// 14 MB of WebAssembly included, before it could load a model.

import source from "./generated/predict-worker.js" with { type: "text" };

let url: string | undefined;

export function predictWorkerUrl(): string {
  url ??= URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  return url;
}
