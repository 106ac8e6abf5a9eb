// A program of its own for `tracker models serve`: the entry for tests, the bundle smoke test and the
// benchmark until main.ts dispatches the serving Worker role. Its Workers start from this same module.

import { isServingWorker, runServingWorker } from "./worker-entry.ts";
import { prestartPredictWorker } from "./worker-source.ts";

if (isServingWorker()) {
  runServingWorker();
} else if (import.meta.main) {
  // The first Worker boots while the serving modules load (worker-source.ts).
  if (!Deno.args.includes("--help")) prestartPredictWorker();
  const { serveCommand } = await import("./command.ts");
  Deno.exit(await serveCommand(Deno.args, { entryUrl: import.meta.url }));
}
