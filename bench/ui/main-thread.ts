// Main-thread task times of a page from a Chromium trace: wall time and the thread's CPU time per task.
// The long-task observer reports wall time only, which on a loaded machine mostly measures waiting for a
// core; CPU time says how much work the page itself put into the task.

import type { Page } from "../../tests/browser/support/browser.ts";

export interface TaskTimes {
  /** Wall-clock duration per main-thread task, ms. */
  wall: number[];
  /** CPU time of the renderer's main thread per task, ms. */
  cpu: number[];
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/** Runs `f` while tracing the page, then returns the page's main-thread tasks. */
export async function mainThreadTasks(page: Page, f: () => Promise<void>): Promise<TaskTimes> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on("Tracing.dataCollected", (e) => events.push(...(e.value as unknown as TraceEvent[])));
  const complete = new Promise((resolve) => cdp.once("Tracing.tracingComplete", resolve));
  await cdp.send("Tracing.start", {
    categories: "toplevel,devtools.timeline,disabled-by-default-devtools.timeline",
    transferMode: "ReportEvents",
  });
  try {
    await f();
  } finally {
    await cdp.send("Tracing.end");
    await complete;
    await cdp.detach();
  }
  // The page's renderer main thread is the busiest one of that name (others: about:blank, workers).
  const mains = events.filter((e) => e.name === "thread_name" && e.args?.name === "CrRendererMain");
  let best: TraceEvent | undefined, bestCount = -1;
  for (const m of mains) {
    const n = events.reduce((a, e) => a + (e.pid === m.pid && e.tid === m.tid ? 1 : 0), 0);
    if (n > bestCount) [best, bestCount] = [m, n];
  }
  const tasks = events.filter((e) =>
    best && e.pid === best.pid && e.tid === best.tid && e.ph === "X" && e.name === "RunTask"
  );
  return {
    wall: tasks.map((t) => (t.dur ?? 0) / 1000),
    cpu: tasks.map((t) => (t.tdur ?? 0) / 1000),
  };
}

/** "N > 50 ms, max M ms" for a list of task times. */
export function overBudget(times: number[], limit = 50): string {
  const over = times.filter((t) => t > limit).length;
  return `${over} > ${limit} ms, max ${Math.round(Math.max(0, ...times))} ms`;
}
