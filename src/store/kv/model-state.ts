// In-memory state of logged models and the registry, on the same KV file and Committer as runs
// (KvState): this process is the only writer, so memory is authoritative once loaded. Unlike runs, all
// of it is loaded at open: models and registry entries are few next to runs, and searches and name
// look-ups then need no KV round trip.
//
// Registered models are stored under an internal id, not their name: a rename rewrites one document,
// and user-chosen names never become KV keys (2 KiB limit).

import type { LoggedModel, ModelVersion, RegisteredModel } from "../model-types.ts";
import { chunkMutations, deleteChunks, joinChunks } from "./chunked.ts";
import type { DocWrite } from "./committer.ts";
import { finiteOrString, parseDouble } from "../../api/json.ts";
import type { KvState } from "./state.ts";

export const modelKeys = {
  /** Logged model document chunks: ["lm", modelId, chunk]. */
  loggedModelPrefix: () => ["lm"] as Deno.KvKey,
  loggedModel: (modelId: string) => ["lm", modelId] as Deno.KvKey,
  /** Registered model (with its versions) document chunks: ["rm", id, chunk]. */
  registeredModelPrefix: () => ["rm"] as Deno.KvKey,
  registeredModel: (id: string) => ["rm", id] as Deno.KvKey,
};

/** A registered model as stored, its live versions inside. */
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

  constructor(readonly s: KvState) {
    // A failed commit leaves memory ahead of the file, as for runs: re-read everything.
    s.onReset.push(() => this.load().catch((e) => console.error("reloading models failed:", e)));
  }

  async load(): Promise<void> {
    this.loggedModels.clear();
    this.#lmChunks.clear();
    this.registered.clear();
    this.#rmChunks.clear();
    for (const [id, json, chunks] of await this.#scan(modelKeys.loggedModelPrefix())) {
      this.loggedModels.set(id, decodeLoggedModel(json));
      this.#lmChunks.set(id, chunks);
    }
    for (const [id, json, chunks] of await this.#scan(modelKeys.registeredModelPrefix())) {
      const rec = JSON.parse(json) as RegisteredModelRecord;
      this.registered.set(rec.model.name, rec);
      this.#rmChunks.set(id, chunks);
    }
  }

  /** Documents under `prefix` as [id, json, chunk count]. */
  async #scan(prefix: Deno.KvKey): Promise<[string, string, number][]> {
    const parts = new Map<string, Uint8Array[]>();
    for await (const e of this.s.kv.list<Uint8Array>({ prefix }, { batchSize: 1000 })) {
      const id = e.key[prefix.length] as string;
      if (!parts.has(id)) parts.set(id, []);
      parts.get(id)!.push(e.value);
    }
    return [...parts].map(([id, chunks]) => [id, joinChunks(chunks), chunks.length]);
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

  /** The document of `rec`; when the record is gone from memory its chunks are deleted. */
  registeredModelDoc(rec: RegisteredModelRecord): DocWrite {
    return {
      id: `rm:${rec.id}`,
      build: () => {
        const prev = this.#rmChunks.get(rec.id) ?? 0;
        if (this.registered.get(rec.model.name) !== rec) {
          this.#rmChunks.delete(rec.id);
          return deleteChunks(modelKeys.registeredModel(rec.id), prev);
        }
        const { mutations, chunks } = chunkMutations(
          modelKeys.registeredModel(rec.id),
          JSON.stringify(rec),
          prev,
        );
        this.#rmChunks.set(rec.id, chunks);
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
