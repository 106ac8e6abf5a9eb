// Group commit for Deno KV. Every SQLite commit costs an fsync (~0.3–1.3 ms here), so writes that arrive
// while a commit is in flight are merged into the next one: throughput grows with concurrency, and each
// caller is acknowledged only after its own data is durable.
//
// A write is a list of key → value (or delete) mutations. Later writes to the same key in one flush
// replace earlier ones, so a run document rewritten by 50 concurrent log-metric calls is stored once.

const MAX_MUTATIONS = 1000; // Deno KV: "Too many mutations (max 1000)"
const MAX_BYTES = 760_000; // Deno KV: 819,200 bytes per atomic, keys included; keep a margin

export interface Mutation {
  key: Deno.KvKey;
  /** undefined deletes the key. */
  value?: unknown;
  /** Approximate encoded size of key + value, for splitting commits under KV's byte limit. */
  size: number;
}

/**
 * A document whose mutations are built at flush time, once per flush however many writes touched it
 * (a run document rewritten by 50 concurrent log-metric calls is serialised once).
 */
export interface DocWrite {
  id: string;
  build: () => Mutation[];
}

interface Pending {
  mutations: Mutation[];
  docs: DocWrite[];
  resolve: () => void;
  reject: (e: unknown) => void;
}

export class Committer {
  #queue: Pending[] = [];
  #running: Promise<void> | null = null;

  constructor(private readonly kv: Deno.Kv, private readonly onFailure: (e: unknown) => void) {}

  /** Resolves once the mutations are committed. */
  write(mutations: Mutation[], docs: DocWrite[] = []): Promise<void> {
    if (mutations.length === 0 && docs.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#queue.push({ mutations, docs, resolve, reject });
      if (!this.#running) this.#running = this.#drain();
    });
  }

  /** Waits for everything queued so far. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue;
        this.#queue = [];
        try {
          await this.#commit(merge(batch));
          for (const p of batch) p.resolve();
        } catch (e) {
          this.onFailure(e);
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      this.#running = null;
    }
  }

  async #commit(mutations: Mutation[]): Promise<void> {
    let part: Mutation[] = [];
    let bytes = 0;
    for (const m of mutations) {
      if (part.length > 0 && (part.length + 1 > MAX_MUTATIONS || bytes + m.size > MAX_BYTES)) {
        await commitWithRetry(this.kv, part);
        part = [];
        bytes = 0;
      }
      part.push(m);
      bytes += m.size;
    }
    if (part.length > 0) await commitWithRetry(this.kv, part);
  }
}

/** Raw mutations first (history), then each touched document once; last write per key wins. */
function merge(batch: Pending[]): Mutation[] {
  const docs = new Map<string, DocWrite>();
  for (const p of batch) for (const d of p.docs) docs.set(d.id, d);
  const all: Mutation[] = [];
  for (const p of batch) all.push(...p.mutations);
  for (const d of docs.values()) all.push(...d.build());
  if (batch.length === 1 && docs.size <= 1) return all;
  const byKey = new Map<string, Mutation>();
  for (const m of all) {
    const id = keyId(m.key);
    if (byKey.has(id)) byKey.delete(id); // re-insert at the end: a later write must commit after earlier ones
    byKey.set(id, m);
  }
  return [...byKey.values()];
}

function keyId(key: Deno.KvKey): string {
  return JSON.stringify(key, (_k, v) => (typeof v === "bigint" ? `${v}n` : v));
}

/** Another process holding the SQLite write lock surfaces as "database is locked"; wait and retry. */
async function commitWithRetry(kv: Deno.Kv, mutations: Mutation[]): Promise<void> {
  for (let attempt = 0;; attempt++) {
    const op = kv.atomic();
    for (const m of mutations) {
      if (m.value === undefined) op.delete(m.key);
      else op.set(m.key, m.value);
    }
    try {
      const res = await op.commit();
      if (!res.ok) throw new Error("KV commit failed a check");
      return;
    } catch (e) {
      if (attempt >= 50 || !String((e as Error)?.message).includes("database is locked")) throw e;
      await new Promise((r) => setTimeout(r, 2 + Math.random() * 10 * Math.min(attempt + 1, 5)));
    }
  }
}
