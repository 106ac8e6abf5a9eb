// Direct top-up of a server's store, for data the server could not take over REST before the phase
// deadline. Only MLflow needs it (its SQLite store is written by bench/mlflow_seed.py through
// MLflow's own ORM models); faster servers are topped up over REST instead.

import type { Kv, MetricPoint } from "./data.ts";

export interface TopUpRun {
  experiment_id: string;
  run_uuid: string;
  name: string;
  start_time: number;
  params: Kv[];
  metrics: MetricPoint[];
  tags: Kv[];
}

export interface TopUpRequest {
  runs: TopUpRun[];
  history: { run_uuid: string; points: MetricPoint[] } | null;
}

export type DirectTopUp = (req: TopUpRequest) => Promise<void>;

/** Writes into MLflow's SQLite file while its server runs (SQLite serialises the writers). */
export function mlflowTopUp(python: string, script: string, dbFile: string): DirectTopUp {
  return async (req) => {
    const child = new Deno.Command(python, {
      args: [script],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(JSON.stringify({ db: `sqlite:///${dbFile}`, ...req })));
    await w.close();
    const out = await child.output();
    if (!out.success) {
      const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(" ");
      throw new Error(`mlflow_seed.py failed: ${err}`);
    }
  };
}
