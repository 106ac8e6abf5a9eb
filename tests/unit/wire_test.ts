import assert from "node:assert/strict";
import { metricListJson, metricToWire } from "../../src/api/wire.ts";
import type { Metric, RunMetric } from "../../src/store/types.ts";

Deno.test("metricListJson writes exactly what metricToWire + JSON.stringify write", () => {
  const points: (Metric | RunMetric)[] = [
    { key: 'quote"and\\slash', value: NaN, timestamp: 1, step: 2 },
    {
      key: "k",
      value: -Infinity,
      timestamp: 3,
      step: -4,
      datasetName: "d\n",
      datasetDigest: "x",
      runId: "r",
    },
    { key: "k", value: Infinity, timestamp: 0, step: 0, modelId: "m-1" },
    { key: "k", value: 1e-7, timestamp: 5, step: 6 },
    { key: "ключ", value: -0, timestamp: 2 ** 52, step: 1.5e300 },
  ];
  assert.equal(metricListJson(points), JSON.stringify(points.map(metricToWire)));
  assert.equal(metricListJson([]), "[]");
});
