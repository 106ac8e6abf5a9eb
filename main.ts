// The `tracker` binary. The same module is the entry of every Worker it starts (the HTTP Workers of
// `tracker server -w N` and the prediction Workers of `tracker models serve`): starting Workers from this
// file keeps bundles and `deno compile` output self-contained.

import { defaultContext, runCli } from "./src/cli/mod.ts";
import type { Endpoint } from "./src/store/remote/mod.ts";
import { isWorkerThread } from "./src/server/workers/thread.ts";
import { SERVING_WORKER_NAME } from "./src/serving/worker-protocol.ts";

if (isWorkerThread()) {
  // What a Worker runs is imported on demand (serving code embeds ONNX Runtime's WebAssembly; the HTTP
  // role loads the whole server), so the CLI's start pays for neither. Messages that arrive while the
  // module loads are kept and replayed.
  const scope = globalThis as unknown as { onmessage: ((e: MessageEvent) => void) | null };
  const early: MessageEvent[] = [];
  scope.onmessage = (e) => early.push(e);
  if ((globalThis as { name?: string }).name === SERVING_WORKER_NAME) {
    const { runServingWorker } = await import("./src/serving/worker-entry.ts");
    runServingWorker();
    for (const e of early) scope.onmessage?.(e);
  } else {
    const { runWorkerRole } = await import("./src/server/workers/worker-role.ts");
    scope.onmessage = null;
    runWorkerRole(globalThis as unknown as Endpoint);
    for (const e of early) {
      globalThis.dispatchEvent(new MessageEvent("message", { data: e.data, ports: [...e.ports] }));
    }
  }
} else if (import.meta.main) {
  Deno.exit(await runCli(Deno.args, defaultContext(import.meta.url)));
}
