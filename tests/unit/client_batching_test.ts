// Automatic metric batching against a real tracker: a 100k-point burst arrives whole and in order, the
// buffer stays bounded, a partial batch is sent by the timer, points survive failed requests, and a
// program that exits without endRun still delivers everything.

import assert from "node:assert/strict";
import { join } from "node:path";
import * as tracker from "../../src/client/mod.ts";
import { TrackerClient } from "../../src/client/client.ts";
import { TrackerError } from "../../src/client/errors.ts";
import { envOf, ROOT, runDeno, startProxy, startTracker, withFluentTracker } from "./client_harness.ts";

const N = 100_000;

Deno.test("batching: a burst of 100k points (un-awaited calls) loses nothing and keeps the order", async () => {
  await withFluentTracker(async () => {
    const runId = await tracker.withRun(async (run) => {
      const accepted: Promise<void>[] = [];
      for (let i = 0; i < N; i++) {
        accepted.push(run.logMetric("burst", i * 0.5, { step: i, timestamp: 1_000 + i }));
      }
      await Promise.all(accepted);
      return run.runId;
    });
    const client = await tracker.getClient();
    const history = await client.getMetricHistory(runId, "burst");
    assert.equal(history.length, N);
    for (let i = 0; i < N; i++) {
      const m = history[i];
      if (m.step !== i || m.value !== i * 0.5 || m.timestamp !== 1_000 + i) {
        assert.fail(`point ${i} is ${JSON.stringify(m)}`);
      }
    }
    const run = await client.getRun(runId);
    assert.equal(run.data.metrics.find((m) => m.key === "burst")?.step, N - 1);
  });
});

Deno.test("batching: awaited logMetric applies backpressure — the buffer never exceeds its bound", async () => {
  await withFluentTracker(async () => {
    tracker.configureBatching({ batchSize: 500, maxBuffered: 1_500, flushIntervalMs: 60_000 });
    let peak = 0;
    const runId = await tracker.withRun(async (run) => {
      for (let i = 0; i < 20_000; i++) {
        await run.logMetric("bp", i, { step: i });
        peak = Math.max(peak, run.pendingMetrics);
      }
      return run.runId;
    });
    assert.ok(peak <= 1_500, `peak ${peak}`);
    const history = await (await tracker.getClient()).getMetricHistory(runId, "bp");
    assert.deepEqual(history.map((m) => m.step), Array.from({ length: 20_000 }, (_, i) => i));
  });
});

Deno.test("batching: a partial batch is sent by the timer without flush or endRun", async () => {
  await withFluentTracker(async () => {
    tracker.configureBatching({ flushIntervalMs: 20 });
    const run = await tracker.startRun();
    await run.logMetric("slow", 1);
    await run.logMetric("slow", 2, { step: 1 });
    const client = await tracker.getClient();
    // Polls until the points show up; the bound only turns a hang into a failure.
    const deadline = Date.now() + 20_000;
    let seen = 0;
    while (Date.now() < deadline && (seen = (await client.getMetricHistory(run.runId, "slow")).length) < 2) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(seen, 2);
    assert.equal(run.pendingMetrics, 0);
    await tracker.endRun();
  });
});

Deno.test("batching: points of a failed request are kept and delivered once the server answers again", async () => {
  const server = await startTracker();
  let broken = false;
  const proxy = await startProxy(server.url, (req) => {
    if (broken && new URL(req.url).pathname.endsWith("/runs/log-batch")) {
      return Response.json({ error_code: "INTERNAL_ERROR", message: "disk full" }, { status: 500 });
    }
    return undefined;
  });
  try {
    const client = await TrackerClient.connect({
      trackingUri: proxy.url,
      retry: { maxRetries: 1, backoffMs: 1, maxBackoffMs: 2 },
      env: envOf(),
    });
    const run = new tracker.ActiveRun(client, await client.createRun({}), { flushIntervalMs: 60_000 });
    broken = true;
    for (let i = 0; i < 2_500; i++) await run.logMetric("kept", i, { step: i });
    await assert.rejects(run.flush(), (e) => e instanceof TrackerError && e.errorCode === "INTERNAL_ERROR");
    assert.ok(run.pendingMetrics > 0);
    // A new point is still accepted after the error was reported.
    await run.logMetric("kept", 2_500, { step: 2_500 });
    broken = false;
    await run.end();
    const history = await client.getMetricHistory(run.runId, "kept");
    assert.deepEqual(history.map((m) => m.step), Array.from({ length: 2_501 }, (_, i) => i));
    assert.equal((await client.getRun(run.runId)).info.status, "FINISHED");
  } finally {
    await proxy.close();
    await server.stop();
  }
});

Deno.test("batching: a program that ends without endRun flushes its points and finishes the run", async () => {
  const server = await startTracker();
  const dir = await Deno.makeTempDir({ prefix: "tracker-exit-" });
  try {
    const script = join(dir, "train.ts");
    await Deno.writeTextFile(
      script,
      `import * as tracker from ${JSON.stringify(join(ROOT, "src/client/mod.ts"))};
const run = await tracker.startRun({ runName: "no-end" });
for (let i = 0; i < 3_333; i++) tracker.logMetric("exit", i, { step: i });
console.log(run.runId);
`,
    );
    const out = await runDeno([script], { env: { MLFLOW_TRACKING_URI: server.url } });
    assert.equal(out.code, 0, out.stderr);
    const runId = out.stdout.trim();
    const client = await TrackerClient.connect({ trackingUri: server.url, env: envOf() });
    assert.equal((await client.getMetricHistory(runId, "exit")).length, 3_333);
    assert.equal((await client.getRun(runId)).info.status, "FINISHED");
  } finally {
    await server.stop();
  }
});
