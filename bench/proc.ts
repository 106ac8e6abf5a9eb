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

interface Stat {
  ppid: number;
  ticks: number;
}

/** Parses /proc/<pid>/stat; the command name may hold spaces and parens, so split after the last ')'. */
function readStat(pid: number): Stat | null {
  try {
    const s = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const f = s.slice(s.lastIndexOf(")") + 2).split(" ");
    // Fields after the name start at field 3 (state): ppid is 4, utime 14, stime 15.
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) };
  } catch {
    return null; // process exited between listing and reading
  }
}

/** The root pid and all its live descendants. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of Deno.readDirSync("/proc")) {
    const pid = Number(e.name);
    if (!Number.isInteger(pid)) continue;
    const st = readStat(pid);
    if (!st) continue;
    const list = children.get(st.ppid) ?? [];
    list.push(pid);
    children.set(st.ppid, list);
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length) {
    const p = todo.pop()!;
    if (readStat(p) === null) continue;
    out.push(p);
    todo.push(...(children.get(p) ?? []));
  }
  return out;
}

/** utime+stime of the live tree, in ms. Exited children's time is lost unless the parent reaped them. */
export async function treeCpuMs(root: number): Promise<number> {
  const hz = await clockTicks();
  let ticks = 0;
  for (const pid of processTree(root)) ticks += readStat(pid)?.ticks ?? 0;
  return (ticks * 1000) / hz;
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
  for (const p of [...pids, ...processTree(root)]) if (readStat(p)) signal(p, "SIGKILL");
  await within(exited, 1000);
}

/** Waits for p, at most ms; clears its timer so it never holds the event loop open. */
async function within(p: Promise<unknown>, ms: number): Promise<void> {
  let t: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p, new Promise((r) => t = setTimeout(r, ms))]);
  clearTimeout(t);
}
