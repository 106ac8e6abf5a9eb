// MLflow's runs/search grammar (spec §5.1, §5.2): filter and order_by parsing with MLflow's rules.

import { invalidParam } from "../errors.ts";
import type { Comparator, Comparison, RunEntity, RunFilter, RunOrder } from "./ast.ts";
import { parseClauses, type RawClause } from "./clauses.ts";
import { resolveEntity, splitIdentifier } from "./identifier.ts";
import { parseOrderItem } from "./order-by.ts";
import { checkComparator, numberValue, stringOrListValue, stringValue } from "./values.ts";

const RUN_ENTITIES: Record<string, RunEntity> = {
  metric: "metric",
  metrics: "metric",
  parameter: "param",
  parameters: "param",
  param: "param",
  params: "param",
  tag: "tag",
  tags: "tag",
  attribute: "attribute",
  attributes: "attribute",
  attr: "attribute",
  run: "attribute",
  dataset: "dataset",
  datasets: "dataset",
};

export const RUN_STRING_ATTRIBUTES = ["run_id", "run_name", "user_id", "status", "artifact_uri"] as const;
export const RUN_NUMERIC_ATTRIBUTES = ["start_time", "end_time"] as const;
export const DATASET_KEYS = ["name", "digest", "context"] as const;

/** Alternative spellings MLflow accepts for attributes; `run name` forms only in filters. */
const FILTER_ALIASES: Record<string, string> = {
  created: "start_time",
  Created: "start_time",
  "run name": "run_name",
  "Run name": "run_name",
  "Run Name": "run_name",
};
const ORDER_ALIASES: Record<string, string> = { created: "start_time", Created: "start_time" };

const NUMERIC_OPS: Comparator[] = ["=", "!=", ">", ">=", "<", "<="];
const STRING_OPS: Comparator[] = ["=", "!=", "LIKE", "ILIKE"];
const NULL_OPS: Comparator[] = ["IS NULL", "IS NOT NULL"];
const LIST_OPS: Comparator[] = ["IN", "NOT IN"];

const isNumericAttribute = (key: string) => (RUN_NUMERIC_ATTRIBUTES as readonly string[]).includes(key);

function resolveAttribute(key: string, aliases: Record<string, string>, context: string): string {
  const canonical = Object.hasOwn(aliases, key) ? aliases[key] : key;
  if (![...RUN_STRING_ATTRIBUTES, ...RUN_NUMERIC_ATTRIBUTES].includes(canonical as never)) {
    const valid = [...RUN_STRING_ATTRIBUTES, ...RUN_NUMERIC_ATTRIBUTES, ...Object.keys(aliases)].join("', '");
    throw invalidParam(`Invalid attribute key '${key}' ${context}. Valid keys are '${valid}'.`);
  }
  return canonical;
}

function runComparison(clause: RawClause): Comparison<RunEntity> {
  const { entity: rawEntity, key: rawKey } = splitIdentifier(clause.identifier);
  const entity = rawEntity === undefined ? "attribute" : resolveEntity(rawEntity, RUN_ENTITIES, true);
  const op = clause.comparator;
  const v = clause.value;
  switch (entity) {
    case "metric": {
      const c = checkComparator(op, NUMERIC_OPS, `metric '${rawKey}'`);
      return { entity, key: rawKey, op: c, value: numberValue(v, `metric '${rawKey}'`) };
    }
    case "param":
    case "tag": {
      const what = `${entity} '${rawKey}'`;
      const c = checkComparator(op, [...STRING_OPS, ...NULL_OPS], what);
      if (c === "IS NULL" || c === "IS NOT NULL") return { entity, key: rawKey, op: c, value: null };
      return { entity, key: rawKey, op: c, value: stringValue(v, what) };
    }
    case "attribute": {
      const key = resolveAttribute(rawKey, FILTER_ALIASES, "in filter");
      const what = `attribute '${rawKey}'`;
      if (NULL_OPS.includes(op as Comparator)) {
        throw invalidParam(`IS NULL / IS NOT NULL apply only to params and tags, not to ${what}.`);
      }
      if (isNumericAttribute(key)) {
        const c = checkComparator(op, NUMERIC_OPS, what);
        return { entity, key, op: c, value: numberValue(v, `numeric ${what}`) };
      }
      const c = checkComparator(op, [...STRING_OPS, ...LIST_OPS], what);
      return { entity, key, op: c, value: stringOrListValue(c, v, what, key === "run_id") };
    }
    case "dataset": {
      if (!(DATASET_KEYS as readonly string[]).includes(rawKey)) {
        throw invalidParam(`Invalid dataset key '${rawKey}'. Valid keys are '${DATASET_KEYS.join("', '")}'.`);
      }
      const what = `dataset '${rawKey}'`;
      if (NULL_OPS.includes(op as Comparator)) {
        throw invalidParam(`IS NULL / IS NOT NULL apply only to params and tags, not to ${what}.`);
      }
      const c = checkComparator(op, [...STRING_OPS, ...LIST_OPS], what);
      return { entity, key: rawKey, op: c, value: stringOrListValue(c, v, what, true) };
    }
  }
}

/** Parses a runs/search filter; an empty or missing filter matches every run. */
export function parseRunFilter(filter: string | undefined): RunFilter {
  return parseClauses(filter).map(runComparison);
}

/** Parses runs/search order_by items (first item most significant). */
export function parseRunOrderBy(items: readonly string[] | undefined): RunOrder {
  const order: RunOrder = [];
  const seen = new Set<string>();
  for (const item of items ?? []) {
    const raw = parseOrderItem(item);
    const entity = raw.entity === undefined ? "attribute" : resolveEntity(raw.entity, RUN_ENTITIES, true);
    if (entity === "dataset") throw invalidParam(`Cannot order runs by dataset field '${raw.key}'.`);
    const key = entity === "attribute" ? resolveAttribute(raw.key, ORDER_ALIASES, "in order_by") : raw.key;
    const id = `${entity}\u0000${key}`;
    if (seen.has(id)) throw invalidParam(`order_by names the same field twice: '${item}'.`);
    seen.add(id);
    order.push({ entity, key, ascending: raw.ascending });
  }
  return order;
}
