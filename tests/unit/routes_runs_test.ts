// Run endpoints (spec §3.2) through the real app and KV store: names and system tags, update semantics,
// lifecycle, params/tags, log-batch validation before any write, log-model history, inputs/outputs, search.

import { assert, assertEquals, assertError, type Json, withApp } from "./routes_harness.ts";

const tagMap = (run: Json) => new Map((run.data.tags ?? []).map((t: Json) => [t.key, t.value]));
const paramMap = (run: Json) => new Map((run.data.params ?? []).map((t: Json) => [t.key, t.value]));

Deno.test("runs/create: given name, tag name, random name; mlflow.runName always stored", () =>
  withApp(async (t) => {
    const exp = await t.experiment();
    const named = await t.post("runs/create", {
      experiment_id: exp,
      run_name: "my-run",
      user_id: "alice",
      start_time: "1700000000000",
      tags: [{ key: "mlflow.user", value: "alice" }, { key: "mlflow.source.type", value: "LOCAL" }],
    });
    assertEquals(named.status, 200, named.text);
    const info = named.body.run.info;
    assertEquals(info.run_name, "my-run");
    assertEquals(info.user_id, "alice");
    assertEquals(info.start_time, 1700000000000);
    assertEquals(info.status, "RUNNING");
    assertEquals(info.lifecycle_stage, "active");
    assertEquals(info.run_id, info.run_uuid);
    assert(/^[0-9a-f]{32}$/.test(info.run_id));
    assertEquals(info.artifact_uri, `mlflow-artifacts:/${exp}/${info.run_id}/artifacts`);
    assertEquals("end_time" in info, false);
    const tags = tagMap(named.body.run);
    assertEquals(tags.get("mlflow.runName"), "my-run");
    assertEquals(tags.get("mlflow.user"), "alice");

    const byTag = await t.post("runs/create", {
      experiment_id: exp,
      tags: [{ key: "mlflow.runName", value: "from-tag" }],
    });
    assertEquals(byTag.body.run.info.run_name, "from-tag");
    assertEquals(tagMap(byTag.body.run).get("mlflow.runName"), "from-tag");

    const same = await t.post("runs/create", {
      experiment_id: exp,
      run_name: "x",
      tags: [{ key: "mlflow.runName", value: "x" }],
    });
    assertEquals(same.status, 200);

    const random = await t.post("runs/create", { experiment_id: exp });
    const name = random.body.run.info.run_name;
    assert(/^[a-z]+-[a-z]+-\d+$/.test(name) && name.length <= 20, name);
    assertEquals(tagMap(random.body.run).get("mlflow.runName"), name);
    assertEquals(typeof random.body.run.info.start_time, "number");
  }));

Deno.test("runs/create: errors — name mismatch, unknown/deleted experiment, bad tags", () =>
  withApp(async (t) => {
    const exp = await t.experiment();
    const before = await t.snapshot();
    assertError(
      await t.post("runs/create", {
        experiment_id: exp,
        run_name: "a",
        tags: [{ key: "mlflow.runName", value: "b" }],
      }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values",
    );
    assertError(await t.post("runs/create", { experiment_id: "99999" }), 404, "RESOURCE_DOES_NOT_EXIST");
    assertError(
      await t.post("runs/create", { experiment_id: exp, tags: [{ key: "../x", value: "v" }] }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'tags[0].key'",
    );
    assertError(
      await t.post("runs/create", { experiment_id: exp, start_time: "soon" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertEquals(await t.snapshot(), before);
  }));

Deno.test("runs/create: experiment_id defaults to the Default experiment", () =>
  withApp(async (t) => {
    const r = await t.post("runs/create", {});
    assertEquals(r.status, 200, r.text);
    assertEquals(r.body.run.info.experiment_id, "0");
  }));

Deno.test("runs/get: run_id or run_uuid, deleted runs returned, unknown 404, malformed 400", () =>
  withApp(async (t) => {
    const id = await t.run();
    assertEquals((await t.get("runs/get", { run_id: id })).body.run.info.run_id, id);
    assertEquals((await t.get("runs/get", { run_uuid: id })).body.run.info.run_id, id);
    const full = (await t.get("runs/get", { run_id: id })).body.run;
    assertEquals(Object.keys(full).sort(), ["data", "info", "inputs", "outputs"]);
    await t.post("runs/delete", { run_id: id });
    assertEquals((await t.get("runs/get", { run_id: id })).body.run.info.lifecycle_stage, "deleted");
    assertError(
      await t.get("runs/get", { run_id: "0123456789abcdef0123456789abcdef" }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
    );
    assertError(await t.get("runs/get", { run_id: "../../etc" }), 400, "INVALID_PARAMETER_VALUE");
    assertError(
      await t.get("runs/get", {}),
      400,
      "INVALID_PARAMETER_VALUE",
      "Missing value for required parameter 'run_id'",
    );
  }));

Deno.test("runs/update: only present fields change; run_name rewrites the tag; returns run_info", () =>
  withApp(async (t) => {
    const id = await t.run("0", { run_name: "first" });
    const r1 = await t.post("runs/update", { run_id: id, status: "FINISHED", end_time: 5000 });
    assertEquals(Object.keys(r1.body), ["run_info"]);
    assertEquals(r1.body.run_info.status, "FINISHED");
    assertEquals(r1.body.run_info.end_time, 5000);
    assertEquals(r1.body.run_info.run_name, "first");

    const r2 = await t.post("runs/update", { run_uuid: id, status: 1 });
    assertEquals(r2.body.run_info.status, "RUNNING");
    assertEquals(r2.body.run_info.end_time, 5000);

    const r3 = await t.post("runs/update", { run_id: id, run_name: "second" });
    assertEquals(r3.body.run_info.run_name, "second");
    assertEquals(r3.body.run_info.status, "RUNNING");
    const run = (await t.get("runs/get", { run_id: id })).body.run;
    assertEquals(tagMap(run).get("mlflow.runName"), "second");

    // An empty name leaves the name alone.
    assertEquals(
      (await t.post("runs/update", { run_id: id, run_name: "" })).body.run_info.run_name,
      "second",
    );
    assertError(await t.post("runs/update", { run_id: id, status: "DONE" }), 400, "INVALID_PARAMETER_VALUE");
    assertError(await t.post("runs/update", { run_id: id, status: 9 }), 400, "INVALID_PARAMETER_VALUE");
    assertError(await t.post("runs/update", { run_id: id, end_time: 1.5 }), 400, "INVALID_PARAMETER_VALUE");

    await t.post("runs/delete", { run_id: id });
    assertError(
      await t.post("runs/update", { run_id: id, status: "FAILED" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
  }));

Deno.test("runs/delete and restore: idempotent soft delete; unknown → 404", () =>
  withApp(async (t) => {
    const id = await t.run();
    assertEquals((await t.post("runs/delete", { run_id: id })).body, {});
    assertEquals((await t.post("runs/delete", { run_id: id })).status, 200);
    assertEquals((await t.post("runs/restore", { run_id: id })).body, {});
    assertEquals((await t.get("runs/get", { run_id: id })).body.run.info.lifecycle_stage, "active");
    assertError(
      await t.post("runs/delete", { run_id: "ffffffffffffffffffffffffffffffff" }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
    );
    assertError(
      await t.post("runs/restore", { run_id: "ffffffffffffffffffffffffffffffff" }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
    );
  }));

Deno.test("runs/log-parameter: equal value is a no-op, a different value is refused", () =>
  withApp(async (t) => {
    const id = await t.run();
    assertEquals((await t.post("runs/log-parameter", { run_id: id, key: "lr", value: "0.1" })).body, {});
    assertEquals((await t.post("runs/log-parameter", { run_id: id, key: "lr", value: "0.1" })).status, 200);
    assertError(
      await t.post("runs/log-parameter", { run_id: id, key: "lr", value: "0.2" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Changing param values is not allowed",
    );
    await t.post("runs/log-parameter", { run_id: id, key: "empty" });
    const long = "é".repeat(7000);
    await t.post("runs/log-parameter", { run_id: id, key: "long", value: long });
    const params = paramMap((await t.get("runs/get", { run_id: id })).body.run);
    assertEquals(params.get("lr"), "0.1");
    assertEquals(params.get("empty"), "");
    assertEquals(params.get("long"), "é".repeat(6000));
    assertError(
      await t.post("runs/log-parameter", { run_id: id, key: "a*" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'key'",
    );
    assertError(
      await t.post("runs/log-parameter", { run_id: id, value: "v" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Missing value for required parameter 'key'",
    );
    await t.post("runs/delete", { run_id: id });
    assertError(
      await t.post("runs/log-parameter", { run_id: id, key: "n", value: "1" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
  }));

Deno.test("runs/set-tag and delete-tag: upsert, truncation, mlflow.runName renames, missing tag 404", () =>
  withApp(async (t) => {
    const id = await t.run();
    await t.post("runs/set-tag", { run_id: id, key: "k", value: "1" });
    await t.post("runs/set-tag", { run_uuid: id, key: "k", value: "2" });
    await t.post("runs/set-tag", { run_id: id, key: "big", value: "x".repeat(9000) });
    await t.post("runs/set-tag", { run_id: id, key: "mlflow.runName", value: "renamed" });
    const run = (await t.get("runs/get", { run_id: id })).body.run;
    assertEquals(tagMap(run).get("k"), "2");
    assertEquals((tagMap(run).get("big") as string).length, 8000);
    assertEquals(run.info.run_name, "renamed");

    assertEquals((await t.post("runs/delete-tag", { run_id: id, key: "k" })).body, {});
    assertError(await t.post("runs/delete-tag", { run_id: id, key: "k" }), 404, "RESOURCE_DOES_NOT_EXIST");
    assertError(
      await t.post("runs/set-tag", { run_id: id, key: "a//b", value: "1" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    await t.post("runs/delete", { run_id: id });
    assertError(
      await t.post("runs/set-tag", { run_id: id, key: "z", value: "1" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertError(await t.post("runs/delete-tag", { run_id: id, key: "big" }), 400, "INVALID_PARAMETER_VALUE");
  }));

Deno.test("runs/log-batch: params, metrics and tags land; mlflow.runName updates the name", () =>
  withApp(async (t) => {
    const id = await t.run();
    const r = await t.post("runs/log-batch", {
      run_id: id,
      metrics: [
        { key: "loss", value: 0.5, timestamp: 1, step: 0 },
        { key: "loss", value: "0.25", timestamp: "2", step: "1" },
        { key: "acc", value: "NaN", timestamp: 3 },
      ],
      params: [{ key: "p", value: "v" }],
      tags: [{ key: "t", value: "w" }, { key: "mlflow.runName", value: "batch-name" }],
    });
    assertEquals(r.status, 200, r.text);
    assertEquals(r.body, {});
    const run = (await t.get("runs/get", { run_id: id })).body.run;
    const metrics = new Map(run.data.metrics.map((m: Json) => [m.key, m]));
    assertEquals(metrics.get("loss"), { key: "loss", value: 0.25, timestamp: 2, step: 1 });
    assertEquals(metrics.get("acc"), { key: "acc", value: "NaN", timestamp: 3, step: 0 });
    assertEquals(paramMap(run).get("p"), "v");
    assertEquals(tagMap(run).get("t"), "w");
    assertEquals(run.info.run_name, "batch-name");
    assertEquals((await t.post("runs/log-batch", { run_id: id })).status, 200);
    await t.post("runs/delete", { run_id: id });
    assertError(
      await t.post("runs/log-batch", { run_id: id }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'active' state",
    );
  }));

Deno.test("runs/log-batch: any invalid entry rejects the whole batch before a write", () =>
  withApp(async (t) => {
    const id = await t.run();
    await t.post("runs/log-parameter", { run_id: id, key: "fixed", value: "1" });
    const before = await t.snapshot();
    const good = { key: "ok", value: 1, timestamp: 1, step: 0 };
    const cases: [unknown, string][] = [
      [
        { metrics: [good, { key: "m", value: 1 }] },
        "Missing value for required parameter 'metrics[1].timestamp'",
      ],
      [{ metrics: [good, { key: "m", timestamp: 1 }] }, "'metrics[1].value'"],
      [{ metrics: [good, { key: "bad*", value: 1, timestamp: 1 }] }, "'metrics[1].name'"],
      [{ metrics: [good, { key: "m", value: 1, timestamp: -1 }] }, "'metrics[1].timestamp'"],
      [{ metrics: [good, { key: "m", value: true, timestamp: 1 }] }, "'metrics[1].value'"],
      [
        { metrics: [good], params: [{ key: "a", value: "1" }, { key: "a", value: "1" }] },
        "Duplicate parameter keys",
      ],
      [{ metrics: [good], params: [{ value: "1" }] }, "'params[0].key'"],
      [{ metrics: [good], tags: [{ key: "ok", value: "1" }, { key: "/abs", value: "1" }] }, "'tags[1].key'"],
      [{ metrics: [good], params: [{ key: "fixed", value: "2" }] }, "Changing param values is not allowed"],
      [{ metrics: Array.from({ length: 1001 }, () => good) }, "at most 1000 metrics"],
      [
        { params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: "" })) },
        "at most 100 params",
      ],
      [{ tags: Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: "" })) }, "at most 100 tags"],
      [{
        metrics: Array.from({ length: 950 }, () => good),
        params: Array.from({ length: 51 }, (_, i) => ({ key: `q${i}`, value: "" })),
      }, "at most 1000 metrics, params, and tags"],
      [{ metrics: "not a list" }, "'metrics'"],
    ];
    for (const [body, message] of cases) {
      assertError(
        await t.post("runs/log-batch", { run_id: id, ...(body as object) }),
        400,
        "INVALID_PARAMETER_VALUE",
        message,
      );
    }
    assertEquals(await t.snapshot(), before);
    assertError(
      await t.post("runs/log-batch", { run_id: "0123456789abcdef0123456789abcdef", metrics: [good] }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
    );
  }));

Deno.test("runs/log-batch: the limits themselves are accepted", () =>
  withApp(async (t) => {
    const id = await t.run();
    const r = await t.post("runs/log-batch", {
      run_id: id,
      metrics: Array.from(
        { length: 800 },
        (_, i) => ({ key: `m${i % 10}`, value: i, timestamp: i, step: i }),
      ),
      params: Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: "v" })),
      tags: Array.from({ length: 100 }, (_, i) => ({ key: `t${i}`, value: "v" })),
    });
    assertEquals(r.status, 200, r.text);
    const run = (await t.get("runs/get", { run_id: id })).body.run;
    assertEquals(run.data.params.length, 100);
    assertEquals(run.data.metrics.length, 10);
  }));

Deno.test("runs/log-model: appends to mlflow.log-model.history", () =>
  withApp(async (t) => {
    const id = await t.run();
    const model = (path: string) =>
      JSON.stringify({
        artifact_path: path,
        flavors: { python_function: { loader_module: "m", config: { x: 1 } } },
        utc_time_created: "2024-01-01 00:00:00.000000",
        run_id: id,
        model_uuid: `u-${path}`,
      });
    assertEquals((await t.post("runs/log-model", { run_id: id, model_json: model("a") })).body, {});
    assertEquals((await t.post("runs/log-model", { run_id: id, model_json: model("b") })).status, 200);
    const tag = tagMap((await t.get("runs/get", { run_id: id })).body.run).get(
      "mlflow.log-model.history",
    ) as string;
    const history = JSON.parse(tag);
    assertEquals(history.map((h: Json) => h.artifact_path), ["a", "b"]);
    assertEquals(history[0], {
      run_id: id,
      artifact_path: "a",
      utc_time_created: "2024-01-01 00:00:00.000000",
      model_uuid: "u-a",
      flavors: { python_function: { loader_module: "m" } },
    });
    assertError(
      await t.post("runs/log-model", { run_id: id, model_json: "{" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Malformed",
    );
    assertError(
      await t.post("runs/log-model", { run_id: id, model_json: '{"flavors": {}}' }),
      400,
      "INVALID_PARAMETER_VALUE",
      "missing mandatory fields",
    );
    assertError(
      await t.post("runs/log-model", { run_id: id }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'model_json'",
    );
  }));

Deno.test("runs/log-inputs and runs/outputs", () =>
  withApp(async (t) => {
    const id = await t.run();
    const ds = {
      tags: [{ key: "mlflow.data.context", value: "training" }],
      dataset: { name: "iris", digest: "abc123", source_type: "local", source: '{"uri": "x"}', schema: "{}" },
    };
    assertEquals(
      (await t.post("runs/log-inputs", { run_id: id, datasets: [ds, ds], models: [{ model_id: "m-1" }] }))
        .body,
      {},
    );
    assertEquals(
      (await t.post("runs/outputs", { run_id: id, models: [{ model_id: "m-2", step: 3 }] })).body,
      {},
    );
    const run = (await t.get("runs/get", { run_id: id })).body.run;
    assertEquals(run.inputs.dataset_inputs, [{
      tags: [{ key: "mlflow.data.context", value: "training" }],
      dataset: { name: "iris", digest: "abc123", source_type: "local", source: '{"uri": "x"}', schema: "{}" },
    }]);
    assertEquals(run.inputs.model_inputs, [{ model_id: "m-1" }]);
    assertEquals(run.outputs.model_outputs, [{ model_id: "m-2", step: 3 }]);

    assertError(
      await t.post("runs/log-inputs", {
        run_id: id,
        datasets: [{ ...ds, dataset: { ...ds.dataset, digest: "d".repeat(37) } }],
      }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'digest' exceeds",
    );
    assertError(
      await t.post("runs/log-inputs", { run_id: id, datasets: [{ dataset: { name: "n" } }] }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertError(await t.post("runs/outputs", { run_id: id }), 400, "INVALID_PARAMETER_VALUE", "'models'");
  }));

Deno.test("runs/search: filter, order_by, view type, paging", () =>
  withApp(async (t) => {
    const exp = await t.experiment();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const id = await t.run(exp, { start_time: 1000 + i, run_name: `r${i}` });
      await t.post("runs/log-metric", { run_id: id, key: "acc", value: i / 10, timestamp: 1 });
      ids.push(id);
    }
    await t.post("runs/delete", { run_id: ids[4] });
    const s = await t.post("runs/search", {
      experiment_ids: [exp],
      filter: "metrics.acc >= 0.1",
      order_by: ["metrics.acc DESC"],
    });
    assertEquals(s.status, 200, s.text);
    assertEquals(s.body.runs.map((r: Json) => r.info.run_name), ["r3", "r2", "r1"]);
    assertEquals("next_page_token" in s.body, false);

    const p1 = await t.post("runs/search", { experiment_ids: [exp], max_results: 2 });
    assertEquals(p1.body.runs.map((r: Json) => r.info.run_name), ["r3", "r2"]); // start_time DESC
    const p2 = await t.post("runs/search", {
      experiment_ids: [exp],
      max_results: 2,
      page_token: p1.body.next_page_token,
    });
    assertEquals(p2.body.runs.map((r: Json) => r.info.run_name), ["r1", "r0"]);
    assertEquals("next_page_token" in p2.body, false);

    const deleted = await t.post("runs/search", { experiment_ids: [exp], run_view_type: "DELETED_ONLY" });
    assertEquals(deleted.body.runs.map((r: Json) => r.info.run_name), ["r4"]);
    assertEquals(
      (await t.post("runs/search", { experiment_ids: [exp], run_view_type: 3 })).body.runs.length,
      5,
    );
    assertEquals(
      (await t.post("runs/search", { experiment_ids: [exp], filter: "params.none = 'x'" })).body,
      {},
    );

    assertError(
      await t.post("runs/search", { experiment_ids: [exp], max_results: 50001 }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertEquals((await t.post("runs/search", { experiment_ids: [exp], max_results: 50000 })).status, 200);
    assertError(
      await t.post("runs/search", { experiment_ids: [exp], filter: "metrics.acc > 'x' OR" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertError(
      await t.post("runs/search", { experiment_ids: [exp], page_token: "%%%" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertError(
      await t.post("runs/search", { experiment_ids: [exp], order_by: ["bogus.x"] }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
  }));

Deno.test("MLFLOW_TRUNCATE_LONG_VALUES=false: long param and tag values are refused instead of cut", async () => {
  const previous = Deno.env.get("MLFLOW_TRUNCATE_LONG_VALUES");
  Deno.env.set("MLFLOW_TRUNCATE_LONG_VALUES", "false");
  try {
    await withApp(async (t) => {
      const id = await t.run();
      const before = await t.snapshot();
      assertError(
        await t.post("runs/log-parameter", { run_id: id, key: "p", value: "x".repeat(6001) }),
        400,
        "INVALID_PARAMETER_VALUE",
        "'Param value' exceeds the maximum length of 6000",
      );
      assertError(
        await t.post("runs/log-batch", { run_id: id, tags: [{ key: "t", value: "x".repeat(8001) }] }),
        400,
        "INVALID_PARAMETER_VALUE",
        "'tags[0].value' exceeds the maximum length of 8000",
      );
      assertEquals(await t.snapshot(), before);
      assertEquals(
        (await t.post("runs/set-tag", { run_id: id, key: "t", value: "x".repeat(8000) })).status,
        200,
      );
    });
  } finally {
    if (previous === undefined) Deno.env.delete("MLFLOW_TRUNCATE_LONG_VALUES");
    else Deno.env.set("MLFLOW_TRUNCATE_LONG_VALUES", previous);
  }
});
