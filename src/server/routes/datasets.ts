// `POST /ajax-api/2.0/mlflow/experiments/search-datasets` (spec §3.4 #29): dataset summaries for the UI.
// MLflow serves it under the ajax prefix only (its proto path lacks the leading slash).

import { z } from "zod";
import { repeated } from "../../api/fields.ts";
import { message } from "../../api/schemas/common.ts";
import { searchDatasets } from "../../services/models-datasets.ts";
import type { RootModule } from "../app.ts";
import { readMessage } from "../request.ts";
import { AJAX_PREFIX } from "./endpoint.ts";

const request = message({ experiment_ids: repeated(z.string()) });

export const datasetRootRoutes: RootModule = (root, deps) => {
  root.post(`${AJAX_PREFIX}/experiments/search-datasets`, async (c) => {
    const m = await readMessage(c, request);
    const summaries = await searchDatasets(deps.store, m.experiment_ids);
    return c.json({
      dataset_summaries: summaries.map((s) => ({
        experiment_id: s.experimentId,
        name: s.name,
        digest: s.digest,
        ...(s.context !== undefined ? { context: s.context } : {}),
      })),
    });
  });
};
