// `ui` and `server` differ only in name, help text and options (`ui` has no --workers).

import { type OptionSpec, parseOptions, renderHelp } from "../options.ts";
import type { Command } from "../registry.ts";
import { resolveServerOptions } from "../server-options.ts";

export function trackingServerCommand(
  name: string,
  summary: string,
  description: string,
  specs: OptionSpec[],
): Command {
  return {
    name,
    summary,
    async run(argv, ctx) {
      const { values, help } = parseOptions(specs, argv, ctx.env);
      if (help) {
        ctx.out(renderHelp({ usage: `tracker ${name} [OPTIONS]`, description, specs }));
        return 0;
      }
      // Loaded here, not at start-up: the other commands (models serve above all) must not pay for it.
      const { runServer } = await import("../serve.ts");
      return await runServer(resolveServerOptions(values, Deno.cwd()), ctx);
    },
  };
}
