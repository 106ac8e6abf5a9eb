// zod building blocks for MLflow's proto-JSON field types. Query strings deliver everything as strings,
// and the Python client may send int64 as strings, so numeric fields accept both forms.

import { z } from "zod";
import { parseDouble } from "./json.ts";

/** Marks an issue as "required field missing" so the error reads like MLflow's. */
const MISSING = "__missing__";

/** Optional string. Numbers are rejected (MLflow: "Invalid value 31 for parameter 'run_id'"). */
export const str = () => z.string();

/** Required string: absent or empty counts as missing. */
export const reqStr = () =>
  z.string({ error: (iss) => (iss.input === undefined || iss.input === null ? MISSING : undefined) })
    .refine((s) => s.length > 0, { message: MISSING });

// zod's .int() stops at 2^53; int64 fields (steps, timestamps) go beyond it, so any integral number passes.
const integral = () => z.number().refine(Number.isInteger);

export const int64 = () =>
  z.union([integral(), z.string().regex(/^\s*-?\d+\s*$/)]).transform((v) => Number(v));

export const reqInt64 = () =>
  z.union([integral(), z.string().regex(/^\s*-?\d+\s*$/)], {
    error: (iss) => (iss.input === undefined || iss.input === null ? MISSING : undefined),
  }).transform((v) => Number(v));

const doubleBase = (required: boolean) =>
  z.custom<number>(
    (v) => (required || v !== undefined) && typeof v !== "boolean" && parseDouble(v) !== undefined,
    {
      error: (iss) => (iss.input === undefined || iss.input === null ? MISSING : undefined),
    },
  ).transform((v) => parseDouble(v) as number);

export const double = () => doubleBase(false).optional();
export const reqDouble = () => doubleBase(true);

export const bool = () =>
  z.union([z.boolean(), z.string().regex(/^(true|false)$/i)]).transform((v) =>
    typeof v === "boolean" ? v : v.toLowerCase() === "true"
  );

/** Set while a query string is being parsed (schemas parse synchronously, so a flag is safe). */
let parsingQuery = false;

/** Parses with query-string rules: a repeated field given once arrives as a single string. */
export function parseQuery<S extends z.ZodType>(schema: S, raw: unknown): z.ZodSafeParseResult<z.output<S>> {
  parsingQuery = true;
  try {
    return schema.safeParse(raw);
  } finally {
    parsingQuery = false;
  }
}

/**
 * Repeated field. In a GET query one value arrives as a plain string; in a JSON body it must be a list,
 * as MLflow's proto parser requires (`"order_by": "x"` is a 400 there).
 */
export const repeated = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) => (v === undefined || v === null ? [] : parsingQuery && !Array.isArray(v) ? [v] : v),
    z.array(item),
  );

/** Enum by name or number, normalised to the name. */
export function enumField<N extends string>(numbers: Record<N, number>) {
  const byNumber = new Map(Object.entries(numbers).map(([k, v]) => [String(v), k as N]));
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    const s = String(v).trim();
    const name = (s.toUpperCase() in numbers ? s.toUpperCase() : byNumber.get(s)) as N | undefined;
    if (name === undefined) {
      ctx.addIssue({ code: "custom", message: `Invalid value ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return name;
  });
}

export const tagSchema = z.object({ key: reqStr(), value: z.string().optional().default("") });

/** Formats a zod error as MLflow formats a request validation failure. */
export function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = formatPath(issue.path);
  const value = valueAt(input, issue.path);
  if (issue.message === MISSING || value === undefined) {
    return `Missing value for required parameter '${path}'. See the API docs for more information about request parameters.`;
  }
  return `Invalid value ${JSON.stringify(value)} for parameter '${path}' supplied. ` +
    `See the API docs for more information about request parameters.`;
}

function formatPath(path: PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let cur: unknown = input;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[p];
  }
  return cur;
}
