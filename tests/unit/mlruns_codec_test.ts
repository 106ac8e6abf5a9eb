// meta.yaml and metric-line codecs against what PyYAML and Python's float repr produce (expected values
// were taken from mlflow 3.18's own files and from Python 3.11).

import nodeAssert from "node:assert/strict";
import { dumpYaml, parseYaml, pyRepr } from "../../src/interchange/filestore/yaml.ts";
import {
  formatMetricLine,
  MetricLineError,
  parseMetricLine,
  parsePyFloat,
} from "../../src/interchange/filestore/metric-line.ts";
import { readExperimentMeta, readRunMeta, runMetaDoc } from "../../src/interchange/filestore/meta.ts";

const assertEquals = <V>(actual: V, expected: V, msg?: string) =>
  nodeAssert.deepStrictEqual(actual, expected, msg);

Deno.test("pyRepr matches Python's repr of floats", () => {
  const cases: [number, string][] = [
    [0.5, "0.5"],
    [1e-5, "1e-05"],
    [1e16, "1e+16"],
    [123, "123.0"],
    [1e15, "1000000000000000.0"],
    [0.0001, "0.0001"],
    [1.5e-7, "1.5e-07"],
    [-2.5, "-2.5"],
    [1 / 3, "0.3333333333333333"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [12345678901234567890, "1.2345678901234567e+19"],
    [1e22, "1e+22"],
    [-0, "-0.0"],
    [0, "0.0"],
  ];
  for (const [x, want] of cases) assertEquals(pyRepr(x), want, `repr(${x})`);
});

Deno.test("metric lines: 3-field, legacy 2-field, 5-field with dataset, non-finite values", () => {
  assertEquals(parseMetricLine("k", "1700000000000 0.5 3\n"), {
    key: "k",
    timestamp: 1700000000000,
    value: 0.5,
    step: 3,
  });
  assertEquals(parseMetricLine("k", "17 1e-05"), { key: "k", timestamp: 17, value: 1e-5, step: 0 });
  assertEquals(parseMetricLine("k", "17 2.0 4 train abc123"), {
    key: "k",
    timestamp: 17,
    value: 2,
    step: 4,
    datasetName: "train",
    datasetDigest: "abc123",
  });
  nodeAssert.ok(Number.isNaN(parseMetricLine("k", "1 nan 0").value));
  assertEquals(parseMetricLine("k", "1 inf 0").value, Infinity);
  assertEquals(parseMetricLine("k", "1 -inf 0").value, -Infinity);
  assertEquals(parseMetricLine("k", "1 -Infinity 0").value, -Infinity);
  assertEquals(parseMetricLine("k", "1 NaN 0").value, NaN);
  assertEquals(parsePyFloat("1_000.5"), 1000.5);
  for (const bad of ["1", "1 2 3 4", "x 1 0", "1 0x10 0", "1 1.5 z", ""]) {
    nodeAssert.throws(() => parseMetricLine("k", bad), MetricLineError, bad);
  }
});

Deno.test("metric lines are written the way MLflow writes them", () => {
  const m = (value: number, extra = {}) => ({ key: "k", timestamp: 17, step: 2, value, ...extra });
  assertEquals(formatMetricLine(m(0.5)), "17 0.5 2\n");
  assertEquals(formatMetricLine(m(NaN)), "17 nan 2\n");
  assertEquals(formatMetricLine(m(Infinity)), "17 inf 2\n");
  assertEquals(formatMetricLine(m(-Infinity)), "17 -inf 2\n");
  assertEquals(formatMetricLine(m(3)), "17 3.0 2\n");
  assertEquals(formatMetricLine(m(1e-5)), "17 1e-05 2\n");
  assertEquals(formatMetricLine(m(1, { datasetName: "d", datasetDigest: "x1" })), "17 1.0 2 d x1\n");
  // A dataset name with a space would make an unreadable line; it is left out.
  assertEquals(formatMetricLine(m(1, { datasetName: "a b", datasetDigest: "x1" })), "17 1.0 2\n");
  for (const v of [0.1, 1e300, -7.25e-9, NaN, Infinity]) {
    const back = parseMetricLine("k", formatMetricLine(m(v)));
    nodeAssert.ok(Object.is(back.value, v) || (Number.isNaN(v) && Number.isNaN(back.value)));
  }
});

Deno.test("YAML: strings PyYAML would read as something else are quoted; plain ones are not", () => {
  const doc = dumpYaml({
    experiment_id: "123456789012345678",
    name: "on",
    a: "2024-01-01",
    b: "1:20",
    c: "010",
    d: "",
    e: null,
    f: "y",
    g: "1e5",
    h: "=",
    i: "héllo",
    j: "a: b",
    k: 1700000000000,
    l: [],
    m: {},
  });
  assertEquals(
    doc,
    [
      "a: '2024-01-01'",
      "b: '1:20'",
      "c: '010'",
      "d: ''",
      "e: null",
      "experiment_id: '123456789012345678'",
      "f: y",
      "g: 1e5",
      "h: '='",
      "i: héllo",
      "j: 'a: b'",
      "k: 1700000000000",
      "l: []",
      "m: {}",
      "name: 'on'",
      "",
    ].join("\n"),
  );
});

Deno.test("YAML: plain scalars are typed as PyYAML types them", () => {
  const v = parseYaml(
    "id: 123456789012345678\nname: yes\nt: 1700000000000\nn: null\nx: 2024-01-01\ns: '010'\no: 010\n" +
      "y: y\nexp: 1e5\nf: 1.5e+3\ninf: -.inf\nempty:\n",
  );
  assertEquals(v, {
    id: 123456789012345678n,
    name: true,
    t: 1700000000000,
    n: null,
    x: "2024-01-01",
    s: "010",
    o: 8,
    y: "y",
    exp: "1e5",
    f: 1500,
    inf: -Infinity,
    empty: null,
  });
});

Deno.test("meta.yaml: old forms are read (int ids, run_uuid only, no stage/status)", () => {
  const e = readExperimentMeta(
    parseYaml("experiment_id: 123456789012345678\nname: old\nartifact_location: /x\n"),
  );
  assertEquals(e.experimentId, "123456789012345678");
  assertEquals(e.lifecycleStage, "active");
  const r = readRunMeta(parseYaml("run_uuid: abc\nexperiment_id: 1\nuser_id: u\nstart_time: 5\n"));
  assertEquals([r.runId, r.experimentId, r.status, r.lifecycleStage, r.endTime], [
    "abc",
    "1",
    "RUNNING",
    "active",
    undefined,
  ]);
  nodeAssert.throws(() => readRunMeta(parseYaml("experiment_id: '1'\n")), /run_id/);
  nodeAssert.throws(() => readRunMeta(parseYaml("run_id: a\nexperiment_id: '1'\nstatus: 9\n")), /status/);
});

Deno.test("run meta.yaml carries both run_id and run_uuid and an integer status", () => {
  const text = dumpYaml(runMetaDoc({
    runId: "r1",
    experimentId: "123456789012345678",
    runName: "n",
    userId: "u",
    status: "FINISHED",
    startTime: 1,
    endTime: 2,
    lifecycleStage: "active",
    artifactUri: "file:///x/r1/artifacts",
  }));
  nodeAssert.match(text, /^run_id: r1$/m);
  nodeAssert.match(text, /^run_uuid: r1$/m);
  nodeAssert.match(text, /^status: 3$/m);
  nodeAssert.match(text, /^deleted_time: null$/m);
  nodeAssert.match(text, /^experiment_id: '123456789012345678'$/m);
  const back = readRunMeta(parseYaml(text));
  assertEquals([back.status, back.endTime, back.experimentId], ["FINISHED", 2, "123456789012345678"]);
});
