// Builds small MLflow FileStore folders by hand (the files MLflow 2.x/3.x write), for the import tests.

import * as path from "node:path";
import type { ImportOptions } from "../../src/interchange/filestore/import.ts";
import { openKvStore } from "../../src/store/kv/mod.ts";

export const EXP_ID = "123456789012345678";
export const RUN_A = "a".repeat(32);
export const RUN_B = "b".repeat(32);
export const RUN_OLD = "c".repeat(32);
export const TRASH_EXP = "987654321098765432";
export const RUN_T = "d".repeat(32);

export async function write(file: string, text: string) {
  await Deno.mkdir(path.dirname(file), { recursive: true });
  await Deno.writeTextFile(file, text);
}

const expMeta = (root: string, id: string, name: string, stage = "active", t = 1700000000000) =>
  `artifact_location: file://${root}/${id}\ncreation_time: ${t}\nexperiment_id: '${id}'\n` +
  `last_update_time: ${t + 5}\nlifecycle_stage: ${stage}\nname: ${name}\n`;

const runMeta = (root: string, exp: string, id: string, o: Record<string, string> = {}) =>
  [
    `artifact_uri: file://${root}/${exp}/${id}/artifacts`,
    `deleted_time: ${o.deleted_time ?? "null"}`,
    `end_time: ${o.end_time ?? "null"}`,
    "entry_point_name: ''",
    `experiment_id: '${exp}'`,
    `lifecycle_stage: ${o.lifecycle_stage ?? "active"}`,
    `run_id: ${id}`,
    `run_name: ${o.run_name ?? "''"}`,
    "source_name: ''",
    "source_type: 4",
    "source_version: ''",
    `start_time: ${o.start_time ?? "1700000000100"}`,
    `status: ${o.status ?? "3"}`,
    "tags: []",
    `user_id: ${o.user_id ?? "alice"}`,
    "",
  ].join("\n");

async function runDirs(dir: string) {
  for (const sub of ["metrics", "params", "artifacts", "tags"]) {
    await Deno.mkdir(path.join(dir, sub), { recursive: true });
  }
}

/**
 * A 3.x-style store: experiment 0, an 18-digit experiment with tags (one nested), run A (params, nested
 * keys, NaN/inf history, multi-line tag, dataset input, artifacts), run B (deleted, child of A), a run with
 * 2.x meta (int experiment id, run_uuid only, no lifecycle_stage, legacy 2-field metric lines), and a deleted
 * experiment under .trash with one run.
 */
export async function makeFileStore(root: string): Promise<void> {
  await write(path.join(root, "0", "meta.yaml"), expMeta(root, "0", "Default"));
  await Deno.mkdir(path.join(root, ".trash"), { recursive: true });
  const e = path.join(root, EXP_ID);
  await write(path.join(e, "meta.yaml"), expMeta(root, EXP_ID, "exp-a"));
  await write(path.join(e, "tags", "team"), "vision");
  await write(path.join(e, "tags", "a", "b"), "nested tag");

  const a = path.join(e, RUN_A);
  await runDirs(a);
  await write(
    path.join(a, "meta.yaml"),
    runMeta(root, EXP_ID, RUN_A, { run_name: "first", end_time: "1700000000900" }),
  );
  await write(path.join(a, "params", "lr"), "0.01");
  await write(path.join(a, "params", "opt", "name"), "adam");
  await write(path.join(a, "tags", "mlflow.runName"), "first");
  await write(path.join(a, "tags", "note"), "two\nlines");
  await write(
    path.join(a, "metrics", "loss"),
    "1700000000200 0.5 0\n1700000000201 nan 1\n1700000000202 inf 2\n1700000000203 -inf 3\n1700000000204 1e-05 4\n",
  );
  await write(path.join(a, "metrics", "train", "acc"), "1700000000300 0.25 7 train d1g3st\n");
  await write(path.join(a, "artifacts", "model", "weights.bin"), "0123456789");
  await write(path.join(a, "artifacts", "readme.txt"), "hello");
  const dsId = "f".repeat(32);
  await write(
    path.join(e, "datasets", dsId, "meta.yaml"),
    'digest: d1g3st\nname: train\nprofile: \'{"num_rows": 2}\'\nschema: null\nsource: \'{"uri": "mem"}\'\nsource_type: local\n',
  );
  await write(
    path.join(a, "inputs", "1".repeat(32), "meta.yaml"),
    `destination_id: ${dsId}\ndestination_type: RUN\nsource_id: ${dsId}\nsource_type: DATASET\ntags:\n  mlflow.data.context: training\n`,
  );

  const b = path.join(e, RUN_B);
  await runDirs(b);
  await write(
    path.join(b, "meta.yaml"),
    runMeta(root, EXP_ID, RUN_B, {
      run_name: "child",
      lifecycle_stage: "deleted",
      deleted_time: "1700000005000",
      status: "4",
      start_time: "1700000000500",
    }),
  );
  await write(path.join(b, "tags", "mlflow.parentRunId"), RUN_A);
  await write(path.join(b, "metrics", "m"), "1700000000600 1.0 0\n");

  // 2.x meta: int experiment id (old files), run_uuid without run_id, no lifecycle_stage, name from the tag.
  const old = path.join(e, RUN_OLD);
  await runDirs(old);
  await write(
    path.join(old, "meta.yaml"),
    `artifact_uri: file://${root}/${EXP_ID}/${RUN_OLD}/artifacts\nend_time: 1600000000900\n` +
      `entry_point_name: ''\nexperiment_id: ${EXP_ID}\nrun_uuid: ${RUN_OLD}\nsource_name: ''\nsource_type: 4\n` +
      `source_version: ''\nstart_time: 1600000000000\nstatus: 3\ntags: []\nuser_id: bob\n`,
  );
  await write(path.join(old, "tags", "mlflow.runName"), "legacy");
  await write(path.join(old, "metrics", "old"), "1600000000100 2.5\n1600000000200 3.5\n");

  // Not runs: a reserved folder and a folder without meta.yaml.
  await Deno.mkdir(path.join(e, "traces", "tr-1"), { recursive: true });
  await Deno.mkdir(path.join(e, "not-a-run"), { recursive: true });

  const t = path.join(root, ".trash", TRASH_EXP);
  await write(path.join(t, "meta.yaml"), expMeta(root, TRASH_EXP, "gone", "deleted", 1600000000000));
  const tr = path.join(t, RUN_T);
  await runDirs(tr);
  await write(
    path.join(tr, "meta.yaml"),
    runMeta(root, TRASH_EXP, RUN_T, {
      lifecycle_stage: "deleted",
      deleted_time: "1600000000005",
      run_name: "t",
    }),
  );
  await write(path.join(tr, "params", "p"), "1");
}

export interface ImportSetup {
  tmp: string;
  /** The FileStore folder (makeFileStore's, plus what `extra` added). */
  root: string;
  /** The artifacts destination import copies into. */
  dest: string;
  store: Awaited<ReturnType<typeof openKvStore>>;
  opts: ImportOptions;
  /** What import warned about. */
  warnings: string[];
}

/**
 * Runs `fn` with a FileStore folder from makeFileStore (then `extra`), an empty KV store and import options
 * that copy artifacts and collect warnings; closes the store and removes the folders afterwards.
 */
export async function withImportSetup(
  prefix: string,
  fn: (s: ImportSetup) => Promise<void>,
  extra?: (root: string) => Promise<void>,
): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix });
  const root = path.join(tmp, "mlruns");
  await makeFileStore(root);
  await extra?.(root);
  const dest = path.join(tmp, "mlartifacts");
  const store = await openKvStore({ path: ":memory:", defaultArtifactRoot: "mlflow-artifacts:/" });
  const warnings: string[] = [];
  const opts: ImportOptions = {
    artifacts: "copy",
    artifactsDestination: dest,
    warn: (m) => warnings.push(m),
  };
  try {
    await fn({ tmp, root, dest, store, opts, warnings });
  } finally {
    await store.close();
    await Deno.remove(tmp, { recursive: true });
  }
}
