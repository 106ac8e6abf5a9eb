// ONNX Runtime's WebAssembly, embedded in the program. Only the serving thread imports this module: the
// bytes are compiled once and the compiled module is posted to every Worker (which then shares the code
// V8 compiles lazily while the first session loads).

// A static import on purpose: bundled, a dynamic import of these bytes goes through esbuild's __toESM, which
// copies all 14M indices of the array one by one and stalls for minutes.
import wasmBinary from "onnxruntime-web/ort-wasm-simd-threaded.wasm" with { type: "bytes" };

export function compileOrtWasm(): Promise<WebAssembly.Module> {
  return WebAssembly.compile(wasmBinary);
}
