// One line of a FileStore metric file: `<timestamp> <value> <step>`, optionally followed by
// `<dataset_name> <dataset_digest>`; files from old MLflow versions hold `<timestamp> <value>` (step 0).
// Values are Python float reprs (`0.5`, `1e-05`, `nan`, `inf`, `-inf`), which MLflow reads back with float().

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
  const base = `${Math.trunc(m.timestamp)} ${formatPyFloat(m.value)} ${Math.trunc(m.step)}`;
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
