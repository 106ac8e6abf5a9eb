// MLflow's input rules as src/services implements them: key syntax (Unicode \w, path rule), code-point
// lengths and truncation, batch limits, names, ids, artifact locations, history sampling, run names and the
// log-model tag. Expected values were computed with CPython 3.11 / mlflow 3.18 where a formula is involved.

import nodeAssert from "node:assert/strict";
import { MlflowError } from "../../src/errors.ts";
import type { Metric, RunMetric, Tag } from "../../src/store/types.ts";
import {
  codePointLength,
  keyPathIsAmbiguous,
  limitLength,
  normpath,
  validateBatch,
  validateDatasetInputs,
  validateExperimentName,
  validateExperimentTag,
  validateKeyName,
  validateMetric,
  validateParam,
  validateParamKeysUnique,
  validateRunId,
  validateRunTag,
  validateSearchMaxResults,
} from "../../src/services/validation.ts";
import { resolveIfLocal, urlparse, validateArtifactLocation } from "../../src/services/artifact-location.ts";
import { evenlySpacedIndices, sampleHistories, sampleSteps } from "../../src/services/history-sampling.ts";
import { MAX_RUN_NAME_LENGTH, randomRunName } from "../../src/services/run-names.ts";
import { loggedModelHistoryEntry } from "../../src/services/logged-model-tag.ts";
import { pyFloat, pyJsonDumps, pyRepr, pyRound } from "../../src/services/python-format.ts";

const assertEquals = <V>(actual: V, expected: V, msg?: string) =>
  nodeAssert.deepStrictEqual(actual, expected, msg);

/** Asserts `fn` throws INVALID_PARAMETER_VALUE; returns the message. */
function invalid(fn: () => unknown, includes?: string): string {
  try {
    fn();
  } catch (e) {
    nodeAssert.ok(e instanceof MlflowError, `not an MlflowError: ${e}`);
    assertEquals(e.code, "INVALID_PARAMETER_VALUE");
    assertEquals(e.status, 400);
    if (includes !== undefined) nodeAssert.ok(e.message.includes(includes), `message: ${e.message}`);
    return e.message;
  }
  throw new Error("expected INVALID_PARAMETER_VALUE, nothing was thrown");
}

const TRUNCATE = { truncateLongValues: true };
const STRICT = { truncateLongValues: false };
const metric = (over: Partial<Metric> = {}): Metric => ({
  key: "m",
  value: 1,
  timestamp: 0,
  step: 0,
  ...over,
});

Deno.test("normpath matches posixpath.normpath", () => {
  const cases: [string, string][] = [
    ["", "."],
    ["a", "a"],
    ["a/", "a"],
    ["a//b", "a/b"],
    ["./a", "a"],
    ["../a", "../a"],
    ["/a", "/a"],
    ["//a", "//a"],
    ["///a", "/a"],
    ["a/./b", "a/b"],
    ["a/../b", "b"],
    ["../../x", "../../x"],
    ["a/b/..", "a"],
    [".", "."],
    ["..", ".."],
  ];
  for (const [input, want] of cases) assertEquals(normpath(input), want, input);
});

Deno.test("keys: Unicode letters and digits, _ / . - space : are allowed", () => {
  for (
    const k of [
      "a",
      "a/b",
      "a.b",
      "a-b",
      "a b",
      "a:b",
      "a_1",
      "日本語",
      "ключ",
      "über",
      "٣",
      "Ⅻ",
      "x/y.z-w v:1",
    ]
  ) {
    validateKeyName(k, "key");
  }
});

Deno.test("keys: other characters are rejected with MLflow's message", () => {
  const msg = invalid(() => validateKeyName("a*b", "key"));
  assertEquals(
    msg,
    `Invalid value "a*b" for parameter 'key' supplied: Names may only contain alphanumerics, underscores (_), ` +
      "dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).",
  );
  // Python's \w excludes combining marks and connector punctuation other than "_".
  for (const k of ["a\u0301", "a\u203fb", "a\tb", "a@b", "a,b", "a\\b", "a'b", "😀"]) {
    invalid(() => validateKeyName(k, "key"));
  }
  // Non-ASCII is escaped in the echoed value, as json.dumps does.
  invalid(() => validateKeyName("é*", "key"), 'Invalid value "\\u00e9*"');
});

Deno.test("keys: names that would resolve to other paths are rejected", () => {
  for (const k of ["a/", "a//b", "./a", "../a", "/a", ".", "a/./b", "a/../b", "..", "a/.."]) {
    nodeAssert.ok(keyPathIsAmbiguous(k), k);
    invalid(() => validateKeyName(k, "key"), "Names may be treated as files in certain cases");
  }
  assertEquals(
    invalid(() => validateKeyName("a//b", "metrics[0].name")),
    `Invalid value "a//b" for parameter 'metrics[0].name' supplied: Names may be treated as files in certain ` +
      "cases, and must not resolve to other names when treated as such. This name would resolve to 'a/b'",
  );
  nodeAssert.ok(!keyPathIsAmbiguous("a/b/c"));
});

Deno.test("lengths count code points, not UTF-16 units", () => {
  const emoji = "😀";
  assertEquals(emoji.length, 2);
  assertEquals(codePointLength(emoji.repeat(250)), 250);
  // 250 code points = 500 UTF-16 units: still within the 250 limit.
  assertEquals(limitLength("k", 250, "é".repeat(250)), "é".repeat(250));
  assertEquals(limitLength("k", 250, emoji.repeat(250)), emoji.repeat(250));
  invalid(
    () => limitLength("Param key", 250, emoji.repeat(251)),
    "'Param key' exceeds the maximum length of 250",
  );
});

Deno.test("metric/param/tag keys are limited to 250 code points", () => {
  const ok = "k".repeat(250);
  const long = "k".repeat(251);
  validateMetric(metric({ key: ok }));
  invalid(
    () => validateMetric(metric({ key: long })),
    "'Metric name' exceeds the maximum length of 250 characters",
  );
  invalid(() => validateParam({ key: long, value: "" }, TRUNCATE), "'Param key' exceeds the maximum length");
  invalid(() => validateRunTag({ key: long, value: "" }, TRUNCATE), "'key' exceeds the maximum length");
  invalid(() => validateRunTag({ key: long, value: "" }, TRUNCATE, "tags[3]"), "'tags[3].key' exceeds");
});

Deno.test("param values truncate at 6000 code points, or fail when truncation is off", () => {
  const v = "😀".repeat(6001);
  const out = validateParam({ key: "p", value: v }, TRUNCATE);
  assertEquals(codePointLength(out.value), 6000);
  assertEquals(out.value, "😀".repeat(6000));
  assertEquals(validateParam({ key: "p", value: "x".repeat(6000) }, STRICT).value.length, 6000);
  invalid(
    () => validateParam({ key: "p", value: "x".repeat(6001) }, STRICT),
    "'Param value' exceeds the maximum length of 6000 characters",
  );
});

Deno.test("run tag values truncate at 8000 code points, or fail when truncation is off", () => {
  const out = validateRunTag({ key: "t", value: "é".repeat(9000) }, TRUNCATE);
  assertEquals(out.value, "é".repeat(8000));
  assertEquals(validateRunTag({ key: "t", value: "x".repeat(8000) }, STRICT).value.length, 8000);
  invalid(
    () => validateRunTag({ key: "t", value: "x".repeat(8001) }, STRICT),
    "'value' exceeds the maximum length of 8000",
  );
  invalid(
    () => validateRunTag({ key: "t", value: "x".repeat(8001) }, STRICT, "tags[0]"),
    "'tags[0].value' exceeds the maximum length of 8000",
  );
});

Deno.test("experiment tags: key ≤ 250, value ≤ 20000, never truncated", () => {
  validateExperimentTag({ key: "k".repeat(250), value: "v".repeat(20000) });
  invalid(
    () => validateExperimentTag({ key: "k".repeat(251), value: "" }),
    "'key' exceeds the maximum length of 250",
  );
  invalid(
    () => validateExperimentTag({ key: "k", value: "v".repeat(20001) }),
    "'value' exceeds the maximum length of 20000",
  );
  invalid(() => validateExperimentTag({ key: "a*", value: "" }), "Names may only contain");
});

Deno.test("experiment names: non-blank, ≤ 500 code points", () => {
  validateExperimentName("x".repeat(500));
  validateExperimentName("😀".repeat(500));
  assertEquals(invalid(() => validateExperimentName("")), "Invalid experiment name: ''");
  assertEquals(invalid(() => validateExperimentName("   ")), "Invalid experiment name: '   '");
  assertEquals(
    invalid(() => validateExperimentName("x".repeat(501))),
    "'name' exceeds the maximum length of 500 characters",
  );
});

Deno.test("run ids follow MLflow's pattern", () => {
  for (const id of ["abc", "0123456789abcdef0123456789abcdef", "A-b_c", "a".repeat(256)]) validateRunId(id);
  for (const id of ["", "-abc", "_a", "a/b", "a.b", "a b", "a".repeat(257), "../x"]) {
    invalid(() => validateRunId(id), "for parameter 'run_id' supplied.");
  }
});

Deno.test("metrics: timestamps non-negative integers, steps integers", () => {
  validateMetric(metric({ value: NaN, timestamp: 0, step: -5 }));
  validateMetric(metric({ value: -Infinity }));
  validateMetric(metric({ step: 2 ** 60 }));
  assertEquals(
    invalid(() => validateMetric(metric({ timestamp: -1 }), "metrics[2]")),
    "Invalid value -1 for parameter 'metrics[2].timestamp' supplied: metric 'm' (value=1.0). " +
      "Timestamp must be a nonnegative long (64-bit integer) ",
  );
  invalid(() => validateMetric(metric({ step: 1.5 })), "for parameter 'step' supplied");
  invalid(() => validateMetric(metric({ key: "bad*" })), "for parameter 'name' supplied");
});

Deno.test("log-batch limits: 1000 metrics, 100 params, 100 tags, 1000 in total", () => {
  const ms = (n: number) => Array.from({ length: n }, (_, i) => metric({ key: `m${i}` }));
  const kv = (n: number, p: string): Tag[] =>
    Array.from({ length: n }, (_, i) => ({ key: `${p}${i}`, value: "v" }));
  validateBatch(ms(1000), [], [], TRUNCATE);
  validateBatch(ms(800), kv(100, "p"), kv(100, "t"), TRUNCATE);
  assertEquals(
    invalid(() => validateBatch(ms(1001), [], [], TRUNCATE)),
    "A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up metrics " +
      "across multiple requests and try again.",
  );
  invalid(() => validateBatch([], kv(101, "p"), [], TRUNCATE), "at most 100 params. Got 101 params.");
  invalid(() => validateBatch([], [], kv(101, "t"), TRUNCATE), "at most 100 tags. Got 101 tags.");
  invalid(
    () => validateBatch(ms(900), kv(100, "p"), kv(1, "t"), TRUNCATE),
    "at most 1000 metrics, params, and tags. Got 1001 metrics, params, and tags.",
  );
});

Deno.test("log-batch: duplicate param keys are rejected even with equal values", () => {
  assertEquals(
    invalid(() =>
      validateParamKeysUnique([{ key: "a", value: "1" }, { key: "b", value: "" }, { key: "a", value: "1" }])
    ),
    "Duplicate parameter keys have been submitted: ['a']. Please ensure the request contains only one param " +
      "value per param key.",
  );
});

Deno.test("log-batch: entries are checked with their index paths and values truncated", () => {
  invalid(() => validateBatch([metric(), metric({ key: "x*" })], [], [], TRUNCATE), "'metrics[1].name'");
  invalid(
    () => validateBatch([], [{ key: "ok", value: "" }, { key: "/p", value: "" }], [], TRUNCATE),
    "'params[1].key'",
  );
  invalid(
    () => validateBatch([], [], [{ key: "a b", value: "" }, { key: "t//", value: "" }], TRUNCATE),
    "'tags[1].key'",
  );
  const out = validateBatch([], [{ key: "p", value: "x".repeat(7000) }], [{
    key: "t",
    value: "y".repeat(9000),
  }], TRUNCATE);
  assertEquals(out.params[0].value.length, 6000);
  assertEquals(out.tags[0].value.length, 8000);
});

Deno.test("dataset inputs: MLflow's size limits", () => {
  const ds = (over: Record<string, string> = {}) => ({
    tags: [{ key: "mlflow.data.context", value: "training" }],
    dataset: { name: "d", digest: "abc", sourceType: "local", source: "{}", ...over },
  });
  validateDatasetInputs([ds({ name: "n".repeat(500), digest: "d".repeat(36) })]);
  invalid(
    () => validateDatasetInputs([ds({ name: "n".repeat(501) })]),
    "'name' exceeds the maximum length of 500",
  );
  invalid(
    () => validateDatasetInputs([ds({ digest: "d".repeat(37) })]),
    "'digest' exceeds the maximum length of 36",
  );
  invalid(() => validateDatasetInputs([ds({ source: "s".repeat(65536) })]), "'source' exceeds");
  invalid(
    () => validateDatasetInputs([{ ...ds(), tags: [{ key: "k", value: "v".repeat(501) }] }]),
    "'value' exceeds the maximum length of 500",
  );
});

Deno.test("search max_results: 1..50000", () => {
  validateSearchMaxResults(1);
  validateSearchMaxResults(50000);
  invalid(() => validateSearchMaxResults(0), "It must be a positive integer");
  invalid(() => validateSearchMaxResults(50001), "It must be at most 50000");
});

const POLICY = { trustedRoots: ["mlflow-artifacts:/", "http://store.local:9000/bucket"], allowedSchemes: [] };

Deno.test("artifact locations: accepted forms", () => {
  for (
    const loc of [
      "/abs/path",
      "file:///abs/path",
      "mlflow-artifacts:/x",
      "s3://bucket/prefix",
      "gs://b/p",
      "http://store.local:9000/bucket/exp",
      "relative/dir",
      "x".repeat(2048),
    ]
  ) {
    validateArtifactLocation(loc, POLICY);
  }
});

Deno.test("artifact locations: fragments, params, traversal in query, runs:, length, foreign hosts", () => {
  invalid(
    () => validateArtifactLocation("http:///#/../../etc/", POLICY),
    "can't include fragments or params",
  );
  invalid(() => validateArtifactLocation("s3://b/p#frag", POLICY), "can't include fragments or params");
  invalid(() => validateArtifactLocation("/a/b;params", POLICY), "can't include fragments or params");
  invalid(() => validateArtifactLocation("s3://b/p?x=../../etc", POLICY), "Invalid query string");
  invalid(() => validateArtifactLocation("s3://b/p?x=%252e%252e/etc", POLICY), "Invalid query string");
  invalid(
    () => validateArtifactLocation("runs:/abc/model", POLICY),
    "Artifact location cannot be a runs:/ URI",
  );
  invalid(() => validateArtifactLocation("x".repeat(2049), POLICY), "Invalid artifact path length");
  for (
    const loc of [
      "http://127.0.0.1:8080/x",
      "https://evil.example/x",
      "ftp://h/x",
      "mlflow-artifacts://other:5000/x",
    ]
  ) {
    invalid(() => validateArtifactLocation(loc, POLICY), "addresses a host other than");
  }
  validateArtifactLocation("https://evil.example/x", { ...POLICY, allowedSchemes: ["HTTPS"] });
  // Our hardening beyond MLflow: no `..` segment, encoded or not.
  for (const loc of ["/tmp/../etc", "file:///x/%2e%2e/etc", "s3://b/a/../../c", "mlflow-artifacts:/../x"]) {
    invalid(() => validateArtifactLocation(loc, POLICY), "'..' path segments");
  }
});

Deno.test("urlparse splits like Python's", () => {
  assertEquals(urlparse("http://h:1/p;x?q=1#f"), {
    scheme: "http",
    netloc: "h:1",
    path: "/p",
    params: "x",
    query: "q=1",
    fragment: "f",
  });
  assertEquals(urlparse("s3://b/p;x").params, "");
  assertEquals(urlparse("C:/x").scheme, "c");
  assertEquals(urlparse("/a:b").scheme, "");
});

Deno.test("relative local artifact locations resolve against the working directory", () => {
  assertEquals(resolveIfLocal("art", "/srv/x"), "/srv/x/art");
  assertEquals(resolveIfLocal("/abs", "/srv/x"), "/abs");
  assertEquals(resolveIfLocal("s3://b/p", "/srv/x"), "s3://b/p");
});

Deno.test("history sampling: evenly spaced indices use Python's half-to-even rounding", () => {
  assertEquals(evenlySpacedIndices(10, 4), [0, 3, 6, 9]);
  assertEquals(evenlySpacedIndices(5, 2), [0, 4]);
  assertEquals(evenlySpacedIndices(10, 1), [9]);
  assertEquals(evenlySpacedIndices(11, 4), [0, 3, 7, 10]);
  assertEquals(evenlySpacedIndices(6, 4), [0, 2, 3, 5]);
  assertEquals(evenlySpacedIndices(6, 3), [0, 2, 5]); // round(2.5) == 2
  assertEquals(evenlySpacedIndices(8, 3), [0, 4, 7]); // round(3.5) == 4
  assertEquals(evenlySpacedIndices(3, 10), [0, 1, 2]);
  assertEquals(evenlySpacedIndices(0, 10), []);
});

Deno.test("history sampling: steps across runs keep every run's first and last step", () => {
  const range = (a: number, b: number, s = 1) =>
    Array.from({ length: Math.ceil((b - a) / s) }, (_, i) => a + i * s);
  assertEquals(sampleSteps([range(0, 100)], 10), [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 99]);
  assertEquals(sampleSteps([range(0, 100, 2), [5, 7, 301]], 5), [0, 5, 16, 38, 58, 80, 98, 301]);
  assertEquals(sampleSteps([range(0, 100)], 7, 10, 50), [10, 15, 21, 27, 33, 39, 45, 50]);
  assertEquals(sampleSteps([[-5, -3, 0, 1, 2]], 2), [0, 1, 2]);
  assertEquals(sampleSteps([range(0, 10), range(3, 13)], 3, 4, 8), [4, 5, 7, 8]);
  assertEquals(sampleSteps([], 10), []);
});

Deno.test("history sampling: per-run rows are ordered by (step, timestamp) and capped", () => {
  const pt = (runId: string, step: number, timestamp: number): RunMetric => ({
    key: "k",
    value: step,
    timestamp,
    step,
    runId,
  });
  const a = [pt("a", 2, 5), pt("a", 0, 9), pt("a", 1, 1), pt("a", 0, 3)];
  const b = [pt("b", 7, 1)];
  const out = sampleHistories([a, b], 10);
  assertEquals(out.map((m) => [m.runId, m.step, m.timestamp]), [["a", 0, 3], ["a", 0, 9], ["a", 1, 1], [
    "a",
    2,
    5,
  ], [
    "b",
    7,
    1,
  ]]);
  // 50 points on one step with max_results 5: five rows, evenly spread over the run's history.
  const same = Array.from({ length: 50 }, (_, i) => pt("c", 0, i));
  assertEquals(sampleHistories([same], 5).map((m) => m.timestamp), [0, 12, 24, 37, 49]);
});

Deno.test("run names: adjective-noun-number, at most 20 characters", () => {
  let seed = 7;
  const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 500; i++) {
    const name = randomRunName(rnd);
    nodeAssert.match(name, /^[a-z]+-[a-z]+-\d{1,4}$/);
    nodeAssert.ok(name.length <= MAX_RUN_NAME_LENGTH, name);
    const n = Number(name.split("-")[2]);
    nodeAssert.ok(n >= 0 && n <= 1000);
  }
  assertEquals(randomRunName(() => 0), randomRunName(() => 0));
  nodeAssert.ok(randomRunName(() => 0.999999).length <= MAX_RUN_NAME_LENGTH);
});

Deno.test("log-model tag entry: MLflow's fields, flavors without config", () => {
  const entry = loggedModelHistoryEntry(JSON.stringify({
    artifact_path: "model",
    flavors: { python_function: { loader_module: "x", config: { a: 1 } }, sklearn: { version: "1" } },
    utc_time_created: "2024-01-02 03:04:05.000006",
    run_id: "r1",
    signature: { inputs: "[]" },
    mlflow_version: "3.18.0",
  }));
  assertEquals(entry, {
    run_id: "r1",
    artifact_path: "model",
    utc_time_created: "2024-01-02 03:04:05.000006",
    model_uuid: null,
    flavors: { python_function: { loader_module: "x" }, sklearn: { version: "1" } },
  });
  assertEquals(
    pyJsonDumps([entry]),
    '[{"run_id": "r1", "artifact_path": "model", "utc_time_created": "2024-01-02 03:04:05.000006", ' +
      '"model_uuid": null, "flavors": {"python_function": {"loader_module": "x"}, "sklearn": {"version": "1"}}}]',
  );
  invalid(() => loggedModelHistoryEntry("{nope"), "Malformed model info");
  invalid(
    () => loggedModelHistoryEntry(JSON.stringify({ artifact_path: "m", flavors: {} })),
    "Model json is missing mandatory fields: {'utc_time_created', 'run_id'}",
  );
});

Deno.test("python formatting helpers", () => {
  assertEquals(pyRepr("a/b"), "'a/b'");
  assertEquals(pyRepr("it's"), `"it's"`);
  assertEquals(pyRepr("a\nb"), "'a\\nb'");
  assertEquals(pyJsonDumps({ a: [1, "é", NaN] }), '{"a": [1, "\\u00e9", NaN]}');
  assertEquals(pyJsonDumps({ a: [1, 2] }, true), '{"a":[1,2]}');
  assertEquals(pyFloat(1), "1.0");
  assertEquals(pyFloat(NaN), "nan");
  assertEquals(pyFloat(-Infinity), "-inf");
  assertEquals([0.5, 1.5, 2.5, 2.4, 2.6, -0.5].map(pyRound), [0, 2, 2, 2, 3, 0]);
});
