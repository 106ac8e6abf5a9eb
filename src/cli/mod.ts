// Entry of the `tracker` command line: top-level flags, dispatch to a command, usage errors as one line.

import { TRACKER_VERSION } from "../server/config.ts";
import { COMMANDS } from "./commands/mod.ts";
import { processEnv, UsageError } from "./options.ts";
import type { Command, CommandContext } from "./registry.ts";
import { findCommand } from "./registry.ts";

export function topLevelHelp(commands: Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`);
  return [
    "Usage: tracker [--version] [--help] <command> [OPTIONS]",
    "",
    "An MLflow-compatible experiment tracking server in one binary.",
    "",
    "Commands:",
    ...lines,
    "",
    "Run 'tracker <command> --help' for the options of a command.",
    "",
  ].join("\n");
}

export function defaultContext(entryUrl: string): CommandContext {
  return {
    env: processEnv,
    out: (text) => console.log(text.endsWith("\n") ? text.slice(0, -1) : text),
    err: (text) => console.error(text.endsWith("\n") ? text.slice(0, -1) : text),
    entryUrl,
  };
}

/** Runs `tracker <argv>` and returns the exit code. */
export async function runCli(
  argv: string[],
  ctx: CommandContext,
  commands: Command[] = COMMANDS,
): Promise<number> {
  const first = argv[0];
  if (first === undefined) {
    ctx.err(topLevelHelp(commands));
    return 2;
  }
  if (first === "--help" || first === "help") {
    ctx.out(topLevelHelp(commands));
    return 0;
  }
  if (first === "--version" || first === "version") {
    ctx.out(`tracker ${TRACKER_VERSION}`);
    return 0;
  }
  const found = findCommand(commands, argv);
  if (found === undefined) {
    const what = first.startsWith("-") ? `unknown option '${first}'` : `no such command '${first}'`;
    ctx.err(`tracker: ${what} (see 'tracker --help')`);
    return 2;
  }
  try {
    return await found.command.run(found.rest, ctx);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    const name = found.command.name;
    ctx.err(`tracker ${name}: ${e.message} (see 'tracker ${name} --help')`);
    return 2;
  }
}
