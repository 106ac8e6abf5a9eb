// Linux /proc readings for a server's whole process tree: CPU ticks, resident memory, and a
// tree-wide stop. MLflow forks uvicorn workers and a job runner, so the root pid alone undercounts.

let clkTck = 0;

/** Clock ticks per second of utime/stime (getconf CLK_TCK; 100 on every Linux we run). */
export async function clockTicks(): Promise<number> {
  if (clkTck) return clkTck;
  try {
    const out = await new Deno.Command("getconf", { args: ["CLK_TCK"], stdout: "piped", stderr: "null" })
      .output();
    clkTck = Number(new TextDecoder().decode(out.stdout).trim()) || 100;
  } catch {
    clkTck = 100;
  }
  return clkTck;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parens, so split after the last ')'. */
function readTicks(pid: number): number | null {
  try {
    const s = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    // Fields after the name start at field 3 (state): utime is field 14, stime 15.
    return Number(f[11]) + Number(f[12]);
  } catch {
    return null; // process exited between listing and reading
  }
}

/** Direct children of pid, from /proc/<pid>/task/<tid>/children (no full /proc scan). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const t of Deno.readDirSync(`/proc/${pid}/task`)) {
      try {
        const txt = Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/children`).trim();
        if (txt) out.push(...txt.split(" ").map(Number));
      } catch { /* thread exited */ }
    }
  } catch { /* process exited */ }
  return out;
}

/** The root pid and all its live descendants. */
export function processTree(root: number): number[] {
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const p = todo.pop()!;
    if (readTicks(p) === null) continue;
    out.push(p);
    todo.push(...childrenOf(p));
  }
  return out;
}

/** utime+stime in ms of root alone, or (tree) of root and its live descendants. */
export async function cpuMs(root: number, tree = true): Promise<number> {
  const hz = await clockTicks();
  let ticks = 0;
  for (const pid of tree ? processTree(root) : [root]) ticks += readTicks(pid) ?? 0;
  return (ticks * 1000) / hz;
}

/** Runqueue wait (ns) per live thread, keyed "pid/tid": /proc/<pid>/task/<tid>/schedstat field 2. */
export type WaitSnapshot = Map<string, number>;

export function runqueueWait(root: number, tree = true): WaitSnapshot {
  const out: WaitSnapshot = new Map();
  for (const pid of tree ? processTree(root) : [root]) {
    try {
      for (const t of Deno.readDirSync(`/proc/${pid}/task`)) {
        try {
          const f = Deno.readTextFileSync(`/proc/${pid}/task/${t.name}/schedstat`).split(" ");
          out.set(`${pid}/${t.name}`, Number(f[1]));
        } catch { /* thread exited */ }
      }
    } catch { /* process exited */ }
  }
  return out;
}

/**
 * Time (ms) threads spent runnable but waiting for a CPU between two snapshots: on this shared
 * 2-core machine, the wall time lost to other load. Threads that exited in between are left out
 * (their counters vanish), new threads count from zero.
 */
export function waitDeltaMs(before: WaitSnapshot, after: WaitSnapshot): number {
  let ns = 0;
  for (const [k, v] of after) ns += v - (before.get(k) ?? 0);
  return ns / 1e6;
}

function statusKb(pid: number, field: string): number {
  try {
    const m = Deno.readTextFileSync(`/proc/${pid}/status`).match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface Memory {
  rssMb: number;
  hwmMb: number;
  processes: number;
}

/** VmRSS and VmHWM summed over the tree (shared pages count once per process, as `ps` would). */
export function treeMemory(root: number): Memory {
  const pids = processTree(root);
  let rss = 0, hwm = 0;
  for (const p of pids) {
    rss += statusKb(p, "VmRSS");
    hwm += statusKb(p, "VmHWM");
  }
  return { rssMb: rss / 1024, hwmMb: hwm / 1024, processes: pids.length };
}

function signal(pid: number, sig: Deno.Signal) {
  try {
    Deno.kill(pid, sig);
  } catch { /* already gone */ }
}

/**
 * Stops a server tree we spawned: SIGTERM to the root, then SIGKILL to any pid of the tree as
 * captured before the signal (children may have been re-parented to init by then).
 */
export async function stopTree(root: number, exited: Promise<unknown>, graceMs = 5000): Promise<void> {
  const pids = processTree(root);
  signal(root, "SIGTERM");
  await within(exited, graceMs);
  for (const p of [...pids, ...processTree(root)]) if (readTicks(p) !== null) signal(p, "SIGKILL");
  await within(exited, 1000);
}

/** Waits for p, at most ms; clears its timer so it never holds the event loop open. */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let t: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p, new Promise((r) => t = setTimeout(r, ms))]);
  clearTimeout(t);
}
