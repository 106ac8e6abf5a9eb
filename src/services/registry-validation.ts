// MLflow's input rules for the model registry (mlflow/utils/validation.py): model names, tags, aliases,
// versions and stages, plus one rule of our own: names may not hold `%`, so a URL-encoded look-alike
// (`%6eame`) can never become a second model next to `name` (CVE-2024-3099).

import { invalidParam } from "../errors.ts";
import { MODEL_STAGES, type ModelStage } from "../store/model-types.ts";
import type { Tag } from "../store/types.ts";
import { pyRepr } from "./python-format.ts";
import {
  codePointLength,
  invalidValue,
  keyPathIsAmbiguous,
  missingParam,
  normpath,
  validateKeyName,
} from "./validation.ts";

export const MAX_REGISTRY_TAG_KEY_LENGTH = 250;
export const MAX_REGISTRY_TAG_VALUE_LENGTH = 100_000;
export const MAX_ALIAS_LENGTH = 255;
export const MAX_MODEL_NAME_LENGTH = 256;

export function validateModelName(name: string, field = "name"): void {
  if (name.trim() === "") throw missingParam(field);
  if (name.includes("/") || name.includes(":")) {
    throw invalidParam(`Invalid model name '${name}'. Names cannot contain '/' or ':'.`);
  }
  if (name.includes("\\")) {
    throw invalidParam(
      `Invalid model name '${name}'. Names cannot contain '\\' (a path separator on Windows).`,
    );
  }
  if (name.includes("%")) {
    throw invalidParam(
      `Invalid model name '${name}'. Names cannot contain '%': URL-encoded look-alikes of other names are ` +
        "refused.",
    );
  }
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) {
    throw invalidParam(`Invalid model name ${pyRepr(name)}: control characters.`);
  }
  if (codePointLength(name) > MAX_MODEL_NAME_LENGTH) {
    throw invalidParam(`'${field}' exceeds the maximum length of ${MAX_MODEL_NAME_LENGTH} characters`);
  }
  if (keyPathIsAmbiguous(name)) {
    throw invalidParam(invalidValue(
      field,
      name,
      "Names may be treated as files in certain cases, and must not resolve to other names when treated as " +
        `such. This name would resolve to ${pyRepr(normpath(name))}`,
    ));
  }
}

export function validateRegistryTag(tag: Tag): void {
  validateKeyName(tag.key, "key");
  if (codePointLength(tag.key) > MAX_REGISTRY_TAG_KEY_LENGTH) {
    throw invalidParam(`'key' exceeds the maximum length of ${MAX_REGISTRY_TAG_KEY_LENGTH} characters`);
  }
  if (codePointLength(tag.value) > MAX_REGISTRY_TAG_VALUE_LENGTH) {
    throw invalidParam(`'value' exceeds the maximum length of ${MAX_REGISTRY_TAG_VALUE_LENGTH} characters`);
  }
}

// Python's `[\w\-]` on str: letters, numbers, underscore and dash.
const ALIAS_RE = /^[\p{L}\p{N}_-]*$/u;

export function validateAliasName(alias: string): void {
  if (alias === "") throw invalidParam("Registered model alias name cannot be empty.");
  if (!ALIAS_RE.test(alias)) {
    throw invalidParam(
      `Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).`,
    );
  }
  if (codePointLength(alias) > MAX_ALIAS_LENGTH) {
    throw invalidParam(
      `'Registered model alias name' exceeds the maximum length of ${MAX_ALIAS_LENGTH} characters`,
    );
  }
}

/** Names a client may not set: `latest` (resolved by the server) and `v<digits>` (version shorthands). */
export function validateAliasNotReserved(alias: string): void {
  if (alias.toLowerCase() === "latest") {
    throw invalidParam("'latest' alias name (case insensitive) is reserved.");
  }
  if (/^[vV]\d+$/.test(alias)) throw invalidParam(`Version alias name '${alias}' is reserved.`);
}

/** A version as MLflow reads it (`int(version)`), normalised to its decimal string. */
export function parseVersion(version: string): string {
  const m = /^\s*([+-]?)(\d+)\s*$/.exec(version);
  if (!m) {
    throw invalidParam(
      `Parameter 'version' must be an integer, got '${version}'.`,
    );
  }
  const digits = m[2].replace(/^0+(?=\d)/, "");
  return m[1] === "-" && digits !== "0" ? `-${digits}` : digits;
}

/** Stage names are case-insensitive on input and canonical on output. */
export function canonicalStage(stage: string): ModelStage {
  const found = MODEL_STAGES.find((s) => s.toLowerCase() === stage.trim().toLowerCase());
  if (!found) {
    throw invalidParam(
      `Invalid Model Version stage: ${stage}. Value must be one of ${MODEL_STAGES.join(", ")}.`,
    );
  }
  return found;
}
