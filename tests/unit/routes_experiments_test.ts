// Experiment endpoints (spec §3.1) through the real app and KV store: responses, and every error case of
// the spec table with its status and error_code.

import { AJAX, assert, assertEquals, assertError, uniq, withApp } from "./routes_harness.ts";

Deno.test("experiments: create, get, get-by-name (both prefixes)", () =>
  withApp(async (t) => {
    const r = await t.post("experiments/create", { name: "alpha", tags: [{ key: "team", value: "ml" }] });
    assertEquals(r.status, 200);
    const id = r.body.experiment_id;
    assertEquals(typeof id, "string");
    assertEquals(Object.keys(r.body), ["experiment_id"]);

    const g = await t.get("experiments/get", { experiment_id: id });
    assertEquals(g.status, 200);
    const e = g.body.experiment;
    assertEquals(e.experiment_id, id);
    assertEquals(e.name, "alpha");
    assertEquals(e.artifact_location, `mlflow-artifacts:/${id}`);
    assertEquals(e.lifecycle_stage, "active");
    assertEquals(typeof e.creation_time, "number");
    assertEquals(e.tags, [{ key: "team", value: "ml" }]);

    const byName = await t.get(`${AJAX}/experiments/get-by-name`, { experiment_name: "alpha" });
    assertEquals(byName.body.experiment, e);
  }));

Deno.test("experiments: create errors — duplicate (even deleted), bad names, bad artifact locations", () =>
  withApp(async (t) => {
    await t.experiment("dup");
    assertError(await t.post("experiments/create", { name: "dup" }), 400, "RESOURCE_ALREADY_EXISTS");
    const gone = await t.experiment("gone");
    assertEquals((await t.post("experiments/delete", { experiment_id: gone })).status, 200);
    assertError(await t.post("experiments/create", { name: "gone" }), 400, "RESOURCE_ALREADY_EXISTS");

    assertError(
      await t.post("experiments/create", {}),
      400,
      "INVALID_PARAMETER_VALUE",
      "Missing value for required parameter 'name'",
    );
    assertError(await t.post("experiments/create", { name: "" }), 400, "INVALID_PARAMETER_VALUE", "'name'");
    assertError(await t.post("experiments/create", { name: "   " }), 400, "INVALID_PARAMETER_VALUE");
    assertError(
      await t.post("experiments/create", { name: "x".repeat(501) }),
      400,
      "INVALID_PARAMETER_VALUE",
      "exceeds the maximum length of 500",
    );
    assertEquals((await t.post("experiments/create", { name: "y".repeat(500) })).status, 200);

    for (
      const loc of [
        "http:///#/../../../../etc/",
        "http:///?/../../../../etc/",
        "/data/art;params",
        "runs:/abc/model",
        "x".repeat(2049),
        "http://127.0.0.1:1/x",
        "/tmp/../etc",
      ]
    ) {
      assertError(
        await t.post("experiments/create", { name: uniq("loc"), artifact_location: loc }),
        400,
        "INVALID_PARAMETER_VALUE",
      );
    }
    const ok = await t.post("experiments/create", { name: uniq("loc"), artifact_location: "s3://bucket/x" });
    assertEquals(ok.status, 200);
    const got = await t.get("experiments/get", { experiment_id: ok.body.experiment_id });
    assertEquals(got.body.experiment.artifact_location, "s3://bucket/x");

    assertError(
      await t.post("experiments/create", { name: uniq("tag"), tags: [{ key: "bad*key", value: "v" }] }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Names may only contain",
    );
  }));

Deno.test("experiments: a rejected create leaves the store unchanged", () =>
  withApp(async (t) => {
    await t.experiment("keep");
    const before = await t.snapshot();
    for (
      const body of [
        { name: "keep" },
        { name: "new", artifact_location: "runs:/x" },
        { name: "new2", tags: [{ key: "ok", value: "v" }, { key: "/bad", value: "v" }] },
        { name: 5 },
      ]
    ) {
      assertEquals((await t.post("experiments/create", body)).status, 400);
    }
    assertEquals(await t.snapshot(), before);
  }));

Deno.test("experiments: unknown ids and names → 404 RESOURCE_DOES_NOT_EXIST", () =>
  withApp(async (t) => {
    assertError(await t.get("experiments/get", { experiment_id: "424242" }), 404, "RESOURCE_DOES_NOT_EXIST");
    assertError(
      await t.get("experiments/get-by-name", { experiment_name: "nope" }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
      "Could not find experiment with name 'nope'",
    );
    assertError(
      await t.post("experiments/delete", { experiment_id: "424242" }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
    );
    assertError(await t.get("experiments/get", {}), 400, "INVALID_PARAMETER_VALUE", "'experiment_id'");
  }));

Deno.test("experiments: get-by-name prefers the active experiment over a deleted one", () =>
  withApp(async (t) => {
    const old = await t.experiment("same");
    await t.post("experiments/delete", { experiment_id: old });
    assertEquals(
      (await t.get("experiments/get-by-name", { experiment_name: "same" })).body.experiment.lifecycle_stage,
      "deleted",
    );
    // Renaming the deleted one away frees nothing (MLflow refuses renames of deleted experiments).
    assertEquals((await t.post("experiments/update", { experiment_id: old, new_name: "other" })).status, 400);
  }));

Deno.test("experiments: update renames; taken names and deleted experiments are refused", () =>
  withApp(async (t) => {
    const a = await t.experiment("a");
    await t.experiment("b");
    assertEquals((await t.post("experiments/update", { experiment_id: a, new_name: "a2" })).body, {});
    assertEquals((await t.get("experiments/get", { experiment_id: a })).body.experiment.name, "a2");
    assertError(
      await t.post("experiments/update", { experiment_id: a, new_name: "b" }),
      400,
      "RESOURCE_ALREADY_EXISTS",
    );
    assertError(
      await t.post("experiments/update", { experiment_id: a }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'new_name'",
    );
    assertError(
      await t.post("experiments/update", { experiment_id: a, new_name: " " }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    await t.post("experiments/delete", { experiment_id: a });
    const r = await t.post("experiments/update", { experiment_id: a, new_name: "a3" });
    assertEquals(r.status, 400, r.text);
  }));

Deno.test("experiments: delete marks runs deleted, restore brings them back", () =>
  withApp(async (t) => {
    const id = await t.experiment();
    const run = await t.run(id);
    assertEquals((await t.post("experiments/delete", { experiment_id: id })).body, {});
    assertEquals(
      (await t.get("experiments/get", { experiment_id: id })).body.experiment.lifecycle_stage,
      "deleted",
    );
    assertEquals((await t.get("runs/get", { run_id: run })).body.run.info.lifecycle_stage, "deleted");
    assertError(await t.post("experiments/delete", { experiment_id: id }), 404, "RESOURCE_DOES_NOT_EXIST");
    // A deleted experiment takes no new runs.
    assertError(await t.post("runs/create", { experiment_id: id }), 400, "INVALID_PARAMETER_VALUE");

    assertEquals((await t.post("experiments/restore", { experiment_id: id })).body, {});
    assertEquals((await t.get("runs/get", { run_id: run })).body.run.info.lifecycle_stage, "active");
    assertError(await t.post("experiments/restore", { experiment_id: id }), 404, "RESOURCE_DOES_NOT_EXIST");
  }));

Deno.test("experiments: tags upsert, delete, and refuse deleted experiments and missing tags", () =>
  withApp(async (t) => {
    const id = await t.experiment();
    assertEquals(
      (await t.post("experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "1" })).body,
      {},
    );
    await t.post("experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "2" });
    await t.post("experiments/set-experiment-tag", { experiment_id: id, key: "empty" });
    const tags = (await t.get("experiments/get", { experiment_id: id })).body.experiment.tags;
    assertEquals(
      new Map(tags.map((x: { key: string; value: string }) => [x.key, x.value])),
      new Map([["k", "2"], ["empty", ""]]),
    );

    assertError(
      await t.post("experiments/set-experiment-tag", {
        experiment_id: id,
        key: "v",
        value: "x".repeat(20001),
      }),
      400,
      "INVALID_PARAMETER_VALUE",
      "exceeds the maximum length of 20000",
    );
    assertError(
      await t.post("experiments/set-experiment-tag", { experiment_id: id, key: "a//b", value: "x" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertEquals(
      (await t.post("experiments/delete-experiment-tag", { experiment_id: id, key: "k" })).body,
      {},
    );
    assertError(
      await t.post("experiments/delete-experiment-tag", { experiment_id: id, key: "k" }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
    );
    await t.post("experiments/delete", { experiment_id: id });
    assertError(
      await t.post("experiments/set-experiment-tag", { experiment_id: id, key: "k", value: "3" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
  }));

Deno.test("experiments: custom views are capped at 50 per experiment", () =>
  withApp(async (t) => {
    const id = await t.experiment();
    for (let i = 0; i < 50; i++) {
      const r = await t.post("experiments/set-experiment-tag", {
        experiment_id: id,
        key: `mlflow.customView.view${i}`,
        value: "{}",
      });
      assertEquals(r.status, 200, r.text);
    }
    assertError(
      await t.post("experiments/set-experiment-tag", {
        experiment_id: id,
        key: "mlflow.customView.view50",
        value: "{}",
      }),
      400,
      "INVALID_PARAMETER_VALUE",
      "maximum number of custom views",
    );
    // Overwriting an existing view is still fine at the cap.
    const r = await t.post("experiments/set-experiment-tag", {
      experiment_id: id,
      key: "mlflow.customView.view3",
      value: '{"x":1}',
    });
    assertEquals(r.status, 200);
  }));

Deno.test("experiments: search by POST and GET, paging with next_page_token only when more", () =>
  withApp(async (t) => {
    const names = ["s-a", "s-b", "s-c"];
    for (const n of names) await t.experiment(n);
    const all = await t.post("experiments/search", { filter: "name LIKE 's-%'", order_by: ["name ASC"] });
    assertEquals(all.status, 200, all.text);
    assertEquals(all.body.experiments.map((e: { name: string }) => e.name), names);
    assertEquals("next_page_token" in all.body, false);

    const p1 = await t.get("experiments/search", {
      max_results: 2,
      filter: "name LIKE 's-%'",
      order_by: "name DESC",
    });
    assertEquals(p1.body.experiments.map((e: { name: string }) => e.name), ["s-c", "s-b"]);
    assert(typeof p1.body.next_page_token === "string");
    const p2 = await t.get("experiments/search", {
      max_results: 2,
      filter: "name LIKE 's-%'",
      order_by: "name DESC",
      page_token: p1.body.next_page_token,
    });
    assertEquals(p2.body.experiments.map((e: { name: string }) => e.name), ["s-a"]);
    assertEquals("next_page_token" in p2.body, false);

    // Exactly max_results matches: no token (nothing more to fetch).
    const exact = await t.post("experiments/search", { max_results: 3, filter: "name LIKE 's-%'" });
    assertEquals(exact.body.experiments.length, 3);
    assertEquals("next_page_token" in exact.body, false);

    assertEquals((await t.post("experiments/search", { filter: "name = 'none'" })).body, {});
  }));

Deno.test("experiments: search view types by name or number", () =>
  withApp(async (t) => {
    const gone = await t.experiment("v-gone");
    await t.experiment("v-live");
    await t.post("experiments/delete", { experiment_id: gone });
    const names = async (view_type: unknown) =>
      (await t.post("experiments/search", { view_type, filter: "name LIKE 'v-%'" })).body.experiments
        ?.map((e: { name: string }) => e.name).sort();
    assertEquals(await names(undefined), ["v-live"]);
    assertEquals(await names("DELETED_ONLY"), ["v-gone"]);
    assertEquals(await names(2), ["v-gone"]);
    assertEquals(await names("ALL"), ["v-gone", "v-live"]);
    assertEquals(await names(3), ["v-gone", "v-live"]);
    assertError(await t.post("experiments/search", { view_type: "SOME" }), 400, "INVALID_PARAMETER_VALUE");
  }));

Deno.test("experiments: search errors — max_results, page token, filter, order_by", () =>
  withApp(async (t) => {
    assertError(
      await t.post("experiments/search", { max_results: 0 }),
      400,
      "INVALID_PARAMETER_VALUE",
      "positive",
    );
    assertError(
      await t.post("experiments/search", { max_results: 50001 }),
      400,
      "INVALID_PARAMETER_VALUE",
      "50000",
    );
    assertEquals((await t.post("experiments/search", { max_results: 50000 })).status, 200);
    assertError(
      await t.post("experiments/search", { page_token: "garbage!" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertError(await t.post("experiments/search", { filter: "name ~ 'x'" }), 400, "INVALID_PARAMETER_VALUE");
    assertError(
      await t.post("experiments/search", { order_by: ["nonsense_column"] }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
  }));
