// Value and comparator checks shared by the runs and experiments grammars.

import { invalidParam } from "../errors.ts";
import type { Comparator } from "./ast.ts";
import type { RawValue } from "./clauses.ts";

export function checkComparator(op: string, allowed: Comparator[], what: string): Comparator {
  if (!(allowed as string[]).includes(op)) {
    throw invalidParam(`Invalid comparator '${op}' for ${what}; expected one of '${allowed.join("', '")}'.`);
  }
  return op as Comparator;
}

/** A number literal's value (MLflow accepts integers, decimals and exponents, optionally negative). */
export function numberValue(v: RawValue, what: string): number {
  if (v.kind !== "number") throw invalidParam(`Expected a numeric value for ${what}, found ${describe(v)}.`);
  return Number(v.text);
}

export function stringValue(v: RawValue, what: string): string {
  if (v.kind === "string") return v.text;
  if (v.kind === "unquoted") {
    throw invalidParam(
      `Value ${v.text} for ${what} must be quoted; use single or double quotes, e.g. '${v.text}'.`,
    );
  }
  throw invalidParam(`Expected a quoted string value for ${what} (e.g. 'my-value'), found ${describe(v)}.`);
}

export function describe(v: RawValue): string {
  switch (v.kind) {
    case "string":
      return `'${v.text}'`;
    case "none":
      return "nothing";
    default:
      return v.text;
  }
}

/** String or list value, matching the comparator: lists exactly for IN / NOT IN. */
export function stringOrListValue(
  op: Comparator,
  v: RawValue,
  what: string,
  listAllowed: boolean,
): string | string[] {
  const isListOp = op === "IN" || op === "NOT IN";
  if (v.kind === "list") {
    if (!listAllowed) throw invalidParam(`Comparing ${what} with a list of values is not supported.`);
    if (!isListOp) throw invalidParam(`A list value for ${what} needs IN or NOT IN, not '${op}'.`);
    return v.items;
  }
  if (isListOp) {
    throw invalidParam(`${op} for ${what} needs a parenthesized list of quoted strings, e.g. ('a', 'b').`);
  }
  return stringValue(v, what);
}
