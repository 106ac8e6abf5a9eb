// KV layout of the registry: each model version is its own document, so the model document stays small
// however many versions a model has and no write needs a commit beyond KV's atomic size limit.

import nodeAssert from "node:assert/strict";
import { join } from "node:path";
import { openKvStore } from "../../src/store/kv/mod.ts";

Deno.test("kv registry: versions are separate documents; the model document does not grow with them", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kv_registry_" });
  const file = join(dir, "tracker.kv.sqlite3");
  try {
    const COUNT = 400;
    const description = "d".repeat(3000); // 400 × 3 KB = 1.2 MB, beyond one KV atomic commit (800 KiB)
    let s = await openKvStore({ path: file, defaultArtifactRoot: "mlflow-artifacts:/" });
    await s.createRegisteredModel("big", []);
    for (let i = 0; i < COUNT; i++) {
      await s.createModelVersion({ name: "big", source: "s", storageLocation: "l", description, tags: [] });
    }
    await s.renameRegisteredModel("big", "bigger");
    await s.deleteModelVersion("bigger", "7");
    await s.close();

    const kv = await Deno.openKv(file);
    try {
      const modelChunks = await Array.fromAsync(kv.list({ prefix: ["rm"] }));
      nodeAssert.equal(modelChunks.length, 1);
      nodeAssert.ok((modelChunks[0].value as Uint8Array).length < 2000);
      const versionDocs = new Set(
        (await Array.fromAsync(kv.list({ prefix: ["rmv"] }))).map((e) => String(e.key[2])),
      );
      nodeAssert.equal(versionDocs.size, COUNT - 1);
      nodeAssert.ok(!versionDocs.has("7"));
    } finally {
      kv.close();
    }

    s = await openKvStore({ path: file, defaultArtifactRoot: "mlflow-artifacts:/" });
    try {
      const page = await s.searchModelVersions({ filter: [], orderBy: [], maxResults: 1000, offset: 0 });
      nodeAssert.equal(page.items.length, COUNT - 1);
      nodeAssert.ok(page.items.every((v) => v.name === "bigger" && v.description === description));
      nodeAssert.equal(
        (await s.createModelVersion({ name: "bigger", source: "s", storageLocation: "l", tags: [] })).version,
        String(COUNT + 1),
      );
    } finally {
      await s.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kv registry: a version document without its model update (torn commit) never gets its number reused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kv_registry_" });
  const file = join(dir, "tracker.kv.sqlite3");
  try {
    let s = await openKvStore({ path: file, defaultArtifactRoot: "mlflow-artifacts:/" });
    await s.createRegisteredModel("torn", []);
    await s.createModelVersion({ name: "torn", source: "s", storageLocation: "l", tags: [] });
    await s.close();
    // Simulate a crash after the version document of v2 committed but before the model document did.
    const kv = await Deno.openKv(file);
    const [v1] = await Array.fromAsync(kv.list<Uint8Array>({ prefix: ["rmv"] }));
    const doc = JSON.parse(new TextDecoder().decode(v1.value));
    await kv.set(
      [v1.key[0], v1.key[1], 2, 0],
      new TextEncoder().encode(JSON.stringify({ ...doc, version: "2" })),
    );
    kv.close();
    s = await openKvStore({ path: file, defaultArtifactRoot: "mlflow-artifacts:/" });
    try {
      nodeAssert.equal((await s.getModelVersion("torn", "2")).version, "2");
      nodeAssert.equal(
        (await s.createModelVersion({ name: "torn", source: "s", storageLocation: "l", tags: [] })).version,
        "3",
      );
    } finally {
      await s.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
