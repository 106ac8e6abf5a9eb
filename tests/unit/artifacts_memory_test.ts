// Uploads and downloads stream: a 1 GiB PUT through a real Deno.serve (curl as the client, body generated
// on the fly with a declared Content-Length) must not grow this process's RSS by more than a loose bound,
// and neither must streaming the same file back out.

import nodeAssert from "node:assert/strict";
import * as path from "node:path";
import { createApp } from "../../src/server/app.ts";
import { artifactRootRoutes } from "../../src/server/routes/artifacts.ts";
import { openKvStore } from "../../src/store/kv/mod.ts";

const assert: (v: unknown, msg?: string) => asserts v = nodeAssert.ok;
const assertEquals = <V>(actual: V, expected: V, msg?: string) =>
  nodeAssert.deepStrictEqual(actual, expected, msg);

const GIB = 1024 * 1024 * 1024;
const RSS_GROWTH_LIMIT = 64 * 1024 * 1024;

/** Runs `sh -c script` while sampling this process's RSS; returns stdout and the highest sample. */
async function runSampling(script: string): Promise<{ stdout: string; peak: number }> {
  let peak = Deno.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, Deno.memoryUsage().rss);
  }, 20);
  try {
    const out = await new Deno.Command("sh", { args: ["-c", script], stdout: "piped", stderr: "piped" })
      .output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert(out.success, `command failed: ${script}\n${stderr}`);
    return { stdout: new TextDecoder().decode(out.stdout), peak: Math.max(peak, Deno.memoryUsage().rss) };
  } finally {
    clearInterval(timer);
  }
}

Deno.test({
  name: "a 1 GiB upload and download stream through Deno.serve in constant memory",
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "artifacts_memory_" });
    const store = await openKvStore({ path: ":memory:", defaultArtifactRoot: "mlflow-artifacts:/" });
    const app = createApp({
      store,
      config: {
        host: "127.0.0.1",
        port: 0,
        backendStoreUri: ":memory:",
        defaultArtifactRoot: "mlflow-artifacts:/",
        serveArtifacts: true,
        artifactsDestination: tmp,
        staticPrefix: "",
        workers: 1,
        exposePrometheus: false,
      },
    }, { root: [artifactRootRoutes] });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    const base = `http://127.0.0.1:${server.addr.port}/api/2.0/mlflow-artifacts/artifacts`;
    // The body is piped from `head` with a declared length; "Transfer-Encoding:" stops curl from chunking.
    const put = (name: string, bytes: number) =>
      `head -c ${bytes} /dev/zero | curl -sS --fail-with-body -T - -H 'Transfer-Encoding:' ` +
      `-H 'Content-Length: ${bytes}' -H 'Content-Type: application/octet-stream' '${base}/${name}'`;
    try {
      // Warm up code paths and buffers so the baseline is not the cold process.
      await runSampling(put("warm/w.bin", 64 * 1024 * 1024));
      const baseline = Deno.memoryUsage().rss;

      const up = await runSampling(put("big/zero.bin", GIB));
      assertEquals(up.stdout.trim(), "{}");
      assertEquals((await Deno.stat(path.join(tmp, "big/zero.bin"))).size, GIB);
      const upGrowth = up.peak - baseline;
      assert(upGrowth <= RSS_GROWTH_LIMIT, `upload grew RSS by ${(upGrowth / 2 ** 20).toFixed(1)} MiB`);

      const down = await runSampling(
        `curl -sS --fail -o /dev/null -w '%{size_download}' '${base}/big/zero.bin'`,
      );
      assertEquals(Number(down.stdout), GIB);
      const downGrowth = down.peak - baseline;
      assert(downGrowth <= RSS_GROWTH_LIMIT, `download grew RSS by ${(downGrowth / 2 ** 20).toFixed(1)} MiB`);
    } finally {
      await server.shutdown();
      await store.close();
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
