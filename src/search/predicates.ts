// Comparison predicates compiled once per search, shared by the run and experiment evaluators.

import type { Comparator } from "./ast.ts";
import { compileLike } from "./like.ts";

/** `value <op> operand` for numbers; NaN compares false except for `!=`, as in MLflow. */
export function numberPredicate(op: Comparator, operand: number): (value: number) => boolean {
  switch (op) {
    case "=":
      return (v) => v === operand;
    case "!=":
      return (v) => v !== operand;
    case ">":
      return (v) => v > operand;
    case ">=":
      return (v) => v >= operand;
    case "<":
      return (v) => v < operand;
    case "<=":
      return (v) => v <= operand;
    default:
      throw new Error(`numeric comparator expected, got ${op}`);
  }
}

/** `value <op> operand` for strings (case-sensitive except ILIKE); lists for IN / NOT IN. */
export function stringPredicate(op: Comparator, operand: string | string[]): (value: string) => boolean {
  if (op === "IN" || op === "NOT IN") {
    const set = new Set(Array.isArray(operand) ? operand : [operand]);
    return op === "IN" ? (v) => set.has(v) : (v) => !set.has(v);
  }
  if (Array.isArray(operand)) throw new Error(`${op} cannot take a list`);
  switch (op) {
    case "=":
      return (v) => v === operand;
    case "!=":
      return (v) => v !== operand;
    case "LIKE":
      return compileLike(operand, false);
    case "ILIKE":
      return compileLike(operand, true);
    default:
      throw new Error(`string comparator expected, got ${op}`);
  }
}
