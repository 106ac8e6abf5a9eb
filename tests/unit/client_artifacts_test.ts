// Artifacts through the client: the server's proxied artifact service (mlflow-artifacts:) and direct
// file: locations; every fluent artifact call; a 24 MB streamed upload; listing and downloads.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { inflateSync } from "node:zlib";
import * as tracker from "../../src/client/mod.ts";
import { resetFluentState } from "../../src/client/fluent.ts";
import { TrackerError } from "../../src/client/errors.ts";
import { envOf, startTracker, withFluentTracker } from "./client_harness.ts";

const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

async function logEverything(dir: string): Promise<string> {
  await Deno.mkdir(join(dir, "tree/sub"), { recursive: true });
  await Deno.writeTextFile(join(dir, "single.txt"), "single");
  await Deno.writeTextFile(join(dir, "tree/a.txt"), "a");
  await Deno.writeTextFile(join(dir, "tree/sub/b.json"), '{"b":1}');
  return await tracker.withRun(async (run) => {
    await tracker.logArtifact(join(dir, "single.txt"));
    await tracker.logArtifact(join(dir, "single.txt"), "nested/dir");
    await tracker.logArtifacts(join(dir, "tree"), "tree");
    await tracker.logText("héllo\n", "notes/readme.md");
    await tracker.logDict({ lr: 0.1, layers: [64, 32] }, "config.json");
    await tracker.logDict({ lr: 0.1, name: "yes" }, "config.yaml");
    await tracker.logImage([[[255, 0, 0], [0, 255, 0]]], "plots/img.png");
    return run.runId;
  });
}

async function checkEverything(runId: string, dl: string): Promise<void> {
  const client = await tracker.getClient();
  const root = await client.listRunArtifacts(runId);
  assert.deepEqual(root.map((f) => [f.path, f.isDir]), [
    ["config.json", false],
    ["config.yaml", false],
    ["nested", true],
    ["notes", true],
    ["plots", true],
    ["single.txt", false],
    ["tree", true],
  ]);
  assert.equal(root.find((f) => f.path === "single.txt")?.fileSize, 6);
  assert.deepEqual((await client.listRunArtifacts(runId, "tree")).map((f) => f.path), [
    "tree/a.txt",
    "tree/sub",
  ]);
  assert.deepEqual((await client.listRunArtifacts(runId, "nested/dir")).map((f) => f.path), [
    "nested/dir/single.txt",
  ]);
  assert.deepEqual(await client.listRunArtifacts(runId, "no/such/dir"), []);

  const all = await client.downloadArtifacts(runId, "", join(dl, "all"));
  assert.equal(all, join(dl, "all"));
  assert.equal(await Deno.readTextFile(join(all, "notes/readme.md")), "héllo\n");
  assert.deepEqual(JSON.parse(await Deno.readTextFile(join(all, "config.json"))), {
    lr: 0.1,
    layers: [64, 32],
  });
  assert.equal(await Deno.readTextFile(join(all, "config.yaml")), 'lr: 0.1\nname: "yes"\n');
  assert.equal(await Deno.readTextFile(join(all, "tree/sub/b.json")), '{"b":1}');
  const png = await Deno.readFile(join(all, "plots/img.png"));
  assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  // IDAT starts after the 8-byte signature and the 25-byte IHDR chunk.
  const idatLen = new DataView(png.buffer).getUint32(33);
  assert.deepEqual([...inflateSync(png.subarray(41, 41 + idatLen))], [0, 255, 0, 0, 0, 255, 0]);

  const file = await client.downloadArtifacts(runId, "tree/sub/b.json", join(dl, "one"));
  assert.equal(file, join(dl, "one/tree/sub/b.json"));
  const folder = await client.downloadArtifacts(runId, "tree", join(dl, "folder"));
  assert.equal(await Deno.readTextFile(join(folder, "a.txt")), "a");
  await assert.rejects(
    client.downloadArtifacts(runId, "missing.txt", join(dl, "x")),
    (e) => e instanceof TrackerError,
  );
}

Deno.test("artifacts through the proxied artifact service (mlflow-artifacts:)", async () => {
  await withFluentTracker(async (server) => {
    const dir = await Deno.makeTempDir({ prefix: "tracker-art-" });
    const runId = await logEverything(dir);
    const run = await (await tracker.getClient()).getRun(runId);
    assert.match(run.info.artifactUri, /^mlflow-artifacts:\//);
    // The bytes sit in the server's artifacts destination, where the proxy put them.
    const rel = run.info.artifactUri.replace(/^mlflow-artifacts:\/+/, "");
    assert.equal(await Deno.readTextFile(join(server.artifactsDir, rel, "single.txt")), "single");
    await checkEverything(runId, join(dir, "dl"));
  });
});

Deno.test("artifacts in a file: location are written and read directly (server with --no-serve-artifacts)", async () => {
  await withFluentTracker(async () => {
    const dir = await Deno.makeTempDir({ prefix: "tracker-art-" });
    const runId = await logEverything(dir);
    const run = await (await tracker.getClient()).getRun(runId);
    assert.match(run.info.artifactUri, /^file:\/\//);
    assert.equal(
      await Deno.readTextFile(join(new URL(run.info.artifactUri).pathname, "tree/a.txt")),
      "a",
    );
    await checkEverything(runId, join(dir, "dl"));
  }, { args: ["--no-serve-artifacts"] });
});

Deno.test("artifacts: a 24 MB file is streamed up and comes back identical", async () => {
  const server = await startTracker();
  const dir = await Deno.makeTempDir({ prefix: "tracker-big-" });
  try {
    const bytes = new Uint8Array(24 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 65536) crypto.getRandomValues(bytes.subarray(i, i + 65536));
    await Deno.writeFile(join(dir, "big.bin"), bytes);
    const client = await tracker.TrackerClient.connect({ trackingUri: server.url, env: envOf() });
    const run = await client.createRun({});
    await client.logArtifact(run.info.runId, join(dir, "big.bin"), "data");
    const listed = await client.listRunArtifacts(run.info.runId, "data");
    assert.deepEqual(listed, [{ path: "data/big.bin", isDir: false, fileSize: bytes.length }]);
    const local = await client.downloadArtifacts(run.info.runId, "data/big.bin", join(dir, "dl"));
    assert.equal(sha(await Deno.readFile(local)), sha(bytes));
  } finally {
    await server.stop();
  }
});

Deno.test("artifacts: escaping paths and unsupported locations are refused", async () => {
  await withFluentTracker(async () => {
    await tracker.withRun(async (run) => {
      await assert.rejects(run.logText("x", "../outside.txt"), /Invalid artifact path/);
      await assert.rejects(run.logText("x", "/abs.txt"), /Invalid artifact path/);
      await assert.rejects(run.logArtifact("/no/such/file"), /no such file/);
    });
    const client = await tracker.getClient();
    assert.throws(
      () => client.artifactRepo("s3://bucket/x"),
      (e) => e instanceof TrackerError && e.errorCode === "NOT_IMPLEMENTED",
    );
  });
});

Deno.test("artifacts in local mode (no server): written into <folder>/<experiment>/<run>/artifacts", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tracker-art-local-" });
  const dir = join(tmp, "mlruns");
  try {
    await resetFluentState(envOf());
    await tracker.setTrackingUri(dir);
    const runId = await logEverything(tmp);
    assert.equal(await Deno.readTextFile(join(dir, "0", runId, "artifacts/tree/sub/b.json")), '{"b":1}');
    await checkEverything(runId, join(tmp, "dl"));
  } finally {
    await resetFluentState();
  }
});
