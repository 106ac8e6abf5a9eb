// Public surface of the mlruns interchange, for the CLI (`tracker import|export|gc`, and `tracker ui` on a
// folder that holds an MLflow FileStore).

import type { TrackingStore } from "../store/tracking-store.ts";
import { importMlruns, type ImportReport } from "./filestore/import.ts";
import { createProgress } from "./filestore/progress.ts";
import { isFileStore } from "./filestore/reader.ts";

export { exportCommand, gcCommand, importCommand, interchangeCommands } from "./commands.ts";
export { exportMlruns } from "./filestore/export.ts";
export { importMlruns } from "./filestore/import.ts";
export type { ImportOptions, ImportReport } from "./filestore/import.ts";
export { isFileStore } from "./filestore/reader.ts";
export { executeGc, parseOlderThan, planGc } from "./gc.ts";

/**
 * For `tracker ui/server --backend-store-uri <dir>`: when `dir` holds an MLflow FileStore, brings it into
 * `store` (artifacts stay where MLflow wrote them) and says so; null when there is none. Safe to call on
 * every start: a re-import only writes what changed in the folder since.
 */
export async function importFileStoreIfPresent(
  store: TrackingStore,
  dir: string,
  opts: { artifactsDestination: string; out: (line: string) => void; err: (line: string) => void },
): Promise<ImportReport | null> {
  if (!(await isFileStore(dir))) return null;
  opts.out(`${dir} holds an MLflow FileStore (mlruns); importing it, artifacts stay in place ...`);
  const progress = Deno.stderr.isTerminal() ? createProgress({ title: "import" }) : undefined;
  try {
    const r = await importMlruns(store, dir, {
      artifacts: "reference",
      artifactsDestination: opts.artifactsDestination,
      warn: (m) => opts.err(`warning: ${m}`),
      progress,
    });
    progress?.done();
    const failed = r.runs.failed + r.experiments.failed + r.loggedModels.failed + r.registeredModels.failed;
    opts.out(
      `imported: ${r.experiments.created} new / ${r.experiments.updated} updated experiment(s), ` +
        `${r.runs.created} new / ${r.runs.updated} updated run(s), ${r.metricPoints} metric points, ` +
        `${r.loggedModels.created + r.loggedModels.updated} logged model(s), ` +
        `${r.registeredModels.created + r.registeredModels.updated} registered model(s)` +
        (failed > 0 ? `; ${failed} failed (see warnings)` : ""),
    );
    return r;
  } finally {
    progress?.done();
  }
}
