// `tracker experiments|runs|artifacts ...` through the CLI dispatcher against a real tracker: mlflow's
// option names and messages, the exit codes (0 ok, 1 server-side error, 2 usage), and --help.

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli } from "../../src/cli/mod.ts";
import { CLIENT_COMMANDS } from "../../src/client/cli/mod.ts";
import { TrackerClient } from "../../src/client/client.ts";
import { captureContext } from "./cli_harness.ts";
import { envOf, startTracker } from "./client_harness.ts";

interface Result {
  code: number;
  out: string;
  err: string;
}

function cli(vars: Record<string, string>) {
  return async (...argv: string[]): Promise<Result> => {
    const { ctx, out, err } = captureContext({ env: envOf(vars) });
    const code = await runCli(argv, ctx);
    return { code, out: out.join("\n"), err: err.join("\n") };
  };
}

Deno.test("CLI: experiments create|search|rename|delete|restore", async () => {
  const server = await startTracker();
  const run = cli({ MLFLOW_TRACKING_URI: server.url });
  try {
    const created = await run("experiments", "create", "-n", "cli-exp");
    assert.equal(created.code, 0, created.err);
    const id = /^Created experiment 'cli-exp' with id (\d+)$/.exec(created.out)?.[1];
    assert.ok(id, created.out);
    assert.equal((await run("experiments", "create", "--experiment-name", "other")).code, 0);

    const dup = await run("experiments", "create", "-n", "cli-exp");
    assert.equal(dup.code, 1);
    assert.match(dup.err, /^tracker experiments create: RESOURCE_ALREADY_EXISTS: .*cli-exp/);

    const search = await run("experiments", "search");
    assert.equal(search.code, 0);
    const lines = search.out.split("\n");
    assert.match(lines[0], /^Experiment Id\s+Name\s+Artifact Location\s*$/);
    assert.match(lines[1], /^-+ {2}-+ {2}-+$/);
    assert.deepEqual(lines.slice(2).map((l) => l.split(/\s{2,}/)[1]), ["Default", "cli-exp", "other"]);
    assert.equal((await run("experiments", "search", "--max-results", "1")).out.split("\n").length, 3);

    const renamed = await run("experiments", "rename", "-x", id, "--new-name", "cli-exp-2");
    assert.equal(renamed.out, `Experiment with id ${id} has been renamed to 'cli-exp-2'.`);
    assert.equal(
      (await run("experiments", "delete", "--experiment-id", id)).out,
      `Experiment with ID ${id} has been deleted.`,
    );
    assert.doesNotMatch((await run("experiments", "search")).out, /cli-exp-2/);
    assert.match((await run("experiments", "search", "-v", "deleted_only")).out, /cli-exp-2/);
    assert.match(
      (await run("experiments", "search", "--view", "all")).out,
      /cli-exp-2[\s\S]*other|other[\s\S]*cli-exp-2/,
    );
    assert.equal(
      (await run("experiments", "restore", "-x", id)).out,
      `Experiment with id ${id} has been restored.`,
    );

    const missing = await run("experiments", "delete", "-x", "98765");
    assert.equal(missing.code, 1);
    assert.match(missing.err, /RESOURCE_DOES_NOT_EXIST/);
    assert.equal((await run("experiments", "rename", "-x", id)).code, 2);
    assert.equal((await run("experiments", "search", "--view", "sideways")).code, 2);
  } finally {
    await server.stop();
  }
});

Deno.test("CLI: runs list|describe|delete|restore", async () => {
  const server = await startTracker();
  const run = cli({ MLFLOW_TRACKING_URI: server.url });
  try {
    const client = await TrackerClient.connect({ trackingUri: server.url, env: envOf() });
    const expId = await client.createExperiment("runs-cli");
    const a = await client.createRun({ experimentId: expId, runName: "alpha", startTime: 1_700_000_000_000 });
    const b = await client.createRun({ experimentId: expId, runName: "beta", startTime: 1_700_000_100_000 });
    await client.logBatch(a.info.runId, {
      metrics: [{ key: "loss", value: 0.25, timestamp: 5, step: 2 }, {
        key: "bad",
        value: NaN,
        timestamp: 5,
        step: 0,
      }],
      params: [{ key: "lr", value: "0.1" }],
    });

    const listed = await run("runs", "list", "--experiment-id", expId);
    assert.equal(listed.code, 0, listed.err);
    const rows = listed.out.split("\n");
    assert.match(rows[0], /^Date\s+Name\s+ID\s*$/);
    // Newest first, as mlflow sorts.
    assert.deepEqual(rows.slice(2).map((r) => r.trim().split(/\s{2,}/).slice(1)), [
      ["beta", b.info.runId],
      ["alpha", a.info.runId],
    ]);
    assert.match(rows[2], /^2023-11-\d\d \d\d:\d\d:\d\d/);
    // --experiment-id may come from MLFLOW_EXPERIMENT_ID.
    const fromEnv = await cli({ MLFLOW_TRACKING_URI: server.url, MLFLOW_EXPERIMENT_ID: expId })(
      "runs",
      "list",
    );
    assert.equal(fromEnv.out, listed.out);

    const described = await run("runs", "describe", "--run-id", a.info.runId);
    assert.equal(described.code, 0);
    assert.match(described.out, /"bad": NaN/);
    const doc = JSON.parse(described.out.replace("NaN", "null"));
    assert.deepEqual(Object.keys(doc), ["info", "data", "inputs", "outputs"]);
    assert.equal(doc.info.run_id, a.info.runId);
    assert.equal(doc.info.run_name, "alpha");
    assert.equal(doc.info.status, "RUNNING");
    assert.deepEqual(doc.data.metrics, { loss: 0.25, bad: null });
    assert.deepEqual(doc.data.params, { lr: "0.1" });
    assert.equal(doc.data.tags["mlflow.runName"], "alpha");

    assert.equal(
      (await run("runs", "delete", "--run-id", b.info.runId)).out,
      `Run with ID ${b.info.runId} has been deleted.`,
    );
    assert.doesNotMatch((await run("runs", "list", "--experiment-id", expId)).out, /beta/);
    assert.match((await run("runs", "list", "--experiment-id", expId, "-v", "deleted_only")).out, /beta/);
    assert.equal(
      (await run("runs", "restore", "--run-id", b.info.runId)).out,
      `Run with id ${b.info.runId} has been restored.`,
    );

    const unknown = await run("runs", "describe", "--run-id", "ffffffffffffffffffffffffffffffff");
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /^tracker runs describe: RESOURCE_DOES_NOT_EXIST/);
    assert.equal((await run("runs", "list")).code, 2);
  } finally {
    await server.stop();
  }
});

Deno.test("CLI: artifacts log-artifact|list|download", async () => {
  const server = await startTracker();
  const run = cli({ MLFLOW_TRACKING_URI: server.url });
  const tmp = await Deno.makeTempDir({ prefix: "tracker-cli-" });
  try {
    const client = await TrackerClient.connect({ trackingUri: server.url, env: envOf() });
    const r = await client.createRun({});
    const id = r.info.runId;
    await Deno.writeTextFile(join(tmp, "report.txt"), "report");
    await Deno.writeTextFile(join(tmp, "empty.txt"), "");

    const logged = await run(
      "artifacts",
      "log-artifact",
      "-l",
      join(tmp, "report.txt"),
      "-r",
      id,
      "-a",
      "docs",
    );
    assert.equal(logged.code, 0, logged.err);
    assert.equal(
      (await run("artifacts", "log-artifact", "--local-file", join(tmp, "empty.txt"), "--run-id", id)).code,
      0,
    );

    const root = await run("artifacts", "list", "--run-id", id);
    assert.deepEqual(JSON.parse(root.out), [
      { path: "docs", is_dir: true },
      { path: "empty.txt", is_dir: false, file_size: 0 },
    ]);
    const docs = await run("artifacts", "list", "-r", id, "-a", "docs");
    assert.equal(docs.out, '[{\n  "path": "docs/report.txt",\n  "is_dir": false,\n  "file_size": 6\n}]');

    const dl = await run("artifacts", "download", "-r", id, "-a", "docs/report.txt", "-d", join(tmp, "dl"));
    assert.equal(dl.code, 0, dl.err);
    assert.equal(dl.out, `\n${join(tmp, "dl/docs/report.txt")}`);
    assert.equal(await Deno.readTextFile(join(tmp, "dl/docs/report.txt")), "report");

    const byUri = await run("artifacts", "download", "-u", `runs:/${id}/docs`, "-d", join(tmp, "uri"));
    assert.equal(byUri.out, `\n${join(tmp, "uri/docs")}`);
    assert.equal(await Deno.readTextFile(join(tmp, "uri/docs/report.txt")), "report");

    const direct = await run(
      "artifacts",
      "download",
      "--artifact-uri",
      `${r.info.artifactUri}/docs`,
      "--dst-path",
      join(tmp, "direct"),
    );
    assert.equal(direct.code, 0, direct.err);
    assert.equal(await Deno.readTextFile(join(tmp, "direct/docs/report.txt")), "report");

    const temp = await run("artifacts", "download", "-r", id);
    assert.equal(await Deno.readTextFile(join(temp.out.trim(), "docs/report.txt")), "report");

    assert.equal((await run("artifacts", "download")).code, 2);
    const missing = await run("artifacts", "log-artifact", "-l", join(tmp, "nope.txt"), "-r", id);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /no such file or directory/);
  } finally {
    await server.stop();
  }
});

Deno.test("CLI: every client command has --help with mlflow's option names; a dead server is one line", async () => {
  const run = cli({});
  const expected: Record<string, string[]> = {
    "experiments create": ["--experiment-name", "-n,", "--artifact-location", "-l,"],
    "experiments search": ["--view", "-v,", "--max-results"],
    "experiments rename": ["--experiment-id", "-x,", "--new-name"],
    "experiments delete": ["--experiment-id"],
    "experiments restore": ["--experiment-id"],
    "runs list": ["--experiment-id", "MLFLOW_EXPERIMENT_ID", "--view"],
    "runs describe": ["--run-id"],
    "runs delete": ["--run-id"],
    "runs restore": ["--run-id"],
    "artifacts list": ["--run-id", "-r,", "--artifact-path", "-a,"],
    "artifacts download": ["--run-id", "--artifact-path", "--artifact-uri", "-u,", "--dst-path", "-d,"],
    "artifacts log-artifact": ["--local-file", "-l,", "--run-id", "--artifact-path"],
  };
  assert.deepEqual(CLIENT_COMMANDS.map((c) => c.name).sort(), Object.keys(expected).sort());
  for (const [name, options] of Object.entries(expected)) {
    const help = await run(...name.split(" "), "--help");
    assert.equal(help.code, 0);
    assert.ok(help.out.startsWith(`Usage: tracker ${name} [OPTIONS]`), help.out);
    for (const o of [...options, "--tracking-uri", "MLFLOW_TRACKING_URI"]) {
      assert.ok(help.out.includes(o), `${name}: ${o}`);
    }
  }
  const dead = await cli({ MLFLOW_TRACKING_URI: "http://127.0.0.1:9", MLFLOW_HTTP_REQUEST_MAX_RETRIES: "0" })(
    "experiments",
    "search",
  );
  assert.equal(dead.code, 1);
  assert.match(
    dead.err,
    /^tracker experiments search: cannot reach the tracking server at http:\/\/127\.0\.0\.1:9/,
  );
});
