// Which engine runs ONNX models. `js` is tracker's own TypeScript engine (src/serving/onnx-js/): no
// WebAssembly to compile, so a server starts in a fraction of the time, but it runs only the ops it
// implements (what skl2onnx emits for common estimators). `web` (ONNX Runtime's WebAssembly, embedded in the
// program) runs any model everywhere, including a bundle or compiled binary run from an empty folder;
// `node` (the native addon) is faster per call but cannot be bundled, so it is only reachable when running
// from source with npm packages available. `auto` (the default) takes `js` when the model is fully
// supported by it and `web` otherwise.

// The WebAssembly bytes live in ort-wasm.ts: only the serving thread compiles them; Workers receive the
// compiled module and never load the 14 MB.

import type * as Ort from "onnxruntime-web/wasm";
import type { OnnxEngine, RuntimeSession, RuntimeTensor, SessionOptions } from "./onnx-model.ts";

export type OrtApi = typeof Ort;
export type EngineKind = "js" | "web" | "node";
export type EngineSetting = EngineKind | "auto";

/** Parses TRACKER_ONNX_RUNTIME: auto (default), js, web (or wasm), node (or native). */
export function engineSettingFromEnv(value: string | undefined): EngineSetting {
  const v = (value ?? "").trim().toLowerCase();
  if (v === "" || v === "auto") return "auto";
  if (v === "js") return "js";
  if (v === "web" || v === "wasm") return "web";
  if (v === "node" || v === "native") return "node";
  throw new Error(`TRACKER_ONNX_RUNTIME must be 'auto', 'js', 'web' or 'node', got '${value}'`);
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

/** Loads ONNX Runtime once per thread. `module` is the compiled ORT WebAssembly (ort-wasm.ts), web only. */
export function loadOrt(kind: "web" | "node", module?: WebAssembly.Module): Promise<OrtApi> {
  loaded ??= kind === "node" ? loadNode() : loadWeb(module);
  return loaded;
}

/** ONNX Runtime behind the interface OnnxModel runs models through. */
export async function ortEngine(kind: "web" | "node", module?: WebAssembly.Module): Promise<OnnxEngine> {
  const ort = await loadOrt(kind, module);
  return {
    name: `onnxruntime-${kind}`,
    byPath: kind === "node",
    takesExternalData: kind === "web",
    tensor: (type, data, dims) =>
      new ort.Tensor(type as "float32", data as Float32Array, dims) as unknown as RuntimeTensor,
    createSession: async (model: Uint8Array | string, options: SessionOptions) => {
      const opts = { ...options, intraOpNumThreads: 1, interOpNumThreads: 1 };
      const session = typeof model === "string"
        ? await ort.InferenceSession.create(model, opts)
        : await ort.InferenceSession.create(model, opts);
      return {
        inputMetadata: session.inputMetadata.map((m) => ({
          name: m.name,
          isTensor: m.isTensor,
          type: m.isTensor ? m.type : undefined,
        })),
        outputMetadata: session.outputMetadata.map((m) => ({ name: m.name, isTensor: m.isTensor })),
        outputNames: session.outputNames,
        run: (feeds) =>
          session.run(feeds as unknown as Record<string, Ort.Tensor>) as Promise<
            Record<string, RuntimeTensor>
          >,
        release: () => session.release(),
      } satisfies RuntimeSession;
    },
  };
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
