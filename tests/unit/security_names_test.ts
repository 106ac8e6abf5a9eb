// Security suite, names (security-cases.md: CVE-2024-3099 look-alike names, CVE-2025-11201 model
// creation path traversal): a URL-encoded look-alike never becomes a second model, and model names never
// act as paths.

import { assertEquals, assertRefused, withSecurityEnv } from "./security_harness.ts";

Deno.test("security: CVE-2024-3099 URL-encoded look-alike names do not create a second model", () =>
  withSecurityEnv(async (env) => {
    assertEquals((await env.post("registered-models/create", { name: "name" })).status, 200);
    for (const lookAlike of ["%6eame", "%6Eame", "%256eame", "n%61me", "%25", "name%00", "name\u0000"]) {
      const r = await env.post("registered-models/create", { name: lookAlike });
      assertRefused(r, `create ${JSON.stringify(lookAlike)}`);
      assertEquals(r.body.error_code, "INVALID_PARAMETER_VALUE");
      const renamed = await env.post("registered-models/rename", { name: "name", new_name: lookAlike });
      assertRefused(renamed, `rename to ${JSON.stringify(lookAlike)}`);
    }
    // The query string is decoded once, as HTTP says: `%6eame` there is `name` itself.
    const got = await env.req("GET", "/api/2.0/mlflow/registered-models/get?name=%6eame");
    assertEquals(got.status, 200, got.text);
    assertEquals(got.body.registered_model.name, "name");
    const twice = await env.req("GET", "/api/2.0/mlflow/registered-models/get?name=%256eame");
    assertRefused(twice, "double-encoded get");
    const all = await env.get("registered-models/search", {});
    assertEquals(all.body.registered_models.map((m: { name: string }) => m.name), ["name"]);
  }));

Deno.test("security: CVE-2025-11201 model names that act as paths are refused", () =>
  withSecurityEnv(async (env) => {
    for (const name of ["../../etc", "a/b", "..", "./x", "/abs", "x:y", "a\\..\\b"]) {
      const r = await env.post("registered-models/create", { name });
      assertRefused(r, `registered model ${name}`);
    }
    const e = await env.post("experiments/create", { name: "lm-names" });
    for (const name of ["../../etc", "a/b", "..", "x:y", "a.b", "%2e%2e", "it's", 'q"']) {
      const r = await env.post("logged-models", { experiment_id: e.body.experiment_id, name });
      assertRefused(r, `logged model ${name}`);
    }
  }));
