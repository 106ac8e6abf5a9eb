// Security suite, cross-origin (security-cases.md: CVE-2023-43472 "a malicious page drives a local
// MLflow", CVE-2025-1473 CSRF): a page in a browser can only send "simple" requests without a CORS
// preflight, i.e. GET and POST with text/plain, form or multipart bodies. Every POST route of the app
// (enumerated from the router, not listed by hand) must refuse such bodies and change nothing.

import { assert, assertEquals, withSecurityEnv } from "./security_harness.ts";

// Raw-body routes take bytes by design (as MLflow's do); they write only inside the artifact root,
// which the harness checks, and never create tracking or registry state.
const RAW_BODY = [/mlflow-artifacts/, /upload-artifact/];

Deno.test("security: simple cross-origin POSTs (text/plain, form, multipart) are refused on every JSON route", () =>
  withSecurityEnv(async (env) => {
    const { runId } = await env.runWithFile();
    await env.post("registered-models/create", { name: "keep" });
    const state = async () => ({
      experiments: await env.get("experiments/search", { max_results: "1000", view_type: "ALL" }),
      run: await env.get("runs/get", { run_id: runId }),
      models: await env.get("registered-models/search", {}),
    });
    const snapshot = async () => {
      const s = await state();
      // Times of unrelated reads do not change; compare bodies.
      return JSON.stringify([s.experiments.body, s.run.body, s.models.body]);
    };
    const before = await snapshot();
    const routes = env.app.routes
      .filter((r) => r.method === "POST" && !RAW_BODY.some((re) => re.test(r.path)))
      .map((r) => r.path.replace(/:model_id(\{[^}]*\})?/g, `m-${"0".repeat(32)}`).replace(/\*$/, "x"));
    assert(routes.length > 20, `only ${routes.length} POST routes found`);
    const payload = JSON.stringify({
      name: "csrf",
      experiment_id: "0",
      run_id: runId,
      key: "k",
      value: "v",
      source: "models:/keep/1",
    });
    for (const path of new Set(routes)) {
      for (
        const [type, body] of [
          ["text/plain", payload],
          ["application/x-www-form-urlencoded", "name=csrf&experiment_id=0"],
          [
            "multipart/form-data; boundary=x",
            `--x\r\nContent-Disposition: form-data; name="name"\r\n\r\ncsrf\r\n--x--`,
          ],
        ]
      ) {
        const r = await env.req("POST", path, body, { "content-type": type, origin: "http://evil.example" });
        // 4xx, or 501 from routes tracker does not implement; never a success, never a 500.
        assert(
          (r.status >= 400 && r.status < 500) || r.status === 501,
          `POST ${path} (${type}) -> ${r.status}: ${r.text}`,
        );
      }
    }
    assertEquals(await snapshot(), before);
  }));
