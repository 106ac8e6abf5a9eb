// MLflow's input rules (mlflow/utils/validation.py): key syntax, lengths, batch limits, names, ids and
// artifact locations. Lengths count code points, as Python's len() does. Messages follow MLflow's wording
// because users and tests read them.

import { invalidParam } from "../errors.ts";
import type { DatasetInput, Metric, Tag } from "../store/types.ts";
import { pyFloat, pyJsonDumps, pyRepr } from "./python-format.ts";

export const MAX_ENTITY_KEY_LENGTH = 250;
export const MAX_PARAM_VAL_LENGTH = 6000;
export const MAX_TAG_VAL_LENGTH = 8000;
export const MAX_EXPERIMENT_NAME_LENGTH = 500;
export const MAX_EXPERIMENT_TAG_KEY_LENGTH = 250;
// mlflow 3.18 raised this from 5000; the pinned client is the reference.
export const MAX_EXPERIMENT_TAG_VAL_LENGTH = 20000;
export const MAX_PARAMS_TAGS_PER_BATCH = 100;
export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_ENTITIES_PER_BATCH = 1000;
export const MAX_ARTIFACT_LOCATION_LENGTH = 2048;
export const MAX_DATASET_NAME_SIZE = 500;
export const MAX_DATASET_DIGEST_SIZE = 36;
export const MAX_DATASET_SOURCE_SIZE = 65535;
export const MAX_DATASET_SCHEMA_SIZE = 1048575;
export const MAX_DATASET_PROFILE_SIZE = 16777215;
export const MAX_INPUT_TAG_KEY_SIZE = 255;
export const MAX_INPUT_TAG_VALUE_SIZE = 500;
export const SEARCH_MAX_RESULTS_THRESHOLD = 50000;
export const MAX_CUSTOM_VIEWS_PER_EXPERIMENT = 50;
export const CUSTOM_VIEW_TAG_PREFIX = "mlflow.customView.view";

// Python's `\w` on str is exactly letters, numbers and "_" (checked against CPython 3.11 over all code points).
const KEY_RE = /^[\p{L}\p{N}_/. \-:]*$/u;
const RUN_ID_RE = /^[a-zA-Z0-9][\p{L}\p{N}_-]{0,255}$/u;
const EXPERIMENT_ID_RE = /^[a-zA-Z0-9][\p{L}\p{N}_-]{0,63}$/u;

const BAD_CHARACTERS = "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), " +
  "spaces ( ), colon(:) and slashes (/).";

/** Length as Python counts it (code points, not UTF-16 units). */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function truncateCodePoints(s: string, limit: number): string {
  let out = "";
  let n = 0;
  for (const ch of s) {
    if (n++ === limit) break;
    out += ch;
  }
  return out;
}

/** Python's posixpath.normpath. */
export function normpath(path: string): string {
  if (path === "") return ".";
  const initialSlashes = path.startsWith("//") && !path.startsWith("///") ? 2 : path.startsWith("/") ? 1 : 0;
  const out: string[] = [];
  for (const comp of path.split("/")) {
    if (comp === "" || comp === ".") continue;
    if (comp !== ".." || (!initialSlashes && out.length === 0) || out.at(-1) === "..") out.push(comp);
    else if (out.length) out.pop();
  }
  return "/".repeat(initialSlashes) + out.join("/") || ".";
}

/** The hint MLflow appends to its request parameter errors. */
export const API_DOCS_HINT = " See the API docs for more information about request parameters.";

/** MLflow's 400 for a required request parameter that is absent or empty. */
export function missingParam(field: string) {
  return invalidParam(`Missing value for required parameter '${field}'.${API_DOCS_HINT}`);
}

export function invalidValue(path: string, value: unknown, message?: string): string {
  const v = pyJsonDumps(value, true);
  return message
    ? `Invalid value ${v} for parameter '${path}' supplied: ${message}`
    : `Invalid value ${v} for parameter '${path}' supplied.`;
}

const joinPath = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);

/** True when a key would name a different file than itself (MLflow's path_not_unique). */
export function keyPathIsAmbiguous(name: string): boolean {
  const norm = normpath(name);
  return norm !== name || norm === "." || norm.startsWith("..") || norm.startsWith("/");
}

/** Checks a metric, param or tag key: allowed characters and the file-path rule. */
export function validateKeyName(name: string, path: string): void {
  if (!KEY_RE.test(name)) throw invalidParam(invalidValue(path, name, BAD_CHARACTERS));
  if (keyPathIsAmbiguous(name)) {
    throw invalidParam(invalidValue(
      path,
      name,
      "Names may be treated as files in certain cases, and must not resolve to other names when " +
        `treated as such. This name would resolve to ${pyRepr(normpath(name))}`,
    ));
  }
}

/**
 * Enforces a length limit in code points; with `truncate` (MLFLOW_TRUNCATE_LONG_VALUES) an over-long value
 * is cut to the limit instead of rejected.
 */
export function limitLength(entity: string, limit: number, value: string, truncate = false): string {
  // UTF-16 length bounds the code-point count from above, so short strings skip the count.
  if (value.length <= limit || codePointLength(value) <= limit) return value;
  if (truncate) return truncateCodePoints(value, limit);
  throw invalidParam(`'${entity}' exceeds the maximum length of ${limit} characters`);
}

/** Validation knobs that come from the server's environment. */
export interface ValidationOptions {
  /** MLFLOW_TRUNCATE_LONG_VALUES: cut long param/tag values instead of rejecting them. */
  truncateLongValues: boolean;
}

export function validateMetric(m: Metric, prefix = ""): void {
  validateKeyName(m.key, joinPath(prefix, "name"));
  if (typeof m.value !== "number") {
    throw invalidParam(invalidValue(
      joinPath(prefix, "value"),
      m.value,
      `(timestamp=${m.timestamp}). Please specify value as a valid double (64-bit floating point)`,
    ));
  }
  if (!Number.isInteger(m.timestamp) || m.timestamp < 0) {
    throw invalidParam(invalidValue(
      joinPath(prefix, "timestamp"),
      m.timestamp,
      `metric '${m.key}' (value=${pyFloat(m.value)}). Timestamp must be a nonnegative long (64-bit integer) `,
    ));
  }
  if (!Number.isInteger(m.step)) {
    throw invalidParam(invalidValue(
      joinPath(prefix, "step"),
      m.step,
      `metric '${m.key}' (value=${pyFloat(m.value)}). Step must be a valid long (64-bit integer).`,
    ));
  }
  limitLength("Metric name", MAX_ENTITY_KEY_LENGTH, m.key);
}

/** Returns the param with its value truncated when allowed. */
export function validateParam(p: Tag, opts: ValidationOptions, prefix = ""): Tag {
  validateKeyName(p.key, joinPath(prefix, "key"));
  return {
    key: limitLength("Param key", MAX_ENTITY_KEY_LENGTH, p.key),
    value: limitLength("Param value", MAX_PARAM_VAL_LENGTH, p.value, opts.truncateLongValues),
  };
}

/** Returns the run tag with its value truncated when allowed. */
export function validateRunTag(t: Tag, opts: ValidationOptions, prefix = ""): Tag {
  validateKeyName(t.key, joinPath(prefix, "key"));
  return {
    key: limitLength(joinPath(prefix, "key"), MAX_ENTITY_KEY_LENGTH, t.key),
    value: limitLength(joinPath(prefix, "value"), MAX_TAG_VAL_LENGTH, t.value, opts.truncateLongValues),
  };
}

export function validateExperimentTag(t: Tag): void {
  validateKeyName(t.key, "key");
  limitLength("key", MAX_EXPERIMENT_TAG_KEY_LENGTH, t.key);
  limitLength("value", MAX_EXPERIMENT_TAG_VAL_LENGTH, t.value);
}

export function countCustomViews(tags: Iterable<{ key: string }>): number {
  let n = 0;
  for (const t of tags) if (t.key.startsWith(CUSTOM_VIEW_TAG_PREFIX)) n++;
  return n;
}

export function customViewLimitError(experimentId?: string) {
  const ref = experimentId ? ` for experiment ${experimentId}` : "";
  return invalidParam(
    `Unable to create another custom view${ref}; the maximum number of custom views per experiment is ` +
      `${MAX_CUSTOM_VIEWS_PER_EXPERIMENT}. Delete an existing custom view before creating a new one.`,
  );
}

export function validateExperimentName(name: string): void {
  if (name.trim() === "") throw invalidParam(`Invalid experiment name: '${name}'`);
  limitLength("name", MAX_EXPERIMENT_NAME_LENGTH, name);
}

export function validateRunId(runId: string, path = "run_id"): void {
  if (!RUN_ID_RE.test(runId)) throw invalidParam(invalidValue(path, runId));
}

export function validateExperimentId(id: string): void {
  if (!EXPERIMENT_ID_RE.test(id)) throw invalidParam(`Invalid experiment ID: '${id}'`);
}

function batchLimit(entity: string, limit: number, length: number): void {
  if (length > limit) {
    throw invalidParam(
      `A batch logging request can contain at most ${limit} ${entity}. Got ${length} ${entity}. ` +
        `Please split up ${entity} across multiple requests and try again.`,
    );
  }
}

export function validateBatchLimits(metrics: number, params: number, tags: number): void {
  batchLimit("metrics", MAX_METRICS_PER_BATCH, metrics);
  batchLimit("params", MAX_PARAMS_TAGS_PER_BATCH, params);
  batchLimit("tags", MAX_PARAMS_TAGS_PER_BATCH, tags);
  batchLimit("metrics, params, and tags", MAX_ENTITIES_PER_BATCH, metrics + params + tags);
}

export function validateParamKeysUnique(params: Tag[]): void {
  const seen = new Set<string>();
  const dupes: string[] = [];
  for (const p of params) {
    if (seen.has(p.key)) dupes.push(p.key);
    else seen.add(p.key);
  }
  if (dupes.length) {
    throw invalidParam(
      `Duplicate parameter keys have been submitted: [${dupes.map(pyRepr).join(", ")}]. Please ensure ` +
        "the request contains only one param value per param key.",
    );
  }
}

/**
 * Validates a whole log-batch before anything is written, in MLflow's order (entries, then limits, then
 * duplicate params). Returns params and tags with long values truncated.
 */
export function validateBatch(
  metrics: Metric[],
  params: Tag[],
  tags: Tag[],
  opts: ValidationOptions,
): { params: Tag[]; tags: Tag[] } {
  metrics.forEach((m, i) => validateMetric(m, `metrics[${i}]`));
  const outParams = params.map((p, i) => validateParam(p, opts, `params[${i}]`));
  const outTags = tags.map((t, i) => validateRunTag(t, opts, `tags[${i}]`));
  validateBatchLimits(metrics.length, params.length, tags.length);
  validateParamKeysUnique(outParams);
  return { params: outParams, tags: outTags };
}

export function validateDatasetInputs(inputs: DatasetInput[]): void {
  const tooLong = (field: string, limit: number) =>
    invalidParam(`'${field}' exceeds the maximum length of ${limit} characters`);
  for (const { dataset: d, tags } of inputs) {
    if (codePointLength(d.name) > MAX_DATASET_NAME_SIZE) throw tooLong("name", MAX_DATASET_NAME_SIZE);
    if (codePointLength(d.digest) > MAX_DATASET_DIGEST_SIZE) throw tooLong("digest", MAX_DATASET_DIGEST_SIZE);
    if (codePointLength(d.source) > MAX_DATASET_SOURCE_SIZE) throw tooLong("source", MAX_DATASET_SOURCE_SIZE);
    if (d.schema !== undefined && codePointLength(d.schema) > MAX_DATASET_SCHEMA_SIZE) {
      throw tooLong("schema", MAX_DATASET_SCHEMA_SIZE);
    }
    if (d.profile !== undefined && codePointLength(d.profile) > MAX_DATASET_PROFILE_SIZE) {
      throw tooLong("profile", MAX_DATASET_PROFILE_SIZE);
    }
    for (const t of tags) {
      if (codePointLength(t.key) > MAX_INPUT_TAG_KEY_SIZE) throw tooLong("key", MAX_INPUT_TAG_KEY_SIZE);
      if (codePointLength(t.value) > MAX_INPUT_TAG_VALUE_SIZE) {
        throw tooLong("value", MAX_INPUT_TAG_VALUE_SIZE);
      }
    }
  }
}

/** MLflow's _validate_max_results_param for searches. */
export function validateSearchMaxResults(maxResults: number): void {
  if (maxResults < 1) {
    throw invalidParam(
      `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be a positive integer`,
    );
  }
  if (maxResults > SEARCH_MAX_RESULTS_THRESHOLD) {
    throw invalidParam(
      `Invalid value ${maxResults} for parameter 'max_results' supplied. It must be at most ` +
        `${SEARCH_MAX_RESULTS_THRESHOLD}`,
    );
  }
}
