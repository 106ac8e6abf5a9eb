// Writes the model parts of MLflow's FileStore layout: a logged model under its experiment
// (`<exp>/models/<model_id>/` with meta.yaml, params/, tags/, metrics/) and a registered model under the
// registry (`<root>/models/<name>/` with meta.yaml, tags/, aliases/, `version-<n>/`). Re-exporting
// replaces what an earlier export wrote for the same entity.

import * as path from "node:path";
import type { RegistryEntry } from "../../store/model-store.ts";
import type { LoggedModel, ModelMetric } from "../../store/model-types.ts";
import { keyFilePath } from "./keyfiles.ts";
import { formatModelMetricLine } from "./metric-line.ts";
import {
  loggedModelMetaDoc,
  modelVersionMetaDoc,
  registeredModelMetaDoc,
  STAGE_DELETED_INTERNAL,
} from "./model-meta.ts";
import { REGISTRY_DIR } from "./reader.ts";
import { assertPathComponent, type FileStoreWriter, writeAtomic } from "./writer.ts";
import { dumpYaml } from "./yaml.ts";

const META = "meta.yaml";

async function removeIfThere(dir: string) {
  await Deno.remove(dir, { recursive: true }).catch((e) => {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  });
}

/** Writes a logged model into its experiment folder; returns the model's folder. */
export async function writeLoggedModel(
  writer: FileStoreWriter,
  expDir: string,
  lm: LoggedModel,
): Promise<string> {
  assertPathComponent(lm.modelId, "model id");
  const dir = path.join(expDir, "models", lm.modelId);
  await Deno.mkdir(dir, { recursive: true });
  await writeAtomic(path.join(dir, META), dumpYaml(loggedModelMetaDoc(lm)));
  await writer.replaceKeyFiles(path.join(dir, "params"), lm.params);
  await writer.replaceKeyFiles(path.join(dir, "tags"), lm.tags);
  // One file per key; tracker keeps the latest point per dataset, which is what MLflow reports.
  const byKey = new Map<string, ModelMetric[]>();
  for (const m of lm.metrics) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
  const metricsDir = path.join(dir, "metrics");
  await removeIfThere(metricsDir);
  await Deno.mkdir(metricsDir, { recursive: true });
  for (const [key, points] of byKey) {
    await writeAtomic(keyFilePath(metricsDir, key), points.map(formatModelMetricLine).join(""));
  }
  return dir;
}

/**
 * Writes a registered model with its versions. `location` maps a version's storage location to where its
 * files are in the exported folder. Numbers issued to versions deleted since are kept by a Deleted_Internal
 * placeholder, MLflow's own marker, so MLflow never issues them again.
 */
export async function writeRegisteredModel(
  root: string,
  writer: FileStoreWriter,
  entry: RegistryEntry,
  location: (storageLocation: string) => string,
): Promise<void> {
  const m = entry.model;
  assertPathComponent(m.name, "registered model name");
  const dir = path.join(root, REGISTRY_DIR, m.name);
  await removeIfThere(dir);
  await Deno.mkdir(dir, { recursive: true });
  await writeAtomic(path.join(dir, META), dumpYaml(registeredModelMetaDoc(m)));
  await writer.replaceKeyFiles(path.join(dir, "tags"), m.tags);
  await writer.replaceKeyFiles(
    path.join(dir, "aliases"),
    m.aliases.map((a) => ({ key: a.alias, value: a.version })),
  );
  let highest = 0;
  for (const v of entry.versions) {
    highest = Math.max(highest, Number(v.version));
    const vdir = path.join(dir, `version-${v.version}`);
    const doc = modelVersionMetaDoc({ ...v, storageLocation: location(v.storageLocation) });
    await writeAtomic(path.join(vdir, META), dumpYaml(doc));
    await writer.replaceKeyFiles(path.join(vdir, "tags"), v.tags);
  }
  if (entry.lastVersion > highest) {
    const doc = modelVersionMetaDoc({
      name: m.name,
      version: String(entry.lastVersion),
      creationTimestamp: m.lastUpdatedTimestamp,
      lastUpdatedTimestamp: m.lastUpdatedTimestamp,
      currentStage: STAGE_DELETED_INTERNAL,
      source: "",
      storageLocation: "",
      status: "READY",
    });
    await writeAtomic(path.join(dir, `version-${entry.lastVersion}`, META), dumpYaml(doc));
  }
}
