// `main.ts` as a real process: Worker mode under concurrent writers, port-busy handling, shutdown.

import assert from "node:assert/strict";
import { join } from "node:path";
import { DENO, MAIN, spawnListening } from "./process_harness.ts";

interface Server {
  url: string;
  proc: Deno.ChildProcess;
  /** Everything printed so far (both streams), completed once the process exits. */
  output: Promise<string>;
  stop(): Promise<{ code: number; output: string }>;
}

const RUN_MAIN = ["run", "--unstable-kv", "--unstable-net", "-A", MAIN];

/** Starts `main.ts <args>` with `--port 0` and waits for the startup line that names the real port. */
async function startServer(args: string[], cwd: string): Promise<Server> {
  const { url, proc, output } = await spawnListening([...RUN_MAIN, ...args, "--port", "0"], cwd);
  return {
    url,
    proc,
    output,
    async stop() {
      proc.kill("SIGTERM");
      const status = await proc.status;
      return { code: status.code, output: await output };
    },
  };
}

/** Runs `main.ts <args>` in cwd to its end: the exit code and what it printed on stderr, trimmed. */
async function runMain(args: string[], cwd: string): Promise<{ code: number; stderr: string }> {
  const out = await new Deno.Command(DENO, {
    args: [...RUN_MAIN, ...args],
    cwd,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr).trim() };
}

/** The JSON body of a 200 answer; anything else throws with the status and body. */
async function jsonOf(url: string, res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${url} -> ${res.status} ${text}`);
  return JSON.parse(text);
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const init = {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  };
  return await jsonOf(url, await fetch(url, init));
}

async function get(url: string): Promise<Record<string, unknown>> {
  return await jsonOf(url, await fetch(url));
}

const WRITERS = 8;
const RUNS_PER_WRITER = 4;
const BATCHES_PER_RUN = 5;
const METRICS_PER_BATCH = 20;

Deno.test({
  name: "server -w 2: 8 concurrent writers over HTTP, every write lands, no request fails",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "tracker-workers-" });
  const server = await startServer(["server", "-w", "2", "--backend-store-uri", join(dir, "store")], dir);
  try {
    const api = `${server.url}/api/2.0/mlflow`;
    const exp = await post(`${api}/experiments/create`, { name: "concurrency" });
    const experimentId = exp.experiment_id as string;

    const failures: string[] = [];
    const writer = async (w: number) => {
      const runIds: string[] = [];
      for (let r = 0; r < RUNS_PER_WRITER; r++) {
        try {
          const created = await post(`${api}/runs/create`, {
            experiment_id: experimentId,
            run_name: `w${w}-r${r}`,
            start_time: Date.now(),
          });
          const runId = ((created.run as Record<string, unknown>).info as Record<string, string>).run_id;
          for (let b = 0; b < BATCHES_PER_RUN; b++) {
            await post(`${api}/runs/log-batch`, {
              run_id: runId,
              metrics: Array.from({ length: METRICS_PER_BATCH }, (_, k) => ({
                key: `m${k}`,
                // NaN travels as "NaN" on the wire and through the Worker's store proxy.
                value: k === 0 ? "NaN" : b * 100 + k,
                timestamp: 1000 + b,
                step: b,
              })),
              params: [{ key: `p${b}`, value: `${w}-${r}-${b}` }],
              tags: [{ key: "writer", value: String(w) }],
            });
          }
          await post(`${api}/runs/update`, { run_id: runId, status: "FINISHED", end_time: Date.now() });
          runIds.push(runId);
        } catch (e) {
          failures.push(String((e as Error).message));
        }
      }
      return runIds;
    };
    const runIds = (await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)))).flat();
    assert.deepEqual(failures, []);
    assert.equal(runIds.length, WRITERS * RUNS_PER_WRITER);

    for (const runId of runIds) {
      const run = (await get(`${api}/runs/get?run_id=${runId}`)).run as {
        info: { status: string };
        data: { metrics: { key: string; value: unknown }[]; params: unknown[]; tags: { key: string }[] };
      };
      assert.equal(run.info.status, "FINISHED");
      assert.equal(run.data.params.length, BATCHES_PER_RUN);
      assert.equal(run.data.metrics.length, METRICS_PER_BATCH);
      assert.equal(run.data.metrics.find((m) => m.key === "m0")?.value, "NaN");
      assert.equal(run.data.metrics.find((m) => m.key === "m7")?.value, (BATCHES_PER_RUN - 1) * 100 + 7);
      assert.ok(run.data.tags.some((t) => t.key === "writer"));
      const history = await get(`${api}/metrics/get-history?run_id=${runId}&metric_key=m3`);
      assert.deepEqual(
        (history.metrics as { step: number }[]).map((m) => m.step).sort(),
        Array.from({ length: BATCHES_PER_RUN }, (_, b) => b),
      );
    }
    const search = await post(`${api}/runs/search`, { experiment_ids: [experimentId], max_results: 1000 });
    assert.equal((search.runs as unknown[]).length, WRITERS * RUNS_PER_WRITER);
  } finally {
    const { code, output } = await server.stop();
    await Deno.remove(dir, { recursive: true });
    assert.equal(code, 0, output);
    assert.ok(!/database is locked/i.test(output), output);
    assert.ok(!/internal error/i.test(output), output);
    assert.match(output, /received SIGTERM, shutting down/);
  }
});

Deno.test({
  name: "server -w 2 --expose-prometheus: /metrics adds up requests served by every Worker",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "tracker-prom-" });
  const server = await startServer([
    "server",
    "-w",
    "2",
    "--backend-store-uri",
    ":memory:",
    "--expose-prometheus",
  ], dir);
  try {
    const api = `${server.url}/api/2.0/mlflow`;
    // Separate connections, so both Workers are likely to answer some; the totals must add up either way.
    const N = 40;
    for (let i = 0; i < N; i++) {
      const res = await fetch(`${api}/experiments/get?experiment_id=0`, { headers: { connection: "close" } });
      assert.equal(res.status, 200);
      await res.body?.cancel();
    }
    const res = await fetch(`${server.url}/metrics`);
    assert.equal(res.status, 200);
    const text = await res.text();
    const total =
      /^mlflow_http_request_total\{method="GET",route="\/api\/2\.0\/mlflow\/experiments\/get",status="200"\} (\d+)$/m
        .exec(text);
    assert.ok(total, text);
    assert.equal(Number(total[1]), N);
    assert.match(text, /^mlflow_experiments\{lifecycle_stage="active"\} 1$/m);
  } finally {
    const { code, output } = await server.stop();
    await Deno.remove(dir, { recursive: true });
    assert.equal(code, 0, output);
  }
});

for (const command of [["ui"], ["server", "-w", "2"]]) {
  Deno.test(`${command.join(" ")}: a busy port is one line naming it and --port, exit 1, no store touched`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "tracker-busy-" });
    const holder = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const port = (holder.addr as Deno.NetAddr).port;
    try {
      const { code, stderr } = await runMain([...command, "--port", String(port)], dir);
      assert.equal(code, 1);
      assert.equal(stderr.split("\n").length, 1, stderr);
      assert.ok(stderr.includes(`port ${port} is already in use`), stderr);
      assert.ok(stderr.includes("--port"), stderr);
      assert.deepEqual([...Deno.readDirSync(dir)], []);
    } finally {
      holder.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test({
  name: "ui: creates ./mlruns on first start, serves, and flushes the store on SIGINT",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "tracker-ui-" });
  let server = await startServer(["ui"], dir);
  try {
    assert.ok((await Deno.stat(join(dir, "mlruns", "tracker.kv.sqlite3"))).isFile);
    const api = `${server.url}/api/2.0/mlflow`;
    const { experiment_id } = await post(`${api}/experiments/create`, { name: "persisted" });
    server.proc.kill("SIGINT");
    assert.equal((await server.proc.status).code, 0);
    assert.match(await server.output, /received SIGINT/);
    // A fresh process sees what the first one wrote.
    server = await startServer(["ui"], dir);
    const got = await get(`${server.url}/api/2.0/mlflow/experiments/get-by-name?experiment_name=persisted`);
    assert.equal((got.experiment as { experiment_id: string }).experiment_id, experiment_id);
  } finally {
    await server.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name: "a second tracker on the same backend folder is refused while the first keeps serving",
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "tracker-lock-" });
  const first = await startServer(["ui"], dir);
  try {
    const { code, stderr } = await runMain(["server", "-w", "2", "--port", "0"], dir);
    assert.equal(code, 1);
    assert.equal(
      stderr,
      `tracker: ${join(dir, "mlruns")} is in use by another tracker process; ` +
        "stop it or choose another --backend-store-uri",
    );
    const res = await post(`${first.url}/api/2.0/mlflow/experiments/create`, { name: "still-serving" });
    assert.ok(res.experiment_id);
  } finally {
    const { code } = await first.stop();
    assert.equal(code, 0);
  }
  // Once the first has exited, the folder is free again.
  const second = await startServer(["ui"], dir);
  const { code } = await second.stop();
  assert.equal(code, 0);
  await Deno.remove(dir, { recursive: true });
});
