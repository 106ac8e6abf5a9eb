// `tracker server`: the tracking server, optionally with several Workers sharing the port.

import { parseOptions, renderHelp } from "../options.ts";
import type { Command } from "../registry.ts";
import { runServer } from "../serve.ts";
import { resolveServerOptions, SERVER_OPTIONS } from "../server-options.ts";

export const serverCommand: Command = {
  name: "server",
  summary: "Run the tracking server (REST API, artifacts, UI).",
  async run(argv, ctx) {
    const { values, help } = parseOptions(SERVER_OPTIONS, argv, ctx.env);
    if (help) {
      ctx.out(renderHelp({
        usage: "tracker server [OPTIONS]",
        description: "Run the MLflow-compatible tracking server. Point clients at it with " +
          "MLFLOW_TRACKING_URI=http://<host>:<port>.",
        specs: SERVER_OPTIONS,
      }));
      return 0;
    }
    return await runServer(resolveServerOptions(values, Deno.cwd()), ctx);
  },
};
