// `deno task bench`: launches tracker, MLflow and FastTrackML one after another on free loopback
// ports, runs the same REST workload against each, prints markdown tables and writes the raw
// results to bench/out/<timestamp>.json. Run through scripts/bench.sh, which installs the venv.

import { fileURLToPath } from "node:url";
import { parseConfig } from "./config.ts";
import { treeMemory } from "./proc.ts";
import { cpuTable, type Results, resultTable, type ServerResult } from "./report.ts";
import { LABELS, type Running, startServer } from "./servers.ts";
import { PHASES, Workload } from "./workload.ts";

const root = fileURLToPath(new URL("..", import.meta.url)).replace(/\/$/, "");
const cfg = parseConfig(Deno.args, root);
const log = (s: string) => console.error(s);

let current: Running | null = null;
// Ctrl-C must not leave a server tree behind.
Deno.addSignalListener("SIGINT", async () => {
  log("interrupted: stopping the server under test");
  await current?.stop();
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
for (const name of cfg.servers) {
  const r: ServerResult = { startS: [], phases: {}, memory: null };
  results[name] = r;
  log(`== ${LABELS[name]} (load average ${loadavg()})`);
  try {
    // Extra launches only time the start; the last launch carries the workload. MLflow gets one
    // launch: it takes 15-70 s here, so more samples would eat the time budget and change nothing.
    const launches = name === "mlflow" ? 1 : cfg.sizes.startReps;
    for (let k = 1; k < launches; k++) {
      const s = await startServer(name, cfg, root);
      r.startS.push(s.startS);
      await s.stop();
    }
    current = await startServer(name, cfg, root);
    r.startS.push(current.startS);
    log(
      `  started in ${r.startS.map((s) => s.toFixed(3)).join(", ")} s (pid ${current.pid}, ${current.base})`,
    );
    r.phases = await new Workload(current.base, current.pid, cfg.sizes).run(log);
    r.memory = treeMemory(current.pid);
    log(`  rss ${r.memory.rssMb.toFixed(1)} MB over ${r.memory.processes} processes`);
  } catch (e) {
    r.error = (e instanceof Error ? e.message : String(e)).slice(0, 400);
    log(`  failed: ${r.error}`);
  } finally {
    await current?.stop();
    current = null;
  }
}

const sizeLine = Object.entries(cfg.sizes).map(([k, v]) => `${k}=${v}`).join(" ");
console.log(`\n## tracker benchmark ${started.toISOString()} (${cfg.quick ? "quick" : "full"} run)\n`);
console.log(
  `Sizes: ${sizeLine} (MLflow launched once). MLflow: sqlite, ${cfg.mlflowWorkers} uvicorn workers; ` +
    `FastTrackML: sqlite; ` +
    `tracker: Deno KV, --workers ${cfg.trackerWorkers}. Load client: Deno fetch (keep-alive) on the same ` +
    `${navigator.hardwareConcurrency} cores; load average at start ${loadAtStart}, at end ${loadavg()}.\n`,
);
console.log(resultTable(results, cfg.sizes));
console.log("\nServer CPU time per request (utime+stime of the process tree over the phase):\n");
console.log(cpuTable(results, PHASES));

await Deno.mkdir(cfg.outDir, { recursive: true });
const file = `${cfg.outDir}/${started.toISOString().replace(/[:.]/g, "-")}.json`;
await Deno.writeTextFile(
  file,
  JSON.stringify(
    { started: started.toISOString(), quick: cfg.quick, sizes: cfg.sizes, config: cfg, results },
    null,
    2,
  ),
);
console.log(`\nraw results: ${file}`);
