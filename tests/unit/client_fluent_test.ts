// The fluent API (setTrackingUri, setExperiment, startRun/withRun, log*, endRun) against a real tracker:
// run lifecycle and status, nested runs, system tags and the MLFLOW_* environment variables.

import assert from "node:assert/strict";
import * as tracker from "../../src/client/mod.ts";
import { resetFluentState } from "../../src/client/fluent.ts";
import { TrackerError } from "../../src/client/errors.ts";
import { envOf, startTracker, type TrackerProcess, withFluentTracker } from "./client_harness.ts";

function tagsOf(run: tracker.Run): Record<string, string> {
  return Object.fromEntries(run.data.tags.map((t) => [t.key, t.value]));
}

async function withServer(fn: (server: TrackerProcess) => Promise<void>): Promise<void> {
  const server = await startTracker();
  try {
    await fn(server);
  } finally {
    await resetFluentState();
    await server.stop();
  }
}

Deno.test("fluent: withRun ends FINISHED with params, metrics, tags and MLflow's system tags", async () => {
  await withFluentTracker(async () => {
    const exp = await tracker.setExperiment("fluent");
    assert.equal((await tracker.setExperiment("fluent")).experimentId, exp.experimentId);

    const runId = await tracker.withRun(
      { runName: "first", description: "notes", tags: { team: "x" } },
      async (run) => {
        assert.equal(tracker.activeRun(), run);
        await tracker.logParam("lr", 0.01);
        await tracker.logParams({ layers: 3, opt: { name: "adam" } });
        await tracker.logMetric("loss", 0.5, { step: 1, timestamp: 1234 });
        await tracker.logMetrics({ acc: 0.9, f1: 0.8 }, { step: 2 });
        await tracker.setTag("phase", "train");
        await tracker.setTags({ a: 1, b: true });
        return run.runId;
      },
    );
    assert.equal(tracker.activeRun(), undefined);

    const client = await tracker.getClient();
    const run = await client.getRun(runId);
    assert.equal(run.info.status, "FINISHED");
    assert.ok(run.info.endTime !== undefined && run.info.endTime >= (run.info.startTime ?? 0));
    assert.equal(run.info.experimentId, exp.experimentId);
    assert.equal(run.info.runName, "first");
    assert.equal(run.info.userId, "ada");
    assert.deepEqual(
      Object.fromEntries(run.data.params.map((p) => [p.key, p.value])),
      { lr: "0.01", layers: "3", opt: '{"name":"adam"}' },
    );
    const metrics = Object.fromEntries(run.data.metrics.map((m) => [m.key, m]));
    assert.deepEqual([metrics.loss.value, metrics.loss.step, metrics.loss.timestamp], [0.5, 1, 1234]);
    assert.deepEqual([metrics.acc.value, metrics.acc.step, metrics.f1.value], [0.9, 2, 0.8]);
    const tags = tagsOf(run);
    assert.equal(tags.phase, "train");
    assert.equal(tags.a, "1");
    assert.equal(tags.b, "true");
    assert.equal(tags.team, "x");
    assert.equal(tags["mlflow.note.content"], "notes");
    assert.equal(tags["mlflow.runName"], "first");
    assert.equal(tags["mlflow.user"], "ada");
    assert.equal(tags["mlflow.source.type"], "LOCAL");
    assert.ok(tags["mlflow.source.name"], "mlflow.source.name is set");
  }, { env: { USER: "ada" } });
});

Deno.test("fluent: a run whose body throws ends FAILED and the error reaches the caller", async () => {
  await withFluentTracker(async () => {
    let runId = "";
    await assert.rejects(
      tracker.withRun(async (run) => {
        runId = run.runId;
        await run.logMetric("before", 1);
        throw new Error("diverged");
      }),
      /diverged/,
    );
    const run = await (await tracker.getClient()).getRun(runId);
    assert.equal(run.info.status, "FAILED");
    // The point accepted before the throw was still delivered.
    assert.equal(run.data.metrics.find((m) => m.key === "before")?.value, 1);
    assert.equal(tracker.activeRun(), undefined);
  });
});

Deno.test("fluent: nested runs carry mlflow.parentRunId; a second top-level run is refused", async () => {
  await withFluentTracker(async () => {
    await tracker.withRun({ runName: "parent" }, async (parent) => {
      await assert.rejects(
        tracker.startRun(),
        (e) => e instanceof TrackerError && e.errorCode === "INVALID_STATE",
      );
      const childId = await tracker.withRun({ nested: true, runName: "child" }, async (child) => {
        await tracker.logMetric("m", 1); // goes to the innermost run
        const grandchild = await tracker.startRun({ nested: true });
        await tracker.endRun("KILLED");
        const client = await tracker.getClient();
        const g = await client.getRun(grandchild.runId);
        assert.equal(tagsOf(g)["mlflow.parentRunId"], child.runId);
        assert.equal(g.info.status, "KILLED");
        return child.runId;
      });
      const client = await tracker.getClient();
      const child = await client.getRun(childId);
      assert.equal(tagsOf(child)["mlflow.parentRunId"], parent.runId);
      assert.equal(child.data.metrics[0]?.key, "m");
      assert.equal(child.info.status, "FINISHED");
      assert.equal(tracker.activeRun(), parent);
    });
  });
});

Deno.test("fluent: logging without an active run starts one; endRun ends it", async () => {
  await withFluentTracker(async () => {
    await tracker.logParam("auto", "yes");
    const run = tracker.activeRun();
    assert.ok(run);
    await tracker.endRun();
    assert.equal(tracker.activeRun(), undefined);
    const got = await (await tracker.getClient()).getRun(run.runId);
    assert.equal(got.info.status, "FINISHED");
    assert.equal(got.info.experimentId, "0");
    await assert.rejects(
      run.logMetric("late", 1),
      (e) => e instanceof TrackerError && e.errorCode === "INVALID_STATE",
    );
  });
});

Deno.test("fluent: MLFLOW_TRACKING_URI, MLFLOW_EXPERIMENT_NAME/ID and MLFLOW_RUN_ID are honoured", async () => {
  await withServer(async (server) => {
    await resetFluentState(envOf({ MLFLOW_TRACKING_URI: server.url, MLFLOW_EXPERIMENT_NAME: "from-env" }));
    assert.equal(tracker.getTrackingUri(), server.url);
    const first = await tracker.withRun((run) => run.info);
    const client = await tracker.getClient();
    const exp = await client.getExperimentByName("from-env");
    assert.equal(first.experimentId, exp?.experimentId);

    await resetFluentState(
      envOf({ MLFLOW_TRACKING_URI: server.url, MLFLOW_EXPERIMENT_ID: exp!.experimentId }),
    );
    assert.equal((await tracker.withRun((run) => run.info)).experimentId, exp!.experimentId);

    await resetFluentState(envOf({ MLFLOW_TRACKING_URI: server.url, MLFLOW_EXPERIMENT_ID: "999999" }));
    await assert.rejects(tracker.startRun(), /MLFLOW_EXPERIMENT_ID=999999/);

    // Resume: the same run becomes RUNNING again, gets the new data, and ends FINISHED.
    await resetFluentState(envOf({ MLFLOW_TRACKING_URI: server.url, MLFLOW_RUN_ID: first.runId }));
    const resumed = await tracker.startRun();
    assert.equal(resumed.runId, first.runId);
    assert.equal((await (await tracker.getClient()).getRun(first.runId)).info.status, "RUNNING");
    await tracker.logParam("resumed", "1");
    await tracker.endRun();
    // MLFLOW_RUN_ID is used once: the next run is a new one.
    const next = await tracker.withRun((run) => run.runId);
    assert.notEqual(next, first.runId);
    const after = await (await tracker.getClient()).getRun(first.runId);
    assert.equal(after.info.status, "FINISHED");
    assert.deepEqual(after.data.params, [{ key: "resumed", value: "1" }]);
  });
});

Deno.test("fluent: setExperiment refuses a deleted experiment and bad input is refused at the edge", async () => {
  await withFluentTracker(async () => {
    const exp = await tracker.setExperiment("gone");
    await (await tracker.getClient()).deleteExperiment(exp.experimentId);
    await assert.rejects(tracker.setExperiment("gone"), /deleted experiment 'gone'/);
    await assert.rejects(tracker.setExperiment({}), /exactly one/);
    await tracker.setExperiment({ experimentId: "0" });
    await tracker.withRun(async (run) => {
      await assert.rejects(run.logMetric("bad key!", 1), /Invalid metric 'bad key!'/);
      await assert.rejects(run.logMetric("../up", 1), /relative path/);
      await assert.rejects(run.logMetric("x", "1" as unknown as number), /must be a number/);
      await assert.rejects(run.logMetric("x", 1, { step: 1.5 }), /integer/);
      await assert.rejects(run.logParam("", 1), /must not be empty/);
      assert.equal(run.pendingMetrics, 0);
    });
  });
});

Deno.test("fluent: setTrackingUri refuses unsupported URIs and a change while a run is active", async () => {
  await withServer(async (server) => {
    await resetFluentState(envOf());
    await tracker.setTrackingUri("sqlite:///mlflow.db");
    await assert.rejects(tracker.getClient(), /not supported/);
    await tracker.setTrackingUri(server.url);
    await tracker.withRun(async () => {
      await assert.rejects(tracker.setTrackingUri("http://127.0.0.1:1"), /while a run is active/);
    });
    assert.equal(tracker.getTrackingUri(), server.url);
  });
});
