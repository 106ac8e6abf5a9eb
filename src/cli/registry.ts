// Commands of the `tracker` binary. A command is a name (possibly several words, like "models serve"),
// a one-line summary and a run function; src/cli/commands/mod.ts lists them.

import type { Env } from "./options.ts";

export interface CommandContext {
  env: Env;
  out: (text: string) => void;
  err: (text: string) => void;
  /** URL of the entry module; Worker mode starts Workers from it (works from a bundle too). */
  entryUrl: string;
}

export interface Command {
  /** Words after `tracker`, e.g. "server" or "models serve". */
  name: string;
  summary: string;
  /** Returns the process exit code. */
  run(argv: string[], ctx: CommandContext): Promise<number>;
}

/** The command whose name is the longest prefix of `argv`, with the remaining arguments. */
export function findCommand(
  commands: Command[],
  argv: string[],
): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; rest: string[] } | undefined;
  let bestLen = 0;
  for (const command of commands) {
    const words = command.name.split(" ");
    if (words.length <= bestLen || words.some((w, i) => argv[i] !== w)) continue;
    best = { command, rest: argv.slice(words.length) };
    bestLen = words.length;
  }
  return best;
}
