// Filtering and ordering of logged models by a parsed filter / order, with MLflow's SQL-store semantics:
// metric terms compare the model's latest value of the key (largest step, then timestamp, then value)
// among points logged on the requested datasets; missing values never match and sort last.

import type { LoggedModel, ModelMetric } from "../store/model-types.ts";
import type { Comparison } from "./ast.ts";
import type { DatasetRef, LoggedModelEntity, LoggedModelFilter, LoggedModelOrder } from "./ast-models.ts";
import { compareStrings } from "./compare.ts";
import { numberPredicate, stringPredicate } from "./predicates.ts";

type Predicate = (m: LoggedModel) => boolean;

function onDatasets(point: ModelMetric, datasets: readonly DatasetRef[]): boolean {
  if (datasets.length === 0) return true;
  return datasets.some((d) =>
    point.datasetName === d.datasetName &&
    (d.datasetDigest === undefined || point.datasetDigest === d.datasetDigest)
  );
}

function newer(a: ModelMetric, b: ModelMetric): boolean {
  if (a.step !== b.step) return a.step > b.step;
  if (a.timestamp !== b.timestamp) return a.timestamp > b.timestamp;
  if (Number.isNaN(b.value)) return !Number.isNaN(a.value);
  return a.value > b.value;
}

/** The model's latest value of `key` among points on `datasets` (all points when empty). */
export function latestMetric(
  m: LoggedModel,
  key: string,
  datasets: readonly DatasetRef[],
): number | undefined {
  let best: ModelMetric | undefined;
  for (const p of m.metrics) {
    if (p.key !== key || !onDatasets(p, datasets)) continue;
    if (!best || newer(p, best)) best = p;
  }
  return best?.value;
}

export function attributeValue(m: LoggedModel, key: string): string | number | undefined {
  switch (key) {
    case "model_id":
      return m.modelId;
    case "experiment_id":
      return m.experimentId;
    case "name":
      return m.name;
    case "artifact_location":
      return m.artifactUri;
    case "creation_timestamp":
      return m.creationTimestamp;
    case "last_updated_timestamp":
      return m.lastUpdatedTimestamp;
    case "status":
      return m.status;
    case "model_type":
      return m.modelType;
    case "source_run_id":
      return m.sourceRunId;
    case "status_message":
      return m.statusMessage;
    default:
      throw new Error(`unknown logged model attribute ${key}`);
  }
}

const pairValue = (list: { key: string; value: string }[], key: string) =>
  list.find((t) => t.key === key)?.value;

function compile(c: Comparison<LoggedModelEntity>, datasets: readonly DatasetRef[]): Predicate {
  if (c.entity === "metric") {
    const test = numberPredicate(c.op, c.value as number);
    return (m) => {
      const v = latestMetric(m, c.key, datasets);
      return v !== undefined && test(v);
    };
  }
  if (c.entity === "attribute" && typeof c.value === "number") {
    const test = numberPredicate(c.op, c.value);
    return (m) => {
      const v = attributeValue(m, c.key);
      return typeof v === "number" && test(v);
    };
  }
  const test = stringPredicate(c.op, c.value as string | string[]);
  const get = c.entity === "param"
    ? (m: LoggedModel) => pairValue(m.params, c.key)
    : c.entity === "tag"
    ? (m: LoggedModel) => pairValue(m.tags, c.key)
    : (m: LoggedModel) => attributeValue(m, c.key) as string | undefined;
  return (m) => {
    const v = get(m);
    return v !== undefined && test(v);
  };
}

/**
 * A predicate for the filter. With `datasets` and no metric term, MLflow keeps only models that have
 * some metric on one of those datasets.
 */
export function compileLoggedModelFilter(
  filter: LoggedModelFilter,
  datasets: readonly DatasetRef[],
): Predicate {
  const tests = filter.map((c) => compile(c, datasets));
  if (datasets.length > 0 && !filter.some((c) => c.entity === "metric")) {
    tests.push((m) => m.metrics.some((p) => onDatasets(p, datasets)));
  }
  return (m) => tests.every((t) => t(m));
}

type SortValue = string | number | undefined;

function compareValues(a: SortValue, b: SortValue, ascending: boolean): number {
  // Missing values sort last in either direction, NaN just before them (as run search orders metrics).
  const rank = (v: SortValue) => (v === undefined ? 2 : typeof v === "number" && Number.isNaN(v) ? 1 : 0);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== 0 || rb !== 0) return ra - rb;
  const c = typeof a === "number" && typeof b === "number" ? a - b : compareStrings(String(a), String(b));
  return ascending ? c : -c;
}

/** Comparator with MLflow's defaults: `creation_timestamp DESC` then `model_id ASC` unless given. */
export function compareLoggedModels(
  order: LoggedModelOrder,
  datasets: readonly DatasetRef[],
): (a: LoggedModel, b: LoggedModel) => number {
  const terms = [...order];
  if (!terms.some((t) => t.entity === "attribute" && t.key === "creation_timestamp")) {
    terms.push({ entity: "attribute", key: "creation_timestamp", ascending: false });
  }
  if (!terms.some((t) => t.entity === "attribute" && t.key === "model_id")) {
    terms.push({ entity: "attribute", key: "model_id", ascending: true });
  }
  const getters = terms.map((t) => {
    if (t.entity === "attribute") return (m: LoggedModel) => attributeValue(m, t.key);
    const scope: DatasetRef[] = [...datasets];
    // An order term's own dataset narrows the metric further, like the SQL store's extra filter.
    const own = (p: ModelMetric) =>
      (t.datasetName === undefined || p.datasetName === t.datasetName) &&
      (t.datasetDigest === undefined || p.datasetDigest === t.datasetDigest);
    return (m: LoggedModel) =>
      latestMetric({ ...m, metrics: m.metrics.filter(own) }, t.key, scope) as SortValue;
  });
  return (a, b) => {
    for (let i = 0; i < terms.length; i++) {
      const c = compareValues(getters[i](a), getters[i](b), terms[i].ascending);
      if (c !== 0) return c;
    }
    return 0;
  };
}
