// `params` of a request checked against the signature's params schema (MLflow's _enforce_params_schema):
// without a schema they are ignored; unknown keys are dropped, missing ones take their defaults, and values
// must have the declared type (ints widen to floats).

import { ScoringError } from "./errors.ts";
import type { ParamSpec } from "./signature.ts";

function checkScalar(value: unknown, spec: ParamSpec): string | undefined {
  const t = spec.type;
  const isInt = typeof value === "number" && Number.isInteger(value);
  switch (t) {
    case "boolean":
      return typeof value === "boolean" ? undefined : "expected a boolean";
    case "integer":
    case "long":
      return isInt ? undefined : "expected an integer";
    case "float":
    case "double":
      return typeof value === "number" ? undefined : "expected a number";
    case "string":
    case "binary":
      return typeof value === "string" ? undefined : "expected a string";
    case "datetime":
      return typeof value === "string" && !Number.isNaN(Date.parse(value))
        ? undefined
        : "expected a datetime";
    default:
      return undefined;
  }
}

export function enforceParams(params: unknown, schema: ParamSpec[] | undefined): Record<string, unknown> {
  if (schema === undefined) return {};
  const given = params ?? {};
  if (typeof given !== "object" || Array.isArray(given) || given === null) {
    throw new ScoringError(
      "INVALID_PARAMETER_VALUE",
      `Parameters must be a dictionary. Got type '${Array.isArray(given) ? "list" : typeof given}'.`,
    );
  }
  const out: Record<string, unknown> = {};
  const bad: string[] = [];
  for (const spec of schema) {
    if (!(spec.name in given)) {
      out[spec.name] = spec.default;
      continue;
    }
    const v = (given as Record<string, unknown>)[spec.name];
    const values = spec.shape === null ? [v] : Array.isArray(v) ? v.flat(Infinity) : [undefined];
    const why = v === null ? undefined : values.map((x) => checkScalar(x, spec)).find((w) => w !== undefined);
    if (why) bad.push(`('${spec.name}', '${why}, got ${JSON.stringify(v)}')`);
    else out[spec.name] = v;
  }
  if (bad.length > 0) {
    throw new ScoringError("INVALID_PARAMETER_VALUE", `Invalid parameters found: {${bad.join(", ")}}`);
  }
  return out;
}
