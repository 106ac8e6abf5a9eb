// `deno task bench`: launches tracker, MLflow and FastTrackML on free loopback ports, runs the same
// REST workload against each, prints markdown tables and writes the raw results to
// bench/out/<timestamp>.json. Run it through scripts/bench.sh, which installs the venv first.
//
// The phases run phase-major (phase 1 on every server, then phase 2, ...) so that load from
// elsewhere on this shared 2-core machine hits all servers alike; idle servers cost ~no CPU.

import { fileURLToPath } from "node:url";
import { parseConfig, type ServerName } from "./config.ts";
import { treeMemory } from "./proc.ts";
import { cpuTable, type Results, resultTable, type ServerResult } from "./report.ts";
import { LABELS, type Running, startServer } from "./servers.ts";
import { type PhaseResult, PHASES, Workload } from "./workload.ts";

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
const cfg = parseConfig(Deno.args, root);
const log = (s: string) => console.error(s);
const errText = (e: unknown) => (e instanceof Error ? e.message : String(e)).slice(0, 400);

const running = new Map<ServerName, Running>();
const stopAll = async () => {
  for (const [name, s] of running) {
    running.delete(name);
    await s.stop();
  }
};
// Ctrl-C must not leave server trees behind.
Deno.addSignalListener("SIGINT", async () => {
  log("interrupted: stopping the servers under test");
  await stopAll();
  Deno.exit(130);
});

const loadavg = () => Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
const started = new Date();
const loadAtStart = loadavg();
log(
  `bench ${cfg.quick ? "--quick" : "full"}: servers ${cfg.servers.join(", ")}; load average ${loadAtStart}`,
);
log(`sizes: ${JSON.stringify(cfg.sizes)}`);

const results: Results = {};
const workloads = new Map<ServerName, Workload>();
const topUps: Record<string, string> = {};
try {
  // Start times are taken one server at a time, on an otherwise idle bench.
  for (const name of cfg.servers) {
    const r: ServerResult = { startS: [], phases: {}, memory: null };
    results[name] = r;
    try {
      // Extra launches only time the start; the last one carries the workload. MLflow gets one
      // launch: it takes 15-80 s here, so more samples would eat the time budget and change nothing.
      const launches = name === "mlflow" ? 1 : cfg.sizes.startReps;
      for (let k = 1; k < launches; k++) {
        const s = await startServer(name, cfg, root);
        r.startS.push(s.startS);
        await s.stop();
      }
      const s = await startServer(name, cfg, root);
      running.set(name, s);
      r.startS.push(s.startS);
      workloads.set(name, new Workload(s.base, s.pid, cfg.sizes, s.direct));
      log(`${LABELS[name]}: started in ${r.startS.map((x) => x.toFixed(3)).join(", ")} s (pid ${s.pid})`);
    } catch (e) {
      r.error = errText(e);
      log(`${LABELS[name]}: failed to start: ${r.error}`);
    }
  }

  for (const [k, phase] of PHASES.entries()) {
    if (phase === "search") {
      // The read phases need the full data set, whatever the write deadlines cut off.
      for (const [name, w] of workloads) {
        try {
          const did = await w.topUp();
          if (did) topUps[name] = did;
          if (did) log(`top-up ${LABELS[name]}: ${did}`);
        } catch (e) {
          topUps[name] = `failed: ${errText(e)}`;
          log(`top-up ${LABELS[name]} failed: ${topUps[name]}`);
        }
      }
    }
    log(`== ${phase} (load average ${loadavg()})`);
    // Rotate who goes first, so a burst of outside load does not always hit the same server.
    const order = [...workloads];
    order.push(...order.splice(0, k % Math.max(1, order.length)));
    for (const [name, w] of order) {
      const r = await w.phase(phase);
      results[name]!.phases[phase] = r;
      log(`  ${LABELS[name].padEnd(18)} ${describe(r)}`);
    }
  }
  for (const [name, s] of running) {
    results[name]!.memory = treeMemory(s.pid);
    log(
      `${LABELS[name]}: rss ${results[name]!.memory!.rssMb.toFixed(1)} MB over ${
        results[name]!.memory!.processes
      } processes`,
    );
  }
} finally {
  await stopAll();
}

function describe(r: PhaseResult): string {
  const v = r.value === null ? `n/a: ${r.error}` : r.value.toFixed(r.value < 10 ? 2 : 0);
  const cpu = (r.serverCpuMs / 1000).toFixed(1);
  return `${v} (${r.requests} req, ${(r.elapsedMs / 1000).toFixed(1)}s, server cpu ${cpu}s)` +
    (r.note ? ` ${r.note}` : "");
}

const sizeLine = Object.entries(cfg.sizes).map(([k, v]) => `${k}=${v}`).join(" ");
console.log(`\n## tracker benchmark ${started.toISOString()} (${cfg.quick ? "quick" : "full"} run)\n`);
console.log(
  `Sizes: ${sizeLine} (MLflow launched once). MLflow: sqlite, ${cfg.mlflowWorkers} uvicorn workers, ` +
    `job runner off; FastTrackML: sqlite; tracker: Deno KV, --workers ${cfg.trackerWorkers}. ` +
    `Load client: Deno fetch (keep-alive) on the same ${navigator.hardwareConcurrency} cores. ` +
    `Load average at start ${loadAtStart}, at end ${loadavg()}.\n`,
);
console.log(resultTable(results, cfg.sizes));
console.log(
  "\nms per request: server CPU + server runqueue wait / wall (wall = elapsed / requests; the rest is " +
    "I/O, network and client):\n",
);
console.log(cpuTable(results, PHASES));
if (Object.keys(topUps).length) {
  console.log(
    "\nData the write phases did not store before their deadline, added before the reads:\n" +
      Object.entries(topUps).map(([n, t]) => `- ${LABELS[n as ServerName]}: ${t}`).join("\n"),
  );
}

await Deno.mkdir(cfg.outDir, { recursive: true });
const file = `${cfg.outDir}/${started.toISOString().replace(/[:.]/g, "-")}.json`;
await Deno.writeTextFile(
  file,
  JSON.stringify({ started: started.toISOString(), loadAtStart, config: cfg, topUps, results }, null, 2),
);
console.log(`\nraw results: ${file}`);
