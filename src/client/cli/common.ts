// Shared pieces of the client commands: the --tracking-uri option, connecting, the help text, one-id commands,
// MLflow's plain table and its row order, and turning TrackerErrors into one readable line with exit code 1.

import {
  type OptionSpec,
  type OptionValues,
  parseOptions,
  renderHelp,
  UsageError,
} from "../../cli/options.ts";
import type { Command, CommandContext } from "../../cli/registry.ts";
import { TrackerClient } from "../client.ts";
import { envValue } from "../env.ts";
import { TrackerError } from "../errors.ts";
import type { RetryPolicy } from "../retry.ts";

export const DEFAULT_CLI_TRACKING_URI = "http://127.0.0.1:5000";

export const TRACKING_URI: OptionSpec = {
  name: "tracking-uri",
  type: "string",
  env: "MLFLOW_TRACKING_URI",
  metavar: "URI",
  default: DEFAULT_CLI_TRACKING_URI,
  help: "Tracking server (http(s)://host:port), or a folder for local mode.",
};

export interface ClientCommandSpec {
  name: string;
  summary: string;
  description: string;
  options: OptionSpec[];
  /** Options that must be given; checked before connecting. */
  required?: string[];
  run(values: OptionValues, client: TrackerClient, ctx: CommandContext): Promise<number>;
}

/** A Command that parses options, connects, runs, and reports TrackerErrors as one line. */
export function clientCommand(spec: ClientCommandSpec): Command {
  const specs = [...spec.options, TRACKING_URI];
  return {
    name: spec.name,
    summary: spec.summary,
    async run(argv, ctx) {
      const { values, help } = parseOptions(specs, argv, ctx.env);
      if (help) {
        ctx.out(
          renderHelp({ usage: `tracker ${spec.name} [OPTIONS]`, description: spec.description, specs }),
        );
        return 0;
      }
      for (const name of spec.required ?? []) {
        if (values[name] === undefined || values[name] === "") {
          throw new UsageError(`Missing option '--${name}'`);
        }
      }
      let client: TrackerClient | undefined;
      try {
        client = await TrackerClient.connect({
          trackingUri: values["tracking-uri"] as string,
          env: ctx.env,
          retry: cliRetry(ctx),
        });
        return await spec.run(values, client, ctx);
      } catch (e) {
        if (!(e instanceof TrackerError)) throw e;
        ctx.err(`tracker ${spec.name}: ${e.message}`);
        return 1;
      } finally {
        await client?.close();
      }
    },
  };
}

/**
 * A command that takes one required id option, hands it to the client and prints one line: the delete and
 * restore commands of experiments and runs.
 */
export function idCommand(spec: {
  name: string;
  summary: string;
  description: string;
  option: OptionSpec;
  call(client: TrackerClient, id: string): Promise<void>;
  message(id: string): string;
}): Command {
  return clientCommand({
    name: spec.name,
    summary: spec.summary,
    description: spec.description,
    options: [spec.option],
    required: [spec.option.name],
    async run(values, client, ctx) {
      const id = values[spec.option.name] as string;
      await spec.call(client, id);
      ctx.out(spec.message(id));
      return 0;
    },
  });
}

/** A command line should fail fast when the server is down: few, short retries unless the env says otherwise. */
function cliRetry(ctx: CommandContext): Partial<RetryPolicy> {
  const out: Partial<RetryPolicy> = {};
  if (envValue("MLFLOW_HTTP_REQUEST_MAX_RETRIES", ctx.env) === undefined) out.maxRetries = 2;
  if (envValue("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", ctx.env) === undefined) out.backoffMs = 250;
  return out;
}

/** MLflow's plain table: header, dashes, rows; columns padded to the widest cell (at least header + 2). */
export function table(rows: string[][], headers: string[]): string {
  const widths = headers.map((h, i) => Math.max(4, h.length + 2, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("  ");
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Python's sort of lists of strings (code-point order, column by column). */
export function compareRows(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return a.length - b.length;
}

/** view option values as MLflow's CLI takes them. */
export function viewType(value: unknown): "ACTIVE_ONLY" | "DELETED_ONLY" | "ALL" {
  const v = String(value ?? "active_only").toLowerCase();
  if (v === "active_only") return "ACTIVE_ONLY";
  if (v === "deleted_only") return "DELETED_ONLY";
  if (v === "all") return "ALL";
  throw new UsageError(`--view must be one of active_only, deleted_only, all (got '${value}')`);
}

export const VIEW: OptionSpec = {
  name: "view",
  short: "v",
  type: "string",
  default: "active_only",
  metavar: "VIEW",
  help: "Which to show: active_only, deleted_only or all.",
};
