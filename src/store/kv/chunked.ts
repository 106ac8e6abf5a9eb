// Documents larger than KV's 64 KiB value limit are stored as numbered byte chunks under one prefix.
// Most documents fit in chunk 0; a run with thousands of long params spills into more.

import type { Mutation } from "./committer.ts";

const CHUNK = 60_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Mutations writing `json` under prefix, deleting chunks beyond the new length (prevChunks = old count). */
export function chunkMutations(prefix: Deno.KvKey, json: string, prevChunks: number): {
  mutations: Mutation[];
  chunks: number;
} {
  const bytes = encoder.encode(json);
  const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK));
  const mutations: Mutation[] = [];
  for (let i = 0; i < chunks; i++) {
    const value = bytes.subarray(i * CHUNK, Math.min(bytes.length, (i + 1) * CHUNK));
    mutations.push({ key: [...prefix, i], value, size: value.length + 64 });
  }
  for (let i = chunks; i < prevChunks; i++) mutations.push({ key: [...prefix, i], size: 64 });
  return { mutations, chunks };
}

export function deleteChunks(prefix: Deno.KvKey, chunks: number): Mutation[] {
  const out: Mutation[] = [];
  for (let i = 0; i < chunks; i++) out.push({ key: [...prefix, i], size: 64 });
  return out;
}

/** Reassembles documents from a prefix scan whose entries are `[...groupKey, chunkNo] → bytes`. */
export function joinChunks(parts: Uint8Array[]): string {
  if (parts.length === 1) return decoder.decode(parts[0]);
  let total = 0;
  for (const p of parts) total += p.length;
  const all = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    all.set(p, off);
    off += p.length;
  }
  return decoder.decode(all);
}
