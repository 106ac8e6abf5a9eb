// The load client's own ceiling: the log-metric loops against a no-op Deno server on the same
// machine. Single-client rows cannot exceed it whatever the server does, so it bounds the
// "≥ 2× FastTrackML" targets of the fast rows.

import { Rest } from "./http.ts";
import { runLoop } from "./load.ts";
import { stopTree } from "./proc.ts";
import { freePort, waitHealthy } from "./servers.ts";

export interface Ceiling {
  sequentialReqS: number;
  concurrentReqS: number;
  clients: number;
}

export async function clientCeiling(requests: number, clients: number): Promise<Ceiling> {
  const port = freePort();
  const script = new URL("./noop_server.ts", import.meta.url).pathname;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, String(port)],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitHealthy(base, child.status, 30);
    const rest = new Rest(base);
    const body = (i: number) => ({
      run_id: "0123456789abcdef0123456789abcdef",
      key: "acc",
      value: i,
      timestamp: Date.now(),
      step: i,
    });
    const rate = async (c: number) => {
      const r = await runLoop({ total: requests, clients: c, deadlineMs: 20_000 }, async (i) => {
        await rest.post("runs/log-metric", body(i));
      });
      return r.done / (r.elapsedMs / 1000);
    };
    return { sequentialReqS: await rate(1), concurrentReqS: await rate(clients), clients };
  } finally {
    await stopTree(child.pid, child.status);
  }
}
