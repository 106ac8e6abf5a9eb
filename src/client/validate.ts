// Checks at the client's edge, so that a point the batcher accepts can later be sent: a bad metric throws
// at logMetric, not seconds later inside a batch that the server would refuse whole. Rules: spec §4.

import { z } from "zod";
import { TrackerError } from "./errors.ts";
import type { Metric, Tag } from "./types.ts";

const MAX_KEY = 250;
// Python's \w on str: letters, digits and "_".
const KEY_RE = /^[\p{L}\p{N}_/. \-:]*$/u;

function keyProblem(key: string): string | undefined {
  if (key === "") return "must not be empty";
  if ([...key].length > MAX_KEY) return `must be at most ${MAX_KEY} characters`;
  if (!KEY_RE.test(key)) {
    return "may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) " +
      "and slashes (/)";
  }
  const parts = key.split("/");
  if (key.startsWith("/") || key.endsWith("/") || parts.some((p) => p === "" || p === "." || p === "..")) {
    return "must be a relative path without empty, '.' or '..' parts";
  }
  return undefined;
}

const key = z.string().superRefine((k, ctx) => {
  const problem = keyProblem(k);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const integer = z.number().refine(Number.isInteger, "must be an integer");

const metricInput = z.object({
  key,
  // z.number() refuses NaN and ±Infinity, which MLflow stores.
  value: z.custom<number>((v) => typeof v === "number", "must be a number (NaN and ±Infinity are allowed)"),
  step: integer.optional(),
  timestamp: integer.refine((t) => t >= 0, "must not be negative").optional(),
  datasetName: z.string().optional(),
  datasetDigest: z.string().optional(),
  modelId: z.string().optional(),
});

export type MetricInput = z.input<typeof metricInput>;

/** A metric ready to send; step defaults to 0 and timestamp to now. Throws INVALID_PARAMETER_VALUE. */
export function checkMetric(input: MetricInput, now: number): Metric {
  const r = metricInput.safeParse(input);
  if (!r.success) throw invalid(`metric '${String(input?.key)}'`, r.error);
  const m = r.data;
  const out: Metric = { key: m.key, value: m.value, step: m.step ?? 0, timestamp: m.timestamp ?? now };
  if (m.datasetName !== undefined) out.datasetName = m.datasetName;
  if (m.datasetDigest !== undefined) out.datasetDigest = m.datasetDigest;
  if (m.modelId !== undefined) out.modelId = m.modelId;
  return out;
}

/** A param or tag: the key is checked, the value turned into the string MLflow stores. */
export function checkKeyValue(kind: "param" | "tag", k: string, value: unknown): Tag {
  const r = key.safeParse(k);
  if (!r.success) throw invalid(`${kind} key '${k}'`, r.error);
  return { key: k, value: stringValue(value) };
}

/** Strings stay as they are; objects become JSON; everything else its String(). */
export function stringValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (value !== null && typeof value === "object" && !(value instanceof Date)) return JSON.stringify(value);
  return String(value);
}

function invalid(what: string, error: z.ZodError): TrackerError {
  const issue = error.issues[0];
  const field = issue?.path.length ? `${issue.path.join(".")} ` : "";
  return new TrackerError(
    `Invalid ${what}: ${field}${issue?.message ?? "invalid"}`,
    "INVALID_PARAMETER_VALUE",
  );
}
