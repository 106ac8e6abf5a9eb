// Resolves identifiers (`metrics.x`, `` `tags`.`a b` ``, bare `run_id`) into entity and key.

import { invalidParam } from "../errors.ts";
import { isQuoted, unquoteKey } from "./lexer.ts";

/** Splits at the first dot like MLflow: `tags.mlflow.runName` → entity `tags`, key `mlflow.runName`. */
export function splitIdentifier(text: string): { entity?: string; key: string } {
  const dot = text.indexOf(".");
  if (dot < 0) return { key: unquoteKey(text) };
  return { entity: text.slice(0, dot), key: unquoteKey(text.slice(dot + 1)) };
}

/** Looks an entity prefix up in `aliases`; backticks around the prefix are allowed when `backticks` is set. */
export function resolveEntity<E extends string>(
  raw: string,
  aliases: Record<string, E>,
  backticks: boolean,
): E {
  const name = backticks && isQuoted(raw, "`") ? raw.slice(1, -1) : raw;
  const entity = Object.hasOwn(aliases, name) ? aliases[name] : undefined;
  if (entity === undefined) {
    const valid = [...new Set(Object.values(aliases))].join("', '");
    throw invalidParam(`Invalid entity type '${name}'. Expected one of '${valid}' (or their plural forms).`);
  }
  return entity;
}
