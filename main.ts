// The `tracker` binary. The same module is the entry of every Worker it starts (the HTTP Workers of
// `tracker server -w N` and the prediction Workers of `tracker models serve`): starting Workers from this
// file keeps bundles and `deno compile` output self-contained.

import { defaultContext, runCli } from "./src/cli/mod.ts";
import type { Endpoint } from "./src/store/remote/mod.ts";
import { isWorkerThread, runWorkerRole } from "./src/server/workers/worker-role.ts";
import { SERVING_WORKER_NAME } from "./src/serving/worker-protocol.ts";

if (isWorkerThread() && (globalThis as { name?: string }).name === SERVING_WORKER_NAME) {
  // Serving code (with the embedded ONNX Runtime WebAssembly) is imported only here and by
  // `models serve`, so the tracking server never decodes it. Messages that arrive meanwhile are replayed.
  const scope = globalThis as unknown as { onmessage: ((e: MessageEvent) => void) | null };
  const early: MessageEvent[] = [];
  scope.onmessage = (e) => early.push(e);
  const { runServingWorker } = await import("./src/serving/worker-entry.ts");
  runServingWorker();
  for (const e of early) scope.onmessage?.(e);
} else if (isWorkerThread()) {
  runWorkerRole(globalThis as unknown as Endpoint);
} else if (import.meta.main) {
  Deno.exit(await runCli(Deno.args, defaultContext(import.meta.url)));
}
