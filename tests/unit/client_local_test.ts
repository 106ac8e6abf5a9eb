// Local mode: no tracking URI means the folder's store. Without a server the client opens the store
// in-process (holding the folder's lock only while runs are open); with a tracker server on the folder
// it talks to that server, so the server (and its UI) sees the run while it is being logged.

import assert from "node:assert/strict";
import { join } from "node:path";
import * as tracker from "../../src/client/mod.ts";
import { resetFluentState } from "../../src/client/fluent.ts";
import { TrackerClient } from "../../src/client/client.ts";
import { TrackerError } from "../../src/client/errors.ts";
import { openLocalTransport } from "../../src/client/local/mod.ts";
import { lockPath, tryLock } from "../../src/store/backend-lock.ts";
import { DENO, envOf, ROOT, runDeno, startTracker } from "./client_harness.ts";

/** True when nobody holds the folder's lock (checked with a fresh handle, then released). */
function lockIsFree(dir: string): boolean {
  const lock = tryLock(dir);
  lock?.close();
  return lock !== undefined;
}

Deno.test("local mode without a server: in-process store, mlruns artifact layout, lock held only while running", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tracker-local-" });
  const dir = join(tmp, "mlruns");
  try {
    await resetFluentState(envOf());
    await tracker.setTrackingUri(dir);
    const exp = await tracker.setExperiment("local-exp");
    const runId = await tracker.withRun({ runName: "embedded" }, async (run) => {
      assert.equal((await tracker.getClient()).embedded, true);
      assert.equal(lockIsFree(dir), false, "the lock is held while the run is open");
      assert.match(await Deno.readTextFile(lockPath(dir)), /"owner":"local"/);
      await run.logParam("mode", "local");
      const accepted: Promise<void>[] = [];
      for (let i = 0; i < 100_000; i++) accepted.push(run.logMetric("loss", 1 / (i + 1), { step: i }));
      await Promise.all(accepted);
      await run.logText("local text", "out/notes.txt");
      return run.runId;
    });
    assert.equal(lockIsFree(dir), true, "the folder is released when the last run ends");

    // MLflow's folder layout for artifacts: <folder>/<experiment id>/<run id>/artifacts/...
    assert.equal(
      await Deno.readTextFile(join(dir, exp.experimentId, runId, "artifacts/out/notes.txt")),
      "local text",
    );

    // A server opened on the folder afterwards sees everything.
    const server = await startTracker({ backendDir: dir });
    try {
      const client = await TrackerClient.connect({ trackingUri: server.url, env: envOf() });
      const run = await client.getRun(runId);
      assert.equal(run.info.status, "FINISHED");
      assert.deepEqual(run.data.params, [{ key: "mode", value: "local" }]);
      const history = await client.getMetricHistory(runId, "loss");
      assert.equal(history.length, 100_000);
      assert.deepEqual(history.slice(0, 3).map((m) => m.step), [0, 1, 2]);
      assert.deepEqual(
        (await client.listRunArtifacts(runId, "out")).map((f) => f.path),
        ["out/notes.txt"],
      );
    } finally {
      await server.stop();
    }
  } finally {
    await resetFluentState();
  }
});

Deno.test("local mode with a tracker server on the folder: requests go to the server, which sees the run live", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tracker-local-" });
  const dir = join(tmp, "mlruns");
  const server = await startTracker({ backendDir: dir });
  try {
    assert.match(await Deno.readTextFile(lockPath(dir)), new RegExp(`"url":"${server.url}"`));
    await resetFluentState(envOf());
    await tracker.setTrackingUri(dir);
    const viaServer = await TrackerClient.connect({ trackingUri: server.url, env: envOf() });
    await tracker.withRun({ runName: "live" }, async (run) => {
      const client = await tracker.getClient();
      assert.equal(client.embedded, false);
      await run.logMetric("acc", 0.75, { step: 3 });
      await run.flush();
      // Seen through the server while the run is still open: what the UI shows.
      const seen = await viaServer.getRun(run.runId);
      assert.equal(seen.info.status, "RUNNING");
      assert.deepEqual(seen.data.metrics.map((m) => [m.key, m.value, m.step]), [["acc", 0.75, 3]]);
      await run.logText("through the server", "t.txt");
    });
    const runs = await viaServer.searchAllRuns({ experimentIds: ["0"] });
    assert.equal(runs.length, 1);
    assert.equal(runs[0].info.status, "FINISHED");
  } finally {
    await resetFluentState();
    await server.stop();
  }
});

Deno.test("local mode: no tracking URI at all means ./mlruns in the working directory", async () => {
  const cwd = await Deno.makeTempDir({ prefix: "tracker-cwd-" });
  const script = join(cwd, "train.ts");
  await Deno.writeTextFile(
    script,
    `import * as tracker from ${JSON.stringify(join(ROOT, "src/client/mod.ts"))};
const id = await tracker.withRun(async (run) => { await run.logParam("where", "cwd"); return run.runId; });
console.log(id);
`,
  );
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(Deno.env.toObject())) if (!k.startsWith("MLFLOW_")) env[k] = v;
  const out = await new Deno.Command(DENO, {
    args: ["run", "--unstable-kv", "-A", "--config", join(ROOT, "deno.json"), script],
    cwd,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const runId = new TextDecoder().decode(out.stdout).trim();
  assert.ok((await Deno.stat(join(cwd, "mlruns/tracker.kv.sqlite3"))).isFile);
  const client = await TrackerClient.connect({ trackingUri: join(cwd, "mlruns"), env: envOf() });
  try {
    assert.deepEqual((await client.getRun(runId)).data.params, [{ key: "where", value: "cwd" }]);
  } finally {
    await client.close();
  }
});

Deno.test("local mode: a folder held by another local-mode program is reported, not corrupted", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tracker-local-" });
  const dir = join(tmp, "mlruns");
  const script = join(tmp, "hold.ts");
  await Deno.writeTextFile(
    script,
    `import * as tracker from ${JSON.stringify(join(ROOT, "src/client/mod.ts"))};
await tracker.setTrackingUri(${JSON.stringify(dir)});
await tracker.startRun();
console.log("holding");
await new Promise((resolve) => setTimeout(resolve, 60_000));
`,
  );
  const holder = new Deno.Command(DENO, {
    args: ["run", "--unstable-kv", "-A", "--config", join(ROOT, "deno.json"), script],
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    const reader = holder.stdout.pipeThrough(new TextDecoderStream()).getReader();
    assert.match((await reader.read()).value ?? "", /holding/);
    reader.releaseLock();
    await assert.rejects(
      openLocalTransport(dir, { waitMs: 300 }),
      (e) =>
        e instanceof TrackerError && e.errorCode === "RESOURCE_CONFLICT" &&
        e.message.includes(`local mode (pid ${holder.pid})`) && e.message.includes("tracker ui"),
    );
  } finally {
    holder.kill("SIGKILL");
    await holder.status;
    await holder.stdout.cancel().catch(() => {});
  }
  // Killed without closing anything: the OS dropped the lock, and the store opens fine.
  const transport = await openLocalTransport(dir, { waitMs: 0 });
  assert.equal(transport.kind, "local");
  await transport.close();
});

Deno.test("local mode: the address a dead server left in the lock file is ignored", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "tracker-local-" });
  const dir = join(tmp, "mlruns");
  await Deno.mkdir(dir);
  await Deno.writeTextFile(lockPath(dir), JSON.stringify({ pid: 1, url: "http://127.0.0.1:9" }));
  const client = await TrackerClient.connect({ trackingUri: `file://${dir}`, env: envOf() });
  try {
    assert.equal(client.embedded, true);
    assert.equal((await client.getExperiment("0")).name, "Default");
  } finally {
    await client.close();
  }
  // A fresh process (the CLI in local mode) sees the same store.
  const out = await runDeno([join(ROOT, "main.ts"), "experiments", "search", "--tracking-uri", dir]);
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /Default/);
});

const VENV_PYTHON = join(ROOT, "tests/compat/.venv/bin/python");

Deno.test({
  name: "local mode on a folder the real mlflow wrote (FileStore): its runs are imported and visible",
  ignore: !(await Deno.stat(VENV_PYTHON).then(() => true, () => false)),
  async fn() {
    const tmp = await Deno.makeTempDir({ prefix: "tracker-local-mlflow-" });
    const dir = join(tmp, "mlruns");
    const py = `
import mlflow
mlflow.set_tracking_uri(${JSON.stringify(`file://${dir}`)})
mlflow.set_experiment("written-by-mlflow")
with mlflow.start_run() as run:
    mlflow.log_param("p", "from-python")
    for i in range(3):
        mlflow.log_metric("m", i * 1.5, step=i)
print(run.info.run_id)
`;
    const out = await new Deno.Command(VENV_PYTHON, {
      args: ["-c", py],
      env: { MLFLOW_ALLOW_FILE_STORE: "true" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const runId = new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!;

    await resetFluentState(envOf());
    try {
      await tracker.setTrackingUri(dir);
      const exp = await tracker.setExperiment("written-by-mlflow");
      assert.match(exp.experimentId, /^\d{18}$/);
      const client = await tracker.getClient();
      const run = await client.getRun(runId);
      assert.deepEqual(run.data.params, [{ key: "p", value: "from-python" }]);
      assert.deepEqual((await client.getMetricHistory(runId, "m")).map((m) => m.value), [0, 1.5, 3]);
      // Logging continues in MLflow's experiment.
      const mine = await tracker.withRun((r) => r.info);
      assert.equal(mine.experimentId, exp.experimentId);
    } finally {
      await resetFluentState();
    }
  },
});
