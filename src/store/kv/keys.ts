// Key layout of the KV store. Runs live under their experiment so one prefix scan loads an experiment's
// runs for search; `runExp` finds a run's experiment from its id alone.

export const keys = {
  schema: () => ["meta", "schema"] as Deno.KvKey,
  nextExperimentId: () => ["meta", "next_experiment_id"] as Deno.KvKey,
  artifactRoots: () => ["meta", "artifact_roots"] as Deno.KvKey,
  /** Experiment document chunks: ["exp", id, chunk]. */
  experimentPrefix: () => ["exp"] as Deno.KvKey,
  experiment: (id: string) => ["exp", id] as Deno.KvKey,
  /** Run document chunks: ["run", expId, runId, chunk]. */
  runsOfExperiment: (expId: string) => ["run", expId] as Deno.KvKey,
  run: (expId: string, runId: string) => ["run", expId, runId] as Deno.KvKey,
  runExp: (runId: string) => ["run_exp", runId] as Deno.KvKey,
  /** Metric history chunks: ["mh", runId, key, chunkNo]. */
  history: (runId: string, key: string) => ["mh", runId, key] as Deno.KvKey,
  historyOfRun: (runId: string) => ["mh", runId] as Deno.KvKey,
};

export const SCHEMA_VERSION = 1;
