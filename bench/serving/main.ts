// Benchmark: the same ONNX model served by `tracker models serve` and by `mlflow models serve
// --env-manager local`, one after the other on this machine. Prints one table: time from start to the first
// /ping 200 (median of --starts), then req/s, p50 and p99 at concurrency 1, 8 and 64 with 1-row and 100-row
// requests; then tracker's ratios to each MLflow run against the target (3x req/s, 1/3 of the p99).
//
//   deno run -A --unstable-raw-imports bench/serving/main.ts [--seconds 4] [--workers 2] [--starts 3] [--with-node]
//
// tracker runs as the bundle (what a compiled binary contains) twice: with the default engine choice (auto:
// the JS engine, which runs this forest) and forced onto ONNX Runtime's WebAssembly (TRACKER_ONNX_RUNTIME=web);
// --with-node adds a run from source with TRACKER_ONNX_RUNTIME=node. Load comes from this process (keep-alive connections,
// one write per request: http1-client.ts), so client and servers share the cores: compare ratios, not
// absolute numbers.

import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { quantile } from "../stats.ts";
import { buildPost, Http1Connection } from "./http1-client.ts";

const args = parseArgs({
  args: Deno.args,
  options: {
    seconds: { type: "string", default: "4" },
    workers: { type: "string", default: "2" },
    "with-node": { type: "boolean", default: false },
    starts: { type: "string", default: "3" },
  },
});
const SECONDS = Number(args.values.seconds);
const WORKERS = args.values.workers!;
const STARTS = Math.max(1, Number(args.values.starts));
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const venvPython = path.join(root, "tests/compat/.venv/bin/python");
const deno = Deno.execPath();
const work = await Deno.makeTempDir({ prefix: "serving-bench-" });

async function run(cmd: string, argv: string[], env: Record<string, string> = {}): Promise<void> {
  const r = await new Deno.Command(cmd, { args: argv, cwd: root, env, stdout: "inherit", stderr: "inherit" })
    .output();
  if (!r.success) throw new Error(`${cmd} ${argv.join(" ")} failed`);
}

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

interface Target {
  name: string;
  cmd: string;
  argv: (port: number) => string[];
  env?: Record<string, string>;
  cwd?: string;
  mlflow?: boolean;
}

async function start(t: Target): Promise<{ url: string; child: Deno.ChildProcess; startMs: number }> {
  const port = freePort();
  const t0 = performance.now();
  const child = new Deno.Command(t.cmd, {
    args: t.argv(port),
    cwd: t.cwd ?? root,
    env: t.env,
    stdout: "null",
    stderr: "null",
  }).spawn();
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      const r = await fetch(url + "/ping");
      await r.body?.cancel();
      if (r.status === 200) break;
    } catch { /* not listening yet */ }
    if (performance.now() - t0 > 180_000) throw new Error(`${t.name} did not start`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return { url, child, startMs: performance.now() - t0 };
}

async function load(url: string, body: string, concurrency: number, seconds: number) {
  const u = new URL(url);
  const request = buildPost(u.host, "/invocations", "application/json", body);
  const lat: number[] = [];
  let errors = 0;
  const end = performance.now() + seconds * 1000;
  const one = async () => {
    const conn = await Http1Connection.open(u.hostname, Number(u.port));
    try {
      while (performance.now() < end) {
        const t = performance.now();
        const r = await conn.send(request);
        if (r.status !== 200) errors++;
        lat.push(performance.now() - t);
      }
    } finally {
      conn.close();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, one));
  const wall = (performance.now() - t0) / 1000;
  return { rps: lat.length / wall, p50: quantile(lat, 0.5), p99: quantile(lat, 0.99), errors };
}

console.error("building the model and the tracker bundle ...");
await run(venvPython, [path.join(root, "bench/serving/make_model.py"), work]);
await run(deno, [
  "bundle",
  "--quiet",
  "--unstable-raw-imports",
  "--platform",
  "deno",
  "-o",
  `${work}/serve.js`,
  "src/serving/entry.ts",
]);
await Deno.mkdir(`${work}/empty`);
const model = `${work}/model`;
const rows: number[][] = JSON.parse(await Deno.readTextFile(`${work}/rows.json`));

/** tracker serving the model on `engine`, from the bundle in an empty folder or from source (node). */
const trackerTarget = (name: string, engine: string, fromSource = false): Target => ({
  name,
  cmd: deno,
  cwd: fromSource ? root : `${work}/empty`,
  env: { TRACKER_ONNX_RUNTIME: engine },
  argv: (p) => [
    "run",
    "--unstable-raw-imports",
    ...(fromSource ? [] : ["--no-config"]),
    "-A",
    fromSource ? "src/serving/entry.ts" : `${work}/serve.js`,
    ...["-m", model, "-p", String(p), "-w", WORKERS],
  ],
});
const targets: Target[] = [
  trackerTarget("tracker (bundle, auto: JS engine)", "auto"),
  trackerTarget("tracker (bundle, ORT web)", "web"),
];
if (args.values["with-node"]) targets.push(trackerTarget("tracker (source, ORT node)", "node", true));
// uvicorn with --workers answers keep-alive clients ~44 ms late on this machine (python requests too), so
// MLflow also runs with one worker, its best case; the ratios below compare against both.
const mlflowWorkers = [...new Set([WORKERS, "1"])];
for (const w of mlflowWorkers) {
  targets.push({
    name: `mlflow models serve -w ${w}`,
    mlflow: true,
    cmd: venvPython,
    env: { PATH: `${path.dirname(venvPython)}:${Deno.env.get("PATH")}` },
    argv: (
      p,
    ) => ["-m", "mlflow", "models", "serve", "-m", model, "-p", String(p), "--env-manager", "local", "-w", w],
  });
}

interface Cell {
  rows: number;
  conc: number;
  rps: number;
  p99: number;
}

const loadBefore = Deno.loadavg().map((l) => l.toFixed(2)).join(" ");
const lines = [
  `| server | start→/ping 200 (median of ${STARTS}) | rows | conc | req/s | p50 ms | p99 ms | errors |`,
  `|---|---|---|---|---|---|---|---|`,
];
const cells = new Map<string, Cell[]>();
for (const t of targets) {
  console.error(`starting ${t.name} ...`);
  const starts: number[] = [];
  for (let i = 1; i < STARTS; i++) {
    const s = await start(t);
    starts.push(s.startMs);
    s.child.kill("SIGTERM");
    await s.child.status;
  }
  const s = await start(t);
  starts.push(s.startMs);
  const startMs = quantile(starts, 0.5);
  const mine: Cell[] = [];
  cells.set(t.name, mine);
  for (const n of [1, 100]) {
    const body = JSON.stringify({ inputs: rows.slice(0, n) });
    await load(s.url, body, 8, 1); // warm-up
    for (const c of [1, 8, 64]) {
      const r = await load(s.url, body, c, SECONDS);
      mine.push({ rows: n, conc: c, rps: r.rps, p99: r.p99 });
      lines.push(
        `| ${t.name} | ${startMs.toFixed(0)} ms | ${n} | ${c} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} | ${
          r.p99.toFixed(2)
        } | ${r.errors} |`,
      );
      console.error(lines.at(-1));
    }
  }
  s.child.kill("SIGTERM");
  await s.child.status;
}

// Target: at least 3x MLflow's req/s with at most 1/3 of its p99.
lines.push(
  "",
  "| tracker vs | rows | conc | req/s ratio | p99 ratio | target met |",
  "|---|---|---|---|---|---|",
);
for (const t of targets.filter((t) => !t.mlflow)) {
  for (const m of targets.filter((t) => t.mlflow)) {
    const ours = cells.get(t.name)!, theirs = cells.get(m.name)!;
    ours.forEach((o, i) => {
      const rps = o.rps / theirs[i].rps, p99 = o.p99 / theirs[i].p99;
      lines.push(
        `| ${t.name} vs ${m.name} | ${o.rows} | ${o.conc} | ${rps.toFixed(1)}x | ${p99.toFixed(2)} | ${
          rps >= 3 && p99 <= 1 / 3 ? "yes" : "no"
        } |`,
      );
    });
  }
}
lines.push(
  "",
  `${navigator.hardwareConcurrency} cores; load average (1/5/15 min) ${loadBefore} before, ` +
    `${Deno.loadavg().map((l) => l.toFixed(2)).join(" ")} after`,
);
console.log(lines.join("\n"));
await Deno.remove(work, { recursive: true });
