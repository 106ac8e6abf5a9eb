// One line of a FileStore metric file: `<timestamp> <value> <step>`, optionally followed by
// `<dataset_name> <dataset_digest>`; files from old MLflow versions hold `<timestamp> <value>` (step 0).
// Values are Python float reprs (`0.5`, `1e-05`, `nan`, `inf`, `-inf`), which MLflow reads back with float().

import type { ModelMetric } from "../../store/model-types.ts";
import type { Metric } from "../../store/types.ts";
import { pyRepr } from "./yaml.ts";

export class MetricLineError extends Error {}

const INT = /^[+-]?\d+(?:_\d+)*$/;
// What Python's float() accepts, minus hex and other forms it rejects too.
const FLOAT = /^[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*|\d+(?:_\d+)*\.)(?:e[+-]?\d+(?:_\d+)*)?$/i;
const NON_FINITE: Record<string, number> = {
  nan: NaN,
  inf: Infinity,
  infinity: Infinity,
};

const PLAIN_INT = /^-?\d+$/;
const PLAIN_FLOAT = /^-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/;

export function parsePyInt(text: string): number {
  if (PLAIN_INT.test(text)) return Number(text); // what MLflow writes; the rest is rare
  if (!INT.test(text)) throw new MetricLineError(`not an integer: '${text}'`);
  return Number(text.replaceAll("_", ""));
}

/** Python's float(): decimal forms plus nan/inf/infinity in any case, with an optional sign. */
export function parsePyFloat(text: string): number {
  if (PLAIN_FLOAT.test(text)) return Number(text);
  const lower = text.toLowerCase();
  const sign = lower.startsWith("-") ? -1 : 1;
  const unsigned = lower.replace(/^[+-]/, "");
  if (unsigned in NON_FINITE) return unsigned === "nan" ? NaN : sign * NON_FINITE[unsigned];
  if (!FLOAT.test(text)) throw new MetricLineError(`not a number: '${text}'`);
  return Number(text.replaceAll("_", ""));
}

/** Python's `str(float)`, which is what MLflow writes; NaN and ±Infinity as `nan`, `inf`, `-inf`. */
export function formatPyFloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return pyRepr(x);
}

/** Parses one line of `metrics/<key>`; throws MetricLineError when it is not 2, 3 or 5 fields. */
export function parseMetricLine(key: string, line: string): Metric {
  const parts = line.trim().split(" ");
  if (parts.length !== 2 && parts.length !== 3 && parts.length !== 5) {
    throw new MetricLineError(`expected 2, 3 or 5 fields, found ${parts.length}`);
  }
  const m: Metric = {
    key,
    timestamp: parsePyInt(parts[0]),
    value: parsePyFloat(parts[1]),
    // MLflow's own reader drops the step of 5-field lines (it reads 0); the step is in the file, so keep it.
    step: parts.length >= 3 ? parsePyInt(parts[2]) : 0,
  };
  if (parts.length === 5) {
    m.datasetName = parts[3];
    m.datasetDigest = parts[4];
  }
  return m;
}

/** The line MLflow's FileStore writes for `m`, newline included. */
export function formatMetricLine(m: Metric): string {
  return withDataset(`${Math.trunc(m.timestamp)} ${formatPyFloat(m.value)} ${Math.trunc(m.step)}`, m);
}

/** `base` and the point's dataset fields when it has both, then the newline. */
function withDataset(base: string, m: Metric | ModelMetric): string {
  // A field holding a space or newline would break the line format; MLflow would write it anyway and
  // then fail to read it back, so such dataset fields are left out.
  if (
    m.datasetName !== undefined && m.datasetDigest !== undefined &&
    /^\S+$/.test(m.datasetName) && /^\S+$/.test(m.datasetDigest)
  ) {
    return `${base} ${m.datasetName} ${m.datasetDigest}\n`;
  }
  return base + "\n";
}

/**
 * One line of a logged model's `metrics/<key>`: `<timestamp> <value> <step> <run_id>`, optionally followed
 * by `<dataset_name> <dataset_digest>` (MLflow 3 writes the run that logged the point into the line).
 */
export function parseModelMetricLine(key: string, line: string): ModelMetric {
  const parts = line.trim().split(" ");
  if (parts.length !== 4 && parts.length !== 6) {
    throw new MetricLineError(`expected 4 or 6 fields, found ${parts.length}`);
  }
  const m: ModelMetric = {
    key,
    timestamp: parsePyInt(parts[0]),
    value: parsePyFloat(parts[1]),
    step: parsePyInt(parts[2]),
  };
  if (parts[3] !== "None") m.runId = parts[3];
  if (parts.length === 6) {
    m.datasetName = parts[4];
    m.datasetDigest = parts[5];
  }
  return m;
}

/** The line MLflow writes for a logged model's metric point (run id `None` when unknown, as Python prints it). */
export function formatModelMetricLine(m: ModelMetric): string {
  const base = `${Math.trunc(m.timestamp)} ${formatPyFloat(m.value)} ${Math.trunc(m.step)} ${
    m.runId ?? "None"
  }`;
  return withDataset(base, m);
}
