// In-memory state of the KV store. This process is the only writer of its KV file (the `server` Workers
// reach the store through the main thread), so what is in memory is authoritative once loaded: checks
// (param immutability, lifecycle, unique names) run synchronously against it and need no KV round trip.
// Experiments are loaded at open; runs lazily, one by one or one experiment at a time for search.

import { notFound } from "../../errors.ts";
import type { Experiment, RunRecord } from "../types.ts";
import { chunkMutations, joinChunks } from "./chunked.ts";
import { Committer, type DocWrite, type Mutation } from "./committer.ts";
import { decodeExperiment, decodeRun, encodeExperiment, encodeRun } from "./docs.ts";
import { loadTail, type Tail } from "./history.ts";
import { keys } from "./keys.ts";

const MAX_CACHED_TAILS = 4096;

export class KvState {
  readonly committer: Committer;
  readonly experiments = new Map<string, Experiment>();
  readonly experimentChunks = new Map<string, number>();
  nextExperimentId = 0;
  artifactRoots: string[] = [];

  readonly runs = new Map<string, RunRecord>();
  readonly runChunks = new Map<string, number>();
  /** Run ids per experiment, complete only for experiments in `loadedExperiments`. */
  readonly runsByExperiment = new Map<string, Set<string>>();
  readonly #loadedExperiments = new Map<string, Promise<void>>();
  readonly #runLoads = new Map<string, Promise<RunRecord | undefined>>();

  readonly #tails = new Map<string, Tail>();
  readonly #tailLoads = new Map<string, Promise<Tail>>();
  /** Writes in flight per run; a run's tails are only evicted when it has none. */
  readonly #inflight = new Map<string, number>();
  /** Other in-memory state on this file (logged models, registry) reloads itself through these. */
  readonly onReset: (() => void)[] = [];

  constructor(readonly kv: Deno.Kv, readonly defaultArtifactRoot: string) {
    this.committer = new Committer(kv, () => this.#dropCaches());
  }

  async load(): Promise<void> {
    const parts = new Map<string, Uint8Array[]>();
    for await (
      const e of this.kv.list<Uint8Array>({ prefix: keys.experimentPrefix() }, { batchSize: 1000 })
    ) {
      const id = e.key[1] as string;
      if (!parts.has(id)) parts.set(id, []);
      parts.get(id)!.push(e.value);
    }
    for (const [id, chunks] of parts) {
      this.experiments.set(id, decodeExperiment(joinChunks(chunks)));
      this.experimentChunks.set(id, chunks.length);
    }
    const next = await this.kv.get<number>(keys.nextExperimentId());
    this.nextExperimentId = next.value ?? 0;
    this.artifactRoots = (await this.kv.get<string[]>(keys.artifactRoots())).value ?? [];
  }

  /** A failed commit leaves memory ahead of the file: forget runs so they are re-read from KV. */
  #dropCaches() {
    this.runs.clear();
    this.runChunks.clear();
    this.runsByExperiment.clear();
    this.#loadedExperiments.clear();
    this.#tails.clear();
    this.experiments.clear();
    this.experimentChunks.clear();
    this.load().catch((e) => console.error("reloading experiments failed:", e));
    for (const reset of this.onReset) reset();
  }

  // ---- experiments

  experiment(id: string): Experiment {
    const e = this.experiments.get(id);
    if (!e) throw notFound(`No Experiment with id=${id} exists`);
    return e;
  }

  experimentDoc(id: string): DocWrite {
    return {
      id: `e:${id}`,
      build: () => {
        const e = this.experiments.get(id);
        const prev = this.experimentChunks.get(id) ?? 0;
        if (!e) return [];
        const { mutations, chunks } = chunkMutations(keys.experiment(id), encodeExperiment(e), prev);
        this.experimentChunks.set(id, chunks);
        return mutations;
      },
    };
  }

  // ---- runs

  /** Loads a run (any lifecycle) or throws RESOURCE_DOES_NOT_EXIST. */
  async run(runId: string): Promise<RunRecord> {
    const r = this.runs.get(runId) ?? await this.#loadRun(runId);
    if (!r) throw notFound(`Run with id=${runId} not found`);
    return r;
  }

  #loadRun(runId: string): Promise<RunRecord | undefined> {
    let p = this.#runLoads.get(runId);
    if (!p) {
      p = (async () => {
        const exp = await this.kv.get<string>(keys.runExp(runId));
        if (exp.value === null) return undefined;
        const chunks: Uint8Array[] = [];
        for await (const e of this.kv.list<Uint8Array>({ prefix: keys.run(exp.value, runId) })) {
          chunks.push(e.value);
        }
        if (chunks.length === 0) return undefined;
        return this.#adopt(decodeRun(joinChunks(chunks)), chunks.length);
      })().finally(() => this.#runLoads.delete(runId));
      this.#runLoads.set(runId, p);
    }
    return p;
  }

  /** Inserts a run read from KV unless memory already has it (memory is newer). */
  #adopt(r: RunRecord, chunks: number): RunRecord {
    const have = this.runs.get(r.info.runId);
    if (have) return have;
    this.runs.set(r.info.runId, r);
    this.runChunks.set(r.info.runId, chunks);
    this.#index(r.info.experimentId, r.info.runId);
    return r;
  }

  addRun(r: RunRecord) {
    this.runs.set(r.info.runId, r);
    this.#index(r.info.experimentId, r.info.runId);
  }

  /** Drops a run from memory (after a hard delete). */
  forgetRun(runId: string) {
    const r = this.runs.get(runId);
    if (r) this.runsByExperiment.get(r.info.experimentId)?.delete(runId);
    this.runs.delete(runId);
    this.runChunks.delete(runId);
    for (const [id, t] of this.#tails) if (t.runId === runId) this.#tails.delete(id);
  }

  #index(expId: string, runId: string) {
    let set = this.runsByExperiment.get(expId);
    if (!set) this.runsByExperiment.set(expId, set = new Set());
    set.add(runId);
  }

  /** Makes sure every run of the experiment is in memory (one prefix scan). */
  loadExperimentRuns(expId: string): Promise<void> {
    let p = this.#loadedExperiments.get(expId);
    if (!p) {
      p = (async () => {
        let current: string | null = null;
        let chunks: Uint8Array[] = [];
        const flush = () => {
          if (current !== null && !this.runs.has(current)) {
            this.#adopt(decodeRun(joinChunks(chunks)), chunks.length);
          }
        };
        for await (
          const e of this.kv.list<Uint8Array>({ prefix: keys.runsOfExperiment(expId) }, { batchSize: 1000 })
        ) {
          const runId = e.key[2] as string;
          if (runId !== current) {
            flush();
            current = runId;
            chunks = [];
          }
          chunks.push(e.value);
        }
        flush();
      })();
      p.catch(() => this.#loadedExperiments.delete(expId));
      this.#loadedExperiments.set(expId, p);
    }
    return p;
  }

  runDoc(runId: string): DocWrite {
    return {
      id: `r:${runId}`,
      build: () => {
        const r = this.runs.get(runId);
        if (!r) return [];
        const prev = this.runChunks.get(runId) ?? 0;
        const { mutations, chunks } = chunkMutations(
          keys.run(r.info.experimentId, runId),
          encodeRun(r),
          prev,
        );
        this.runChunks.set(runId, chunks);
        return mutations;
      },
    };
  }

  // ---- metric history tails

  tail(runId: string, key: string): Promise<Tail> {
    const id = `${runId}\u0000${key}`;
    const have = this.#tails.get(id);
    if (have) return Promise.resolve(have);
    let p = this.#tailLoads.get(id);
    if (!p) {
      p = loadTail(this.kv, runId, key).then((t) => {
        const raced = this.#tails.get(id);
        if (raced) return raced;
        this.#tails.set(id, t);
        return t;
      }).finally(() => this.#tailLoads.delete(id));
      this.#tailLoads.set(id, p);
    }
    return p;
  }

  /** Runs a write of one run: counts it in flight until committed, so its tails stay cached meanwhile. */
  async withRun<T>(runId: string, fn: () => Promise<T>): Promise<T> {
    this.#inflight.set(runId, (this.#inflight.get(runId) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      const n = (this.#inflight.get(runId) ?? 1) - 1;
      if (n === 0) this.#inflight.delete(runId);
      else this.#inflight.set(runId, n);
      if (this.#tails.size > MAX_CACHED_TAILS) this.#evictTails();
    }
  }

  #evictTails() {
    for (const [id, t] of this.#tails) {
      if (this.#tails.size <= MAX_CACHED_TAILS / 2) break;
      if (!this.#inflight.has(t.runId)) this.#tails.delete(id);
    }
  }

  /** Grows with every write; pages polling for changes compare it instead of searching again. */
  changes = 0;

  write(mutations: Mutation[], docs: DocWrite[] = []): Promise<void> {
    this.changes++;
    return this.committer.write(mutations, docs);
  }
}
