// Option tables for commands: parsing (node:util parseArgs), environment fallbacks and help text.
// Precedence is MLflow's (click): command line, then the option's environment variable, then default.

import { parseArgs } from "node:util";

export interface OptionSpec {
  /** Long name without dashes, e.g. "backend-store-uri". */
  name: string;
  short?: string;
  type: "string" | "boolean";
  /** Boolean flag that also accepts `--no-<name>`. */
  negatable?: boolean;
  /** String option whose value may be left out (`--expose-prometheus` alone); then it reads as "". */
  optionalValue?: boolean;
  env?: string;
  default?: string | boolean;
  metavar?: string;
  help: string;
}

export type OptionValues = Record<string, string | boolean | undefined>;

/** A mistake on the command line: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export type Env = (name: string) => string | undefined;

export const processEnv: Env = (name) => {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
};

const TRUE = new Set(["1", "true", "t", "yes", "y", "on"]);
const FALSE = new Set(["0", "false", "f", "no", "n", "off", ""]);

export interface Parsed {
  values: OptionValues;
  help: boolean;
}

/** Parses `argv` against `specs`; throws UsageError with a readable one-line message. */
export function parseOptions(specs: OptionSpec[], argv: string[], env: Env): Parsed {
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    help: { type: "boolean" },
  };
  for (const s of specs) options[s.name] = s.short ? { type: s.type, short: s.short } : { type: s.type };

  let raw: { values: Record<string, unknown> };
  try {
    raw = parseArgs({
      args: fillOptionalValues(specs, argv),
      options,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
    });
  } catch (e) {
    throw new UsageError(String((e as Error).message).split("\n")[0]);
  }
  for (const s of specs) {
    if (s.type === "boolean" && !s.negatable && raw.values[s.name] === false) {
      throw new UsageError(`Unknown option '--no-${s.name}'`);
    }
  }
  if (raw.values.help === false) throw new UsageError("Unknown option '--no-help'");

  const values: OptionValues = {};
  for (const s of specs) {
    const given = raw.values[s.name] as string | boolean | undefined;
    values[s.name] = given ?? fromEnv(s, env) ?? s.default;
  }
  return { values, help: raw.values.help === true };
}

// parseArgs has no optional values: `--expose-prometheus` followed by nothing or by another option
// becomes `--expose-prometheus=`.
function fillOptionalValues(specs: OptionSpec[], argv: string[]): string[] {
  const optional = new Set(specs.filter((s) => s.optionalValue).map((s) => `--${s.name}`));
  return argv.map((arg, i) => {
    if (!optional.has(arg)) return arg;
    const next = argv[i + 1];
    return next === undefined || next.startsWith("-") ? `${arg}=` : arg;
  });
}

function fromEnv(s: OptionSpec, env: Env): string | boolean | undefined {
  if (s.env === undefined) return undefined;
  const v = env(s.env);
  // Like click: an empty variable counts as unset.
  if (v === undefined || v === "") return undefined;
  if (s.type === "string") return v;
  const lower = v.trim().toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  throw new UsageError(`${s.env}=${v} is not a boolean (use true or false)`);
}

export interface HelpInfo {
  usage: string;
  description: string;
  specs: OptionSpec[];
}

export function renderHelp({ usage, description, specs }: HelpInfo): string {
  const rows: [string, string][] = specs.map((s) => {
    const long = s.negatable ? `--${s.name}/--no-${s.name}` : `--${s.name}`;
    const flag = (s.short ? `-${s.short}, ` : "") + long;
    const value = s.type === "string"
      ? (s.optionalValue ? ` [${s.metavar ?? "VALUE"}]` : ` ${s.metavar ?? "VALUE"}`)
      : "";
    const extra: string[] = [];
    if (s.env) extra.push(`env ${s.env}`);
    if (s.default !== undefined && s.default !== "") extra.push(`default ${s.default}`);
    return [flag + value, s.help + (extra.length ? ` [${extra.join("; ")}]` : "")];
  });
  rows.push(["--help", "Show this message and exit."]);
  const width = Math.min(36, Math.max(...rows.map(([f]) => f.length)) + 2);
  const pad = " ".repeat(width + 2);
  const lines = rows.map(([f, h]) => {
    const text = wrap(h, HELP_COLUMNS - pad.length).join(`\n${pad}`);
    return f.length + 2 > width ? `  ${f}\n${pad}${text}` : `  ${f.padEnd(width)}${text}`;
  });
  return `Usage: ${usage}\n\n${description}\n\nOptions:\n${lines.join("\n")}\n`;
}

const HELP_COLUMNS = 100;

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
