// The logged-model and registry search grammars: parsing (aliases, quoting, lists, comparator and value
// rules) and evaluation details not visible through the routes (NaN, missing values, prompt logic).

import nodeAssert from "node:assert/strict";
import { MlflowError } from "../../src/errors.ts";
import {
  parseDatasetRefs,
  parseLoggedModelFilter,
  parseLoggedModelOrder,
} from "../../src/search/parse-logged-models.ts";
import {
  parseModelVersionFilter,
  parseModelVersionOrderBy,
  parseRegisteredModelFilter,
  parseRegisteredModelOrderBy,
} from "../../src/search/parse-registry.ts";
import { compareLoggedModels, compileLoggedModelFilter } from "../../src/search/evaluate-logged-models.ts";
import { compileRegisteredModelFilter } from "../../src/search/evaluate-registry.ts";
import type { LoggedModel, RegisteredModel } from "../../src/store/model-types.ts";

const assertEquals = <V>(a: V, b: V) => nodeAssert.deepStrictEqual(a, b);

function refused(fn: () => unknown, includes?: string) {
  try {
    fn();
  } catch (e) {
    nodeAssert.ok(e instanceof MlflowError && e.code === "INVALID_PARAMETER_VALUE", String(e));
    if (includes) nodeAssert.ok(e.message.includes(includes), e.message);
    return;
  }
  throw new Error("expected INVALID_PARAMETER_VALUE");
}

Deno.test("logged-model filter: entities, aliases, quoting, lists and statuses", () => {
  assertEquals(parseLoggedModelFilter("name = 'm' AND metrics.`my acc` >= 0.5 AND params.lr != '1'"), [
    { entity: "attribute", key: "name", op: "=", value: "m" },
    { entity: "metric", key: "my acc", op: ">=", value: 0.5 },
    { entity: "param", key: "lr", op: "!=", value: "1" },
  ]);
  assertEquals(parseLoggedModelFilter("creation_time > 5")[0].key, "creation_timestamp");
  assertEquals(parseLoggedModelFilter("attributes.last_updated_time < 5")[0].key, "last_updated_timestamp");
  assertEquals(parseLoggedModelFilter("tags.mlflow.source.name like '%x'")[0], {
    entity: "tag",
    key: "mlflow.source.name",
    op: "LIKE",
    value: "%x",
  });
  assertEquals(parseLoggedModelFilter("status IN ('READY', 'failed')")[0].value, [
    "LOGGED_MODEL_READY",
    "LOGGED_MODEL_UPLOAD_FAILED",
  ]);
  assertEquals(parseLoggedModelFilter(""), []);
  refused(() => parseLoggedModelFilter("runs.x = 'a'"), "Invalid entity type");
  refused(() => parseLoggedModelFilter("color = 'red'"), "Invalid attribute");
  refused(() => parseLoggedModelFilter("status > 'READY'"));
  refused(() => parseLoggedModelFilter("status = 'DONE'"), "Unknown model status");
  refused(() => parseLoggedModelFilter("metrics.a LIKE '1'"));
  refused(() => parseLoggedModelFilter("metrics.a = 'x'"));
  refused(() => parseLoggedModelFilter("name = m"));
  refused(() => parseLoggedModelFilter("name = 'a' OR name = 'b'"));
  refused(() => parseLoggedModelFilter("params.p IS NULL"));
});

Deno.test("logged-model order_by and datasets from the wire", () => {
  assertEquals(parseLoggedModelOrder([{ field_name: "creation_time", ascending: false }]), [
    { entity: "attribute", key: "creation_timestamp", ascending: false },
  ]);
  assertEquals(
    parseLoggedModelOrder([{ field_name: "metrics.acc", dataset_name: "d", dataset_digest: "x" }]),
    [
      { entity: "metric", key: "acc", ascending: true, datasetName: "d", datasetDigest: "x" },
    ],
  );
  refused(() => parseLoggedModelOrder([{ field_name: "params.p" }]), "Only metrics");
  refused(() => parseLoggedModelOrder([{ field_name: "nope" }]));
  assertEquals(parseDatasetRefs([{ dataset_name: "d" }]), [{ datasetName: "d" }]);
  refused(() => parseDatasetRefs([{ dataset_digest: "x" }]), "dataset_name");
});

const model = (name: string, over: Partial<LoggedModel> = {}): LoggedModel => ({
  modelId: `m-${name}`,
  experimentId: "1",
  name,
  artifactUri: "x",
  creationTimestamp: 1,
  lastUpdatedTimestamp: 1,
  status: "LOGGED_MODEL_READY",
  lifecycleStage: "active",
  tags: [],
  params: [],
  metrics: [],
  ...over,
});

Deno.test("logged-model evaluation: latest metric on datasets, missing and NaN sort last", () => {
  const a = model("a", {
    metrics: [
      { key: "acc", value: 0.9, timestamp: 1, step: 1, datasetName: "train" },
      { key: "acc", value: 0.2, timestamp: 1, step: 0, datasetName: "test" },
    ],
  });
  const b = model("b", { metrics: [{ key: "acc", value: NaN, timestamp: 1, step: 0 }] });
  const c = model("c");
  const f = (text: string, ds = [] as { datasetName: string }[]) =>
    [a, b, c].filter(compileLoggedModelFilter(parseLoggedModelFilter(text), ds)).map((m) => m.name);
  assertEquals(f("metrics.acc > 0.5"), ["a"]);
  assertEquals(f("metrics.acc < 0.5", [{ datasetName: "test" }]), ["a"]);
  assertEquals(f("metrics.acc != 1"), ["a", "b"]);
  assertEquals(f("", [{ datasetName: "test" }]), ["a"]);
  const order = (asc: boolean) =>
    [c, b, a].sort(compareLoggedModels([{ entity: "metric", key: "acc", ascending: asc }], [])).map((m) =>
      m.name
    );
  assertEquals(order(true), ["a", "b", "c"]);
  // NaN and missing values sort last in both directions (NaN first), as for runs.
  assertEquals(order(false), ["a", "b", "c"]);
});

Deno.test("registry filters: attributes, tags, lists, version numbers", () => {
  assertEquals(parseRegisteredModelFilter("name IN ('a', 'b') AND tags.`k` = 'v'"), [
    { entity: "attribute", key: "name", op: "IN", value: ["a", "b"] },
    { entity: "tag", key: "k", op: "=", value: "v" },
  ]);
  refused(() => parseRegisteredModelFilter("run_id = 'x'"), "Invalid attribute key");
  refused(() => parseRegisteredModelFilter("params.x = 'x'"), "Invalid entity type");
  refused(() => parseRegisteredModelFilter("tags.k IN ('a')"));
  refused(() => parseRegisteredModelFilter("name IS NULL"), "IS NULL");
  assertEquals(parseModelVersionFilter("version_number >= 2")[0].value, 2);
  assertEquals(parseModelVersionFilter("version_number = '3'")[0].value, 3);
  assertEquals(parseModelVersionFilter("run_id NOT IN ('a')")[0].op, "NOT IN");
  refused(() => parseModelVersionFilter("version_number = 1.5"));
  refused(() => parseModelVersionFilter("source_path IN ('a')"));
  refused(() => parseModelVersionFilter("creation_timestamp > 1"), "Invalid attribute key");
});

Deno.test("registry order_by: keys, timestamp alias, duplicates", () => {
  assertEquals(parseRegisteredModelOrderBy(["timestamp DESC", "name"]), [
    { key: "last_updated_timestamp", ascending: false },
    { key: "name", ascending: true },
  ]);
  refused(() => parseRegisteredModelOrderBy(["name", "name DESC"]), "duplicate");
  refused(() => parseRegisteredModelOrderBy(["version_number"]));
  assertEquals(parseModelVersionOrderBy(["version_number ASC"]), [{
    key: "version_number",
    ascending: true,
  }]);
  refused(() => parseModelVersionOrderBy(["tags.x"]));
});

Deno.test("registry evaluation: prompts are hidden unless the filter asks for them", () => {
  const rm = (name: string, tags: { key: string; value: string }[] = []): RegisteredModel => ({
    name,
    creationTimestamp: 1,
    lastUpdatedTimestamp: 1,
    tags,
    aliases: [],
    latestVersions: [],
  });
  const all = [rm("plain"), rm("prompt", [{ key: "mlflow.prompt.is_prompt", value: "true" }])];
  const f = (text: string) =>
    all.filter(compileRegisteredModelFilter(parseRegisteredModelFilter(text))).map((m) => m.name);
  assertEquals(f(""), ["plain"]);
  assertEquals(f("tags.`mlflow.prompt.is_prompt` = 'false'"), ["plain"]);
  assertEquals(f("tags.`mlflow.prompt.is_prompt` != 'false'"), ["prompt"]);
  assertEquals(f("tags.`mlflow.prompt.is_prompt` = 'true' AND name LIKE 'p%'"), ["prompt"]);
});
