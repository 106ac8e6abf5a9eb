// A program of its own for `tracker models serve`: the entry for tests, the bundle smoke test and the
// benchmark until main.ts dispatches the serving Worker role. Its Workers start from this same module.

import { serveCommand } from "./command.ts";
import { isServingWorker, runServingWorker } from "./worker-entry.ts";

if (isServingWorker()) {
  runServingWorker();
} else if (import.meta.main) {
  Deno.exit(await serveCommand(Deno.args, { entryUrl: import.meta.url }));
}
