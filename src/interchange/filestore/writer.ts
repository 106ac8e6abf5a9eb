// Writes MLflow's FileStore layout (spec §8) that MLflow 2.x and 3.x read: meta.yaml documents, one file per
// param and tag (value verbatim, no trailing newline), metric files of `ts value step` lines, dataset and
// input/output records. Every file is written to a temp name and renamed, so a reader (or an interrupted
// export) never sees half a file; re-writing an entity replaces its files instead of appending to them.

import { createHash } from "node:crypto";
import * as path from "node:path";
import type { Dataset, DatasetInput, Experiment, Metric, RunInfo, Tag } from "../../store/types.ts";
import { keyFilePath } from "./keyfiles.ts";
import { datasetMetaDoc, experimentMetaDoc, inputMetaDoc, outputMetaDoc, runMetaDoc } from "./meta.ts";
import { formatMetricLine } from "./metric-line.ts";
import { TRASH } from "./reader.ts";
import { dumpYaml } from "./yaml.ts";

const META = "meta.yaml";
const encoder = new TextEncoder();

function tempName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tracker-${crypto.randomUUID().slice(0, 8)}`);
}

/** Writes `data` to `file` through a temp file and a rename (parents created). */
export async function writeAtomic(file: string, data: string | Uint8Array): Promise<void> {
  await Deno.mkdir(path.dirname(file), { recursive: true });
  const tmp = tempName(file);
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, file);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

const md5 = (...parts: string[]) => {
  const h = createHash("md5");
  for (const p of parts) h.update(p, "utf8");
  return h.digest("hex");
};

/** MLflow's folder name of a dataset: md5(name + digest). */
export const datasetId = (d: Dataset) => md5(d.name, d.digest);
/** MLflow's folder name of a run input: md5(dataset_id or model_id + run_id). */
export const inputId = (sourceId: string, runId: string) => md5(sourceId, runId);

export function assertPathComponent(value: string, what: string) {
  if (!value || value === "." || value === ".." || /[/\\\0]/.test(value)) {
    throw new Error(`${what} '${value}' cannot be a folder name`);
  }
}

export class FileStoreWriter {
  constructor(readonly root: string, private readonly warn: (m: string) => void = () => {}) {}

  /** Creates the root and `.trash`, as MLflow does for a new store. */
  async init(): Promise<void> {
    await Deno.mkdir(path.join(this.root, TRASH), { recursive: true });
  }

  /** Where an experiment lives: deleted ones under `.trash/` (MLflow moves them there). */
  experimentDir(experimentId: string, deleted: boolean): string {
    assertPathComponent(experimentId, "experiment id");
    return deleted ? path.join(this.root, TRASH, experimentId) : path.join(this.root, experimentId);
  }

  /**
   * Writes an experiment's meta.yaml and tags. A copy of it in the other place (active vs `.trash`) from an
   * earlier export is moved over first, so the id exists once and its runs' artifacts are kept.
   */
  async writeExperiment(e: Experiment): Promise<string> {
    const deleted = e.lifecycleStage === "deleted";
    const dir = this.experimentDir(e.experimentId, deleted);
    const other = this.experimentDir(e.experimentId, !deleted);
    if (await exists(other)) {
      if (await exists(dir)) await Deno.remove(dir, { recursive: true });
      await Deno.rename(other, dir);
    }
    await Deno.mkdir(dir, { recursive: true });
    await writeAtomic(path.join(dir, META), dumpYaml(experimentMetaDoc(e)));
    await this.replaceKeyFiles(path.join(dir, "tags"), e.tags);
    return dir;
  }

  /** Writes a run's meta.yaml, params and tags, and creates its metrics/ and artifacts/ folders. */
  async writeRun(expDir: string, r: RunInfo, params: Tag[], tags: Tag[]): Promise<string> {
    assertPathComponent(r.runId, "run id");
    const dir = path.join(expDir, r.runId);
    // MLflow only accepts a run folder holding metrics/, params/ and artifacts/.
    for (const sub of ["metrics", "params", "artifacts", "tags"]) {
      await Deno.mkdir(path.join(dir, sub), { recursive: true });
    }
    await writeAtomic(path.join(dir, META), dumpYaml(runMetaDoc(r)));
    await this.replaceKeyFiles(path.join(dir, "params"), params);
    await this.replaceKeyFiles(path.join(dir, "tags"), tags);
    return dir;
  }

  /** Replaces `metrics/<key>` with the given points, streamed from `pages`. */
  async writeMetric(runDir: string, key: string, pages: AsyncIterable<Metric[]>): Promise<number> {
    const file = keyFilePath(path.join(runDir, "metrics"), key);
    await Deno.mkdir(path.dirname(file), { recursive: true });
    const tmp = tempName(file);
    const f = await Deno.open(tmp, { write: true, create: true, truncate: true });
    let n = 0;
    try {
      for await (const page of pages) {
        let text = "";
        for (const m of page) text += formatMetricLine(m);
        await writeAll(f, encoder.encode(text));
        n += page.length;
      }
    } catch (e) {
      f.close();
      await Deno.remove(tmp).catch(() => {});
      throw e;
    }
    f.close();
    await Deno.rename(tmp, file);
    return n;
  }

  /** Dataset records in the experiment and the run's input records pointing at them. */
  async writeInputs(
    expDir: string,
    runDir: string,
    runId: string,
    datasets: DatasetInput[],
    models: { modelId: string }[],
  ): Promise<void> {
    for (const input of datasets) {
      const dsId = datasetId(input.dataset);
      await writeAtomic(path.join(expDir, "datasets", dsId, META), dumpYaml(datasetMetaDoc(input.dataset)));
      const doc = inputMetaDoc("DATASET", dsId, input.tags);
      await writeAtomic(path.join(runDir, "inputs", inputId(dsId, runId), META), dumpYaml(doc));
    }
    for (const m of models) {
      const doc = inputMetaDoc("MODEL", m.modelId, []);
      await writeAtomic(path.join(runDir, "inputs", inputId(m.modelId, runId), META), dumpYaml(doc));
    }
  }

  async writeOutputs(runDir: string, outputs: { modelId: string; step: number }[]): Promise<void> {
    for (const o of outputs) {
      assertPathComponent(o.modelId, "model id");
      await writeAtomic(
        path.join(runDir, "outputs", o.modelId, META),
        dumpYaml(outputMetaDoc(o.modelId, o.step)),
      );
    }
  }

  /** Makes `dir` hold exactly one file per key (stale keys from an earlier export are removed). */
  async replaceKeyFiles(dir: string, items: Tag[]): Promise<void> {
    await Deno.remove(dir, { recursive: true }).catch((e) => {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    });
    await Deno.mkdir(dir, { recursive: true });
    for (const t of items) {
      try {
        await writeAtomic(keyFilePath(dir, t.key), t.value);
      } catch (e) {
        // e.g. keys "a" and "a/b": the FileStore cannot hold both (MLflow cannot either).
        this.warn(`${dir}: key '${t.key}' not written (${(e as Error).message})`);
      }
    }
  }
}

async function exists(p: string): Promise<boolean> {
  return (await Deno.lstat(p).catch(() => null)) !== null;
}

async function writeAll(f: Deno.FsFile, data: Uint8Array) {
  let off = 0;
  while (off < data.length) off += await f.write(data.subarray(off));
}
