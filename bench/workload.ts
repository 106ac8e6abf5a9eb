// The one workload every server gets, phase by phase, through the MLflow REST API. Each phase
// records wall time, request count and the server tree's CPU time; a failing phase yields an
// error string instead of a number, and phases that depend on it fail with that reason.
// Write phases stop at a deadline; before the read phases, topUp() completes the data they need
// (10k runs, 100k points) untimed, so every server is read over the same data.

import type { Sizes } from "./config.ts";
import {
  expectedSearch,
  HISTORY_KEY,
  historyPoints,
  RUN_TAGS,
  SEARCH_FILTER,
  SEARCH_ORDER_BY,
  type SearchRun,
  searchRun,
} from "./data.ts";
import { parse, Rest } from "./http.ts";
import { runLoop } from "./load.ts";
import { cpuMs, runqueueWait, waitDeltaMs } from "./proc.ts";
import type { InspectorProfiler, ProfileSummary } from "./profile.ts";
import { median, quantile } from "./stats.ts";
import type { DirectTopUp, TopUpRun } from "./topup.ts";

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
  /** Time the server's threads waited for a CPU (other load on the machine, or the client). */
  serverWaitMs: number;
  /** The same two for the load client (this process). */
  clientCpuMs: number;
  clientWaitMs: number;
  extra?: Record<string, unknown>;
  /** Tracker's sampled CPU profile of the phase, under --profile. */
  profile?: ProfileSummary | { error: string };
}

interface Outcome {
  value: number;
  requests: number;
  note?: string;
  extra?: Record<string, unknown>;
}

const msg = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 300);

interface RunResponse {
  run: { info: { run_id: string } };
}

/** REST top-up of slow-but-not-hopeless servers is bounded too (bench must end by itself). */
const REST_TOPUP_S = 300;

export class Workload {
  private readonly rest: Rest;
  private readonly deadlineMs: number;
  private readonly t0 = Date.now();
  private historyRun = "";
  private historyPoints = 0;
  private searchExp = "";
  /** Search runs fully stored (create + log-batch answered), by index. */
  private seeded = new Map<number, SearchRun>();

  constructor(
    base: string,
    private readonly pid: number,
    private readonly s: Sizes,
    private readonly direct?: DirectTopUp,
  ) {
    this.rest = new Rest(base);
    this.deadlineMs = s.phaseTimeoutS * 1000;
  }

  /** Runs one phase: wall clock, server CPU before/after, and errors turned into results. */
  async phase(p: Phase, profiler?: InspectorProfiler): Promise<PhaseResult> {
    await profiler?.start();
    const before = await this.usage();
    const t0 = performance.now();
    let o: Outcome | null = null, error: string | undefined;
    try {
      o = await this[p]();
    } catch (e) {
      error = msg(e);
    }
    const elapsedMs = performance.now() - t0;
    const after = await this.usage();
    const profile = await profiler?.stop().catch((e) => ({ error: msg(e) }));
    const serverCpuMs = after.serverCpu - before.serverCpu;
    const requests = o?.requests ?? 0;
    return {
      value: o?.value ?? null,
      error,
      note: o?.note,
      requests,
      elapsedMs,
      serverCpuMs,
      cpuMsPerReq: requests ? serverCpuMs / requests : null,
      serverWaitMs: waitDeltaMs(before.serverWait, after.serverWait),
      clientCpuMs: after.clientCpu - before.clientCpu,
      clientWaitMs: waitDeltaMs(before.clientWait, after.clientWait),
      extra: o?.extra,
      profile,
    };
  }

  private async usage() {
    return {
      serverCpu: await cpuMs(this.pid),
      serverWait: runqueueWait(this.pid),
      // The bench process alone: the servers are its children.
      clientCpu: await cpuMs(Deno.pid, false),
      clientWait: runqueueWait(Deno.pid, false),
    };
  }

  private capNote(capped: boolean, done: number, total: number): string | undefined {
    return capped ? `capped at ${this.s.phaseTimeoutS}s: ${done} of ${total}` : undefined;
  }

  private async experiment(tag: string): Promise<string> {
    const r = await this.rest.post<{ experiment_id: string }>("experiments/create", {
      name: `bench-${tag}-${this.t0}`,
    });
    return r.experiment_id;
  }

  /** runs/create as the Python client sends it. */
  private async createRun(experimentId: string, name: string): Promise<string> {
    const r = await this.rest.post<RunResponse>("runs/create", {
      experiment_id: experimentId,
      user_id: "bench",
      run_name: name,
      start_time: Date.now(),
      tags: RUN_TAGS,
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
      note: this.capNote(r.capped, r.done, total),
    };
  }

  /** Logs steps 0..N-1 of the history metric in one run, which the read phases then fetch. */
  private async logBatch(): Promise<Outcome> {
    const exp = await this.experiment("batch");
    this.historyRun = await this.createRun(exp, "history");
    const total = this.s.logBatches;
    const r = await this.logHistory(0, total, this.deadlineMs);
    return {
      value: r.done * this.s.batchSize / (r.elapsedMs / 1000),
      requests: r.done,
      note: this.capNote(r.capped, r.done, total),
    };
  }

  /** Batches [from, to) of the history; keeps historyPoints = the contiguous prefix stored. */
  private async logHistory(from: number, to: number, deadlineMs: number) {
    const B = this.s.batchSize;
    const r = await runLoop({ total: to - from, clients: 1, deadlineMs }, async (i) => {
      const b = from + i;
      await this.rest.post("runs/log-batch", {
        run_id: this.historyRun,
        metrics: historyPoints(b * B, (b + 1) * B, this.t0),
      });
      this.historyPoints = (b + 1) * B;
    });
    return r;
  }

  private logMetric(run: string, step: number): Promise<unknown> {
    return this.rest.post("runs/log-metric", {
      run_id: run,
      run_uuid: run,
      key: "acc",
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
      async (i) => void await this.logMetric(run, i),
    );
    return {
      value: r.done / (r.elapsedMs / 1000),
      requests: r.done,
      note: this.capNote(r.capped, r.done, total),
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
      async (i, c) => void await this.logMetric(runs[c], i),
    );
    return {
      value: r.done / (r.elapsedMs / 1000),
      requests: r.done,
      note: this.capNote(r.capped, r.done, total),
      extra: { p50Ms: quantile(r.latencies, 0.5), p99Ms: quantile(r.latencies, 0.99) },
    };
  }

  /** Search runs: create + one log-batch (5 params, 5 metrics) each, from concurrent clients. */
  private async seed(): Promise<Outcome> {
    this.searchExp = await this.experiment("search");
    const total = this.s.seedRuns;
    const r = await this.seedRuns(Array.from({ length: total }, (_, i) => i), this.deadlineMs);
    return {
      value: r.done / (r.elapsedMs / 1000),
      requests: r.done * 2,
      note: this.capNote(r.capped, r.done, total),
    };
  }

  private seedRuns(indexes: number[], deadlineMs: number) {
    return runLoop({ total: indexes.length, clients: this.s.clients, deadlineMs }, async (i) => {
      const run = searchRun(indexes[i], Date.now());
      const id = await this.createRun(this.searchExp, run.name);
      await this.rest.post("runs/log-batch", { run_id: id, params: run.params, metrics: run.metrics });
      this.seeded.set(run.index, run);
    });
  }

  /**
   * Completes the search runs and the history that the write phases left unfinished at their
   * deadline: directly into the store when the server has a direct path, else over REST.
   * Returns a description of what was added, or "" when nothing was missing.
   */
  async topUp(): Promise<string> {
    const missingRuns: number[] = [];
    if (this.searchExp) {
      for (let i = 0; i < this.s.seedRuns; i++) if (!this.seeded.has(i)) missingRuns.push(i);
    }
    const B = this.s.batchSize;
    const firstBatch = this.historyPoints / B;
    const missingBatches = this.historyRun ? this.s.logBatches - firstBatch : 0;
    if (!missingRuns.length && !missingBatches) return "";
    const what = `${missingRuns.length} runs, ${missingBatches * B} points`;
    const t = performance.now();
    if (this.direct) {
      const ts = Date.now();
      const runs = missingRuns.map((i): TopUpRun => {
        const r = searchRun(i, ts);
        return {
          experiment_id: this.searchExp,
          run_uuid: crypto.randomUUID().replace(/-/g, ""),
          name: r.name,
          start_time: ts,
          params: r.params,
          metrics: r.metrics,
          tags: [...RUN_TAGS, { key: "mlflow.runName", value: r.name }],
        };
      });
      const history = missingBatches
        ? {
          run_uuid: this.historyRun,
          points: historyPoints(this.historyPoints, this.s.logBatches * B, this.t0),
        }
        : null;
      await this.direct({ runs, history });
      for (const i of missingRuns) this.seeded.set(i, searchRun(i, ts));
      if (history) this.historyPoints = this.s.logBatches * B;
      return `${what} written directly in ${((performance.now() - t) / 1000).toFixed(1)}s`;
    }
    const deadline = REST_TOPUP_S * 1000;
    if (missingBatches) await this.logHistory(firstBatch, this.s.logBatches, deadline);
    if (missingRuns.length) await this.seedRuns(missingRuns, deadline);
    return `${what} added over REST in ${((performance.now() - t) / 1000).toFixed(1)}s`;
  }

  private async search(): Promise<Outcome> {
    if (!this.seeded.size) throw new Error("nothing seeded (seed phase failed)");
    const max = this.s.searchMaxResults;
    const expected = expectedSearch([...this.seeded.values()], max);
    const times: number[] = [];
    const t0 = performance.now();
    while (
      times.length < this.s.searchReps && (times.length === 0 || performance.now() - t0 < this.deadlineMs)
    ) {
      const t = performance.now();
      const res = await this.rest.post<{ runs?: { info: { run_name: string } }[] }>("runs/search", {
        experiment_ids: [this.searchExp],
        filter: SEARCH_FILTER,
        order_by: [SEARCH_ORDER_BY],
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
      note: `${this.seeded.size} runs, ${expected.length} returned`,
      extra: { firstMs: times[0], filter: SEARCH_FILTER, orderBy: SEARCH_ORDER_BY, maxResults: max },
    };
  }

  /** Reads the whole history like the Python client: pages of 25000 following next_page_token. */
  private async history(): Promise<Outcome> {
    if (!this.historyPoints) throw new Error("no history (log-batch phase failed)");
    const times: number[] = [], parseTimes: number[] = [];
    let requests = 0, bytes = 0;
    const t0 = performance.now();
    const more = () =>
      times.length < this.s.historyReps && (times.length === 0 || performance.now() - t0 < this.deadlineMs);
    while (more()) {
      const t = performance.now();
      let token: string | undefined, n = 0, parseMs = 0;
      bytes = 0;
      do {
        const text = await this.rest.getText("metrics/get-history", {
          run_id: this.historyRun,
          run_uuid: this.historyRun,
          metric_key: HISTORY_KEY,
          max_results: 25000,
          page_token: token,
        });
        // JSON.parse of ~8 MB is client work that every client pays; timed apart for the report.
        const tp = performance.now();
        const res = parse<{ metrics?: unknown[]; next_page_token?: string }>(text);
        parseMs += performance.now() - tp;
        bytes += text.length;
        requests++;
        n += res.metrics?.length ?? 0;
        token = res.next_page_token || undefined;
      } while (token);
      times.push(performance.now() - t);
      parseTimes.push(parseMs);
      if (n !== this.historyPoints) throw new Error(`wrong result: ${n} points, want ${this.historyPoints}`);
    }
    const parseMs = median(parseTimes);
    return {
      value: median(times),
      requests,
      note: `${this.historyPoints} points in ${(bytes / 2 ** 20).toFixed(1)} MB, ${times.length} reads, ` +
        `client JSON.parse ${parseMs.toFixed(0)} ms`,
      extra: { firstMs: times[0], parseMs, bytes },
    };
  }

  private async bulkInterval(): Promise<Outcome> {
    if (!this.historyPoints) throw new Error("no history (log-batch phase failed)");
    const times: number[] = [];
    let points = 0;
    const last = this.historyPoints - 1;
    const t0 = performance.now();
    while (
      times.length < this.s.bulkReps && (times.length === 0 || performance.now() - t0 < this.deadlineMs)
    ) {
      const t = performance.now();
      const res = await this.rest.get<{ metrics?: { step: number }[] }>("metrics/get-history-bulk-interval", {
        run_ids: [this.historyRun],
        metric_key: HISTORY_KEY,
        max_results: 2500,
      });
      times.push(performance.now() - t);
      const steps = (res.metrics ?? []).map((m) => Number(m.step));
      points = steps.length;
      if (!points || points > 2502 || !steps.includes(0) || !steps.includes(last)) {
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
