// UI pages rendered by the real app over the real (in-memory) KV store: status, security headers,
// escaping of user-written text, the islands' JSON data block, assets and the static prefix.

import { assert, assertEquals, type Env, withApp } from "./routes_harness.ts";
import { ASSETS } from "../../src/server/routes/ui-assets.ts";

const EVIL = `<script>alert("x")</script><img src=x onerror=alert(1)>`;

async function page(env: Env, path: string) {
  const res = await env.app.request(path);
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/** The JSON block the islands hydrate from. */
function islandProps(html: string): unknown[] {
  const m = /<script type="application\/json" id="tracker-islands">([\s\S]*?)<\/script>/.exec(html);
  assert(m, "no islands data block");
  return JSON.parse(m[1]);
}

function assertStrictCsp(headers: Headers) {
  const csp = headers.get("content-security-policy") ?? "";
  assert(csp.includes("script-src 'self'"), csp);
  assert(!/script-src[^;]*unsafe-inline/.test(csp), csp);
  assert(csp.includes("object-src 'none'"), csp);
}

Deno.test("experiments page: sidebar, header and first rows, user text escaped, strict CSP", async () => {
  await withApp(async (env) => {
    const exp = await env.experiment(`exp ${EVIL}`);
    const run = await env.run(exp, { run_name: `run ${EVIL}` });
    await env.post("runs/log-batch", {
      run_id: run,
      metrics: [{ key: "acc", value: 0.5, timestamp: 1, step: 0 }],
      params: [{ key: "lr", value: EVIL }],
    });
    const p = await page(env, `/?e=${exp}`);
    assertEquals(p.status, 200);
    assertStrictCsp(p.headers);
    assertEquals(p.headers.get("content-type"), "text/html; charset=utf-8");
    // No user-written markup survives as markup; no inline script exists at all.
    assert(!p.html.includes("<script>alert"), "raw script from user text");
    assert(!p.html.includes("<img src=x"), "raw img from user text");
    assert(p.html.includes("exp &lt;script>"), "escaped experiment name rendered");
    const inline = [...p.html.matchAll(/<script(?![^>]*\bsrc=)(?![^>]*application\/json)[^>]*>/g)];
    assertEquals(inline.length, 0, `inline scripts: ${inline.map((m) => m[0])}`);
    const props = islandProps(p.html) as Record<string, unknown>[];
    const runsView = props.find((x) => x && typeof x === "object" && "initial" in x) as {
      initial: { total: number; rows: { id: string; cells: unknown[] }[] };
      state: { columns: { kind: string; key: string }[] };
    };
    assertEquals(runsView.initial.total, 1);
    assertEquals(runsView.initial.rows[0].id, run);
    const cols = runsView.state.columns.map((c) => `${c.kind}:${c.key}`);
    assert(cols.includes("m:acc") && cols.includes("p:lr"), cols.join());
    assertEquals(runsView.initial.rows[0].cells[cols.indexOf("p:lr")], EVIL);
  });
});

Deno.test("experiments page: invalid filter in the URL renders the page with the error inline", async () => {
  await withApp(async (env) => {
    const exp = await env.experiment();
    await env.run(exp);
    const p = await page(env, `/?e=${exp}&q=${encodeURIComponent("metrics.acc >")}`);
    assertEquals(p.status, 200);
    assert(p.html.includes('class="filter-error"'), "inline error element");
    const props = islandProps(p.html) as { initialError?: string }[];
    assert(props.some((x) => typeof x?.initialError === "string" && x.initialError.length > 0));
  });
});

Deno.test("run page: facts, markdown description sanitised, tabs, unknown run is a 404 page", async () => {
  await withApp(async (env) => {
    const exp = await env.experiment();
    const run = await env.run(exp, { run_name: "r1" });
    const note = `# Title\n[click](javascript:alert(1)) [ok](https://example.com) ${EVIL}`;
    await env.post("runs/set-tag", { run_id: run, key: "mlflow.note.content", value: note });
    const p = await page(env, `/runs/${run}`);
    assertEquals(p.status, 200);
    assertStrictCsp(p.headers);
    assert(p.html.includes("<h2>Title</h2>"), "markdown heading rendered");
    assert(p.html.includes('href="https://example.com"'), "safe link kept");
    assert(!/href="javascript/i.test(p.html), "javascript: link not rendered as a link");
    assert(!p.html.includes("<script>alert"), "raw HTML escaped");
    for (const tab of ["charts", "artifacts"]) {
      const t = await page(env, `/runs/${run}?tab=${tab}`);
      assertEquals(t.status, 200);
      assert(t.html.includes(`data-island="${tab === "charts" ? "MetricCharts" : "ArtifactBrowser"}"`));
    }
    const missing = await page(env, "/runs/0123456789abcdef0123456789abcdef");
    assertEquals(missing.status, 404);
    assert(missing.html.includes("Not found"));
  });
});

Deno.test("compare page lists the runs and leaves unknown ids out", async () => {
  await withApp(async (env) => {
    const exp = await env.experiment();
    const a = await env.run(exp, { run_name: "alpha" });
    const b = await env.run(exp, { run_name: "beta" });
    const p = await page(env, `/compare?runs=${a},${b},nope`);
    assertEquals(p.status, 200);
    assert(p.html.includes("Comparing 2 runs"));
    assert(p.html.includes("Unknown runs left out: nope"));
    assert(p.html.includes("alpha") && p.html.includes("beta"));
  });
});

Deno.test("assets: hashed names, immutable caching, unknown names 404; pages link them", async () => {
  await withApp(async (env) => {
    for (const a of Object.values(ASSETS)) {
      const res = await env.app.request(`/static-files/${a.name}`);
      assertEquals(res.status, 200);
      assertEquals(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
      assertEquals(await res.text(), a.body);
    }
    assertEquals((await env.app.request("/static-files/app.00000000.js")).status, 404);
    const p = await page(env, "/");
    assert(p.html.includes(`src="/static-files/${ASSETS.js.name}"`));
    assert(p.html.includes(`href="/static-files/${ASSETS.css.name}"`));
    assert(ASSETS.css.body.includes(".uplot"), "uPlot's stylesheet is embedded");
  });
});

Deno.test("static prefix: pages, assets and links live under it; REST keeps working", async () => {
  await withApp(async (env) => {
    const created = await env.post("/tracker/api/2.0/mlflow/experiments/create", { name: "prefixed" });
    assertEquals(created.status, 200, created.text);
    const exp = created.body.experiment_id;
    const p = await page(env, `/tracker?e=${exp}`);
    assertEquals(p.status, 200);
    assert(p.html.includes('data-base="/tracker"'));
    assert(p.html.includes(`src="/tracker/static-files/${ASSETS.js.name}"`));
    assertEquals((await env.app.request(`/tracker/static-files/${ASSETS.js.name}`)).status, 200);
    assertEquals(
      (await env.app.request("/tracker/api/2.0/mlflow/experiments/get?experiment_id=" + exp)).status,
      200,
    );
  }, { staticPrefix: "/tracker" });
});

Deno.test("registry pages render their islands; the model name is escaped", async () => {
  await withApp(async (env) => {
    const list = await page(env, "/models");
    assertEquals(list.status, 200);
    assert(list.html.includes('data-island="ModelsList"'));
    const one = await page(env, `/models/${encodeURIComponent(EVIL)}`);
    assertEquals(one.status, 200);
    assertStrictCsp(one.headers);
    assert(!one.html.includes("<script>alert"), "model name escaped");
    assertEquals((islandProps(one.html) as { name?: string }[]).find((x) => x?.name)?.name, EVIL);
  });
});

Deno.test("artifact preview: inline only under a sandbox CSP, truncated on request, path-checked", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tracker-ui-art-" });
  try {
    await withApp(async (env) => {
      const exp = await env.experiment();
      const run = await env.run(exp);
      const html = "<html><script>alert(1)</script><p>report</p></html>";
      const up = await env.raw(`/ajax-api/2.0/mlflow/upload-artifact?run_id=${run}&path=report.html`, {
        method: "POST",
        body: html,
      });
      assertEquals(up.status, 200, up.text);
      const res = await env.app.request(
        `/ajax-api/2.0/tracker/artifact-preview?run_id=${run}&path=report.html`,
      );
      assertEquals(res.status, 200);
      const csp = res.headers.get("content-security-policy") ?? "";
      assert(csp.startsWith("sandbox"), csp);
      assert(csp.includes("default-src 'none'"), csp);
      assertEquals(res.headers.get("content-disposition"), "inline");
      assertEquals(res.headers.get("x-content-type-options"), "nosniff");
      assertEquals(await res.text(), html);
      const cut = await env.app.request(
        `/ajax-api/2.0/tracker/artifact-preview?run_id=${run}&path=report.html&max_bytes=10`,
      );
      assertEquals(await cut.text(), html.slice(0, 10));
      assertEquals(cut.headers.get("x-artifact-truncated"), "true");
      const escape = await env.app.request(
        `/ajax-api/2.0/tracker/artifact-preview?run_id=${run}&path=../../etc/passwd`,
      );
      assertEquals(escape.status, 400);
    }, { artifactsDestination: dir });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("run page: name editor, datasets with schema and profile, logged models linked with a register island", async () => {
  await withApp(async (env) => {
    const exp = await env.experiment();
    const run = await env.run(exp, { run_name: "r1" });
    const schema = JSON.stringify({
      mlflow_colspec: [{ type: "double", name: `x${EVIL}`, required: true }, { type: "long", name: "y" }],
    });
    const logged = await env.post("runs/log-inputs", {
      run_id: run,
      datasets: [{
        dataset: {
          name: `ds ${EVIL}`,
          digest: "abc123",
          source_type: "local",
          source: JSON.stringify({ uri: "/data/train.csv" }),
          schema,
          profile: JSON.stringify({ num_rows: 7, num_elements: 14 }),
        },
        tags: [{ key: "mlflow.data.context", value: "training" }],
      }],
    });
    assertEquals(logged.status, 200, logged.text);
    const model = await env.post("logged-models", { experiment_id: exp, name: "clf", source_run_id: run });
    assertEquals(model.status, 200, model.text);
    const modelId = model.body.model.info.model_id;
    assertEquals(
      (await env.post("runs/outputs", { run_id: run, models: [{ model_id: modelId, step: 0 }] })).status,
      200,
    );
    // A model the run read (MLflow 3 model input) and an MLflow 2 model in the log-model history tag.
    const input = await env.post("logged-models", { experiment_id: exp, name: "base-model" });
    const inputId = input.body.model.info.model_id;
    assertEquals(
      (await env.post("runs/log-inputs", { run_id: run, models: [{ model_id: inputId }] })).status,
      200,
    );
    const history = JSON.stringify([{ artifact_path: "old-model", flavors: { sklearn: {} } }]);
    await env.post("runs/set-tag", { run_id: run, key: "mlflow.log-model.history", value: history });
    const p = await page(env, `/runs/${run}`);
    assertEquals(p.status, 200);
    assert(!p.html.includes("<img src=x"), "user text escaped");
    assert(p.html.includes("ds &lt;script>"), "dataset name rendered escaped");
    assert(
      p.html.includes(`href="/logged-models/${inputId}"`) && p.html.includes(">base-model<"),
      "input model",
    );
    assert(p.html.includes("/data/train.csv"), "source uri shown");
    assert(p.html.includes("num_rows") && p.html.includes(">7<"), "profile shown");
    assert(p.html.includes('class="kv schema-table"') && p.html.includes(">long<"), "schema table");
    assert(p.html.includes(`href="/logged-models/${modelId}"`), "logged model linked");
    assert(p.html.includes(">clf<"), "logged model name shown");
    const props = islandProps(p.html) as Record<string, unknown>[];
    assert(props.some((x) => x?.runId === run && x?.name === "r1"), "RunNameEditor props");
    assert(props.some((x) => x?.modelId === modelId && x?.runId === run), "RegisterModel props");
    assert(
      props.some((x) => x?.artifactPath === "old-model" && x?.runId === run),
      "MLflow 2 model registrable",
    );
  });
});

Deno.test("logged-model pages: experiment list and model page escaped; artifacts previewed by model id", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tracker-ui-art-" });
  try {
    await withApp(async (env) => {
      const exp = await env.experiment(`exp ${EVIL}`);
      const run = await env.run(exp, { run_name: `run ${EVIL}` });
      const created = await env.post("logged-models", {
        experiment_id: exp,
        name: "net",
        source_run_id: run,
        params: [{ key: "lr", value: EVIL }],
        tags: [{ key: "team", value: EVIL }],
      });
      assertEquals(created.status, 200, created.text);
      const id = created.body.model.info.model_id;
      const upload = await env.raw(
        `/api/2.0/mlflow-artifacts/artifacts/${exp}/models/${id}/artifacts/MLmodel`,
        {
          method: "PUT",
          body: "flavors: {}\n",
        },
      );
      assertEquals(upload.status, 200, upload.text);

      const list = await page(env, `/logged-models?e=${exp}`);
      assertEquals(list.status, 200);
      assertStrictCsp(list.headers);
      assert(!list.html.includes("<img src=x"), "user text escaped in the list");
      assert(list.html.includes(`href="/logged-models/${id}"`) && list.html.includes(`href="/runs/${run}"`));
      // The filter takes MLflow's logged-model grammar; a bad one is shown inline over an empty list.
      const other = await env.post("logged-models", { experiment_id: exp, name: "other" });
      const otherId = other.body.model.info.model_id;
      const q = (f: string) => page(env, `/logged-models?e=${exp}&q=${encodeURIComponent(f)}`);
      const named = await q("name = 'other'");
      assert(
        named.html.includes(`/logged-models/${otherId}"`) && !named.html.includes(`/logged-models/${id}"`),
      );
      const bad = await q("params.lr >");
      assertEquals(bad.status, 200);
      assert(
        bad.html.includes('class="filter-error error"') && !bad.html.includes(`/logged-models/${otherId}"`),
      );

      const one = await page(env, `/logged-models/${id}`);
      assertEquals(one.status, 200);
      assertStrictCsp(one.headers);
      assert(!one.html.includes("<img src=x"), "user text escaped on the model page");
      const props = islandProps(one.html) as Record<string, unknown>[];
      const browser = props.find((x) => x?.modelId === id && Array.isArray(x?.root)) as {
        root: { path: string }[];
      };
      assertEquals(browser.root.map((f) => f.path), ["MLmodel"]);
      assert(props.some((x) => (x?.target as { kind?: string })?.kind === "logged-model"), "tag editor");

      const preview = await env.app.request(
        `/ajax-api/2.0/tracker/artifact-preview?model_id=${id}&path=MLmodel`,
      );
      assertEquals(preview.status, 200);
      assert((preview.headers.get("content-security-policy") ?? "").startsWith("sandbox"));
      assertEquals(await preview.text(), "flavors: {}\n");
      const both = await env.app.request(
        `/ajax-api/2.0/tracker/artifact-preview?model_id=${id}&run_id=${run}&path=MLmodel`,
      );
      assertEquals(both.status, 400);
      assertEquals((await both.json()).error_code, "INVALID_PARAMETER_VALUE");

      assertEquals((await page(env, `/logged-models/m-${"0".repeat(32)}`)).status, 404);
      assertEquals((await page(env, "/logged-models?e=424242")).status, 404);
      // A registered model called "logged" still has its own page.
      assertEquals((await page(env, "/models/logged")).status, 200);
    }, { artifactsDestination: dir });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("model version page renders its island with the name and version, escaped", async () => {
  await withApp(async (env) => {
    const p = await page(env, `/models/${encodeURIComponent(EVIL)}/versions/3`);
    assertEquals(p.status, 200);
    assertStrictCsp(p.headers);
    assert(!p.html.includes("<script>alert"), "model name escaped");
    const props = islandProps(p.html) as { name?: string; version?: string }[];
    assert(props.some((x) => x?.name === EVIL && x?.version === "3"));
  });
});

Deno.test("logged-model pages list the versions registered from the model that still exist", async () => {
  await withApp(async (env) => {
    const exp = await env.experiment();
    const run = await env.run(exp);
    const made = await env.post("logged-models", { experiment_id: exp, name: "net", source_run_id: run });
    const id = made.body.model.info.model_id;
    assertEquals(
      (await env.post("runs/outputs", { run_id: run, models: [{ model_id: id, step: 0 }] })).status,
      200,
    );
    assertEquals((await env.post("registered-models/create", { name: "reg" })).status, 200);
    for (let i = 0; i < 2; i++) {
      const v = await env.post("model-versions/create", {
        name: "reg",
        source: `models:/${id}`,
        run_id: run,
        model_id: id,
      });
      assertEquals(v.status, 200, v.text);
    }
    const del = await env.raw("/api/2.0/mlflow/model-versions/delete", {
      method: "DELETE",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "reg", version: "1" }),
    });
    assertEquals(del.status, 200, del.text);
    const registered = (html: string) =>
      (islandProps(html) as { modelId?: string; registrations?: unknown }[])
        .find((x) => x?.modelId === id && x.registrations)?.registrations;
    // The run page's register island and the model page's both hold version 2 only.
    assertEquals(registered((await page(env, `/runs/${run}`)).html), [{ name: "reg", version: "2" }]);
    const one = await page(env, `/logged-models/${id}`);
    assertEquals(registered(one.html), [{ name: "reg", version: "2" }]);
    const list = await page(env, `/logged-models?e=${exp}`);
    assert(
      list.html.includes('href="/models/reg/versions/2"') && !list.html.includes("/models/reg/versions/1"),
    );
  });
});

Deno.test("static prefix: logged-model and version pages live under it and link under it", async () => {
  await withApp(async (env) => {
    const exp =
      (await env.post("/tracker/api/2.0/mlflow/experiments/create", { name: "p" })).body.experiment_id;
    const made = await env.post("/tracker/api/2.0/mlflow/logged-models", { experiment_id: exp, name: "m" });
    const id = made.body.model.info.model_id;
    const list = await page(env, `/tracker/logged-models?e=${exp}`);
    assertEquals(list.status, 200);
    assert(list.html.includes(`href="/tracker/logged-models/${id}"`), "model link under the prefix");
    const one = await page(env, `/tracker/logged-models/${id}`);
    assertEquals(one.status, 200);
    assert(one.html.includes(`href="/tracker/logged-models?e=${exp}"`), "breadcrumb under the prefix");
    assertEquals((await page(env, "/tracker/models/m/versions/1")).status, 200);
    assertEquals((await page(env, `/logged-models/${id}`)).status, 404);
  }, { staticPrefix: "/tracker" });
});
