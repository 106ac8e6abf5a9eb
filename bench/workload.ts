// The one workload every server gets, phase by phase, through the MLflow REST API. Each phase
// records wall time, request count and the server tree's CPU time; a failing phase yields an
// error string instead of a number, and phases that depend on it fail with that reason.

import type { Sizes } from "./config.ts";
import { Rest } from "./http.ts";
import { runLoop } from "./load.ts";
import { treeCpuMs } from "./proc.ts";
import { median, prng, quantile } from "./stats.ts";

export const PHASES = [
  "createRuns",
  "logBatch",
  "logMetricSeq",
  "logMetricConc",
  "seed",
  "search",
  "history",
  "bulkInterval",
] as const;
export type Phase = typeof PHASES[number];

export interface PhaseResult {
  /** The row's number (rate or median ms); null when the phase failed. */
  value: number | null;
  error?: string;
  /** e.g. that a deadline capped the phase, or how much data a read covered. */
  note?: string;
  requests: number;
  elapsedMs: number;
  serverCpuMs: number;
  cpuMsPerReq: number | null;
  extra?: Record<string, unknown>;
}

interface Outcome {
  value: number;
  requests: number;
  note?: string;
  extra?: Record<string, unknown>;
}

const msg = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 300);

/** Wraps one phase: wall clock, server CPU before/after, and errors turned into results. */
async function measure(pid: number, fn: () => Promise<Outcome>): Promise<PhaseResult> {
  const cpu0 = await treeCpuMs(pid);
  const t0 = performance.now();
  try {
    const o = await fn();
    const elapsedMs = performance.now() - t0;
    const serverCpuMs = (await treeCpuMs(pid)) - cpu0;
    return {
      value: o.value,
      note: o.note,
      requests: o.requests,
      elapsedMs,
      serverCpuMs,
      cpuMsPerReq: o.requests ? serverCpuMs / o.requests : null,
      extra: o.extra,
    };
  } catch (e) {
    return {
      value: null,
      error: msg(e),
      requests: 0,
      elapsedMs: performance.now() - t0,
      serverCpuMs: (await treeCpuMs(pid)) - cpu0,
      cpuMsPerReq: null,
    };
  }
}

interface RunResponse {
  run: { info: { run_id: string } };
}

interface Seeded {
  name: string;
  m0: number;
  m1: number;
  p1: string;
}

const capNote = (capped: boolean, done: number, total: number, s: number) =>
  capped ? `capped at ${s}s: ${done} of ${total}` : undefined;

export class Workload {
  private readonly rest: Rest;
  private readonly deadlineMs: number;
  private readonly t0 = Date.now();
  private historyRun = "";
  private historyPoints = 0;
  private seeded: Seeded[] = [];
  private searchExp = "";

  constructor(base: string, private readonly pid: number, private readonly s: Sizes) {
    this.rest = new Rest(base);
    this.deadlineMs = s.phaseTimeoutS * 1000;
  }

  async run(log: (line: string) => void): Promise<Record<Phase, PhaseResult>> {
    const out = {} as Record<Phase, PhaseResult>;
    for (const p of PHASES) {
      out[p] = await measure(this.pid, () => this[p]());
      const r = out[p];
      log(
        `  ${p.padEnd(14)} ${
          r.value === null ? "n/a: " + r.error : r.value.toFixed(r.value < 10 ? 2 : 0)
        } (${r.requests} req, ${(r.elapsedMs / 1000).toFixed(1)}s, server cpu ${
          (r.serverCpuMs / 1000).toFixed(1)
        }s)${r.note ? " " + r.note : ""}`,
      );
    }
    return out;
  }

  private async experiment(tag: string): Promise<string> {
    const r = await this.rest.post<{ experiment_id: string }>("experiments/create", {
      name: `bench-${tag}-${this.t0}`,
    });
    return r.experiment_id;
  }

  /** Body of runs/create as the Python client sends it (tags carry user and source). */
  private async createRun(experimentId: string, name: string): Promise<string> {
    const r = await this.rest.post<RunResponse>("runs/create", {
      experiment_id: experimentId,
      user_id: "bench",
      run_name: name,
      start_time: Date.now(),
      tags: [
        { key: "mlflow.user", value: "bench" },
        { key: "mlflow.source.name", value: "bench.py" },
        { key: "mlflow.source.type", value: "LOCAL" },
      ],
    });
    return r.run.info.run_id;
  }

  private async createRuns(): Promise<Outcome> {
    const exp = await this.experiment("create");
    const total = this.s.createRuns;
    const r = await runLoop({ total, clients: 1, deadlineMs: this.deadlineMs }, async (i) => {
      await this.createRun(exp, `run-${i}`);
    });
    return {
      value: r.done / (r.elapsedMs / 1000),
      requests: r.done,
      note: capNote(r.capped, r.done, total, this.s.phaseTimeoutS),
    };
  }

  /** Also seeds the history read phases: steps 0..N-1 of metric "loss" in one run. */
  private async logBatch(): Promise<Outcome> {
    const exp = await this.experiment("batch");
    const run = await this.createRun(exp, "history");
    const B = this.s.batchSize, total = this.s.logBatches, ts = Date.now();
    const r = await runLoop({ total, clients: 1, deadlineMs: this.deadlineMs }, async (i) => {
      const metrics = new Array(B);
      for (let j = 0; j < B; j++) {
        const step = i * B + j;
        metrics[j] = {
          key: "loss",
          value: Math.exp(-step / 20000) + (step % 7) / 100,
          timestamp: ts + step,
          step,
        };
      }
      await this.rest.post("runs/log-batch", { run_id: run, metrics });
    });
    this.historyRun = run;
    this.historyPoints = r.done * B;
    return {
      value: this.historyPoints / (r.elapsedMs / 1000),
      requests: r.done,
      note: capNote(r.capped, r.done, total, this.s.phaseTimeoutS),
    };
  }

  private logMetric(run: string, key: string, step: number): Promise<unknown> {
    return this.rest.post("runs/log-metric", {
      run_id: run,
      run_uuid: run,
      key,
      value: step * 0.5,
      timestamp: Date.now(),
      step,
    });
  }

  private async logMetricSeq(): Promise<Outcome> {
    const exp = await this.experiment("metric");
    const run = await this.createRun(exp, "seq");
    const total = this.s.logMetricSeq;
    const r = await runLoop(
      { total, clients: 1, deadlineMs: this.deadlineMs, latencies: true },
      async (i) => void await this.logMetric(run, "acc", i),
    );
    return {
      value: r.done / (r.elapsedMs / 1000),
      requests: r.done,
      note: capNote(r.capped, r.done, total, this.s.phaseTimeoutS),
      extra: { p50Ms: quantile(r.latencies, 0.5), p99Ms: quantile(r.latencies, 0.99) },
    };
  }

  /** Each client logs to its own run, like parallel training jobs. */
  private async logMetricConc(): Promise<Outcome> {
    const exp = await this.experiment("conc");
    const runs: string[] = [];
    for (let c = 0; c < this.s.clients; c++) runs.push(await this.createRun(exp, `conc-${c}`));
    const total = this.s.logMetricConc;
    const r = await runLoop(
      { total, clients: this.s.clients, deadlineMs: this.deadlineMs, latencies: true },
      async (i, c) => void await this.logMetric(runs[c], "acc", i),
    );
    return {
      value: r.done / (r.elapsedMs / 1000),
      requests: r.done,
      note: capNote(r.capped, r.done, total, this.s.phaseTimeoutS),
      extra: { p50Ms: quantile(r.latencies, 0.5), p99Ms: quantile(r.latencies, 0.99) },
    };
  }

  /** Runs for the search phase: create + log-batch of 5 params and 5 metrics, 8 clients. */
  private async seed(): Promise<Outcome> {
    this.searchExp = await this.experiment("search");
    const total = this.s.seedRuns;
    const seeded: Seeded[] = [];
    const r = await runLoop({ total, clients: this.s.clients, deadlineMs: this.deadlineMs }, async (i) => {
      const name = `s-${i}`;
      const id = await this.createRun(this.searchExp, name);
      const rnd = prng(i + 1);
      const m = [0, 1, 2, 3, 4].map(() => Math.round(rnd() * 1e6) / 1e6);
      const p = [0, 1, 2, 3, 4].map((k) => `v${i % (k + 6)}`);
      const ts = Date.now();
      await this.rest.post("runs/log-batch", {
        run_id: id,
        params: p.map((value, k) => ({ key: `p${k}`, value })),
        metrics: m.map((value, k) => ({ key: `m${k}`, value, timestamp: ts, step: 0 })),
      });
      seeded.push({ name, m0: m[0], m1: m[1], p1: p[1] });
    });
    this.seeded = seeded;
    return {
      value: r.done / (r.elapsedMs / 1000),
      requests: r.done * 2,
      note: capNote(r.capped, r.done, total, this.s.phaseTimeoutS),
      extra: { runs: r.done },
    };
  }

  private async search(): Promise<Outcome> {
    if (!this.seeded.length) throw new Error("nothing seeded (seed phase failed)");
    const filter = "metrics.m0 > 0.5 AND params.p1 = 'v3'";
    const orderBy = "metrics.m1 DESC";
    const max = this.s.searchMaxResults;
    const expected = this.seeded.filter((r) => r.m0 > 0.5 && r.p1 === "v3")
      .sort((a, b) => b.m1 - a.m1).slice(0, max).map((r) => r.name);
    const times: number[] = [];
    for (let k = 0; k < this.s.searchReps; k++) {
      const t = performance.now();
      const res = await this.rest.post<{ runs?: { info: { run_name: string } }[] }>("runs/search", {
        experiment_ids: [this.searchExp],
        filter,
        order_by: [orderBy],
        max_results: max,
        run_view_type: "ACTIVE_ONLY",
      });
      times.push(performance.now() - t);
      const got = (res.runs ?? []).map((r) => r.info.run_name);
      if (got.join() !== expected.join()) {
        throw new Error(
          `wrong result: ${got.length} runs (first ${got[0]}), want ${expected.length} (${expected[0]})`,
        );
      }
    }
    return {
      value: median(times),
      requests: times.length,
      note: `${this.seeded.length} runs, ${expected.length} returned`,
      extra: { firstMs: times[0], filter, orderBy, maxResults: max },
    };
  }

  /** Reads the whole history like the Python client: pages of 25000 following next_page_token. */
  private async history(): Promise<Outcome> {
    if (!this.historyRun) throw new Error("no history run (log-batch phase failed)");
    const times: number[] = [];
    let requests = 0;
    for (let k = 0; k < this.s.historyReps; k++) {
      const t = performance.now();
      let token: string | undefined, n = 0;
      do {
        const res = await this.rest.get<{ metrics?: unknown[]; next_page_token?: string }>(
          "metrics/get-history",
          {
            run_id: this.historyRun,
            run_uuid: this.historyRun,
            metric_key: "loss",
            max_results: 25000,
            page_token: token,
          },
        );
        requests++;
        n += res.metrics?.length ?? 0;
        token = res.next_page_token || undefined;
      } while (token);
      times.push(performance.now() - t);
      if (n !== this.historyPoints) throw new Error(`wrong result: ${n} points, want ${this.historyPoints}`);
    }
    return {
      value: median(times),
      requests,
      note: `${this.historyPoints} points`,
      extra: { firstMs: times[0] },
    };
  }

  private async bulkInterval(): Promise<Outcome> {
    if (!this.historyRun) throw new Error("no history run (log-batch phase failed)");
    const times: number[] = [];
    let points = 0;
    for (let k = 0; k < this.s.bulkReps; k++) {
      const t = performance.now();
      const res = await this.rest.get<{ metrics?: { step: number }[] }>("metrics/get-history-bulk-interval", {
        run_ids: [this.historyRun],
        metric_key: "loss",
        max_results: 2500,
      });
      times.push(performance.now() - t);
      const steps = (res.metrics ?? []).map((m) => Number(m.step));
      points = steps.length;
      const last = this.historyPoints - 1;
      if (!steps.length || points > 2502 || !steps.includes(0) || !steps.includes(last)) {
        throw new Error(`wrong result: ${points} points, want ≤2500 incl. steps 0 and ${last}`);
      }
    }
    return {
      value: median(times),
      requests: times.length,
      note: `${points} of ${this.historyPoints} points`,
      extra: { firstMs: times[0] },
    };
  }
}
