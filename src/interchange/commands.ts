// `tracker import`, `tracker export --format mlruns` and `tracker gc`: option parsing, opening the local store
// (same backend options and defaults as `tracker server`, so they work on the store the server uses) and
// the one-line summaries. The work itself is in filestore/ and gc.ts.

import { tryLock } from "../store/backend-lock.ts";
import * as path from "node:path";
import {
  type OptionSpec,
  type OptionValues,
  parseOptions,
  processEnv,
  renderHelp,
  UsageError,
} from "../cli/options.ts";
import type { Command, CommandContext } from "../cli/registry.ts";
import { KV_FILE, resolveServerOptions, SERVER_OPTIONS } from "../cli/server-options.ts";
import { openKvStore } from "../store/kv/mod.ts";
import type { TrackingStore } from "../store/tracking-store.ts";
import { type ExportArtifactMode, exportMlruns } from "./filestore/export.ts";
import { type ArtifactMode, importMlruns } from "./filestore/import.ts";
import { createProgress } from "./filestore/progress.ts";
import { isFileStore } from "./filestore/reader.ts";
import { executeGc, GcError, parseOlderThan, planGc } from "./gc.ts";

const STORE_OPTION_NAMES = [
  "backend-store-uri",
  "default-artifact-root",
  "serve-artifacts",
  "artifacts-destination",
];
/** The server's options that locate the store and its artifacts, with the server's env vars and defaults. */
const STORE_OPTIONS: OptionSpec[] = STORE_OPTION_NAMES.map((n) => SERVER_OPTIONS.find((s) => s.name === n)!);

const ARTIFACTS_OPTION: OptionSpec = {
  name: "artifacts",
  type: "string",
  metavar: "copy|reference",
  default: "copy",
  help: "copy: artifacts are copied, so the result does not depend on the source folder. reference: " +
    "artifact locations are kept and files are read where they are.",
};

const defaultContext = (): CommandContext => ({
  env: processEnv,
  out: (t) => console.log(t.endsWith("\n") ? t.slice(0, -1) : t),
  err: (t) => console.error(t.endsWith("\n") ? t.slice(0, -1) : t),
  entryUrl: import.meta.url,
});

/** Splits positional arguments from options (node:util parseArgs is used without positionals). */
function splitPositionals(specs: OptionSpec[], argv: string[]): { positionals: string[]; rest: string[] } {
  const takesValue = new Set(specs.filter((s) => s.type === "string").map((s) => `--${s.name}`));
  const positionals: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("-") && a !== "-") {
      rest.push(a);
      if (takesValue.has(a) && i + 1 < argv.length) rest.push(argv[++i]);
    } else positionals.push(a);
  }
  return { positionals, rest };
}

function choice<T extends string>(value: unknown, allowed: readonly T[], flag: string): T {
  if (typeof value === "string" && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(", ")}, got '${value}'`);
}

function idList(value: unknown): string[] | undefined {
  if (typeof value !== "string" || value.trim() === "") return undefined;
  return value.split(",").map((s) => s.trim()).filter((s) => s !== "");
}

interface OpenedStore {
  store: TrackingStore;
  artifactsDestination: string;
  close(): Promise<void>;
}

/**
 * Opens the store `tracker server` would open with these options, holding the same folder lock, so
 * these commands never write under a running server (whose in-memory state would go stale).
 */
async function openStore(
  values: Record<string, string | boolean | undefined>,
  create: boolean,
): Promise<OpenedStore> {
  const resolved = resolveServerOptions(values, Deno.cwd());
  let lock: Deno.FsFile | undefined;
  if (resolved.backendDir !== undefined) {
    const dir = resolved.backendDir;
    if (create) await Deno.mkdir(dir, { recursive: true });
    else if (!(await Deno.stat(path.join(dir, KV_FILE)).catch(() => null))) {
      throw new UsageError(`no tracker store in ${dir} (nothing to do)`);
    }
    lock = tryLock(dir);
    if (!lock) {
      throw new UsageError(`${dir} is in use by a running tracker; stop it first`);
    }
  }
  try {
    const store = await openKvStore({
      path: resolved.kvPath,
      defaultArtifactRoot: resolved.config.defaultArtifactRoot,
    });
    return {
      store,
      artifactsDestination: resolved.config.artifactsDestination,
      close: async () => {
        await store.close();
        lock?.close();
      },
    };
  } catch (e) {
    lock?.close();
    throw e;
  }
}

/** Prints a UsageError as one line and returns 2, as `tracker` does for every command. */
async function usageErrorsAsExit2(
  name: string,
  ctx: CommandContext,
  f: () => Promise<number>,
): Promise<number> {
  try {
    return await f();
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    ctx.err(`tracker ${name}: ${e.message} (see 'tracker ${name} --help')`);
    return 2;
  }
}

/** The command's option values and positionals; undefined once its help is printed (--help). */
function parseArgs(
  specs: OptionSpec[],
  argv: string[],
  ctx: CommandContext,
  help: { usage: string; description: string },
): { values: OptionValues; positionals: string[] } | undefined {
  const { positionals, rest } = splitPositionals(specs, argv);
  const { values, help: wanted } = parseOptions(specs, rest, ctx.env);
  if (wanted) {
    ctx.out(renderHelp({ ...help, specs }));
    return undefined;
  }
  return { values, positionals };
}

/** A progress bar only on a terminal; elsewhere warnings go through the command's own stderr. */
function terminalProgress(title: string) {
  return Deno.stderr.isTerminal() ? createProgress({ title }) : undefined;
}

const mb = (bytes: number) => `${(bytes / 1048576).toFixed(1)} MiB`;

// ---- import

const IMPORT_OPTIONS: OptionSpec[] = [...STORE_OPTIONS, ARTIFACTS_OPTION];

export function importCommand(argv: string[], ctx: CommandContext = defaultContext()): Promise<number> {
  return usageErrorsAsExit2("import", ctx, () => importMain(argv, ctx));
}

async function importMain(argv: string[], ctx: CommandContext): Promise<number> {
  const args = parseArgs(IMPORT_OPTIONS, argv, ctx, {
    usage: "tracker import [OPTIONS] MLRUNS_DIR",
    description:
      "Import an MLflow FileStore folder (mlruns, as written by MLflow 2.x or 3.x) into tracker's " +
      "store: experiments, runs, params, tags, full metric histories, datasets, logged models, the model " +
      "registry, deleted items and artifacts, with MLflow's ids and times. Importing again only adds what " +
      "changed. Stop a tracker " +
      "server using the same store first.",
  });
  if (!args) return 0;
  const { positionals, values } = args;
  if (positionals.length !== 1) throw new UsageError("expected one argument: the mlruns folder to import");
  const source = path.resolve(positionals[0]);
  const artifacts = choice<ArtifactMode>(values.artifacts, ["copy", "reference"], "--artifacts");
  if (!(await isFileStore(source))) {
    ctx.err(`tracker import: ${source} is not an MLflow FileStore (no experiment folder with a meta.yaml)`);
    return 1;
  }
  const opened = await openStore(values, true);
  const progress = terminalProgress("import");
  try {
    const r = await importMlruns(opened.store, source, {
      artifacts,
      artifactsDestination: opened.artifactsDestination,
      warn: (m) => ctx.err(`warning: ${m}`),
      progress,
    });
    progress?.done();
    const c = (x: { created: number; updated: number; unchanged: number; failed: number }) =>
      `${x.created} new, ${x.updated} updated, ${x.unchanged} unchanged, ${x.failed} failed`;
    ctx.out(`experiments: ${c(r.experiments)}`);
    ctx.out(`runs: ${c(r.runs)}`);
    ctx.out(`logged models: ${c(r.loggedModels)}`);
    ctx.out(`registered models: ${c(r.registeredModels)}`);
    ctx.out(
      `metric points: ${r.metricPoints}; artifacts copied: ${r.artifactFiles} files (${
        mb(r.artifactBytes)
      })` +
        (r.warnings ? `; ${r.warnings} warning(s)` : ""),
    );
    const failed = r.experiments.failed + r.runs.failed + r.loggedModels.failed + r.registeredModels.failed;
    return failed > 0 ? 1 : 0;
  } finally {
    progress?.done();
    await opened.close();
  }
}

// ---- export

const EXPORT_OPTIONS: OptionSpec[] = [
  {
    name: "format",
    type: "string",
    metavar: "mlruns",
    help: "Output format; 'mlruns' (MLflow's FileStore layout) is the one there is.",
  },
  ...STORE_OPTIONS,
  ARTIFACTS_OPTION,
  {
    name: "experiment-ids",
    type: "string",
    metavar: "IDS",
    help: "Comma-separated experiment ids to export (default: all, deleted ones included, and the model " +
      "registry, whose versions point into runs and logged models of any experiment).",
  },
];

export function exportCommand(argv: string[], ctx: CommandContext = defaultContext()): Promise<number> {
  return usageErrorsAsExit2("export", ctx, () => exportMain(argv, ctx));
}

async function exportMain(argv: string[], ctx: CommandContext): Promise<number> {
  const args = parseArgs(EXPORT_OPTIONS, argv, ctx, {
    usage: "tracker export --format mlruns [OPTIONS] OUT_DIR",
    description: "Write tracker's store as an MLflow FileStore folder that mlflow reads " +
      "(MLFLOW_TRACKING_URI=file://<OUT_DIR>). Exporting again into the same folder rewrites it. Stop a " +
      "tracker server using the same store first.",
  });
  if (!args) return 0;
  const { positionals, values } = args;
  choice(values.format ?? "mlruns", ["mlruns"] as const, "--format");
  if (positionals.length !== 1) throw new UsageError("expected one argument: the folder to write");
  const artifacts = choice<ExportArtifactMode>(values.artifacts, ["copy", "reference"], "--artifacts");
  const opened = await openStore(values, false);
  const progress = terminalProgress("export");
  try {
    const r = await exportMlruns(opened.store, positionals[0], {
      artifacts,
      artifactsDestination: opened.artifactsDestination,
      experimentIds: idList(values["experiment-ids"]),
      warn: (m) => ctx.err(`warning: ${m}`),
      progress,
    });
    progress?.done();
    ctx.out(
      `exported ${r.experiments} experiment(s), ${r.runs} run(s), ${r.loggedModels} logged model(s), ` +
        `${r.registeredModels} registered model(s), ${r.metricPoints} metric points, ` +
        `${r.artifactFiles} artifact files (${mb(r.artifactBytes)}) to ${path.resolve(positionals[0])}` +
        (r.failedRuns ? `; ${r.failedRuns} run(s) failed` : "") +
        (r.warnings ? `; ${r.warnings} warning(s)` : ""),
    );
    return r.failedRuns > 0 ? 1 : 0;
  } finally {
    progress?.done();
    await opened.close();
  }
}

// ---- gc

const GC_OPTIONS: OptionSpec[] = [
  {
    name: "older-than",
    type: "string",
    metavar: "#d#h#m#s",
    help: "Only remove what was deleted at least this long ago, e.g. 30d, 1d2h3m4s, 1.5h.",
  },
  {
    name: "run-ids",
    type: "string",
    metavar: "IDS",
    help: "Comma-separated deleted runs to remove. Default: every deleted run.",
  },
  {
    name: "experiment-ids",
    type: "string",
    metavar: "IDS",
    help: "Comma-separated deleted experiments to remove with all their runs. Default: every deleted " +
      "experiment (as in mlflow gc, giving --run-ids alone still removes deleted experiments).",
  },
  {
    name: "logged-model-ids",
    type: "string",
    metavar: "IDS",
    help: "Comma-separated deleted logged models to remove with their artifacts. Default: every deleted " +
      "logged model (as in mlflow gc 3.x).",
  },
  { name: "dry-run", type: "boolean", help: "Print what would be removed and remove nothing." },
  ...STORE_OPTIONS,
];

export function gcCommand(argv: string[], ctx: CommandContext = defaultContext()): Promise<number> {
  return usageErrorsAsExit2("gc", ctx, () => gcMain(argv, ctx));
}

async function gcMain(argv: string[], ctx: CommandContext): Promise<number> {
  const args = parseArgs(GC_OPTIONS, argv, ctx, {
    usage: "tracker gc [OPTIONS]",
    description: "Permanently remove deleted runs, experiments and logged models, with their metrics and " +
      "artifacts (selection as in mlflow gc). Everything is checked first: when a named run or experiment is not " +
      "deleted or not old enough, nothing is removed. Stop a tracker server using the same store first.",
  });
  if (!args) return 0;
  const { positionals, values } = args;
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  let olderThan: number | undefined;
  if (typeof values["older-than"] === "string") {
    try {
      olderThan = parseOlderThan(values["older-than"]);
    } catch (e) {
      throw new UsageError(`--older-than: ${(e as Error).message}`);
    }
  }
  const opened = await openStore(values, false);
  try {
    const opts = {
      olderThan,
      runIds: idList(values["run-ids"]),
      experimentIds: idList(values["experiment-ids"]),
      loggedModelIds: idList(values["logged-model-ids"]),
      artifactsDestination: opened.artifactsDestination,
    };
    let plan;
    try {
      plan = await planGc(opened.store, opts);
    } catch (e) {
      if (!(e instanceof GcError)) throw e;
      ctx.err(`tracker gc: ${e.message} Nothing was removed.`);
      return 1;
    }
    if (values["dry-run"] === true) {
      for (const r of plan.runs) ctx.out(`would remove run ${r.runId} (experiment ${r.experimentId})`);
      for (const m of plan.loggedModels) ctx.out(`would remove logged model ${m.modelId} (${m.name})`);
      for (const e of plan.experiments) ctx.out(`would remove experiment ${e.experimentId} (${e.name})`);
      ctx.out(
        `dry run: ${plan.runs.length} run(s), ${plan.loggedModels.length} logged model(s), ` +
          `${plan.experiments.length} experiment(s)`,
      );
      return 0;
    }
    const r = await executeGc(opened.store, plan, opts, ctx.out, (m) => ctx.err(`warning: ${m}`));
    ctx.out(
      `removed ${r.runs} run(s), ${r.loggedModels} logged model(s), ${r.experiments} experiment(s), ` +
        `${r.artifactDirs} artifact folder(s)`,
    );
    return 0;
  } finally {
    await opened.close();
  }
}

/** The three commands in the shape of src/cli/commands/mod.ts, for the CLI owner to list. */
export const interchangeCommands: Command[] = [
  {
    name: "import",
    summary: "Import an MLflow mlruns folder (FileStore) into the store.",
    run: (argv, ctx) => importCommand(argv, ctx),
  },
  {
    name: "export",
    summary: "Export the store as an MLflow mlruns folder (--format mlruns).",
    run: (argv, ctx) => exportCommand(argv, ctx),
  },
  {
    name: "gc",
    summary: "Permanently remove deleted runs, experiments and logged models and their artifacts.",
    run: (argv, ctx) => gcCommand(argv, ctx),
  },
];
