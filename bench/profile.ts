// CPU profiles of tracker's main isolate per phase (`--profile`), through the V8 inspector that
// `deno run --inspect` opens: Profiler.start/stop over the DevTools protocol, then self time summed
// by function and by source file. Answers "what is the server busy with" when a row misses.

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled ms on the isolate's thread that were not idle. */
  busyMs: number;
  topFunctions: { name: string; ms: number }[];
  topFiles: { file: string; ms: number }[];
}

export class InspectorProfiler {
  #id = 0;
  #pending = new Map<number, (r: unknown) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.onmessage = (e) => {
      const m = JSON.parse(e.data as string);
      if (m.id !== undefined) this.#pending.get(m.id)?.(m.result ?? m.error);
    };
  }

  /** Connects to the inspector listening on port (retries while the server starts up). */
  static async connect(port: number): Promise<InspectorProfiler> {
    let url = "";
    for (let i = 0; i < 100 && !url; i++) {
      try {
        const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json();
        url = list[0]?.webSocketDebuggerUrl ?? "";
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    if (!url) throw new Error(`no inspector on port ${port}`);
    const ws = new WebSocket(url);
    await new Promise((ok, fail) => {
      ws.onopen = ok;
      ws.onerror = () => fail(new Error("inspector websocket failed"));
    });
    const p = new InspectorProfiler(ws);
    await p.call("Profiler.enable");
    await p.call("Profiler.setSamplingInterval", { interval: 200 }); // µs
    return p;
  }

  call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = ++this.#id;
    return new Promise((resolve) => {
      this.#pending.set(id, (r) => {
        this.#pending.delete(id);
        resolve(r);
      });
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  start(): Promise<unknown> {
    return this.call("Profiler.start");
  }

  async stop(): Promise<ProfileSummary> {
    const r = await this.call("Profiler.stop") as { profile?: CpuProfile };
    if (!r.profile) throw new Error("Profiler.stop returned no profile");
    return summarize(r.profile);
  }

  /** V8 heap in use / allocated (MB), for telling JS heap from native memory in RSS. */
  async heap(): Promise<{ usedMb: number; totalMb: number }> {
    await this.call("Runtime.enable");
    const r = await this.call("Runtime.getHeapUsage") as { usedSize: number; totalSize: number };
    return { usedMb: r.usedSize / 2 ** 20, totalMb: r.totalSize / 2 ** 20 };
  }

  /** A full GC, to see how much of RSS was garbage not yet collected. */
  async collectGarbage(): Promise<void> {
    await this.call("HeapProfiler.collectGarbage");
  }

  /** Lets a process started with --inspect-wait run its code. */
  run(): Promise<unknown> {
    return this.call("Runtime.runIfWaitingForDebugger");
  }

  close() {
    this.ws.close();
  }
}

function shortUrl(url: string): string {
  if (!url) return "(native)";
  const src = url.indexOf("/src/");
  if (src >= 0) return url.slice(src + 1);
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) return url.slice(nm + 13).replace(/^\.deno\//, "");
  return url.replace(/^file:\/\/\/?/, "").split("/").slice(-2).join("/");
}

/** Self time per function and per file; each sample is charged the delta that follows it. */
export function summarize(p: CpuProfile, top = 8): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const fn = new Map<string, number>(), file = new Map<string, number>();
  let busy = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i]);
    const us = p.timeDeltas[i + 1] ?? 0;
    if (!node || node.callFrame.functionName === "(idle)") continue;
    busy += us;
    const f = node.callFrame;
    const where = shortUrl(f.url);
    const name = `${f.functionName || "(anonymous)"} ${where}${f.url ? ":" + (f.lineNumber + 1) : ""}`;
    fn.set(name, (fn.get(name) ?? 0) + us);
    file.set(where, (file.get(where) ?? 0) + us);
  }
  const topOf = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, us]) =>
      [k, Math.round(us / 100) / 10] as const
    );
  return {
    busyMs: Math.round(busy / 1000),
    topFunctions: topOf(fn).map(([name, ms]) => ({ name, ms })),
    topFiles: topOf(file).map(([file, ms]) => ({ file, ms })),
  };
}
