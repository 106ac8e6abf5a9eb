// Model registry endpoints through the real app and KV store: wire shape, MLflow's validation errors,
// aliases, stages, version sources, searches and paging.

import * as path from "node:path";
import { API, assertEquals, assertError, type Env, withApp } from "./routes_harness.ts";

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

/** A registered model with versions from logged models whose artifact directories exist under `root`. */
async function withVersions(t: Env, root: string, name: string, count: number) {
  const exp = await t.experiment();
  const run = await t.run(exp);
  assertEquals((await t.post("registered-models/create", { name })).status, 200);
  const models: string[] = [];
  for (let i = 0; i < count; i++) {
    const lm = await t.post("logged-models", { experiment_id: exp, name: `m${i}`, source_run_id: run });
    const id = lm.body.model.info.model_id;
    models.push(id);
    await Deno.mkdir(path.join(root, exp, "models", id, "artifacts"), { recursive: true });
    await Deno.writeTextFile(path.join(root, exp, "models", id, "artifacts", "MLmodel"), `v${i + 1}`);
    const v = await t.post("model-versions/create", { name, source: `models:/${id}`, model_id: id });
    assertEquals(v.status, 200, v.text);
    assertEquals(v.body.model_version.version, String(i + 1));
  }
  return { exp, run, models };
}

async function withRoot(fn: (t: Env, root: string) => Promise<void>) {
  const root = await Deno.makeTempDir({ prefix: "routes_registry_" });
  try {
    await withApp((t) => fn(t, root), { artifactsDestination: root });
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("registry: registered model create/get/update/rename/delete and wire shape", () =>
  withApp(async (t) => {
    const r = await t.post("registered-models/create", {
      name: "m",
      tags: [{ key: "k", value: "v" }],
      description: "d",
    });
    assertEquals(r.status, 200, r.text);
    const rm = r.body.registered_model;
    assertEquals(rm.name, "m");
    assertEquals(rm.description, "d");
    assertEquals(rm.tags, [{ key: "k", value: "v" }]);
    assertEquals(typeof rm.creation_timestamp, "number");
    assertEquals(rm.latest_versions, undefined);
    assertError(await t.post("registered-models/create", { name: "m" }), 400, "RESOURCE_ALREADY_EXISTS");
    assertError(await t.post("registered-models/create", {}), 400, "INVALID_PARAMETER_VALUE", "'name'");
    assertError(await t.post("registered-models/create", { name: "  " }), 400, "INVALID_PARAMETER_VALUE");
    assertError(await t.get("registered-models/get", { name: "nope" }), 404, "RESOURCE_DOES_NOT_EXIST");

    const upd = await t.raw(
      `${API}/registered-models/update`,
      json("PATCH", { name: "m", description: "new" }),
    );
    assertEquals(upd.body.registered_model.description, "new");
    const ren = await t.post("registered-models/rename", { name: "m", new_name: "m2" });
    assertEquals(ren.body.registered_model.name, "m2");
    assertError(
      await t.post("registered-models/rename", { name: "m2" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "new_name",
    );
    assertEquals(
      (await t.post("registered-models/set-tag", { name: "m2", key: "a", value: "b" })).status,
      200,
    );
    assertError(
      await t.post("registered-models/set-tag", { name: "m2", key: "../x", value: "b" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertEquals(
      (await t.raw(`${API}/registered-models/delete-tag`, json("DELETE", { name: "m2", key: "a" }))).status,
      200,
    );
    // The Python client sends DELETE fields in the body; the query string works too.
    assertEquals((await t.raw(`${API}/registered-models/delete?name=m2`, { method: "DELETE" })).status, 200);
    assertError(await t.get("registered-models/get", { name: "m2" }), 404, "RESOURCE_DOES_NOT_EXIST");
  }));

Deno.test("registry: versions from logged models, download URI, aliases, stages, get-artifact", () =>
  withRoot(async (t, root) => {
    const { exp, run, models } = await withVersions(t, root, "reg", 2);
    const v1 = (await t.get("model-versions/get", { name: "reg", version: "1" })).body.model_version;
    assertEquals(v1.source, `models:/${models[0]}`);
    assertEquals(v1.run_id, run);
    assertEquals(v1.status, "READY");
    assertEquals(v1.current_stage, "None");
    assertEquals(v1.model_id, models[0]);
    const uri = await t.get("model-versions/get-download-uri", { name: "reg", version: "01" });
    assertEquals(uri.body, { artifact_uri: `mlflow-artifacts:/${exp}/models/${models[0]}/artifacts` });
    assertError(
      await t.get("model-versions/get", { name: "reg", version: "abc" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertError(
      await t.get("model-versions/get", { name: "reg", version: "9" }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
    );
    // The logged model records the registration.
    const lm = (await t.get(`logged-models/${models[1]}`)).body.model.info;
    assertEquals(lm.registrations, [{ name: "reg", version: "2" }]);

    assertEquals(
      (await t.post("registered-models/alias", { name: "reg", alias: "champion", version: "2" })).status,
      200,
    );
    const byAlias = await t.get("registered-models/alias", { name: "reg", alias: "champion" });
    assertEquals(byAlias.body.model_version.version, "2");
    assertEquals(byAlias.body.model_version.aliases, ["champion"]);
    assertEquals((await t.get("registered-models/get", { name: "reg" })).body.registered_model.aliases, [
      { alias: "champion", version: "2" },
    ]);
    for (const alias of ["latest", "LATEST", "v1", "V12", "bad alias", "a/b"]) {
      assertError(
        await t.post("registered-models/alias", { name: "reg", alias, version: "1" }),
        400,
        "INVALID_PARAMETER_VALUE",
      );
    }
    assertError(
      await t.post("registered-models/alias", { name: "reg", alias: "x", version: "7" }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
    );
    assertError(
      await t.get("registered-models/alias", { name: "reg", alias: "nope" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertEquals(
      (await t.raw(`${API}/registered-models/alias`, json("DELETE", { name: "reg", alias: "champion" })))
        .status,
      200,
    );

    const tr = await t.post("model-versions/transition-stage", {
      name: "reg",
      version: "1",
      stage: "staging",
      archive_existing_versions: false,
    });
    assertEquals(tr.body.model_version.current_stage, "Staging");
    assertError(
      await t.post("model-versions/transition-stage", { name: "reg", version: "1", stage: "Shipped" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertError(
      await t.post("model-versions/transition-stage", {
        name: "reg",
        version: "1",
        stage: "Archived",
        archive_existing_versions: true,
      }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    const latest = await t.post("registered-models/get-latest-versions", {
      name: "reg",
      stages: ["STAGING"],
    });
    assertEquals(latest.body.model_versions.map((v: { version: string }) => v.version), ["1"]);
    const all = await t.get("registered-models/get-latest-versions", { name: "reg" });
    assertEquals(all.body.model_versions.map((v: { version: string }) => v.version), ["2", "1"]);

    const file = await t.get("/model-versions/get-artifact", { name: "reg", version: "2", path: "MLmodel" });
    assertEquals(file.status, 200);
    assertEquals(file.text, "v2");
    assertError(
      await t.get("/model-versions/get-artifact", { name: "reg", version: "2" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );

    const upd = await t.raw(
      `${API}/model-versions/update`,
      json("PATCH", { name: "reg", version: "1", description: "x" }),
    );
    assertEquals(upd.body.model_version.description, "x");
    assertEquals(
      (await t.post("model-versions/set-tag", { name: "reg", version: "1", key: "k", value: "v" })).status,
      200,
    );
    assertEquals((await t.get("model-versions/get", { name: "reg", version: "1" })).body.model_version.tags, [
      { key: "k", value: "v" },
    ]);
    await t.raw(`${API}/model-versions/delete-tag`, json("DELETE", { name: "reg", version: "1", key: "k" }));
    assertEquals(
      (await t.raw(`${API}/model-versions/delete`, json("DELETE", { name: "reg", version: "1" }))).status,
      200,
    );
    assertError(
      await t.get("model-versions/get", { name: "reg", version: "1" }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
    );
  }));

Deno.test("registry: version sources from runs:/, mlflow-artifacts inside the run, and other versions", () =>
  withRoot(async (t, root) => {
    const exp = await t.experiment();
    const run = await t.run(exp);
    await Deno.mkdir(path.join(root, exp, run, "artifacts", "model"), { recursive: true });
    await t.post("registered-models/create", { name: "src" });
    const fromRun = await t.post("model-versions/create", {
      name: "src",
      source: `runs:/${run}/model`,
      run_id: run,
    });
    assertEquals(fromRun.status, 200, fromRun.text);
    assertEquals(
      (await t.get("model-versions/get-download-uri", { name: "src", version: "1" })).body.artifact_uri,
      `mlflow-artifacts:/${exp}/${run}/artifacts/model`,
    );
    const direct = await t.post("model-versions/create", {
      name: "src",
      source: `mlflow-artifacts:/${exp}/${run}/artifacts/model`,
      run_id: run,
    });
    assertEquals(direct.status, 200, direct.text);
    const copy = await t.post("model-versions/create", { name: "src", source: "models:/src/1" });
    assertEquals(copy.status, 200, copy.text);
    assertEquals(copy.body.model_version.source, "models:/src/1");
    assertEquals(copy.body.model_version.run_id, run);
    assertError(
      await t.post("model-versions/create", { name: "src", source: "models:/src/9" }),
      400,
      "INVALID_PARAMETER_VALUE",
    );
    assertError(
      await t.post("model-versions/create", { name: "nope", source: `runs:/${run}/model` }),
      404,
      "RESOURCE_DOES_NOT_EXIST",
    );
    assertError(
      await t.post("model-versions/create", { name: "src" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "'source'",
    );
  }));

Deno.test("registry: search models and versions with filters, order_by and pages", () =>
  withRoot(async (t, root) => {
    await withVersions(t, root, "alpha", 2);
    await withVersions(t, root, "beta", 1);
    await t.post("registered-models/create", { name: "gamma", tags: [{ key: "team", value: "g" }] });
    await t.post("registered-models/create", {
      name: "prompt",
      tags: [{ key: "mlflow.prompt.is_prompt", value: "true" }],
    });
    const models = async (q: Record<string, string | string[]>) => {
      const r = await t.get("registered-models/search", q);
      assertEquals(r.status, 200, r.text);
      return (r.body.registered_models ?? []).map((m: { name: string }) => m.name);
    };
    assertEquals(await models({}), ["alpha", "beta", "gamma"]);
    assertEquals(await models({ filter: "name = 'beta'" }), ["beta"]);
    assertEquals(await models({ filter: "name ILIKE 'AL%'" }), ["alpha"]);
    assertEquals(await models({ filter: "tags.team = 'g'" }), ["gamma"]);
    assertEquals(await models({ filter: "tags.`mlflow.prompt.is_prompt` = 'true'" }), ["prompt"]);
    assertEquals(await models({ order_by: "name DESC" }), ["gamma", "beta", "alpha"]);
    const first = await t.get("registered-models/search", { max_results: "2" });
    assertEquals(first.body.registered_models.length, 2);
    const rest = await t.get("registered-models/search", {
      max_results: "2",
      page_token: first.body.next_page_token,
    });
    assertEquals(rest.body.registered_models.map((m: { name: string }) => m.name), ["gamma"]);
    const alpha = (await t.get("registered-models/get", { name: "alpha" })).body.registered_model;
    assertEquals(alpha.latest_versions.map((v: { version: string }) => v.version), ["2"]);

    const versions = async (q: Record<string, string | string[]>) => {
      const r = await t.get("model-versions/search", q);
      assertEquals(r.status, 200, r.text);
      return (r.body.model_versions ?? []).map((v: { name: string; version: string }) =>
        `${v.name}/${v.version}`
      );
    };
    assertEquals(await versions({ filter: "name = 'alpha'" }), ["alpha/2", "alpha/1"]);
    assertEquals(await versions({ filter: "name = 'alpha' AND version_number <= 1" }), ["alpha/1"]);
    assertEquals(
      await versions({ filter: "name IN ('alpha', 'beta')", order_by: ["name ASC", "version_number ASC"] }),
      [
        "alpha/1",
        "alpha/2",
        "beta/1",
      ],
    );
    assertEquals(await versions({ filter: "source_path LIKE 'models:/%'" }).then((v) => v.length), 3);

    const badModelQueries: Record<string, string | string[]>[] = [
      { filter: "name = 'a' OR name = 'b'" },
      { filter: "description = 'x'" },
      { filter: "name IS NULL" },
      { filter: "name = alpha" },
      { order_by: "bogus" },
      { order_by: ["name", "name DESC"] },
      { max_results: "1001" },
      { max_results: "0" },
      { page_token: "x" },
    ];
    for (const q of badModelQueries) {
      assertError(await t.get("registered-models/search", q), 400, "INVALID_PARAMETER_VALUE");
    }
    const badVersionQueries: Record<string, string>[] = [
      { filter: "version_number > 'abc'" },
      { filter: "version_number > 1.5" },
      { filter: "source_path IN ('a')" },
      { filter: "tags.x IN ('a')" },
      { max_results: "200001" },
    ];
    for (const q of badVersionQueries) {
      assertError(await t.get("model-versions/search", q), 400, "INVALID_PARAMETER_VALUE");
    }
  }));
