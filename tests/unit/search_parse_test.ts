// Filter and order_by parsing for runs/search and experiments/search (spec §5.1–§5.3).
// Expected results were cross-checked against mlflow 3.18's own parser; where MLflow's parser accepts
// something its SQL store then rejects (e.g. `metrics.a <> 1`), we reject at parse time.

import assert from "node:assert/strict";
import { MlflowError } from "../../src/errors.ts";
import {
  type Comparison,
  parseExperimentFilter,
  parseExperimentOrderBy,
  parseRunFilter,
  parseRunOrderBy,
  type RunEntity,
} from "../../src/search/mod.ts";

/** Expects `fn` to throw INVALID_PARAMETER_VALUE whose message contains every `parts` entry. */
function invalid(fn: () => unknown, ...parts: string[]): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof MlflowError, `expected MlflowError, got ${e}`);
    assert.equal(e.code, "INVALID_PARAMETER_VALUE");
    assert.equal(e.status, 400);
    for (const p of parts) assert.ok(e.message.includes(p), `'${e.message}' lacks '${p}'`);
    return e.message;
  }
  assert.fail("expected an INVALID_PARAMETER_VALUE error");
}

const one = (filter: string): Comparison<RunEntity> => {
  const parsed = parseRunFilter(filter);
  assert.equal(parsed.length, 1, `one clause expected from ${filter}`);
  return parsed[0];
};

Deno.test("empty and blank filters match everything", () => {
  assert.deepEqual(parseRunFilter(undefined), []);
  assert.deepEqual(parseRunFilter(""), []);
  assert.deepEqual(parseRunFilter("   "), []);
  assert.deepEqual(parseExperimentFilter(""), []);
});

Deno.test("every entity prefix resolves", () => {
  const cases: [string, RunEntity][] = [
    ["metrics.k > 1", "metric"],
    ["metric.k > 1", "metric"],
    ["params.k = 'v'", "param"],
    ["param.k = 'v'", "param"],
    ["parameters.k = 'v'", "param"],
    ["parameter.k = 'v'", "param"],
    ["tags.k = 'v'", "tag"],
    ["tag.k = 'v'", "tag"],
    ["datasets.name = 'v'", "dataset"],
    ["dataset.name = 'v'", "dataset"],
  ];
  for (const [filter, entity] of cases) {
    const c = one(filter);
    assert.equal(c.entity, entity, filter);
    assert.equal(c.key, filter.startsWith("data") ? "name" : "k", filter);
  }
  for (const prefix of ["attributes.", "attribute.", "attr.", "run.", "", "`attributes`."]) {
    assert.deepEqual(one(`${prefix}status = 'FINISHED'`), {
      entity: "attribute",
      key: "status",
      op: "=",
      value: "FINISHED",
    });
  }
  invalid(() => parseRunFilter("metricz.a > 1"), "metricz");
  invalid(() => parseRunFilter("Metrics.a > 1"), "Metrics"); // prefixes are case-sensitive
});

Deno.test("quoted keys: double quotes, backticks, single quotes; dotted keys", () => {
  assert.equal(one(`metrics."my key" > 1`).key, "my key");
  assert.equal(one("tags.`user-name` = 'x'").key, "user-name");
  assert.equal(one("`tags`.`user-name` = 'x'").entity, "tag");
  assert.equal(one("params.'a b' = 'x'").key, "a b");
  assert.equal(one("tags.mlflow.runName = 'x'").key, "mlflow.runName");
  assert.equal(one("tags.`mlflow.runName` = 'x'").key, "mlflow.runName");
  assert.equal(one(`tags."a.b" = 'x'`).key, "a.b");
  assert.equal(one("params.é = 'x'").key, "é");
  assert.equal(one("params.1a = 'x'").key, "1a");
  assert.equal(one("params.select = 'x'").key, "select"); // SQL keywords are fine as keys
  assert.equal(one("params.and = 'x'").key, "and");
  assert.equal(one("params.`` = 'x'").key, "");
  // A hyphen or a space outside quotes ends the identifier.
  invalid(() => parseRunFilter("tags.a-b = 'x'"));
  invalid(() => parseRunFilter("tags.a b = 'x'"));
  invalid(() => parseRunFilter("params.1 = 'x'")); // `.1` is a number
});

Deno.test("string values: single or double quotes, kept verbatim", () => {
  assert.equal(one(`params.x = "abc"`).value, "abc");
  assert.equal(one("params.x = ''").value, "");
  assert.equal(one(`params.x = ""`).value, "");
  // MLflow trims the quotes and nothing else: doubled quotes and backslashes stay.
  assert.equal(one("params.x = 'it''s'").value, "it''s");
  assert.equal(one("params.x = 'it\\'s'").value, "it\\'s");
  assert.equal(one(`params.x = "it's"`).value, "it's");
  invalid(() => parseRunFilter("params.x = abc"), "abc", "quote");
  invalid(() => parseRunFilter("params.x = `abc`"), "quote");
  invalid(() => parseRunFilter("params.x = 1"), "quoted string");
  invalid(() => parseRunFilter("params.x = 'abc"));
  invalid(() => parseRunFilter("params.x = 'a''"));
});

Deno.test("numbers: integers, decimals, exponents, negatives", () => {
  const values: [string, number][] = [
    ["1", 1],
    ["-1", -1],
    ["0.5", 0.5],
    [".5", 0.5],
    ["-.5", -0.5],
    ["5.", 5],
    ["1e5", 1e5],
    ["1E-5", 1e-5],
    ["-1.5e3", -1500],
    ["1700000000000", 1700000000000],
  ];
  for (const [text, n] of values) {
    assert.equal(one(`metrics.m > ${text}`).value, n, text);
    assert.equal(one(`start_time > ${text}`).value, n, text);
  }
  for (const bad of ["+1", "- 1", "1e+5", "1.e5", "0x10", "1abc", "'1'", `"1"`, "abc", "NaN"]) {
    invalid(() => parseRunFilter(`metrics.m > ${bad}`));
  }
  invalid(() => parseRunFilter("metrics.a = '1'"), "numeric", "metric");
  invalid(() => parseRunFilter("start_time > '1'"), "numeric", "start_time");
});

Deno.test("comparators per entity", () => {
  for (const op of ["=", "!=", ">", ">=", "<", "<="]) {
    assert.equal(one(`metrics.a ${op} 1`).op, op);
    assert.equal(one(`end_time ${op} 1`).op, op);
  }
  assert.equal(one("metrics.a>1").op, ">");
  assert.equal(one("metrics.a\t=\t1").op, "=");
  for (const op of ["=", "!=", "LIKE", "ILIKE"]) {
    for (
      const id of ["params.p", "tags.t", "run_name", "user_id", "status", "artifact_uri", "datasets.digest"]
    ) {
      assert.equal(one(`${id} ${op} 'v'`).op, op, `${id} ${op}`);
    }
  }
  assert.equal(one("params.a like 'x%'").op, "LIKE");
  assert.equal(one("params.a iLike 'x%'").op, "ILIKE");
  for (const bad of ["<>", "==", "LIKE", "~", "=>"]) {
    invalid(() => parseRunFilter(`metrics.a ${bad} 1`), "comparator");
  }
  for (const bad of [">", "<=", "NOT LIKE", "RLIKE", "REGEXP", "==", "<>", "IN"]) {
    invalid(() => parseRunFilter(`params.a ${bad} 'x'`));
  }
  invalid(() => parseRunFilter("start_time LIKE '1'"));
  invalid(() => parseRunFilter("datasets.name > 'x'"), "comparator");
  invalid(() => parseRunFilter("metrics.a"), "comparison operator");
  invalid(() => parseRunFilter("metrics.a >"), "value");
});

Deno.test("IS NULL / IS NOT NULL only for params and tags", () => {
  assert.deepEqual(one("params.x IS NULL"), { entity: "param", key: "x", op: "IS NULL", value: null });
  assert.deepEqual(one("tags.x is not null"), { entity: "tag", key: "x", op: "IS NOT NULL", value: null });
  assert.deepEqual(
    parseRunFilter("params.x IS NOT NULL AND tags.y IS NULL").map((c) => c.op),
    ["IS NOT NULL", "IS NULL"],
  );
  invalid(() => parseRunFilter("metrics.x IS NULL"), "IS NULL");
  invalid(() => parseRunFilter("end_time IS NULL"), "IS NULL");
  invalid(() => parseRunFilter("datasets.context IS NOT NULL"), "IS NULL");
  invalid(() => parseRunFilter("params.x IS 'a'"));
  invalid(() => parseRunFilter("params.x IS NULL 'a'"));
});

Deno.test("IN / NOT IN lists: run_id and dataset fields only", () => {
  assert.deepEqual(one("attributes.run_id IN ('a', 'b')"), {
    entity: "attribute",
    key: "run_id",
    op: "IN",
    value: ["a", "b"],
  });
  assert.deepEqual(one("run_id not in ('a')").op, "NOT IN");
  assert.deepEqual(one("run_id NOT  IN ('a',)").value, ["a"]);
  assert.deepEqual(one(`run_id IN ("a", 'b')`).value, ["a", "b"]);
  // Items are read as Python literals: escapes apply, adjacent literals concatenate.
  assert.deepEqual(one("run_id IN ('it\\'s')").value, ["it's"]);
  assert.deepEqual(one("run_id IN ('a' 'b')").value, ["ab"]);
  for (const key of ["name", "digest", "context"]) {
    assert.deepEqual(one(`datasets.${key} NOT IN ('x', 'y')`).value, ["x", "y"]);
  }
  for (const attr of ["run_name", "status", "user_id", "artifact_uri"]) {
    invalid(() => parseRunFilter(`${attr} IN ('a')`), "list");
  }
  invalid(() => parseRunFilter("start_time IN (1, 2)"));
  invalid(() => parseRunFilter("tags.x IN ('a')"));
  invalid(() => parseRunFilter("run_id IN ()"), "at least one");
  invalid(() => parseRunFilter("run_id IN (1, 2)"), "quoted strings");
  invalid(() => parseRunFilter("run_id IN ('a', b)"), "quoted strings");
  invalid(() => parseRunFilter("run_id IN 'a'"), "list");
  invalid(() => parseRunFilter("run_id IN ['a']"));
  invalid(() => parseRunFilter("run_id IN ('a'"), "')'");
  invalid(() => parseRunFilter("run_id = ('a')"), "IN");
});

Deno.test("attribute keys and aliases", () => {
  assert.deepEqual(one("created > 5"), { entity: "attribute", key: "start_time", op: ">", value: 5 });
  assert.equal(one("Created = 1").key, "start_time");
  for (
    const alias of ["`run name`", `"run name"`, "`Run name`", "attribute.`Run Name`", 'attributes."run name"']
  ) {
    assert.equal(one(`${alias} = 'x'`).key, "run_name", alias);
  }
  for (const key of ["run_id", "run_name", "user_id", "status", "artifact_uri", "start_time", "end_time"]) {
    assert.equal(one(`${key} ${key.endsWith("time") ? "> 1" : "= 'x'"}`).key, key);
  }
  for (const bad of ["lifecycle_stage", "experiment_id", "run_uuid", "foo", "params", "RUN_ID"]) {
    invalid(() => parseRunFilter(`${bad} = 'x'`), bad);
  }
  invalid(() => parseRunFilter("run name = 'x'"));
  invalid(() => parseRunFilter("'run name' = 'x'"));
  invalid(() => parseRunFilter("dataset.foo = 'x'"), "foo", "name");
});

Deno.test("AND joins clauses; OR, NOT, parentheses and junk are rejected", () => {
  const parsed = parseRunFilter("metrics.a > 1 and metrics.b >= 2 AnD params.c != 'x'");
  assert.deepEqual(parsed.map((c) => [c.entity, c.key, c.op]), [
    ["metric", "a", ">"],
    ["metric", "b", ">="],
    ["param", "c", "!="],
  ]);
  // MLflow ignores stray ANDs and treats adjacent comparisons as AND-ed.
  assert.equal(parseRunFilter("AND metrics.a > 1 AND").length, 1);
  assert.equal(parseRunFilter("metrics.a > 1 AND AND metrics.b > 1").length, 2);
  assert.equal(parseRunFilter("metrics.a > 1 metrics.b > 1").length, 2);
  invalid(() => parseRunFilter("metrics.a > 1 OR metrics.b > 2"), "OR");
  invalid(() => parseRunFilter("metrics.a > 1 OR"), "OR");
  invalid(() => parseRunFilter("NOT metrics.a > 1"), "NOT");
  invalid(() => parseRunFilter("metrics.a > 1 AND (metrics.b > 2)"), "(");
  invalid(() => parseRunFilter("metrics.a > 1;"), ";");
  invalid(() => parseRunFilter("metrics.a > 1; metrics.b > 2"), ";");
  invalid(() => parseRunFilter("params.x = 'a' -- comment"), "comment");
  invalid(() => parseRunFilter("params.x = 'a' /* c */"));
  invalid(() => parseRunFilter("metrics.a > 1 AND metrics.b"));
  invalid(() => parseRunFilter("= 1"));
});

Deno.test("run order_by: forms, directions, aliases, rejects", () => {
  assert.deepEqual(parseRunOrderBy(undefined), []);
  assert.deepEqual(parseRunOrderBy([]), []);
  const cases: [string, RunEntity, string, boolean][] = [
    ["metrics.x", "metric", "x", true],
    ["metrics.x DESC", "metric", "x", false],
    ["metric.x  desc", "metric", "x", false],
    ["metrics.x ASC", "metric", "x", true],
    ["metrics.`my key` DESC", "metric", "my key", false],
    [`metrics."my key" DESC`, "metric", "my key", false],
    ["`metrics`.`my key` DESC", "metric", "my key", false],
    ["metrics.'my key'", "metric", "my key", true],
    ["metrics.`a-b` DESC", "metric", "a-b", false],
    ["params.a.b", "param", "a.b", true],
    ["tags.mlflow.runName", "tag", "mlflow.runName", true],
    ["created", "attribute", "start_time", true],
    ["Created DESC", "attribute", "start_time", false],
    ["end_time DESC", "attribute", "end_time", false],
    ["attributes.run_name", "attribute", "run_name", true],
    ["attr.start_time DESC", "attribute", "start_time", false],
    ["run.run_id", "attribute", "run_id", true],
    ["status", "attribute", "status", true],
    ["user_id", "attribute", "user_id", true],
    ["artifact_uri", "attribute", "artifact_uri", true],
  ];
  for (const [item, entity, key, ascending] of cases) {
    assert.deepEqual(parseRunOrderBy([item]), [{ entity, key, ascending }], item);
  }
  assert.deepEqual(
    parseRunOrderBy(["metrics.a DESC", "params.b"]).map((t) => t.key),
    ["a", "b"],
  );
  for (const bad of ["`Run name` ASC", "lifecycle_stage", "experiment_id", "timestamp", "foo.bar"]) {
    invalid(() => parseRunOrderBy([bad]));
  }
  invalid(() => parseRunOrderBy(["datasets.name"]), "dataset");
  invalid(() => parseRunOrderBy(["metrics.x DOWN"]), "DOWN");
  invalid(() => parseRunOrderBy(["metrics.x DESC ASC"]));
  invalid(() => parseRunOrderBy(["metrics.x DESC NULLS LAST"]));
  invalid(() => parseRunOrderBy(["metrics.x, metrics.y"]));
  invalid(() => parseRunOrderBy(["metrics.a-b"]));
  invalid(() => parseRunOrderBy([""]));
  invalid(() => parseRunOrderBy(["metrics.`x"]), "metrics.`x");
  // The same field twice (aliases included) is an error, as in MLflow's SQL store.
  invalid(() => parseRunOrderBy(["metrics.a", "metric.a DESC"]), "twice");
  invalid(() => parseRunOrderBy(["created", "start_time"]), "twice");
  assert.equal(parseRunOrderBy(["metrics.a", "params.a"]).length, 2);
});

Deno.test("experiment filter: attributes, tags, comparators", () => {
  assert.deepEqual(parseExperimentFilter("name = 'x'"), [
    { entity: "attribute", key: "name", op: "=", value: "x" },
  ]);
  assert.equal(parseExperimentFilter("attribute.name LIKE 'x%'")[0].op, "LIKE");
  assert.equal(parseExperimentFilter("attributes.name ilike 'x%'")[0].op, "ILIKE");
  assert.equal(parseExperimentFilter(`name = "x"`)[0].value, "x");
  assert.deepEqual(parseExperimentFilter("experiment_id IN ('1', '2')")[0].value, ["1", "2"]);
  assert.equal(parseExperimentFilter("experiment_id != '1'")[0].value, "1");
  assert.deepEqual(parseExperimentFilter("creation_time > 5 AND last_update_time <= 7").map((c) => c.value), [
    5,
    7,
  ]);
  assert.deepEqual(parseExperimentFilter("tags.x IS NULL")[0].op, "IS NULL");
  assert.deepEqual(parseExperimentFilter("tag.`a b` LIKE 'y'")[0].key, "a b");
  invalid(() => parseExperimentFilter("attr.name = 'x'"), "attr");
  invalid(() => parseExperimentFilter("`tags`.x = 'x'"));
  invalid(() => parseExperimentFilter("metrics.x > 1"), "metrics");
  invalid(() => parseExperimentFilter("params.x = 'a'"), "params");
  invalid(() => parseExperimentFilter("foo = 'x'"), "foo");
  invalid(() => parseExperimentFilter("name IN ('a')"), "IN");
  invalid(() => parseExperimentFilter("name IS NULL"), "IS NULL");
  invalid(() => parseExperimentFilter("name > 'a'"), "comparator");
  invalid(() => parseExperimentFilter("tags.x > 'a'"), "comparator");
  invalid(() => parseExperimentFilter("tags.x IN ('a')"));
  invalid(() => parseExperimentFilter("experiment_id = 1"), "quoted");
  invalid(() => parseExperimentFilter("experiment_id LIKE '1'"), "comparator");
  invalid(() => parseExperimentFilter("creation_time = '5'"), "numeric");
  invalid(() => parseExperimentFilter("creation_time > 5.5"), "integer");
  invalid(() => parseExperimentFilter("name = 'a' OR name = 'b'"), "OR");
});

Deno.test("experiment order_by", () => {
  assert.deepEqual(parseExperimentOrderBy(["name", "creation_time desc", "attribute.last_update_time ASC"]), [
    { entity: "attribute", key: "name", ascending: true },
    { entity: "attribute", key: "creation_time", ascending: false },
    { entity: "attribute", key: "last_update_time", ascending: true },
  ]);
  assert.deepEqual(parseExperimentOrderBy(["experiment_id DESC"])[0].ascending, false);
  invalid(() => parseExperimentOrderBy(["tags.x"]), "attributes");
  invalid(() => parseExperimentOrderBy(["metrics.x"]), "metrics");
  invalid(() => parseExperimentOrderBy(["foo"]), "foo");
});

Deno.test("error messages quote the offending text", () => {
  const msg = invalid(() => parseRunFilter("metrics.a > 1 OR metrics.b > 2"));
  assert.match(msg, /metrics\.a > 1 OR metrics\.b > 2/);
  invalid(() => parseRunFilter("params.x = abc"), "abc");
  invalid(() => parseRunFilter("unknown_attr = 'x'"), "unknown_attr");
});

Deno.test("deliberate differences from mlflow 3.18's parser", () => {
  // Accepted here, rejected by sqlparse quirks there (keyword keys, spacing, padded order_by items).
  assert.equal(one("params.from = 'x'").key, "from");
  assert.equal(one("params.in = 'x'").key, "in");
  assert.equal(one("params.x IS  NOT   NULL").op, "IS NOT NULL");
  assert.deepEqual(parseRunOrderBy(["  metrics.x   DESC  "]), [{
    entity: "metric",
    key: "x",
    ascending: false,
  }]);
  // Parsed there but refused by its SQL store (the default server backend) at query time: refused here.
  invalid(() => parseRunFilter("metrics.a <> 1"));
  invalid(() => parseRunFilter("params.x NOT LIKE 'a'"));
  invalid(() => parseRunFilter("datasets.name > 'x'"));
  invalid(() => parseRunOrderBy(["datasets.name"]));
  invalid(() => parseExperimentFilter("experiment_id = ('1', '2')"));
  invalid(() => parseExperimentFilter("creation_time > 5.5"));
  // Its SQL store answers a repeated order_by field with a 500; we answer 400.
  invalid(() => parseRunOrderBy(["metrics.a", "metrics.a"]));
  // Nested parentheses in IN lists (`(('a'))`) are read as Python there; not supported here.
  invalid(() => parseRunFilter("run_id IN (('a'))"));
});
