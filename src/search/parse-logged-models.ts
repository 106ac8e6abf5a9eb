// MLflow's logged-models/search grammar (search_logged_model_utils.py, SQL store): an AND of
// `<entity>.<key> <op> <value>` terms over attributes, metrics, params and tags, and order_by items that
// arrive as `{field_name, ascending, dataset_name, dataset_digest}` objects.

import { invalidParam } from "../errors.ts";
import type { Comparator, Comparison } from "./ast.ts";
import type { DatasetRef, LoggedModelEntity, LoggedModelFilter, LoggedModelOrder } from "./ast-models.ts";
import { parseClauses, type RawClause } from "./clauses.ts";
import { unquoteKey } from "./lexer.ts";
import { checkComparator, numberValue, stringOrListValue } from "./values.ts";

const ENTITIES: Record<string, LoggedModelEntity> = {
  attributes: "attribute",
  metrics: "metric",
  params: "param",
  tags: "tag",
};

/** Attribute names MLflow accepts as aliases of its column names. */
const ALIASES: Record<string, string> = {
  creation_time: "creation_timestamp",
  creation_timestamp_ms: "creation_timestamp",
  last_updated_time: "last_updated_timestamp",
  last_updated_timestamp_ms: "last_updated_timestamp",
  artifact_uri: "artifact_location",
};

export const LOGGED_MODEL_ATTRIBUTES = [
  "model_id",
  "experiment_id",
  "name",
  "artifact_location",
  "creation_timestamp",
  "last_updated_timestamp",
  "status",
  "model_type",
  "source_run_id",
  "status_message",
] as const;
export const LOGGED_MODEL_NUMERIC_ATTRIBUTES = new Set(["creation_timestamp", "last_updated_timestamp"]);

const NUMERIC_OPS: Comparator[] = ["<", "<=", ">", ">=", "=", "!="];
const STRING_OPS: Comparator[] = ["=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"];

/** The filter spelling of statuses (MLflow's LoggedModelStatus values) → the enum names we store. */
const STATUS_BY_NAME: Record<string, string> = {
  UNSPECIFIED: "LOGGED_MODEL_STATUS_UNSPECIFIED",
  PENDING: "LOGGED_MODEL_PENDING",
  READY: "LOGGED_MODEL_READY",
  FAILED: "LOGGED_MODEL_UPLOAD_FAILED",
  LOGGED_MODEL_STATUS_UNSPECIFIED: "LOGGED_MODEL_STATUS_UNSPECIFIED",
  LOGGED_MODEL_PENDING: "LOGGED_MODEL_PENDING",
  LOGGED_MODEL_READY: "LOGGED_MODEL_READY",
  LOGGED_MODEL_UPLOAD_FAILED: "LOGGED_MODEL_UPLOAD_FAILED",
};

export function canonicalAttribute(key: string): string {
  const name = Object.hasOwn(ALIASES, key) ? ALIASES[key] : key;
  if (!(LOGGED_MODEL_ATTRIBUTES as readonly string[]).includes(name)) {
    throw invalidParam(
      `Invalid attribute '${key}' for logged models. Valid attributes are ` +
        `'${LOGGED_MODEL_ATTRIBUTES.join("', '")}'.`,
    );
  }
  return name;
}

function splitEntity(identifier: string): { entity: LoggedModelEntity; key: string } {
  const m = /^([a-z]+)\.([\s\S]+)$/.exec(identifier);
  if (!m) return { entity: "attribute", key: canonicalAttribute(unquoteKey(identifier)) };
  const entity = Object.hasOwn(ENTITIES, m[1]) ? ENTITIES[m[1]] : undefined;
  if (entity === undefined) {
    throw invalidParam(
      `Invalid entity type: '${m[1]}'. Expected one of '${Object.keys(ENTITIES).join("', '")}'.`,
    );
  }
  const key = unquoteKey(m[2]);
  return { entity, key: entity === "attribute" ? canonicalAttribute(key) : key };
}

function statusValue(v: string): string {
  const s = STATUS_BY_NAME[v.toUpperCase()];
  if (s === undefined) throw invalidParam(`Unknown model status in filter: '${v}'`);
  return s;
}

function comparison(clause: RawClause): Comparison<LoggedModelEntity> {
  const { entity, key } = splitEntity(clause.identifier);
  const what = `${entity === "attribute" ? "attribute" : entity} '${key}'`;
  const numeric = entity === "metric" || (entity === "attribute" && LOGGED_MODEL_NUMERIC_ATTRIBUTES.has(key));
  if (numeric) {
    const op = checkComparator(clause.comparator, NUMERIC_OPS, what);
    return { entity, key, op, value: numberValue(clause.value, what) };
  }
  if (entity === "attribute" && key === "status") {
    const op = checkComparator(clause.comparator, ["=", "!=", "IN", "NOT IN"], what);
    const v = stringOrListValue(op, clause.value, what, true);
    return { entity, key, op, value: Array.isArray(v) ? v.map(statusValue) : statusValue(v) };
  }
  const op = checkComparator(clause.comparator, STRING_OPS, what);
  return { entity, key, op, value: stringOrListValue(op, clause.value, what, true) };
}

/** Parses a logged-models/search filter; empty matches every model. */
export function parseLoggedModelFilter(filter: string | undefined): LoggedModelFilter {
  return parseClauses(filter).map(comparison);
}

export interface OrderByMessage {
  field_name: string;
  ascending?: boolean;
  dataset_name?: string;
  dataset_digest?: string;
}

/** Order terms from the wire; only attributes and `metrics.<key>` can order logged models. */
export function parseLoggedModelOrder(items: readonly OrderByMessage[]): LoggedModelOrder {
  return items.map((ob) => {
    const ascending = ob.ascending ?? true;
    const dot = ob.field_name.indexOf(".");
    if (dot < 0) return { entity: "attribute", key: canonicalAttribute(ob.field_name), ascending };
    const entity = ob.field_name.slice(0, dot);
    if (entity !== "metrics") {
      throw invalidParam(`Invalid order by field name: ${ob.field_name}. Only metrics are supported.`);
    }
    const term: LoggedModelOrder[number] = {
      entity: "metric",
      key: unquoteKey(ob.field_name.slice(dot + 1)),
      ascending,
    };
    if (ob.dataset_name) term.datasetName = ob.dataset_name;
    if (ob.dataset_digest) term.datasetDigest = ob.dataset_digest;
    return term;
  });
}

export function parseDatasetRefs(items: readonly { dataset_name?: string; dataset_digest?: string }[]) {
  return items.map((d): DatasetRef => {
    if (!d.dataset_name) throw invalidParam("`dataset_name` in the `datasets` clause must be specified.");
    return d.dataset_digest
      ? { datasetName: d.dataset_name, datasetDigest: d.dataset_digest }
      : { datasetName: d.dataset_name };
  });
}
