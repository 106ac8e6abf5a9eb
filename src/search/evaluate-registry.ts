// Filtering and ordering of registered models and model versions (MLflow's SQL registry store).
// Prompts (tag `mlflow.prompt.is_prompt` = "true") are registered models too; searches leave them out
// unless the filter asks for them through that tag.

import type { ModelVersion, RegisteredModel } from "../store/model-types.ts";
import type { Comparison } from "./ast.ts";
import type {
  ModelVersionFilter,
  RegisteredModelFilter,
  RegistryEntity,
  RegistryOrder,
} from "./ast-models.ts";
import { compareStrings } from "./compare.ts";
import { numberPredicate, stringPredicate } from "./predicates.ts";

export const IS_PROMPT_TAG = "mlflow.prompt.is_prompt";

const tagOf = (tags: { key: string; value: string }[], key: string) => tags.find((t) => t.key === key)?.value;

export function isPrompt(tags: { key: string; value: string }[]): boolean {
  return tagOf(tags, IS_PROMPT_TAG)?.toLowerCase() === "true";
}

/** Whether the filter selects prompts: `tags.mlflow.prompt.is_prompt = 'true'` or `!= 'false'`. */
function asksForPrompts(filter: Comparison<RegistryEntity>[]): boolean {
  const c = filter.find((x) => x.entity === "tag" && x.key === IS_PROMPT_TAG);
  if (!c || typeof c.value !== "string") return false;
  const v = c.value.toLowerCase();
  return (c.op === "=" && v === "true") || (c.op === "!=" && v === "false");
}

function tagPredicate(c: Comparison<RegistryEntity>) {
  const test = stringPredicate(c.op, c.value as string);
  return (tags: { key: string; value: string }[]) => {
    const v = tagOf(tags, c.key);
    // A model without the prompt tag is a plain model: it "equals false".
    if (v === undefined && c.key === IS_PROMPT_TAG) {
      return (c.op === "=" && c.value === "false") || (c.op === "!=" && c.value === "true");
    }
    return v !== undefined && test(v);
  };
}

export function compileRegisteredModelFilter(filter: RegisteredModelFilter): (m: RegisteredModel) => boolean {
  const tests = filter.map((c) => {
    if (c.entity === "tag") {
      const t = tagPredicate(c);
      return (m: RegisteredModel) => t(m.tags);
    }
    const t = stringPredicate(c.op, c.value as string | string[]);
    return (m: RegisteredModel) => t(m.name);
  });
  const prompts = asksForPrompts(filter);
  return (m) => (prompts || !isPrompt(m.tags)) && tests.every((t) => t(m));
}

/** `modelTags(name)` gives the registered model's tags, which decide whether a version is a prompt's. */
export function compileModelVersionFilter(
  filter: ModelVersionFilter,
  modelTags: (name: string) => { key: string; value: string }[],
): (v: ModelVersion) => boolean {
  const tests = filter.map((c) => {
    if (c.entity === "tag") {
      const t = tagPredicate(c);
      return (v: ModelVersion) => t(v.tags);
    }
    if (c.key === "version_number") {
      const t = numberPredicate(c.op, c.value as number);
      return (v: ModelVersion) => t(Number(v.version));
    }
    const t = stringPredicate(c.op, c.value as string | string[]);
    const get = c.key === "name"
      ? (v: ModelVersion) => v.name
      : c.key === "run_id"
      ? (v: ModelVersion) => v.runId
      : (v: ModelVersion) => v.source;
    return (v: ModelVersion) => {
      const x = get(v);
      return x !== undefined && t(x);
    };
  });
  const prompts = asksForPrompts(filter);
  return (v) => (prompts || !isPrompt(modelTags(v.name))) && tests.every((t) => t(v));
}

function cmpNum(a: number, b: number) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Registered models: the given order, then `name ASC` unless name is among it. */
export function compareRegisteredModels(
  order: RegistryOrder,
): (a: RegisteredModel, b: RegisteredModel) => number {
  const terms = [...order];
  if (!terms.some((t) => t.key === "name")) terms.push({ key: "name", ascending: true });
  return (a, b) => {
    for (const t of terms) {
      const c = t.key === "name"
        ? compareStrings(a.name, b.name)
        : t.key === "creation_timestamp"
        ? cmpNum(a.creationTimestamp, b.creationTimestamp)
        : cmpNum(a.lastUpdatedTimestamp, b.lastUpdatedTimestamp);
      if (c !== 0) return t.ascending ? c : -c;
    }
    return 0;
  };
}

export const DEFAULT_VERSION_ORDER: RegistryOrder = [
  { key: "last_updated_timestamp", ascending: false },
  { key: "name", ascending: true },
  { key: "version_number", ascending: false },
];

/** Model versions: the given order (default: updated DESC), then `name ASC`, `version DESC`. */
export function compareModelVersions(order: RegistryOrder): (a: ModelVersion, b: ModelVersion) => number {
  const terms = order.length ? [...order] : [...DEFAULT_VERSION_ORDER];
  if (!terms.some((t) => t.key === "name")) terms.push({ key: "name", ascending: true });
  if (!terms.some((t) => t.key === "version_number")) terms.push({ key: "version_number", ascending: false });
  return (a, b) => {
    for (const t of terms) {
      const c = t.key === "name"
        ? compareStrings(a.name, b.name)
        : t.key === "version_number"
        ? cmpNum(Number(a.version), Number(b.version))
        : t.key === "creation_timestamp"
        ? cmpNum(a.creationTimestamp, b.creationTimestamp)
        : cmpNum(a.lastUpdatedTimestamp, b.lastUpdatedTimestamp);
      if (c !== 0) return t.ascending ? c : -c;
    }
    return 0;
  };
}
