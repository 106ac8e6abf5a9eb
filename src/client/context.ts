// The system tags MLflow's client puts on every new run (spec §6): user, source name and type, git commit,
// plus MLFLOW_RUN_CONTEXT. Read from the filesystem only (no subprocess), so it works in Deno and Node.

import { readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type EnvReader, envValue, readEnv } from "./env.ts";

export function currentUser(env: EnvReader = readEnv): string {
  for (const name of ["LOGNAME", "USER", "LNAME", "USERNAME"]) {
    const v = envValue(name, env);
    if (v) return v;
  }
  return "unknown";
}

/** The program being run: Deno's main module or Node's argv[1], as a path when it is a file. */
export function sourceName(): string {
  const deno = (globalThis as { Deno?: { mainModule?: string } }).Deno;
  let main: string | undefined;
  try {
    main = deno?.mainModule;
  } catch {
    main = undefined;
  }
  main ??= (globalThis as { process?: { argv?: string[] } }).process?.argv?.[1];
  if (!main) return "";
  if (main.startsWith("file:")) {
    try {
      return fileURLToPath(main);
    } catch {
      return main;
    }
  }
  return main;
}

/** HEAD commit of the git repository holding `path`, or undefined. */
export function gitCommit(path: string): string | undefined {
  if (!path || !isAbsolute(path)) return undefined;
  try {
    let dir = dirname(resolve(path));
    for (;;) {
      const gitDir = join(dir, ".git");
      const head = readOrUndefined(join(gitDir, "HEAD"))?.trim();
      if (head !== undefined) return resolveRef(gitDir, head);
      const up = dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
  } catch {
    return undefined; // no read permission: no tag
  }
}

function resolveRef(gitDir: string, head: string): string | undefined {
  if (/^[0-9a-f]{40}$/.test(head)) return head;
  const ref = /^ref: (.+)$/.exec(head)?.[1];
  if (!ref) return undefined;
  const loose = readOrUndefined(join(gitDir, ...ref.split("/")))?.trim();
  if (loose && /^[0-9a-f]{40}$/.test(loose)) return loose;
  const packed = readOrUndefined(join(gitDir, "packed-refs")) ?? "";
  for (const line of packed.split("\n")) {
    const [sha, name] = line.trim().split(" ");
    if (name === ref && /^[0-9a-f]{40}$/.test(sha)) return sha;
  }
  return undefined;
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** Tags for a new run; user tags win over the context's. */
export function contextTags(env: EnvReader = readEnv): Record<string, string> {
  const tags: Record<string, string> = {
    "mlflow.user": currentUser(env),
    "mlflow.source.type": "LOCAL",
  };
  const source = sourceName();
  if (source) tags["mlflow.source.name"] = source;
  const commit = gitCommit(source);
  if (commit) tags["mlflow.source.git.commit"] = commit;
  const extra = envValue("MLFLOW_RUN_CONTEXT", env);
  if (extra) {
    try {
      const parsed = JSON.parse(extra);
      if (parsed && typeof parsed === "object") {
        for (const [k, v] of Object.entries(parsed)) tags[k] = typeof v === "string" ? v : JSON.stringify(v);
      }
    } catch {
      // A malformed MLFLOW_RUN_CONTEXT adds nothing rather than failing the run.
    }
  }
  return tags;
}
