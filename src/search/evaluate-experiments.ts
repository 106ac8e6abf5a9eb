// Filtering and ordering of experiments by a parsed ExperimentFilter / ExperimentOrder.

import type { Experiment } from "../store/types.ts";
import type { Comparison, ExperimentEntity, ExperimentFilter, ExperimentOrder, OrderTerm } from "./ast.ts";
import { compareIds, compareStrings } from "./compare.ts";
import { numberPredicate, stringPredicate } from "./predicates.ts";

type ExperimentPredicate = (exp: Experiment) => boolean;

const tagValue = (exp: Experiment, key: string) => exp.tags.find((t) => t.key === key)?.value;

function compileComparison(c: Comparison<ExperimentEntity>): ExperimentPredicate {
  const { key, op, value } = c;
  if (c.entity === "tag") {
    if (op === "IS NULL") return (e) => tagValue(e, key) === undefined;
    if (op === "IS NOT NULL") return (e) => tagValue(e, key) !== undefined;
    const test = stringPredicate(op, value as string);
    return (e) => {
      const v = tagValue(e, key);
      return v !== undefined && test(v);
    };
  }
  switch (key) {
    case "creation_time":
    case "last_update_time": {
      const test = numberPredicate(op, value as number);
      const get = key === "creation_time"
        ? (e: Experiment) => e.creationTime
        : (e: Experiment) => e.lastUpdateTime;
      return (e) => {
        const v = get(e);
        return v !== undefined && test(v);
      };
    }
    case "name": {
      const test = stringPredicate(op, value as string);
      return (e) => test(e.name);
    }
    case "experiment_id": {
      const test = stringPredicate(op, value as string | string[]);
      return (e) => test(e.experimentId);
    }
    default:
      throw new Error(`unknown experiment attribute ${key}`);
  }
}

export function compileExperimentFilter(filter: ExperimentFilter): ExperimentPredicate {
  const tests = filter.map(compileComparison);
  if (tests.length === 0) return () => true;
  return (e) => tests.every((t) => t(e));
}

export function matchesExperiment(exp: Experiment, filter: ExperimentFilter): boolean {
  return compileExperimentFilter(filter)(exp);
}

/**
 * The order MLflow's SQL store really applies: `creation_time DESC, experiment_id ASC` when none is
 * given, otherwise the given terms plus `experiment_id DESC` unless experiment_id is among them.
 */
export function effectiveExperimentOrder(order: ExperimentOrder): ExperimentOrder {
  if (order.length === 0) {
    return [
      { entity: "attribute", key: "creation_time", ascending: false },
      { entity: "attribute", key: "experiment_id", ascending: true },
    ];
  }
  if (order.some((t) => t.entity === "attribute" && t.key === "experiment_id")) return order;
  return [...order, { entity: "attribute", key: "experiment_id", ascending: false }];
}

function termComparator(t: OrderTerm<ExperimentEntity>): (a: Experiment, b: Experiment) => number {
  const dir = t.ascending ? 1 : -1;
  switch (t.key) {
    case "name":
      return (a, b) => dir * compareStrings(a.name, b.name);
    case "experiment_id":
      return (a, b) => dir * compareIds(a.experimentId, b.experimentId);
    case "creation_time":
    case "last_update_time": {
      const get = t.key === "creation_time"
        ? (e: Experiment) => e.creationTime
        : (e: Experiment) => e.lastUpdateTime;
      return (a, b) => {
        const x = get(a);
        const y = get(b);
        // Unknown times sort last in either direction.
        if (x === undefined || y === undefined) return (x === undefined ? 1 : 0) - (y === undefined ? 1 : 0);
        return dir * (x < y ? -1 : x > y ? 1 : 0);
      };
    }
    default:
      throw new Error(`experiments cannot be ordered by ${t.entity} ${t.key}`);
  }
}

/** Comparator for `order` with MLflow's default and tie-breaker applied (see effectiveExperimentOrder). */
export function compareExperiments(order: ExperimentOrder): (a: Experiment, b: Experiment) => number {
  const terms = effectiveExperimentOrder(order).map(termComparator);
  return (a, b) => {
    for (const t of terms) {
      const c = t(a, b);
      if (c !== 0) return c;
    }
    return 0;
  };
}
