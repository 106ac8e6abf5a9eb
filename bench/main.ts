// `deno task bench`: launches tracker, MLflow and FastTrackML on free loopback ports, runs the same
// REST workload against each, prints markdown tables and writes the raw results to
// bench/out/<timestamp>.json. Run it through scripts/bench.sh, which installs the venv first.
//
// The phases run phase-major (phase 1 on every server, then phase 2, ...) so that load from
// elsewhere on this shared 2-core machine hits all servers alike; idle servers cost ~no CPU.

import { fileURLToPath } from "node:url";
import { parseConfig, type ServerName } from "./config.ts";
import { treeMemory } from "./proc.ts";
import { InspectorProfiler, type ProfileSummary } from "./profile.ts";
import { type Ceiling, clientCeiling } from "./calibrate.ts";
import { cpuTable, profileReport, type Results, resultTable, type ServerResult } from "./report.ts";
import { LABELS, type Running, startServer, trackerSource } from "./servers.ts";
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
for (const sig of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(sig, async () => {
    log(`${sig}: stopping the servers under test`);
    await stopAll();
    Deno.exit(130);
  });
}

const loadavg = () => Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(" ");
const started = new Date();
const loadAtStart = loadavg();
log(
  `bench ${cfg.quick ? "--quick" : "full"}: servers ${cfg.servers.join(", ")}; load average ${loadAtStart}`,
);
log(`sizes: ${JSON.stringify(cfg.sizes)}`);

const source = cfg.servers.includes("tracker")
  ? await trackerSource(root, cfg.trackerRef)
  : { dir: root, desc: "not run" };
log(`tracker source: ${source.desc}`);

const results: Results = {};
const workloads = new Map<ServerName, Workload>();
const topUps: Record<string, string> = {};
let profiler: InspectorProfiler | undefined;
let memoryNote = "";
let startupProfile: ProfileSummary | string | undefined;

/** One extra tracker launch held at its first line, profiled from there to the first /health 200. */
async function profileStartup(): Promise<ProfileSummary | string> {
  let p: InspectorProfiler | undefined;
  try {
    const s = await startServer("tracker", cfg, root, source.dir, 180, async (port) => {
      p = await InspectorProfiler.connect(port);
      await p.start();
      await p.run();
    });
    const summary = await p!.stop();
    p!.close();
    await s.stop();
    return summary;
  } catch (e) {
    p?.close();
    return `failed: ${errText(e)}`;
  }
}
let ceiling: Ceiling | string = "not measured";
try {
  // Start times are taken one server at a time, on an otherwise idle bench.
  for (const name of cfg.servers) {
    const r: ServerResult = { startS: [], phases: {}, memory: null };
    results[name] = r;
    try {
      // Extra launches only time the start; the last one carries the workload. MLflow gets one
      // launch: it takes 15-80 s here, so more samples would eat the time budget and change nothing.
      const launches = name === "mlflow" ? 1 : cfg.sizes.startReps;
      if (name === "tracker" && source.dir !== root) {
        // A fresh export has a cold transpile cache (keyed by path), which a deployment pays once.
        await (await startServer(name, cfg, root, source.dir)).stop();
      }
      for (let k = 1; k < launches; k++) {
        const s = await startServer(name, cfg, root, source.dir);
        r.startS.push(s.startS);
        await s.stop();
      }
      if (name === "tracker" && cfg.profile) startupProfile = await profileStartup();
      const s = await startServer(name, cfg, root, source.dir);
      running.set(name, s);
      r.startS.push(s.startS);
      r.idleMemory = treeMemory(s.pid);
      workloads.set(name, new Workload(s.base, s.pid, cfg.sizes, s.direct));
      if (s.inspectPort) profiler = await InspectorProfiler.connect(s.inspectPort);
      log(`${LABELS[name]}: started in ${r.startS.map((x) => x.toFixed(3)).join(", ")} s (pid ${s.pid})`);
    } catch (e) {
      r.error = errText(e);
      log(`${LABELS[name]}: failed to start: ${r.error}`);
    }
  }

  try {
    ceiling = await clientCeiling(cfg.sizes.logMetricSeq, cfg.sizes.clients);
    log(`client ceiling (no-op server): ${JSON.stringify(ceiling)}`);
  } catch (e) {
    ceiling = `failed: ${errText(e)}`;
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
      const r = await w.phase(phase, name === "tracker" ? profiler : undefined);
      results[name]!.phases[phase] = r;
      log(`  ${LABELS[name].padEnd(18)} ${describe(r)}`);
    }
  }
  for (const [name, s] of running) {
    const m = treeMemory(s.pid);
    results[name]!.memory = m;
    log(`${LABELS[name]}: rss ${m.rssMb.toFixed(1)} MB over ${m.processes} processes`);
  }
  const tracker = running.get("tracker");
  if (profiler && tracker) {
    // Splits tracker's RSS into live JS heap, collectable garbage and native memory (KV/SQLite, buffers).
    const heap = await profiler.heap();
    await profiler.collectGarbage();
    const gc = await profiler.heap();
    memoryNote =
      `tracker memory after load: RSS ${results.tracker!.memory!.rssMb.toFixed(1)} MB, JS heap used ` +
      `${heap.usedMb.toFixed(1)} of ${heap.totalMb.toFixed(1)} MB; after a forced full GC: JS heap ` +
      `${gc.usedMb.toFixed(1)} of ${gc.totalMb.toFixed(1)} MB, RSS ${
        treeMemory(tracker.pid).rssMb.toFixed(1)
      } MB.`;
    log(memoryNote);
  }
} finally {
  profiler?.close();
  await stopAll();
  if (source.dir !== root) await Deno.remove(source.dir, { recursive: true }).catch(() => {});
}

function describe(r: PhaseResult): string {
  const v = r.value === null ? `n/a: ${r.error}` : r.value.toFixed(r.value < 10 ? 2 : 0);
  const cpu = (r.serverCpuMs / 1000).toFixed(1);
  return `${v} (${r.requests} req, ${(r.elapsedMs / 1000).toFixed(1)}s, server cpu ${cpu}s)` +
    (r.note ? ` ${r.note}` : "");
}

const sizeLine = Object.entries(cfg.sizes).map(([k, v]) => `${k}=${v}`).join(" ");
console.log(
  `\n## tracker benchmark ${started.toISOString()} (${
    cfg.quick ? "quick" : "full"
  } run; tracker: ${source.desc})\n`,
);
console.log(
  `Sizes: ${sizeLine} (MLflow launched once). MLflow: sqlite, ${cfg.mlflowWorkers} uvicorn workers, ` +
    `job runner off; FastTrackML: sqlite; tracker: Deno KV, --workers ${cfg.trackerWorkers}. ` +
    `Load client: Deno fetch (keep-alive) on the same ${navigator.hardwareConcurrency} cores; ` +
    (typeof ceiling === "string"
      ? `its ceiling: ${ceiling}. `
      : `its ceiling against a no-op Deno server: ${Math.round(ceiling.sequentialReqS)} req/s sequential, ` +
        `${Math.round(ceiling.concurrentReqS)} req/s with ${ceiling.clients} clients. `) +
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

if (profiler) {
  console.log("\n" + profileReport(results, startupProfile) + (memoryNote ? `\n\n${memoryNote}` : ""));
}

await Deno.mkdir(cfg.outDir, { recursive: true });
const file = `${cfg.outDir}/${started.toISOString().replace(/[:.]/g, "-")}.json`;
await Deno.writeTextFile(
  file,
  JSON.stringify(
    {
      started: started.toISOString(),
      loadAtStart,
      config: cfg,
      tracker: source.desc,
      ceiling,
      topUps,
      memoryNote,
      startupProfile,
      results,
    },
    null,
    2,
  ),
);
console.log(`\nraw results: ${file}`);
