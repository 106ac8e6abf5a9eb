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

// ---- interrupts

/**
 * SIGINT (Ctrl-C) and SIGTERM: while tasks are registered, the signal runs them (flush metrics, end open
 * runs) and then exits with the shell's code for that signal, 128 + its number. A second signal during that
 * work exits at once. With no task registered the runtime's default applies (listeners are removed).
 */
export type InterruptSignal = "SIGINT" | "SIGTERM";
type InterruptTask = (signal: InterruptSignal) => Promise<void>;

export const INTERRUPT_EXIT_CODES: Record<InterruptSignal, number> = { SIGINT: 130, SIGTERM: 143 };
const SIGNALS: InterruptSignal[] = ["SIGINT", "SIGTERM"];

const interruptTasks = new Set<InterruptTask>();
let removeListeners: (() => void) | null = null;
let interrupted = false;

interface Runtime {
  Deno?: {
    addSignalListener(s: string, fn: () => void): void;
    removeSignalListener(s: string, fn: () => void): void;
    exit(code: number): never;
  };
  process?: {
    on(s: string, fn: () => void): void;
    off(s: string, fn: () => void): void;
    exit(code: number): never;
  };
}

function exitNow(code: number): void {
  const g = globalThis as Runtime;
  if (g.Deno) g.Deno.exit(code);
  else g.process?.exit(code);
}

async function onSignal(signal: InterruptSignal): Promise<void> {
  if (interrupted) return exitNow(INTERRUPT_EXIT_CODES[signal]);
  interrupted = true;
  for (const task of [...interruptTasks]) {
    interruptTasks.delete(task);
    try {
      await task(signal);
    } catch (e) {
      console.error(`tracker client: on ${signal}: ${(e as Error)?.message ?? e}`);
    }
  }
  exitNow(INTERRUPT_EXIT_CODES[signal]);
}

function listen(): void {
  if (removeListeners) return;
  const g = globalThis as Runtime;
  const added: [InterruptSignal, () => void][] = [];
  for (const s of SIGNALS) {
    const fn = () => void onSignal(s);
    try {
      if (g.Deno) g.Deno.addSignalListener(s, fn);
      else if (g.process) g.process.on(s, fn);
      else continue;
      added.push([s, fn]);
    } catch {
      // SIGTERM cannot be listened to on Windows; Ctrl-C still is.
    }
  }
  removeListeners = () => {
    for (const [s, fn] of added) {
      if (g.Deno) g.Deno.removeSignalListener(s, fn);
      else g.process?.off(s, fn);
    }
  };
}

/** Registers `task` to run on SIGINT/SIGTERM before the process exits; returns its unregister function. */
export function onInterrupt(task: InterruptTask): () => void {
  interruptTasks.add(task);
  listen();
  return () => {
    interruptTasks.delete(task);
    if (interruptTasks.size === 0 && !interrupted) {
      removeListeners?.();
      removeListeners = null;
    }
  };
}
