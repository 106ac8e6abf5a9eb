// Validated wire messages → store entities (snake_case → camelCase, proto defaults applied).

import type { z } from "zod";
import type { datasetInputItem, metricItem } from "../../api/schemas/common.ts";
import type { DatasetInput, Metric } from "../../store/types.ts";

type MetricMessage = Omit<z.output<typeof metricItem>, "run_id">;

/** Empty optional strings count as unset, as MLflow's handlers read them (`x or None`). */
export function metricFromWire(m: MetricMessage): Metric {
  const out: Metric = { key: m.key, value: m.value, timestamp: m.timestamp, step: m.step ?? 0 };
  if (m.dataset_name) out.datasetName = m.dataset_name;
  if (m.dataset_digest) out.datasetDigest = m.dataset_digest;
  if (m.model_id) out.modelId = m.model_id;
  return out;
}

export function datasetInputFromWire(d: z.output<typeof datasetInputItem>): DatasetInput {
  const ds = d.dataset;
  return {
    tags: d.tags.map((t) => ({ key: t.key, value: t.value })),
    dataset: {
      name: ds.name,
      digest: ds.digest,
      sourceType: ds.source_type,
      source: ds.source,
      ...(ds.schema !== undefined ? { schema: ds.schema } : {}),
      ...(ds.profile !== undefined ? { profile: ds.profile } : {}),
    },
  };
}
