/// <reference lib="dom" />
// Metrics a running run starts logging after the page loaded get their charts without a reload: every few
// seconds the running runs are read again (MLflow's runs/get) and keys not seen before join the list. A run
// that has ended is not read again; with none left running, the polling stops.

import { useEffect, useState } from "preact/hooks";
import type { Api } from "../../lib/api.ts";
import type { ChartRun } from "./chart-panel.tsx";

const KEYS_POLL_MS = 10_000;
/** Bound on the reads per poll: a chart view of many running runs checks the first of them. */
const MAX_POLLED_RUNS = 20;

interface RunGet {
  run: { info: { status: string }; data: { metrics?: { key: string }[] } };
}

/** The key list, grown by the keys running runs log later; `keep` picks the keys this view charts. */
export function useLiveKeys(
  api: Api,
  runs: ChartRun[],
  initial: string[],
  keep: (key: string) => boolean,
  order: (keys: string[]) => string[],
): string[] {
  const [keys, setKeys] = useState(initial);
  const running = runs.filter((r) => r.running).slice(0, MAX_POLLED_RUNS).map((r) => r.id);
  const runningKey = running.join(",");
  useEffect(() => {
    if (!running.length) return;
    const left = new Set(running);
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      const found = new Set<string>();
      for (const id of [...left]) {
        try {
          const r = await api.get<RunGet>("/ajax-api/2.0/mlflow/runs/get", { run_id: id });
          if (r.run.info.status !== "RUNNING") left.delete(id);
          for (const m of r.run.data.metrics ?? []) if (keep(m.key)) found.add(m.key);
        } catch { /* a failed read is retried on the next tick */ }
      }
      busy = false;
      setKeys((cur) => {
        const added = [...found].filter((k) => !cur.includes(k));
        return added.length ? order([...cur, ...added]) : cur;
      });
      if (!left.size) clearInterval(timer);
    };
    const timer = setInterval(tick, KEYS_POLL_MS);
    return () => clearInterval(timer);
  }, [runningKey]);
  return keys;
}
