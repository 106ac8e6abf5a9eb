// Wire protocol of the tracking routes (spec §1): body parsing and Content-Type, type errors with MLflow's
// wording and no side effects, unknown fields, nulls, int64/enums in either form, repeated GET keys, both
// prefixes, 404/501 answers, and the generated OpenAPI document.

import { TRACKING_ENDPOINTS } from "../../src/api/schemas/mod.ts";
import { documentedRoutes } from "../../src/api/route-docs.ts";
import { AJAX, API, assert, assertEquals, assertError, type Json, withApp } from "./routes_harness.ts";

Deno.test("protocol: malformed bodies and wrong Content-Type → 400, store unchanged", () =>
  withApp(async (t) => {
    const run = await t.run();
    const before = await t.snapshot();
    const send = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
      t.raw(`${API}/runs/log-metric`, { method: "POST", headers, body });
    const good = JSON.stringify({ run_id: run, key: "m", value: 1, timestamp: 1 });

    assertError(await send("{not json"), 400, "INVALID_PARAMETER_VALUE");
    assertError(
      await send(`{"run_id": "${run}", "key": "m", "value": NaN, "timestamp": 1}`),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertError(await send("[1, 2]"), 400, "INVALID_PARAMETER_VALUE");
    assertError(
      await send(good, { "content-type": "text/plain" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Content-Type",
    );
    assertError(
      await send(good, { "content-type": "application/x-www-form-urlencoded" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Content-Type",
    );
    assertError(await send(good, {}), 400, "INVALID_PARAMETER_VALUE", "Content-Type");
    assertEquals(await t.snapshot(), before);

    // Parameters on the media type are fine, and so is a double-encoded body from old clients.
    assertEquals((await send(good, { "content-type": "application/json; charset=utf-8" })).status, 200);
    assertEquals(
      (await send(JSON.stringify(JSON.stringify({ run_id: run, key: "n", value: 2, timestamp: 1 })))).status,
      200,
    );
    const data = (await t.get("runs/get", { run_id: run })).body.run.data;
    assertEquals(data.metrics.map((m: Json) => m.key).sort(), ["m", "n"]);
  }));

Deno.test("protocol: wrong field types → 400 in MLflow's words, nothing written", () =>
  withApp(async (t) => {
    const exp = await t.experiment("types");
    const run = await t.run(exp);
    const before = await t.snapshot();
    assertEquals(
      assertError(
        await t.post("runs/set-tag", { run_id: 31, key: "k", value: "v" }),
        400,
        "INVALID_PARAMETER_VALUE",
      ),
      "Invalid value 31 for parameter 'run_id' supplied. See the API docs for more information about request parameters.",
    );
    assertError(
      await t.post("runs/set-tag", { run_id: run, key: ["k"], value: "v" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'key'",
    );
    assertError(
      await t.post("runs/set-tag", { run_id: run, key: "k", value: 5 }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'value'",
    );
    assertError(
      await t.post("experiments/create", { name: { a: 1 } }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'name'",
    );
    assertError(
      await t.post("runs/log-batch", { run_id: run, params: [{ key: "p", value: 7 }] }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'params[0].value'",
    );
    assertError(
      await t.post("runs/search", { experiment_ids: [exp], max_results: "many" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertError(
      await t.post("runs/search", { experiment_ids: [exp], max_results: 2.5 }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertError(
      await t.post("runs/create", { experiment_id: exp, tags: [{ key: "k", value: "v" }], start_time: true }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertEquals(await t.snapshot(), before);
  }));

Deno.test("protocol: unknown fields are ignored, null means unset", () =>
  withApp(async (t) => {
    const r = await t.post("experiments/create", {
      name: "extra",
      unknown_field: { deep: [1] },
      artifact_location: null,
    });
    assertEquals(r.status, 200, r.text);
    const run = await t.post("runs/create", {
      experiment_id: r.body.experiment_id,
      run_name: null,
      start_time: null,
      whatever: 1,
      tags: [{ key: "t", value: null, extra: true }],
    });
    assertEquals(run.status, 200, run.text);
    const tags = new Map(run.body.run.data.tags.map((x: Json) => [x.key, x.value]));
    assertEquals(tags.get("t"), "");
    assert(/^[a-z]+-[a-z]+-\d+$/.test(run.body.run.info.run_name));
  }));

Deno.test("protocol: int64 as number or string; enums by name or number", () =>
  withApp(async (t) => {
    const run = await t.run();
    assertEquals(
      (await t.post("runs/log-metric", { run_id: run, key: "a", value: 1, timestamp: "12", step: "-3" }))
        .status,
      200,
    );
    const m = (await t.get("metrics/get-history", { run_id: run, metric_key: "a" })).body.metrics[0];
    assertEquals([m.timestamp, m.step], [12, -3]);
    assertEquals(
      (await t.post("runs/update", { run_id: run, status: "KILLED", end_time: "99" })).body.run_info.end_time,
      99,
    );
    assertEquals((await t.post("runs/update", { run_id: run, status: 4 })).body.run_info.status, "FAILED");
    assertEquals(
      (await t.post("runs/update", { run_id: run, status: "3" })).body.run_info.status,
      "FINISHED",
    );
    assertEquals(
      (await t.post("runs/update", { run_id: run, status: "finished" })).body.run_info.status,
      "FINISHED",
    );
    // Beyond 2^53 is still an integer to MLflow: accepted, not a 400.
    assertEquals(
      (await t.post("runs/log-metric", { run_id: run, key: "b", value: 1, timestamp: 1, step: 2 ** 60 }))
        .status,
      200,
    );
  }));

Deno.test("protocol: GET takes repeated keys for repeated fields and query strings for scalars", () =>
  withApp(async (t) => {
    const a = await t.run();
    const b = await t.run();
    for (const id of [a, b]) {
      await t.post("runs/log-metric", { run_id: id, key: "m", value: 1, timestamp: 1, step: 1 });
    }
    const r = await t.get("metrics/get-history-bulk-interval", { run_ids: [a, b], metric_key: "m" });
    assertEquals(r.body.metrics.map((m: Json) => m.run_id), [a, b]);
    const single = await t.get("metrics/get-history-bulk-interval", { run_ids: a, metric_key: "m" });
    assertEquals(single.body.metrics.map((m: Json) => m.run_id), [a]);

    for (const n of ["g-1", "g-2"]) await t.experiment(n);
    const s = await t.get("experiments/search", {
      filter: "name LIKE 'g-%'",
      order_by: ["name DESC"],
      view_type: "1",
    });
    assertEquals(s.body.experiments.map((e: Json) => e.name), ["g-2", "g-1"]);
  }));

Deno.test("protocol: /api and /ajax-api serve the same endpoints", () =>
  withApp(async (t) => {
    const viaAjax = await t.post(`${AJAX}/experiments/create`, { name: "ajax" });
    assertEquals(viaAjax.status, 200);
    const viaApi = await t.get(`${API}/experiments/get`, { experiment_id: viaAjax.body.experiment_id });
    assertEquals(viaApi.body.experiment.name, "ajax");
    assertError(await t.post(`${AJAX}/experiments/create`, { name: "ajax" }), 400, "RESOURCE_ALREADY_EXISTS");
  }));

Deno.test("protocol: wrong methods and unknown routes → 404 ENDPOINT_NOT_FOUND; presigned URLs → 501", () =>
  withApp(async (t) => {
    assertError(await t.get("experiments/create", { name: "x" }), 404, "ENDPOINT_NOT_FOUND");
    assertError(await t.post("runs/get", { run_id: "x" }), 404, "ENDPOINT_NOT_FOUND");
    assertError(await t.post("runs/nope", {}), 404, "ENDPOINT_NOT_FOUND");
    assertError(
      await t.post("artifacts/presigned-upload-url", { run_id: "r", path: "p" }),
      501,
      "NOT_IMPLEMENTED",
    );
    assertError(
      await t.post("artifacts/presigned-download-url", { run_id: "r", path: "p" }),
      501,
      "NOT_IMPLEMENTED",
    );
  }));

Deno.test("openapi.json: generated from the schemas, lists every tracking endpoint and method", () =>
  withApp(async (t) => {
    const r = await t.get("/api/openapi.json");
    assertEquals(r.status, 200);
    const doc = r.body;
    assertEquals(doc.openapi, "3.1.0");
    for (const ep of TRACKING_ENDPOINTS) {
      const path = (ep.ajaxOnly ? AJAX : API) + ep.path;
      for (const method of ep.methods) {
        const op = doc.paths[path]?.[method.toLowerCase()];
        assert(op, `${method} ${path} missing`);
        assertEquals(op.summary, ep.summary);
      }
    }
    const logBatch = doc.paths[`${API}/runs/log-batch`].post;
    const body = logBatch.requestBody.content["application/json"].schema;
    assertEquals(body.required, ["run_id"]);
    assertEquals(body.properties.metrics.items.required, ["key", "value", "timestamp"]);
    const history = doc.paths[`${API}/metrics/get-history`].get;
    const names = history.parameters.map((p: Json) => p.name);
    assert(names.includes("metric_key") && names.includes("max_results"), names.join());
    assertEquals(doc.paths[`${API}/experiments/search`].get.operationId, "searchExperimentsGet");
    assert(
      doc.paths[`${API}/runs/get`].get.responses["200"].content["application/json"].schema.properties.run,
    );
    // Only the tracking prefixes are documented here.
    for (const path of Object.keys(doc.paths)) assert(path.startsWith(API) || path.startsWith(AJAX), path);
  }));

Deno.test("openapi.json: registry and logged-model routes are documented, and every documented path is served", () =>
  withApp(async (t) => {
    const doc = (await t.get("/api/openapi.json")).body;
    const create = doc.paths[`${API}/registered-models/create`]?.post;
    assert(create, "registered-models/create missing");
    assertEquals(create.requestBody.content["application/json"].schema.required, ["name"]);
    const alias = doc.paths[`${API}/registered-models/alias`];
    assert(alias.post && alias.delete && alias.get, Object.keys(alias).join());
    const tag = doc.paths[`${API}/logged-models/{model_id}/tags/{tag_key}`]?.delete;
    assert(tag, "logged-models tag delete missing");
    assertEquals(tag.parameters.map((p: Json) => [p.name, p.in]), [["model_id", "path"], [
      "tag_key",
      "path",
    ]]);
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      for (const [method, op] of Object.entries(item)) {
        assert(!ids.has(op.operationId), `duplicate operationId ${op.operationId}`);
        ids.add(op.operationId);
        // A documented route answers with anything but "no such endpoint" (errors for the empty body are fine).
        const url = path.replace(/\{[^}]+\}/g, "x");
        const r = await t.raw(url, {
          method: method.toUpperCase(),
          ...(method === "get" ? {} : { headers: { "content-type": "application/json" }, body: "{}" }),
        });
        assert(r.body?.error_code !== "ENDPOINT_NOT_FOUND", `${method} ${path} is documented but not served`);
      }
    }
    const tracking = TRACKING_ENDPOINTS.reduce((n, ep) => n + ep.methods.length, 0);
    assertEquals(ids.size, tracking + documentedRoutes().length);
  }));
