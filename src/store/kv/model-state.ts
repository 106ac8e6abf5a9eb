// In-memory state of logged models and the registry, on the same KV file and Committer as runs
// (KvState): this process is the only writer, so memory is authoritative once loaded. Unlike runs, all
// of it is loaded at open: models and registry entries are few next to runs, and searches and name
// look-ups then need no KV round trip.
//
// Registered models are stored under an internal id, not their name (user-chosen names never become KV
// keys, 2 KiB limit), and each version is its own document: a write touches the model and the versions
// it changed, so a model with thousands of versions never needs a commit larger than KV's atomic limit.

import type { LoggedModel, ModelVersion, RegisteredModel } from "../model-types.ts";
import { chunkMutations, deleteChunks, joinChunks } from "./chunked.ts";
import type { DocWrite } from "./committer.ts";
import { finiteOrString, parseDouble } from "../../api/json.ts";
import type { KvState } from "./state.ts";

export const modelKeys = {
  /** Logged model document chunks: ["lm", modelId, chunk]. */
  loggedModelPrefix: () => ["lm"] as Deno.KvKey,
  loggedModel: (modelId: string) => ["lm", modelId] as Deno.KvKey,
  /** Registered model document chunks (without versions): ["rm", id, chunk]. */
  registeredModelPrefix: () => ["rm"] as Deno.KvKey,
  registeredModel: (id: string) => ["rm", id] as Deno.KvKey,
  /** Model version document chunks: ["rmv", modelId, version, chunk]. */
  modelVersionPrefix: () => ["rmv"] as Deno.KvKey,
  modelVersion: (id: string, version: string) => ["rmv", id, Number(version)] as Deno.KvKey,
};

/** A registered model in memory, its live versions inside (stored as separate documents). */
export interface RegisteredModelRecord {
  id: string;
  model: Omit<RegisteredModel, "latestVersions">;
  versions: ModelVersion[];
  /** Highest version number ever issued: deleted versions' numbers are never reused. */
  lastVersion: number;
}

export class KvModelState {
  readonly loggedModels = new Map<string, LoggedModel>();
  readonly #lmChunks = new Map<string, number>();
  /** By current name. */
  readonly registered = new Map<string, RegisteredModelRecord>();
  readonly #rmChunks = new Map<string, number>();
  /** Chunk counts of version documents by `<model id>/<version>`. */
  readonly #mvChunks = new Map<string, number>();

  constructor(readonly s: KvState) {
    // A failed commit leaves memory ahead of the file, as for runs: re-read everything.
    s.onReset.push(() => this.load().catch((e) => console.error("reloading models failed:", e)));
  }

  async load(): Promise<void> {
    this.loggedModels.clear();
    this.#lmChunks.clear();
    this.registered.clear();
    this.#rmChunks.clear();
    this.#mvChunks.clear();
    for (const [[id], json, chunks] of await this.#scan(modelKeys.loggedModelPrefix(), 1)) {
      this.loggedModels.set(id as string, decodeLoggedModel(json));
      this.#lmChunks.set(id as string, chunks);
    }
    const byId = new Map<string, RegisteredModelRecord>();
    for (const [[id], json, chunks] of await this.#scan(modelKeys.registeredModelPrefix(), 1)) {
      const stored = JSON.parse(json) as Omit<RegisteredModelRecord, "versions">;
      const rec: RegisteredModelRecord = { ...stored, versions: [] };
      byId.set(id as string, rec);
      this.registered.set(rec.model.name, rec);
      this.#rmChunks.set(id as string, chunks);
    }
    for (const [[id, version], json, chunks] of await this.#scan(modelKeys.modelVersionPrefix(), 2)) {
      const rec = byId.get(id as string);
      if (!rec) continue; // left behind by an interrupted model delete
      const v = JSON.parse(json) as ModelVersion;
      v.name = rec.model.name; // the model's name is authoritative (an interrupted rename)
      rec.versions.push(v);
      // A crash between the two documents of a write must not let a number be issued twice.
      rec.lastVersion = Math.max(rec.lastVersion, Number(v.version));
      this.#mvChunks.set(`${id as string}/${version as number}`, chunks);
    }
    for (const rec of byId.values()) rec.versions.sort((a, b) => Number(a.version) - Number(b.version));
  }

  /** Documents under `prefix`, grouped by the `idParts` key parts after it: [id parts, json, chunk count]. */
  async #scan(prefix: Deno.KvKey, idParts: number): Promise<[Deno.KvKeyPart[], string, number][]> {
    const parts = new Map<string, { id: Deno.KvKeyPart[]; chunks: Uint8Array[] }>();
    for await (const e of this.s.kv.list<Uint8Array>({ prefix }, { batchSize: 1000 })) {
      const id = e.key.slice(prefix.length, prefix.length + idParts);
      const k = JSON.stringify(id);
      if (!parts.has(k)) parts.set(k, { id, chunks: [] });
      parts.get(k)!.chunks.push(e.value);
    }
    return [...parts.values()].map(({ id, chunks }) => [id, joinChunks(chunks), chunks.length]);
  }

  loggedModelDoc(modelId: string): DocWrite {
    return {
      id: `lm:${modelId}`,
      build: () => {
        const m = this.loggedModels.get(modelId);
        const prev = this.#lmChunks.get(modelId) ?? 0;
        if (!m) {
          // Removed from memory (hard delete): remove its chunks too.
          this.#lmChunks.delete(modelId);
          return deleteChunks(modelKeys.loggedModel(modelId), prev);
        }
        const { mutations, chunks } = chunkMutations(
          modelKeys.loggedModel(modelId),
          encodeLoggedModel(m),
          prev,
        );
        this.#lmChunks.set(modelId, chunks);
        return mutations;
      },
    };
  }

  /** The model document of `rec` (without versions); deleted when the record is gone from memory. */
  registeredModelDoc(rec: RegisteredModelRecord): DocWrite {
    return {
      id: `rm:${rec.id}`,
      build: () => {
        const prev = this.#rmChunks.get(rec.id) ?? 0;
        if (this.registered.get(rec.model.name) !== rec) {
          this.#rmChunks.delete(rec.id);
          return deleteChunks(modelKeys.registeredModel(rec.id), prev);
        }
        const { versions: _, ...stored } = rec;
        const { mutations, chunks } = chunkMutations(
          modelKeys.registeredModel(rec.id),
          JSON.stringify(stored),
          prev,
        );
        this.#rmChunks.set(rec.id, chunks);
        return mutations;
      },
    };
  }

  /** One version's document; deleted when the version or its model is gone from memory. */
  modelVersionDoc(rec: RegisteredModelRecord, version: string): DocWrite {
    const key = `${rec.id}/${version}`;
    return {
      id: `rmv:${key}`,
      build: () => {
        const prev = this.#mvChunks.get(key) ?? 0;
        const v = this.registered.get(rec.model.name) === rec
          ? rec.versions.find((x) => x.version === version)
          : undefined;
        if (!v) {
          this.#mvChunks.delete(key);
          return deleteChunks(modelKeys.modelVersion(rec.id, version), prev);
        }
        const { mutations, chunks } = chunkMutations(
          modelKeys.modelVersion(rec.id, version),
          JSON.stringify({ ...v, aliases: [] }),
          prev,
        );
        this.#mvChunks.set(key, chunks);
        return mutations;
      },
    };
  }
}

// Logged models are stored as JSON with non-finite metric values as strings (JSON has no NaN).
type StoredLoggedModel = Omit<LoggedModel, "metrics"> & {
  metrics: (Omit<LoggedModel["metrics"][number], "value"> & { value: number | string })[];
};

function encodeLoggedModel(m: LoggedModel): string {
  const doc: StoredLoggedModel = {
    ...m,
    metrics: m.metrics.map((p) => ({ ...p, value: finiteOrString(p.value) })),
  };
  return JSON.stringify(doc);
}

function decodeLoggedModel(json: string): LoggedModel {
  const d = JSON.parse(json) as StoredLoggedModel;
  return { ...d, metrics: d.metrics.map((p) => ({ ...p, value: parseDouble(p.value) ?? NaN })) };
}
