// JSON forms of the stored documents. Compact tuples keep 10k-run scans cheap to parse;
// non-finite metric values are written as strings because JSON has no NaN.

import { finiteOrString, parseDouble } from "../../api/json.ts";
import type { Experiment, Metric, RunRecord } from "../types.ts";

type MetricTuple = [
  key: string,
  value: number | string,
  timestamp: number,
  step: number,
  extras?: ExtrasJson,
];
interface ExtrasJson {
  dn?: string;
  dd?: string;
  mi?: string;
}

interface RunDoc {
  i: RunRecord["info"];
  p: [string, string][];
  t: [string, string][];
  m: MetricTuple[];
  in?: RunRecord["inputs"];
  out?: RunRecord["outputs"];
}

export function encodeRun(r: RunRecord): string {
  const doc: RunDoc = {
    i: r.info,
    p: [...r.params],
    t: [...r.tags],
    m: [...r.metrics.values()].map(metricTuple),
  };
  if (r.inputs.datasetInputs.length || r.inputs.modelInputs.length) doc.in = r.inputs;
  if (r.outputs.modelOutputs.length) doc.out = r.outputs;
  return JSON.stringify(doc);
}

export function decodeRun(json: string): RunRecord {
  const d = JSON.parse(json) as RunDoc;
  return {
    info: d.i,
    params: new Map(d.p),
    tags: new Map(d.t),
    metrics: new Map(d.m.map((t) => [t[0], tupleMetric(t)])),
    inputs: d.in ?? { datasetInputs: [], modelInputs: [] },
    outputs: d.out ?? { modelOutputs: [] },
  };
}

function metricTuple(m: Metric): MetricTuple {
  const t: MetricTuple = [m.key, finiteOrString(m.value), m.timestamp, m.step];
  if (m.datasetName !== undefined || m.datasetDigest !== undefined || m.modelId !== undefined) {
    t.push({ dn: m.datasetName, dd: m.datasetDigest, mi: m.modelId });
  }
  return t;
}

function tupleMetric(t: MetricTuple): Metric {
  const m: Metric = { key: t[0], value: parseDouble(t[1]) ?? NaN, timestamp: t[2], step: t[3] };
  const x = t[4];
  if (x) {
    if (x.dn !== undefined) m.datasetName = x.dn;
    if (x.dd !== undefined) m.datasetDigest = x.dd;
    if (x.mi !== undefined) m.modelId = x.mi;
  }
  return m;
}

export function encodeExperiment(e: Experiment): string {
  return JSON.stringify(e);
}

export function decodeExperiment(json: string): Experiment {
  return JSON.parse(json) as Experiment;
}
