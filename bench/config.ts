// Benchmark sizes and options: defaults for the full run, a --quick smoke profile, and overrides
// by flag (--seed-runs=500) or environment (BENCH_SEED_RUNS=500); flags win over the environment.

import { parseArgs } from "node:util";

export const SERVER_NAMES = ["tracker", "mlflow", "fml"] as const;
export type ServerName = typeof SERVER_NAMES[number];

export interface Sizes {
  /** Runs created one by one by a single client. */
  createRuns: number;
  /** log-batch requests of `batchSize` points each, one client, into the history run. */
  logBatches: number;
  batchSize: number;
  /** Sequential single log-metric requests. */
  logMetricSeq: number;
  /** log-metric requests spread over `clients` concurrent clients, one run each. */
  logMetricConc: number;
  clients: number;
  /** Runs seeded for runs/search (each: create + one log-batch of 5 params and 5 metrics). */
  seedRuns: number;
  searchMaxResults: number;
  searchReps: number;
  historyReps: number;
  bulkReps: number;
  /** Server launches timed to the first /health 200 (the workload instance counts as one). */
  startReps: number;
  /** Wall-clock cap of any one load phase, seconds. */
  phaseTimeoutS: number;
}

const FULL: Sizes = {
  createRuns: 2000,
  logBatches: 100,
  batchSize: 1000,
  logMetricSeq: 3000,
  logMetricConc: 8000,
  clients: 8,
  seedRuns: 10000,
  searchMaxResults: 100,
  searchReps: 15,
  historyReps: 5,
  bulkReps: 10,
  startReps: 3,
  phaseTimeoutS: 30,
};

const QUICK: Sizes = {
  createRuns: 200,
  logBatches: 10,
  batchSize: 1000,
  logMetricSeq: 300,
  logMetricConc: 800,
  clients: 8,
  seedRuns: 500,
  searchMaxResults: 100,
  searchReps: 5,
  historyReps: 3,
  bulkReps: 3,
  startReps: 1,
  phaseTimeoutS: 10,
};

export interface Config {
  quick: boolean;
  sizes: Sizes;
  servers: ServerName[];
  /** Number of uvicorn workers for the reference MLflow server (its default is 4). */
  mlflowWorkers: number;
  trackerWorkers: number;
  venv: string;
  outDir: string;
  keep: boolean;
  /** Sample tracker's CPU per phase through the V8 inspector (timings then include its overhead). */
  profile: boolean;
  /** Benchmark this git ref of tracker (exported to a temp dir) instead of the working tree. */
  trackerRef?: string;
}

const kebab = (k: string) => k.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase());
const envName = (k: string) => "BENCH_" + kebab(k).replace(/-/g, "_").toUpperCase();

export const USAGE =
  `usage: deno task bench [--quick] [--servers=tracker,mlflow,fml] [--keep] [--profile] [--<size>=N ...]
  --keep: leave the servers' temp stores and logs; --profile: CPU profile of tracker per phase
  --tracker-ref=REF: run tracker from git REF (e.g. HEAD) instead of the shared working tree
sizes (flag or BENCH_<NAME> env): ${Object.keys(FULL).map(kebab).join(", ")}
env: BENCH_VENV (python venv with mlflow + fml), BENCH_MLFLOW_WORKERS (default 4), BENCH_TRACKER_WORKERS (1),
  BENCH_NICE (e.g. -10: run client and servers at that priority on a busy machine; read by scripts/bench.sh)`;

export function parseConfig(args: string[], root: string): Config {
  const sizeOpts = Object.fromEntries(Object.keys(FULL).map((k) => [kebab(k), { type: "string" as const }]));
  const { values } = parseArgs({
    args,
    options: {
      quick: { type: "boolean", default: Deno.env.get("BENCH_QUICK") === "1" },
      servers: { type: "string", default: Deno.env.get("BENCH_SERVERS") ?? SERVER_NAMES.join(",") },
      keep: { type: "boolean", default: false },
      profile: { type: "boolean", default: false },
      "tracker-ref": { type: "string", default: Deno.env.get("BENCH_TRACKER_REF") },
      help: { type: "boolean", short: "h", default: false },
      ...sizeOpts,
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  const quick = Boolean(values.quick);
  const sizes: Sizes = { ...(quick ? QUICK : FULL) };
  const v = values as Record<string, string | boolean | undefined>;
  for (const k of Object.keys(sizes) as (keyof Sizes)[]) {
    const raw = v[kebab(k)] ?? Deno.env.get(envName(k));
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${kebab(k)}: not a number: ${raw}`);
    sizes[k] = n;
  }
  const servers = String(values.servers).split(",").map((s) => s.trim()).filter(Boolean);
  for (const s of servers) {
    if (!(SERVER_NAMES as readonly string[]).includes(s)) throw new Error(`unknown server ${s}`);
  }
  return {
    quick,
    sizes,
    servers: servers as ServerName[],
    mlflowWorkers: Number(Deno.env.get("BENCH_MLFLOW_WORKERS") ?? 4),
    trackerWorkers: Number(Deno.env.get("BENCH_TRACKER_WORKERS") ?? 1),
    venv: Deno.env.get("BENCH_VENV") ?? `${root}/bench/.venv`,
    outDir: `${root}/bench/out`,
    keep: Boolean(values.keep),
    profile: Boolean(values.profile),
    trackerRef: values["tracker-ref"] as string | undefined,
  };
}
