// MLflow's per-request limits of runs/log-batch (spec §4); the client splits larger batches itself.

export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_PER_BATCH = 100;
export const MAX_TAGS_PER_BATCH = 100;
export const MAX_ENTITIES_PER_BATCH = 1000;

export interface BatchParts<M, T> {
  metrics: M[];
  params: T[];
  tags: T[];
}

/**
 * Splits a batch into requests within the limits, keeping each kind in order: params first, then metrics,
 * then tags, which is the order the server writes them in.
 */
export function chunkBatch<M, T>(batch: BatchParts<M, T>): BatchParts<M, T>[] {
  const out: BatchParts<M, T>[] = [];
  let p = 0, m = 0, t = 0;
  const { metrics, params, tags } = batch;
  while (p < params.length || m < metrics.length || t < tags.length) {
    const ps = params.slice(p, p + MAX_PARAMS_PER_BATCH);
    const ms = metrics.slice(m, m + Math.min(MAX_METRICS_PER_BATCH, MAX_ENTITIES_PER_BATCH - ps.length));
    const ts = tags.slice(
      t,
      t + Math.min(MAX_TAGS_PER_BATCH, MAX_ENTITIES_PER_BATCH - ps.length - ms.length),
    );
    out.push({ metrics: ms, params: ps, tags: ts });
    p += ps.length;
    m += ms.length;
    t += ts.length;
  }
  return out;
}
