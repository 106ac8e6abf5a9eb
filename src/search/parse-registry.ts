// The model registry's search grammars (search_utils.py: SearchModelUtils, SearchModelVersionUtils, and
// the SQL store's rules): registered models by `name` and tags; versions by `name`, `run_id`,
// `source_path`, `version_number` and tags; order_by strings over the entity's attributes.

import { invalidParam } from "../errors.ts";
import type { Comparator, Comparison } from "./ast.ts";
import type {
  ModelVersionFilter,
  RegisteredModelFilter,
  RegistryEntity,
  RegistryOrder,
} from "./ast-models.ts";
import { parseClauses, type RawClause } from "./clauses.ts";
import { splitIdentifier } from "./identifier.ts";
import { parseOrderItem } from "./order-by.ts";
import { checkComparator, numberValue, stringOrListValue, stringValue } from "./values.ts";

const ENTITY: Record<string, RegistryEntity> = { attribute: "attribute", tag: "tag", tags: "tag" };
const TAG_OPS: Comparator[] = ["=", "!=", "LIKE", "ILIKE"];
const STRING_OPS: Comparator[] = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"];
const NUMERIC_OPS: Comparator[] = ["=", "!=", ">", ">=", "<", "<="];

function entityOf(raw: string | undefined): RegistryEntity {
  if (raw === undefined) return "attribute";
  const e = Object.hasOwn(ENTITY, raw) ? ENTITY[raw] : undefined;
  if (e === undefined) {
    throw invalidParam(`Invalid entity type '${raw}'. Valid entity types are ('attribute', 'tag', 'tags')`);
  }
  return e;
}

function noNullChecks(clause: RawClause, what: string) {
  if (clause.comparator === "IS NULL" || clause.comparator === "IS NOT NULL") {
    throw invalidParam(`IS NULL / IS NOT NULL is not supported for ${what} search.`);
  }
}

function tagComparison(key: string, clause: RawClause): Comparison<RegistryEntity> {
  const what = `tag '${key}'`;
  const op = checkComparator(clause.comparator, TAG_OPS, what);
  return { entity: "tag", key, op, value: stringValue(clause.value, what) };
}

function badAttribute(key: string, valid: readonly string[]): never {
  throw invalidParam(`Invalid attribute key '${key}' specified. Valid keys are '${valid.join("', '")}'`);
}

const MODEL_ATTRIBUTES = ["name"] as const;

/** Parses a registered-models/search filter. */
export function parseRegisteredModelFilter(filter: string | undefined): RegisteredModelFilter {
  return parseClauses(filter).map((clause) => {
    noNullChecks(clause, "registered model");
    const { entity: raw, key } = splitIdentifier(clause.identifier);
    const entity = entityOf(raw);
    if (entity === "tag") return tagComparison(key, clause);
    if (key !== "name") badAttribute(key, MODEL_ATTRIBUTES);
    const op = checkComparator(clause.comparator, STRING_OPS, "attribute 'name'");
    return { entity, key, op, value: stringOrListValue(op, clause.value, "attribute 'name'", true) };
  });
}

const VERSION_ATTRIBUTES = ["name", "version_number", "run_id", "source_path"] as const;

/** Parses a model-versions/search filter. */
export function parseModelVersionFilter(filter: string | undefined): ModelVersionFilter {
  return parseClauses(filter).map((clause) => {
    noNullChecks(clause, "model version");
    const { entity: raw, key } = splitIdentifier(clause.identifier);
    const entity = entityOf(raw);
    if (entity === "tag") return tagComparison(key, clause);
    if (!(VERSION_ATTRIBUTES as readonly string[]).includes(key)) badAttribute(key, VERSION_ATTRIBUTES);
    const what = `attribute '${key}'`;
    if (key === "version_number") {
      const op = checkComparator(clause.comparator, NUMERIC_OPS, what);
      const v = clause.value;
      // MLflow compares the integer column; '3' (quoted) is accepted as well as 3.
      const value = v.kind === "string" ? Number(v.text) : numberValue(v, what);
      if (!Number.isInteger(value) || (v.kind === "number" && !v.integer)) {
        throw invalidParam(`Invalid value for numeric attribute '${key}': ${JSON.stringify(v)}`);
      }
      return { entity, key, op, value };
    }
    const op = checkComparator(clause.comparator, STRING_OPS, what);
    const listAllowed = key === "run_id" || key === "name";
    if (!listAllowed && (op === "IN" || op === "NOT IN")) {
      throw invalidParam(`Invalid comparator for attribute: ${op}`);
    }
    return { entity, key, op, value: stringOrListValue(op, clause.value, what, listAllowed) };
  });
}

/** Registered models order by `name`, `creation_timestamp`, `last_updated_timestamp` (alias `timestamp`). */
export function parseRegisteredModelOrderBy(items: readonly string[]): RegistryOrder {
  return parseRegistryOrder(items, {
    name: "name",
    timestamp: "last_updated_timestamp",
    last_updated_timestamp: "last_updated_timestamp",
    creation_timestamp: "creation_timestamp",
  });
}

/** Model versions order by `name`, `version_number`, `creation_timestamp`, `last_updated_timestamp`. */
export function parseModelVersionOrderBy(items: readonly string[]): RegistryOrder {
  return parseRegistryOrder(items, {
    name: "name",
    version_number: "version_number",
    creation_timestamp: "creation_timestamp",
    last_updated_timestamp: "last_updated_timestamp",
  });
}

function parseRegistryOrder(items: readonly string[], keys: Record<string, string>): RegistryOrder {
  const seen = new Set<string>();
  return items.map((item) => {
    const raw = parseOrderItem(item);
    if (raw.entity !== undefined && raw.entity !== "attribute") {
      throw invalidParam(
        `Invalid order_by entity '${raw.entity}' in '${item}'; only attributes are allowed.`,
      );
    }
    const key = Object.hasOwn(keys, raw.key) ? keys[raw.key] : undefined;
    if (key === undefined) {
      throw invalidParam(
        `Invalid order by key '${raw.key}' specified. Valid keys are '${Object.keys(keys).join("', '")}'`,
      );
    }
    if (seen.has(key)) throw invalidParam(`\`order_by\` contains duplicate fields: ${JSON.stringify(items)}`);
    seen.add(key);
    return { key, ascending: raw.ascending };
  });
}
