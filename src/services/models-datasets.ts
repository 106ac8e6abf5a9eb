// The UI's dataset summaries of experiments (`experiments/search-datasets`, spec §3.4 #29): every
// distinct (experiment, dataset name, digest, context) among the dataset inputs of their runs.

import { invalidParam } from "../errors.ts";
import { runPages } from "../store/scan.ts";
import type { TrackingStore } from "../store/tracking-store.ts";

export const MAX_EXPERIMENTS_PER_DATASET_SEARCH = 20;
export const MAX_DATASET_SUMMARIES = 1000;
const CONTEXT_TAG = "mlflow.data.context";
const PAGE = 50000;

export interface DatasetSummary {
  experimentId: string;
  name: string;
  digest: string;
  context?: string;
}

export async function searchDatasets(
  store: TrackingStore,
  experimentIds: string[],
): Promise<DatasetSummary[]> {
  if (experimentIds.length === 0) {
    throw invalidParam("SearchDatasets request must specify at least one experiment_id.");
  }
  if (experimentIds.length > MAX_EXPERIMENTS_PER_DATASET_SEARCH) {
    throw invalidParam(
      `SearchDatasets request cannot specify more than ${MAX_EXPERIMENTS_PER_DATASET_SEARCH} experiment_ids. ` +
        `Received ${experimentIds.length} experiment_ids.`,
    );
  }
  const seen = new Map<string, DatasetSummary>();
  // Deleted runs count too: MLflow reads the inputs table without looking at the runs.
  for await (const runs of runPages(store, experimentIds, "ALL", PAGE)) {
    for (const run of runs) {
      for (const input of run.inputs.datasetInputs) {
        const context = input.tags.find((t) => t.key === CONTEXT_TAG)?.value;
        const s: DatasetSummary = {
          experimentId: run.info.experimentId,
          name: input.dataset.name,
          digest: input.dataset.digest,
        };
        if (context !== undefined) s.context = context;
        const key = JSON.stringify([s.experimentId, s.name, s.digest, s.context ?? null]);
        if (!seen.has(key)) seen.set(key, s);
        if (seen.size >= MAX_DATASET_SUMMARIES) return [...seen.values()];
      }
    }
  }
  return [...seen.values()];
}
