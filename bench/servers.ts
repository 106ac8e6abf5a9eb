// How to launch each server under test on a loopback port with a fresh store, time it to the first
// 200 on /health, and stop its whole process tree. Server logs go to <tmp>/server.log.

import type { Config, ServerName } from "./config.ts";
import { probe } from "./http.ts";
import { stopTree } from "./proc.ts";
import { type DirectTopUp, mlflowTopUp } from "./topup.ts";

export const LABELS: Record<ServerName, string> = {
  tracker: "tracker",
  mlflow: "MLflow 3.18.0",
  fml: "FastTrackML 0.6.0",
};

export interface Running {
  name: ServerName;
  pid: number;
  base: string;
  dir: string;
  /** Seconds from spawn to the first 200 on /health. */
  startS: number;
  /** Writes straight into the store, for data REST could not deliver in time. */
  direct?: DirectTopUp;
  /** V8 inspector port when tracker runs under --profile. */
  inspectPort?: number;
  stop(): Promise<void>;
}

interface Launch {
  cmd: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
}

function launchSpec(
  name: ServerName,
  cfg: Config,
  trackerDir: string,
  dir: string,
  port: number,
  inspectPort?: number,
  inspectWait = false,
): Launch {
  switch (name) {
    case "tracker":
      return {
        cmd: Deno.execPath(),
        cwd: trackerDir,
        args: [
          "run",
          ...(inspectPort ? [`--inspect${inspectWait ? "-wait" : ""}=127.0.0.1:${inspectPort}`] : []),
          "--unstable-kv",
          "--unstable-net",
          "--unstable-raw-imports",
          "-A",
          "main.ts",
          "server",
          "--host",
          "127.0.0.1",
          "--port",
          String(port),
          "--backend-store-uri",
          `${dir}/store`,
          "--artifacts-destination",
          `${dir}/a`,
          "--workers",
          String(cfg.trackerWorkers),
        ],
      };
    case "mlflow":
      return {
        cmd: `${cfg.venv}/bin/mlflow`,
        cwd: dir,
        // The job runner (GenAI evaluation jobs) adds ~10 huey consumer processes polling SQLite:
        // not part of tracking, so it is off to keep MLflow's CPU and RSS numbers about tracking.
        env: { MLFLOW_SERVER_ENABLE_JOB_EXECUTION: "false" },
        args: [
          "server",
          "--host",
          "127.0.0.1",
          "--port",
          String(port),
          "--backend-store-uri",
          `sqlite:///${dir}/mlflow.db`,
          "--artifacts-destination",
          `${dir}/a`,
          "--workers",
          String(cfg.mlflowWorkers),
        ],
      };
    case "fml":
      return {
        cmd: `${cfg.venv}/bin/fml`,
        cwd: dir,
        args: [
          "server",
          "--listen-address",
          `127.0.0.1:${port}`,
          "--database-uri",
          `sqlite://${dir}/fml.db`,
          "--default-artifact-root",
          `${dir}/a`,
        ],
      };
  }
}

async function git(root: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("git", { args: ["-C", root, ...args], stdout: "piped", stderr: "piped" })
    .output();
  if (!out.success) throw new Error(`git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr).trim()}`);
  return new TextDecoder().decode(out.stdout).trim();
}

/**
 * The tree tracker runs from and a description of it: the working tree (what others are editing right
 * now, marked "+ uncommitted changes" when dirty) or, with a ref, a clean export of that commit.
 */
export async function trackerSource(root: string, ref?: string): Promise<{ dir: string; desc: string }> {
  if (!ref) {
    const head = await git(root, ["rev-parse", "--short", "HEAD"]).catch(() => "?");
    const dirty = await git(root, ["status", "--porcelain", "--", "main.ts", "src"])
      .catch(() => "");
    return { dir: root, desc: `working tree at ${head}${dirty ? " + uncommitted changes" : ""}` };
  }
  const commit = await git(root, ["rev-parse", "--short", ref]);
  const dir = await Deno.makeTempDir({ prefix: "bench-tracker-src-" });
  const tar = await new Deno.Command("bash", {
    args: ["-c", `git -C "$0" archive "$1" | tar -x -C "$2"`, root, commit, dir],
    stderr: "piped",
  }).output();
  if (!tar.success) throw new Error(`git archive ${ref}: ${new TextDecoder().decode(tar.stderr).trim()}`);
  return { dir, desc: `${ref} = ${commit} (clean export)` };
}

/** A port that was free a moment ago (bind to 0, read it, close). */
export function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls base/health every 5 ms until it answers 200; throws if the process exits or time runs out. */
export async function waitHealthy(base: string, exited: Promise<Deno.CommandStatus>, timeoutS: number) {
  let code: number | null = null;
  exited.then((s) => code = s.code);
  const deadline = performance.now() + timeoutS * 1000;
  while (await probe(`${base}/health`) !== 200) {
    if (code !== null) throw new Error(`exited with code ${code}`);
    if (performance.now() > deadline) throw new Error(`no /health 200 in ${timeoutS}s`);
    await sleep(5);
  }
}

/**
 * Spawns the server on a fresh temp store and waits (at most healthTimeoutS) for /health = 200.
 * root is the repository (for bench files); trackerDir the tree tracker runs from.
 */
export async function startServer(
  name: ServerName,
  cfg: Config,
  root: string,
  trackerDir = root,
  healthTimeoutS = 180,
  /** Under --profile: hold tracker before its first line until this hook (given the inspector port) returns. */
  beforeRun?: (inspectPort: number) => Promise<void>,
): Promise<Running> {
  const dir = await Deno.makeTempDir({ prefix: `bench-${name}-` });
  const port = freePort();
  const inspectPort = cfg.profile && name === "tracker" ? freePort() : undefined;
  const spec = launchSpec(name, cfg, trackerDir, dir, port, inspectPort, beforeRun !== undefined);
  const log = await Deno.open(`${dir}/server.log`, { write: true, create: true, truncate: true });
  const t0 = performance.now();
  const child = new Deno.Command(spec.cmd, {
    args: spec.args,
    cwd: spec.cwd,
    env: spec.env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Both streams into one file; errors from a closed file at shutdown are irrelevant.
  const w = log.writable.getWriter();
  const pump = async (s: ReadableStream<Uint8Array>) => {
    for await (const chunk of s) await w.write(chunk).catch(() => {});
  };
  const pumps = Promise.all([pump(child.stdout), pump(child.stderr)]).finally(() =>
    w.close().catch(() => {})
  );
  const exited = child.status;

  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopTree(child.pid, exited);
    await pumps.catch(() => {});
    if (!cfg.keep) await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    if (beforeRun && inspectPort) await beforeRun(inspectPort);
    await waitHealthy(base, exited, healthTimeoutS);
  } catch (e) {
    const log = await tail(`${dir}/server.log`);
    await stop();
    throw new Error(`${name} ${(e as Error).message}; log: ${log}`);
  }
  const startS = (performance.now() - t0) / 1000;
  const direct = name === "mlflow"
    ? mlflowTopUp(`${cfg.venv}/bin/python`, `${root}/bench/mlflow_seed.py`, `${dir}/mlflow.db`)
    : undefined;
  return { name, pid: child.pid, base, dir, startS, direct, inspectPort, stop };
}

async function tail(path: string): Promise<string> {
  try {
    const t = await Deno.readTextFile(path);
    return t.trim() ? t.slice(-600).replace(/\s+/g, " ") : "(empty)";
  } catch {
    return "(log removed)";
  }
}
