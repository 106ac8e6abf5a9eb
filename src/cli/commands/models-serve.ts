// `tracker models serve` (alias `tracker serve`): MLflow's scoring server for ONNX and JS models.

import type { Command, CommandContext } from "../registry.ts";

// Imported on demand: the serving modules embed ONNX Runtime's WebAssembly, which the tracking server
// commands must not pay for at start-up.
const run = async (argv: string[], ctx: CommandContext) => {
  if (!argv.includes("--help")) {
    // The first prediction Worker boots on another core while the serving modules load.
    const { prestartPredictWorker } = await import("../../serving/worker-source.ts");
    prestartPredictWorker();
  }
  const { serveCommand } = await import("../../serving/command.ts");
  return serveCommand(argv, { entryUrl: ctx.entryUrl, out: ctx.out, err: ctx.err, env: ctx.env });
};

export const modelsServeCommand: Command = {
  name: "models serve",
  summary: "Serve a logged ONNX or JS model with MLflow's scoring protocol (/invocations).",
  run,
};

export const serveAliasCommand: Command = { name: "serve", summary: "Alias of 'models serve'.", run };
