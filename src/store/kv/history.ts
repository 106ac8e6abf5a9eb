// Metric histories as chunks of up to 1000 points: three Float64Arrays (timestamp, step, value) plus an
// optional dictionary for MLflow 3's per-point dataset/model fields. A 100k-point history is ~100 KV values,
// so reading it is one short prefix scan. Only the last chunk of a (run, key) is ever rewritten.

import type { Mutation } from "./committer.ts";
import { keys } from "./keys.ts";
import type { Metric, MetricExtras } from "../types.ts";

const CAP_POINTS = 1000;
const CAP_BYTES = 48_000;

interface ChunkValue {
  t: Float64Array;
  s: Float64Array;
  v: Float64Array;
  /** Per-point index into d (-1 = no extras); absent when no point has extras. */
  x?: Int32Array;
  d?: MetricExtras[];
}

/** The open (last) chunk of one history, kept in memory so appends need no read. */
export class Tail {
  t: number[] = [];
  s: number[] = [];
  v: number[] = [];
  x: number[] = [];
  d: MetricExtras[] = [];
  dictIndex = new Map<string, number>();
  bytes = 0;
  constructor(readonly runId: string, readonly key: string, public chunkNo: number) {}

  static fromValue(runId: string, key: string, chunkNo: number, c: ChunkValue): Tail {
    const tail = new Tail(runId, key, chunkNo);
    tail.t = [...c.t];
    tail.s = [...c.s];
    tail.v = [...c.v];
    tail.d = c.d ?? [];
    tail.x = c.x ? [...c.x] : new Array(tail.t.length).fill(-1);
    tail.d.forEach((e, i) => tail.dictIndex.set(JSON.stringify(e), i));
    tail.bytes = tail.t.length * 24 + tail.d.reduce((n, e) => n + extrasSize(e), 0);
    return tail;
  }

  /** Appends points; returns the mutations that persist them (closed chunks and the new open one). */
  append(points: Metric[]): Mutation[] {
    const out: Mutation[] = [];
    for (const p of points) {
      const extras = pickExtras(p);
      const extraBytes = extras ? extrasSize(extras) : 0;
      if (this.t.length >= CAP_POINTS || (this.t.length > 0 && this.bytes + 24 + extraBytes > CAP_BYTES)) {
        out.push(this.#mutation());
        this.#reset(this.chunkNo + 1);
      }
      this.t.push(p.timestamp);
      this.s.push(p.step);
      this.v.push(p.value);
      let xi = -1;
      if (extras) {
        const id = JSON.stringify(extras);
        xi = this.dictIndex.get(id) ?? -1;
        if (xi < 0) {
          xi = this.d.length;
          this.d.push(extras);
          this.dictIndex.set(id, xi);
          this.bytes += extraBytes;
        }
      }
      this.x.push(xi);
      this.bytes += 24;
    }
    out.push(this.#mutation());
    return out;
  }

  #reset(chunkNo: number) {
    this.chunkNo = chunkNo;
    this.t = [];
    this.s = [];
    this.v = [];
    this.x = [];
    this.d = [];
    this.dictIndex.clear();
    this.bytes = 0;
  }

  #mutation(): Mutation {
    const value: ChunkValue = {
      t: Float64Array.from(this.t),
      s: Float64Array.from(this.s),
      v: Float64Array.from(this.v),
    };
    if (this.d.length > 0) {
      value.x = Int32Array.from(this.x);
      value.d = [...this.d];
    }
    return { key: [...keys.history(this.runId, this.key), this.chunkNo], value, size: this.bytes + 300 };
  }
}

function pickExtras(p: Metric): MetricExtras | undefined {
  if (p.datasetName === undefined && p.datasetDigest === undefined && p.modelId === undefined) {
    return undefined;
  }
  const e: MetricExtras = {};
  if (p.datasetName !== undefined) e.datasetName = p.datasetName;
  if (p.datasetDigest !== undefined) e.datasetDigest = p.datasetDigest;
  if (p.modelId !== undefined) e.modelId = p.modelId;
  return e;
}

function extrasSize(e: MetricExtras): number {
  return 16 + (e.datasetName?.length ?? 0) * 3 + (e.datasetDigest?.length ?? 0) + (e.modelId?.length ?? 0);
}

export async function loadTail(kv: Deno.Kv, runId: string, key: string): Promise<Tail> {
  for await (
    const e of kv.list<ChunkValue>({ prefix: keys.history(runId, key) }, { reverse: true, limit: 1 })
  ) {
    const chunkNo = e.key[e.key.length - 1] as number;
    return Tail.fromValue(runId, key, chunkNo, e.value);
  }
  return new Tail(runId, key, 0);
}

/** Reads points [offset, offset+limit) of a history in logged order. */
export async function readHistory(
  kv: Deno.Kv,
  runId: string,
  key: string,
  offset: number,
  limit: number,
): Promise<{ points: Metric[]; total: number }> {
  const points: Metric[] = [];
  let index = 0;
  for await (const e of kv.list<ChunkValue>({ prefix: keys.history(runId, key) }, { batchSize: 500 })) {
    const c = e.value;
    const n = c.t.length;
    if (index + n <= offset || points.length >= limit) {
      index += n;
      continue;
    }
    for (let i = Math.max(0, offset - index); i < n && points.length < limit; i++) {
      const m: Metric = { key, value: c.v[i], timestamp: c.t[i], step: c.s[i] };
      if (c.x && c.d && c.x[i] >= 0) Object.assign(m, c.d[c.x[i]]);
      points.push(m);
    }
    index += n;
  }
  return { points, total: index };
}

/** Points from `offset` on as three columns, copied out of the chunks without a Metric per point. */
export async function readHistoryColumns(
  kv: Deno.Kv,
  runId: string,
  key: string,
  offset: number,
): Promise<{ t: Float64Array; s: Float64Array; v: Float64Array }> {
  const parts: [ChunkValue, number][] = [];
  let index = 0, n = 0;
  for await (const e of kv.list<ChunkValue>({ prefix: keys.history(runId, key) }, { batchSize: 500 })) {
    const len = e.value.t.length;
    if (index + len > offset) {
      const from = Math.max(0, offset - index);
      parts.push([e.value, from]);
      n += len - from;
    }
    index += len;
  }
  const out = { t: new Float64Array(n), s: new Float64Array(n), v: new Float64Array(n) };
  let o = 0;
  for (const [c, from] of parts) {
    out.t.set(c.t.subarray(from), o);
    out.s.set(c.s.subarray(from), o);
    out.v.set(c.v.subarray(from), o);
    o += c.t.length - from;
  }
  return out;
}

export async function deleteHistoryOfRun(kv: Deno.Kv, runId: string): Promise<Mutation[]> {
  const out: Mutation[] = [];
  for await (const e of kv.list({ prefix: keys.historyOfRun(runId) })) out.push({ key: e.key, size: 200 });
  return out;
}
