// Which kind of thread this is, without loading what the thread will run.

/** True inside a Web Worker (Deno's main thread has no WorkerGlobalScope). */
export function isWorkerThread(): boolean {
  const scope = (globalThis as { WorkerGlobalScope?: new () => unknown }).WorkerGlobalScope;
  return typeof scope === "function" && globalThis instanceof scope;
}
