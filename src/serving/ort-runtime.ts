// Which ONNX Runtime build runs the models. `web` (WebAssembly, the .wasm embedded in the program) works
// everywhere, including a bundle or compiled binary run from an empty folder; `node` (the native addon) is
// faster per call and to start but cannot be bundled, so it is only reachable when running from source
// with npm packages available. Both expose the same onnxruntime-common API.

// The WebAssembly bytes live in ort-wasm.ts: only the serving thread compiles them; Workers receive the
// compiled module and never load the 14 MB.

import type * as Ort from "onnxruntime-web/wasm";

export type OrtApi = typeof Ort;
export type OrtKind = "web" | "node";

/** Parses TRACKER_ONNX_RUNTIME; web unless asked otherwise (it is what the compiled binary contains). */
export function ortKindFromEnv(value: string | undefined): OrtKind {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "" || v === "web" || v === "wasm") return "web";
  if (v === "node" || v === "native") return "node";
  throw new Error(`TRACKER_ONNX_RUNTIME must be 'web' or 'node', got '${value}'`);
}

// ORT hands `env.wasm.wasmBinary` (copied) to WebAssembly.instantiate. A short marker there lets us answer
// that call with the precompiled module instead of compiling 14 MB again in every Worker.
const MARKER = new TextEncoder().encode("tracker:ort-wasm");

function instantiateFrom(module: WebAssembly.Module): void {
  const original = WebAssembly.instantiate.bind(WebAssembly);
  const patched = (source: unknown, imports?: WebAssembly.Imports) => {
    if (ArrayBuffer.isView(source) && source.byteLength === MARKER.byteLength) {
      return original(module, imports).then((instance) => ({ instance, module }));
    }
    return (original as (s: unknown, i?: WebAssembly.Imports) => Promise<unknown>)(source, imports);
  };
  (WebAssembly as { instantiate: unknown }).instantiate = patched;
}

let loaded: Promise<OrtApi> | undefined;

/** Loads the runtime once per thread. `module` is the compiled ORT WebAssembly (ort-wasm.ts), web only. */
export function loadOrt(kind: OrtKind, module?: WebAssembly.Module): Promise<OrtApi> {
  loaded ??= kind === "node" ? loadNode() : loadWeb(module);
  return loaded;
}

async function loadWeb(module?: WebAssembly.Module): Promise<OrtApi> {
  if (!module) throw new Error("ONNX Runtime web needs its compiled WebAssembly module (compileOrtWasm)");
  // In a Worker started from a file: URL, location.origin is "null", which ORT's module-URL probing passes
  // to `new URL(..., origin)` and which Deno rejects; without a location ORT takes its non-browser path.
  if (globalThis.location?.origin === "null") {
    Object.defineProperty(globalThis, "location", { value: undefined, configurable: true });
  }
  const ort = await import("onnxruntime-web/wasm");
  ort.env.wasm.numThreads = 1;
  ort.env.logLevel = "error";
  instantiateFrom(module);
  ort.env.wasm.wasmBinary = MARKER;
  return ort;
}

async function loadNode(): Promise<OrtApi> {
  // A computed specifier keeps the bundler from following it: the native addon cannot be bundled.
  const specifier = ["npm:onnxruntime-node", "1.30.0"].join("@");
  return (await import(specifier)) as OrtApi;
}
