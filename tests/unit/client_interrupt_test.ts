// Ctrl-C and SIGTERM on a training script (a real child process, Deno and Node): the buffered metric points
// are sent, the open runs end KILLED with an end time, and the process exits 130 / 143.

import assert from "node:assert/strict";
import { join } from "node:path";
import * as tracker from "../../src/client/mod.ts";
import { buildClientBundle, DENO, HAS_NODE, ROOT, startTracker } from "./client_harness.ts";

const POINTS = 2500;

/** Logs POINTS points into two nested runs, prints the run ids, then keeps training until signalled. */
const script = (clientModule: string) => `
import * as tracker from ${JSON.stringify(clientModule)};
// Nothing is sent on a timer: only the signal's flush can deliver the tail of the buffer.
tracker.configureBatching({ flushIntervalMs: 3_600_000, maxBuffered: 100_000 });
const outer = await tracker.startRun({ runName: "outer" });
const inner = await tracker.startRun({ runName: "inner", nested: true });
for (let i = 0; i < ${POINTS}; i++) tracker.logMetric("loss", 1 / (i + 1), { step: i });
console.log(JSON.stringify({ outer: outer.runId, inner: inner.runId }));
setInterval(() => {}, 1000);
`;

async function interrupt(
  argv: string[],
  signal: "SIGINT" | "SIGTERM",
  url: string,
): Promise<{ code: number; ids: { outer: string; inner: string }; stderr: string }> {
  const child = new Deno.Command(argv[0], {
    args: argv.slice(1),
    env: { MLFLOW_TRACKING_URI: url },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) {
      throw new Error(`child ended before logging: ${text}${await stderr}`);
    }
    text += value;
  }
  reader.releaseLock();
  child.kill(signal);
  const status = await child.status;
  await child.stdout.cancel().catch(() => {});
  return { code: status.code, ids: JSON.parse(text.split("\n")[0]), stderr: await stderr };
}

async function check(url: string, ids: { outer: string; inner: string }) {
  const client = await tracker.TrackerClient.connect({ trackingUri: url });
  for (const id of [ids.inner, ids.outer]) {
    const run = await client.getRun(id);
    assert.equal(run.info.status, "KILLED");
    assert.ok(run.info.endTime !== undefined && run.info.endTime >= (run.info.startTime ?? 0));
  }
  assert.equal((await client.getMetricHistory(ids.inner, "loss")).length, POINTS);
}

for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`Deno script on ${signal}: buffered metrics flushed, open runs KILLED, exit ${code}`, async () => {
    const server = await startTracker();
    const dir = await Deno.makeTempDir({ prefix: "tracker-interrupt-" });
    try {
      const file = join(dir, "train.ts");
      await Deno.writeTextFile(file, script(join(ROOT, "src/client/mod.ts")));
      const argv = [
        DENO,
        "run",
        "-A",
        "--unstable-kv",
        "--unstable-net",
        "--config",
        join(ROOT, "deno.json"),
        file,
      ];
      const r = await interrupt(argv, signal, server.url);
      assert.equal(r.code, code, r.stderr);
      await check(server.url, r.ids);
    } finally {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test({
  name: "Node script on SIGINT (bundled client): buffered metrics flushed, open runs KILLED, exit 130",
  ignore: !HAS_NODE,
  async fn() {
    const bundle = await buildClientBundle();
    const server = await startTracker();
    const dir = await Deno.makeTempDir({ prefix: "tracker-interrupt-node-" });
    try {
      const file = join(dir, "train.mjs");
      await Deno.writeTextFile(file, script(bundle));
      const r = await interrupt(["node", file], "SIGINT", server.url);
      assert.equal(r.code, 130, r.stderr);
      await check(server.url, r.ids);
    } finally {
      await server.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
