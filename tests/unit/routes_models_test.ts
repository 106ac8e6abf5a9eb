// Logged-model endpoints through the real app and KV store: wire shape, validation errors in MLflow's
// format, finalize/tags/params, search grammar and paging, metrics attached via model_id, artifacts.

import * as path from "node:path";
import { API, assert, assertEquals, assertError, withApp } from "./routes_harness.ts";

const ZERO_ID = "m-" + "0".repeat(32);

Deno.test("logged models: create, get, wire shape", () =>
  withApp(async (t) => {
    const exp = await t.experiment();
    const run = await t.run(exp);
    const r = await t.post("logged-models", {
      experiment_id: exp,
      name: "model",
      model_type: "sklearn",
      source_run_id: run,
      params: [{ key: "alpha", value: "1" }],
      tags: [{ key: "k", value: "v" }],
    });
    assertEquals(r.status, 200, r.text);
    const info = r.body.model.info;
    assert(/^m-[0-9a-f]{32}$/.test(info.model_id));
    assertEquals(info.experiment_id, exp);
    assertEquals(info.name, "model");
    assertEquals(info.status, "LOGGED_MODEL_PENDING");
    assertEquals(info.model_type, "sklearn");
    assertEquals(info.source_run_id, run);
    assertEquals(info.artifact_uri, `mlflow-artifacts:/${exp}/models/${info.model_id}/artifacts`);
    assertEquals(typeof info.creation_timestamp_ms, "number");
    assertEquals(info.tags, [{ key: "k", value: "v" }]);
    assertEquals(r.body.model.data, { params: [{ key: "alpha", value: "1" }] });

    const got = await t.get(`logged-models/${info.model_id}`);
    assertEquals(got.body, r.body);
    // No name: a random one, as MLflow does.
    const anon = await t.post("logged-models", { experiment_id: exp });
    assert(/^[a-z]+-[a-z]+-\d+$/.test(anon.body.model.info.name), anon.text);
  }));

Deno.test("logged models: validation errors in MLflow's format", () =>
  withApp(async (t) => {
    const exp = await t.experiment();
    assertError(
      await t.post("logged-models", {}),
      400,
      "INVALID_PARAMETER_VALUE",
      "Missing value for required parameter 'experiment_id'",
    );
    assertError(await t.post("logged-models", { experiment_id: 5 }), 400, "INVALID_PARAMETER_VALUE");
    assertError(await t.post("logged-models", { experiment_id: "424242" }), 404, "RESOURCE_DOES_NOT_EXIST");
    assertError(
      await t.post("logged-models", { experiment_id: exp, name: "a.b" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "Invalid model name",
    );
    assertError(await t.get(`logged-models/${ZERO_ID}`), 404, "RESOURCE_DOES_NOT_EXIST", ZERO_ID);
    assertError(await t.get("logged-models/not-an-id"), 400, "INVALID_PARAMETER_VALUE");
    const id = (await t.post("logged-models", { experiment_id: exp })).body.model.info.model_id;
    const patch = (body: unknown) =>
      t.raw(`${API}/logged-models/${id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    assertError(await patch({}), 400, "INVALID_PARAMETER_VALUE", "'status'");
    assertError(await patch({ status: 9 }), 400, "INVALID_PARAMETER_VALUE");
    assertEquals((await patch({ status: 2 })).body.model.info.status, "LOGGED_MODEL_READY");
    assertEquals(
      (await patch({ status: "LOGGED_MODEL_UPLOAD_FAILED" })).body.model.info.status,
      "LOGGED_MODEL_UPLOAD_FAILED",
    );
    // Deleted experiments take no new models.
    await t.post("experiments/delete", { experiment_id: exp });
    assertError(await t.post("logged-models", { experiment_id: exp }), 400, "INVALID_PARAMETER_VALUE");
  }));

Deno.test("logged models: tags, params, delete", () =>
  withApp(async (t) => {
    const exp = await t.experiment();
    const id = (await t.post("logged-models", { experiment_id: exp })).body.model.info.model_id;
    const call = (method: string, p: string, body?: unknown) =>
      t.raw(`${API}/logged-models/${id}${p}`, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    assertEquals(
      (await call("PATCH", "/tags", { tags: [{ key: "mlflow.x", value: "1" }, { key: "b", value: "2" }] }))
        .status,
      200,
    );
    assertEquals((await call("POST", "/params", { params: [{ key: "p", value: "v" }] })).status, 200);
    assertEquals((await call("DELETE", "/tags/mlflow.x")).status, 200);
    assertError(await call("DELETE", "/tags/mlflow.x"), 404, "RESOURCE_DOES_NOT_EXIST");
    const got = (await t.get(`logged-models/${id}`)).body.model;
    assertEquals(got.info.tags, [{ key: "b", value: "2" }]);
    assertEquals(got.data.params, [{ key: "p", value: "v" }]);
    assertEquals((await call("DELETE", "")).status, 200);
    assertError(await t.get(`logged-models/${id}`), 404, "RESOURCE_DOES_NOT_EXIST");
    const deleted = await t.get(`logged-models/${id}`, { allow_deleted: "true" });
    assertEquals(deleted.body.model.info.model_id, id);
  }));

Deno.test("logged models: metrics logged with model_id show on the model with their run", () =>
  withApp(async (t) => {
    const exp = await t.experiment();
    const run = await t.run(exp);
    const id = (await t.post("logged-models", { experiment_id: exp })).body.model.info.model_id;
    assertEquals(
      (await t.post("runs/log-metric", {
        run_id: run,
        key: "acc",
        value: "NaN",
        timestamp: 5,
        step: 1,
        model_id: id,
      })).status,
      200,
    );
    await t.post("runs/log-batch", {
      run_id: run,
      metrics: [{
        key: "acc",
        value: 0.5,
        timestamp: 6,
        step: 2,
        model_id: id,
        dataset_name: "d",
        dataset_digest: "x",
      }],
    });
    const m = (await t.get(`logged-models/${id}`)).body.model.data.metrics;
    assertEquals(m, [
      { key: "acc", value: "NaN", timestamp: 5, step: 1, model_id: id, run_id: run },
      {
        key: "acc",
        value: 0.5,
        timestamp: 6,
        step: 2,
        dataset_name: "d",
        dataset_digest: "x",
        model_id: id,
        run_id: run,
      },
    ]);
  }));

Deno.test("logged models: search filters, order_by objects, datasets and pages", () =>
  withApp(async (t) => {
    const exp = await t.experiment();
    const run = await t.run(exp);
    const ids: string[] = [];
    for (const [i, name] of ["a", "b", "c"].entries()) {
      const r = await t.post("logged-models", {
        experiment_id: exp,
        name,
        tags: [{ key: "i", value: String(i) }],
      });
      ids.push(r.body.model.info.model_id);
      await t.post("runs/log-metric", { run_id: run, key: "acc", value: i, timestamp: 1, model_id: ids[i] });
      await new Promise((r) => setTimeout(r, 2));
    }
    await t.raw(`${API}/logged-models/${ids[0]}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "LOGGED_MODEL_READY" }),
    });
    const search = async (body: Record<string, unknown>) => {
      const r = await t.post("logged-models/search", { experiment_ids: [exp], ...body });
      assertEquals(r.status, 200, r.text);
      return (r.body.models ?? []).map((m: { info: { name: string } }) => m.info.name);
    };
    assertEquals(await search({}), ["c", "b", "a"]);
    assertEquals(await search({ filter: "name = 'b'" }), ["b"]);
    assertEquals(await search({ filter: "name IN ('a', 'c')" }), ["c", "a"]);
    assertEquals(await search({ filter: "attributes.name LIKE 'b%'" }), ["b"]);
    assertEquals(await search({ filter: "status = 'READY'" }), ["a"]);
    assertEquals(await search({ filter: "status != 'READY' AND metrics.acc >= 1" }), ["c", "b"]);
    assertEquals(await search({ filter: "tags.i = '1'" }), ["b"]);
    assertEquals(await search({ filter: "tags.`i` != '1'" }), ["c", "a"]);
    assertEquals(await search({ filter: "creation_time > 0" }), ["c", "b", "a"]);
    assertEquals(await search({ order_by: [{ field_name: "metrics.acc", ascending: true }] }), [
      "a",
      "b",
      "c",
    ]);
    assertEquals(await search({ order_by: [{ field_name: "name" }] }), ["a", "b", "c"]);
    assertEquals(await search({ datasets: [{ dataset_name: "nope" }] }), []);
    assertEquals(await search({ experiment_ids: ["424242"] }), []);

    const p1 = await t.post("logged-models/search", { experiment_ids: [exp], max_results: 2 });
    assertEquals(p1.body.models.length, 2);
    const p2 = await t.post("logged-models/search", {
      experiment_ids: [exp],
      max_results: 2,
      page_token: p1.body.next_page_token,
    });
    assertEquals(p2.body.models.length, 1);
    assertEquals(p2.body.next_page_token, undefined);

    assertError(await t.post("logged-models/search", {}), 400, "INVALID_PARAMETER_VALUE", "experiment_ids");
    for (
      const body of [
        { filter: "name = 'a' OR name = 'b'" },
        { filter: "bogus = 'x'" },
        { filter: "metrics.acc > 'x'" },
        { filter: "status = 'SHINY'" },
        { filter: "creation_timestamp LIKE '1%'" },
        { order_by: [{ field_name: "params.x" }] },
        { order_by: [{ field_name: "bogus" }] },
        { datasets: [{ dataset_digest: "x" }] },
        { page_token: "garbage" },
      ]
    ) {
      assertError(
        await t.post("logged-models/search", { experiment_ids: [exp], ...body }),
        400,
        "INVALID_PARAMETER_VALUE",
      );
    }
  }));

Deno.test("logged models: artifact listing and the UI's file download stay in the model's directory", async () => {
  const root = await Deno.makeTempDir({ prefix: "routes_models_" });
  try {
    await withApp(async (t) => {
      const exp = await t.experiment();
      const id = (await t.post("logged-models", { experiment_id: exp })).body.model.info.model_id;
      const dir = path.join(root, exp, "models", id, "artifacts");
      await Deno.mkdir(path.join(dir, "sub"), { recursive: true });
      await Deno.writeTextFile(path.join(dir, "MLmodel"), "flavors: {}\n");
      await Deno.writeTextFile(path.join(dir, "sub", "x.txt"), "x");
      const list = await t.get(`logged-models/${id}/artifacts/directories`);
      assertEquals(list.body, {
        root_uri: `mlflow-artifacts:/${exp}/models/${id}/artifacts`,
        files: [{ path: "MLmodel", is_dir: false, file_size: 12 }, { path: "sub", is_dir: true }],
      });
      const sub = await t.get(`logged-models/${id}/artifacts/directories`, {
        artifact_directory_path: "sub",
      });
      assertEquals(sub.body.files, [{ path: "sub/x.txt", is_dir: false, file_size: 1 }]);
      const file = await t.get(`/ajax-api/2.0/mlflow/logged-models/${id}/artifacts/files`, {
        artifact_file_path: "MLmodel",
      });
      assertEquals(file.status, 200);
      assertEquals(file.text, "flavors: {}\n");
      assertError(
        await t.get(`/ajax-api/2.0/mlflow/logged-models/${id}/artifacts/files`),
        400,
        "BAD_REQUEST",
      );
      assertError(
        await t.get(`/ajax-api/2.0/mlflow/logged-models/${id}/artifacts/files`, {
          artifact_file_path: "missing",
        }),
        404,
        "RESOURCE_DOES_NOT_EXIST",
      );
    }, { artifactsDestination: root });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
