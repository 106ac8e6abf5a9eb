// The `tracker` binary. The same module is the entry of the Workers of `tracker server -w N`:
// starting Workers from this file keeps bundles and `deno compile` output self-contained.

import { defaultContext, runCli } from "./src/cli/mod.ts";
import type { Endpoint } from "./src/store/remote/mod.ts";
import { isWorkerThread, runWorkerRole } from "./src/server/workers/worker-role.ts";

if (isWorkerThread()) {
  runWorkerRole(globalThis as unknown as Endpoint);
} else if (import.meta.main) {
  Deno.exit(await runCli(Deno.args, defaultContext(import.meta.url)));
}
