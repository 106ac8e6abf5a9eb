// Work to finish before the process exits on its own (event loop empty): flushing metric buffers and
// ending runs left open. Deno's `beforeunload` and Node's `beforeExit` both allow async work there
// (`unload`/`exit` do not). An explicit Deno.exit()/process.exit() skips them: call endRun() first.

type Task = () => Promise<void>;

const tasks = new Set<Task>();
let installed = false;
let running = false;

/** Registers `task`; returns a function that unregisters it. */
export function atExit(task: Task): () => void {
  install();
  tasks.add(task);
  return () => tasks.delete(task);
}

async function runTasks(): Promise<void> {
  if (running || tasks.size === 0) return;
  running = true;
  try {
    for (const task of [...tasks]) {
      tasks.delete(task);
      try {
        await task();
      } catch (e) {
        console.error(`tracker client: at exit: ${(e as Error)?.message ?? e}`);
      }
    }
  } finally {
    running = false;
  }
}

function install(): void {
  if (installed) return;
  installed = true;
  const g = globalThis as {
    Deno?: unknown;
    addEventListener?: (type: string, fn: () => void) => void;
    process?: { on?: (event: string, fn: () => void) => void };
  };
  // Starting async work here keeps the process alive until it is done; the event fires again afterwards.
  if (g.Deno && g.addEventListener) g.addEventListener("beforeunload", () => void runTasks());
  else g.process?.on?.("beforeExit", () => void runTasks());
}
