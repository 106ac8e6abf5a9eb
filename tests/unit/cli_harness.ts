// Shared by the CLI tests: a CommandContext that records what a command prints.

import type { Env } from "../../src/cli/options.ts";
import type { CommandContext } from "../../src/cli/registry.ts";

/** A context over `env` (none by default) whose out and err lines are collected in `out` and `err`. */
export function captureContext(
  opts: { env?: Env; entryUrl?: string } = {},
): { ctx: CommandContext; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const ctx: CommandContext = {
    env: opts.env ?? (() => undefined),
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    entryUrl: opts.entryUrl ?? "file:///nowhere.ts",
  };
  return { ctx, out, err };
}
