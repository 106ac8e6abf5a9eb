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
