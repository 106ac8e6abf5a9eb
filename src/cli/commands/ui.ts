// `tracker ui`: the same server as `tracker server`, always in one thread (no --workers).

import { parseOptions, renderHelp } from "../options.ts";
import type { Command } from "../registry.ts";
import { runServer } from "../serve.ts";
import { resolveServerOptions, UI_OPTIONS } from "../server-options.ts";

export const uiCommand: Command = {
  name: "ui",
  summary: "Run the tracking server in one thread (for local use).",
  async run(argv, ctx) {
    const { values, help } = parseOptions(UI_OPTIONS, argv, ctx.env);
    if (help) {
      ctx.out(renderHelp({
        usage: "tracker ui [OPTIONS]",
        description: "Run the tracking server and its UI in a single thread. Same options as " +
          "'tracker server' except --workers.",
        specs: UI_OPTIONS,
      }));
      return 0;
    }
    return await runServer(resolveServerOptions(values, Deno.cwd()), ctx);
  },
};
