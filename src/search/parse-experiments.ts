// MLflow's experiments/search grammar (spec §5.3), with the SQL store's comparator rules
// (the default MLflow server backend): names take string comparators only, times take integers.

import { invalidParam } from "../errors.ts";
import type { Comparator, Comparison, ExperimentEntity, ExperimentFilter, ExperimentOrder } from "./ast.ts";
import { parseClauses, type RawClause } from "./clauses.ts";
import { resolveEntity, splitIdentifier } from "./identifier.ts";
import { parseOrderItem } from "./order-by.ts";
import { checkComparator, numberValue, stringOrListValue, stringValue } from "./values.ts";

const EXPERIMENT_ENTITIES: Record<string, ExperimentEntity> = {
  attribute: "attribute",
  attributes: "attribute",
  tag: "tag",
  tags: "tag",
};

export const EXPERIMENT_ATTRIBUTES = ["name", "experiment_id", "creation_time", "last_update_time"] as const;
const NUMERIC = new Set(["creation_time", "last_update_time"]);

function checkAttribute(key: string): void {
  if (!(EXPERIMENT_ATTRIBUTES as readonly string[]).includes(key)) {
    throw invalidParam(
      `Invalid attribute key '${key}'. Valid keys are '${EXPERIMENT_ATTRIBUTES.join("', '")}'.`,
    );
  }
}

function experimentComparison(clause: RawClause): Comparison<ExperimentEntity> {
  const { entity: rawEntity, key } = splitIdentifier(clause.identifier);
  const entity = rawEntity === undefined ? "attribute" : resolveEntity(rawEntity, EXPERIMENT_ENTITIES, false);
  const op = clause.comparator;
  const v = clause.value;
  if (entity === "tag") {
    const what = `tag '${key}'`;
    const c = checkComparator(op, ["=", "!=", "LIKE", "ILIKE", "IS NULL", "IS NOT NULL"], what);
    if (c === "IS NULL" || c === "IS NOT NULL") return { entity, key, op: c, value: null };
    return { entity, key, op: c, value: stringValue(v, what) };
  }
  checkAttribute(key);
  const what = `attribute '${key}'`;
  if (op === "IS NULL" || op === "IS NOT NULL") {
    throw invalidParam(`IS NULL / IS NOT NULL apply only to tags, not to ${what}.`);
  }
  if (NUMERIC.has(key)) {
    const c = checkComparator(op, ["=", "!=", ">", ">=", "<", "<="], what);
    const value = numberValue(v, `numeric ${what}`);
    if (v.kind === "number" && !v.integer) {
      throw invalidParam(`Expected an integer (milliseconds) for ${what}, found ${v.text}.`);
    }
    return { entity, key, op: c, value };
  }
  if (key === "experiment_id") {
    const c: Comparator = checkComparator(op, ["=", "!=", "IN", "NOT IN"], what);
    return { entity, key, op: c, value: stringOrListValue(c, v, what, true) };
  }
  const c = checkComparator(op, ["=", "!=", "LIKE", "ILIKE"], what);
  return { entity, key, op: c, value: stringValue(v, what) };
}

/** Parses an experiments/search filter; empty or missing matches every experiment. */
export function parseExperimentFilter(filter: string | undefined): ExperimentFilter {
  return parseClauses(filter).map(experimentComparison);
}

/**
 * Parses experiments/search order_by items. Defaults and the experiment_id tie-breaker are applied
 * by `effectiveExperimentOrder` (evaluate-experiments.ts), not here.
 */
export function parseExperimentOrderBy(items: readonly string[] | undefined): ExperimentOrder {
  return (items ?? []).map((item) => {
    const raw = parseOrderItem(item);
    const entity = raw.entity === undefined
      ? "attribute"
      : resolveEntity(raw.entity, EXPERIMENT_ENTITIES, false);
    if (entity !== "attribute") {
      throw invalidParam(`Experiments can only be ordered by attributes, not '${item}'.`);
    }
    checkAttribute(raw.key);
    return { entity, key: raw.key, ascending: raw.ascending };
  });
}
