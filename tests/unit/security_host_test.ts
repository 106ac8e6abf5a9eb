// Security suite, browser-driven attacks (security-cases.md: CVE-2023-43472 DNS rebinding, CVE-2025-1473
// CSRF): the security guard in front of the real app refuses foreign Host headers and cross-origin state
// changes with 403 in MLflow's error format, and changes nothing.

import { Hono } from "hono";
import {
  isAllowedHost,
  isAllowedOrigin,
  isDefaultAllowedHost,
  securityGuard,
  splitHost,
} from "../../src/server/security-guard.ts";
import { assert, assertEquals, assertRefused, withSecurityEnv } from "./security_harness.ts";

Deno.test("host guard: defaults are loopback and private networks on any port", () => {
  for (
    const h of [
      "localhost",
      "127.0.0.1",
      "127.1.2.3",
      "::1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.9.9",
      "192.168.1.5",
    ]
  ) {
    assert(isDefaultAllowedHost(h), h);
  }
  for (
    const h of ["evil.example", "172.32.0.1", "8.8.8.8", "10.example.com", "192.169.0.1", "localhost.evil"]
  ) {
    assert(!isDefaultAllowedHost(h), h);
  }
  assertEquals(splitHost("[::1]:5000"), { name: "::1", port: "5000" });
  assertEquals(splitHost("LocalHost:80"), { name: "localhost", port: "80" });
  assert(isAllowedHost("localhost:5000"));
  assert(isAllowedHost("[::1]:5000"));
  assert(!isAllowedHost("evil.example:5000"));
  assert(!isAllowedHost(undefined));
  assert(isAllowedHost("tracker.corp:443", ["tracker.corp"]));
  assert(isAllowedHost("a.corp", ["*.corp"]));
  assert(!isAllowedHost("a.corp.evil", ["*.corp"]));
  assert(isAllowedHost("anything", ["*"]));
});

Deno.test("origin guard: same origin, localhost origins and configured ones may change state", () => {
  assert(isAllowedOrigin(undefined, "x"));
  assert(isAllowedOrigin("http://localhost:3000", "127.0.0.1:5000"));
  assert(isAllowedOrigin("http://192.168.1.5:5000", "192.168.1.5:5000"));
  assert(!isAllowedOrigin("http://evil.example", "127.0.0.1:5000"));
  assert(!isAllowedOrigin("null", "127.0.0.1:5000"));
  assert(isAllowedOrigin("https://ui.corp", "127.0.0.1:5000", ["https://ui.corp"]));
  assert(isAllowedOrigin("https://a.corp", "127.0.0.1:5000", ["https://*.corp"]));
});

Deno.test("security: CVE-2023-43472 DNS rebinding and cross-origin writes are refused by the guard", () =>
  withSecurityEnv(async (env) => {
    const guarded = new Hono();
    guarded.use("*", securityGuard());
    guarded.route("/", env.app);
    const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
      const res = await guarded.request(path, {
        method,
        headers: { "content-type": "application/json", ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed, text, headers: res.headers };
    };
    const create = { name: "rebound" };
    // Rebinding: the browser thinks it is on evil.example, so it sends that Host.
    for (const host of ["evil.example", "evil.example:5000", "127.0.0.1.nip.io:5000", ""]) {
      const r = await call("POST", "/api/2.0/mlflow/experiments/create", { host }, create);
      assertRefused(r, `Host ${host}`);
      assertEquals(r.status, 403);
      assertRefused(await call("GET", "/api/2.0/mlflow/experiments/search", { host }), `GET Host ${host}`);
    }
    // A page on another origin posting JSON to the real host (after a CORS-less preflight it could not
    // even send it; without one, e.g. from an old browser or a plugin, the guard still refuses).
    for (const origin of ["http://evil.example", "null", "https://127.0.0.1.evil.example"]) {
      const r = await call("POST", "/api/2.0/mlflow/registered-models/create", {
        host: "127.0.0.1:5000",
        origin,
      }, create);
      assertRefused(r, `Origin ${origin}`);
      assertEquals(r.status, 403);
      const del = await call("DELETE", "/api/2.0/mlflow-artifacts/artifacts/x", {
        host: "127.0.0.1:5000",
        origin,
      });
      assertEquals(del.status, 403);
    }
    const models = await env.get("registered-models/search", {});
    assertEquals(models.body, {});
    const exps = await env.get("experiments/get-by-name", { experiment_name: "rebound" });
    assertEquals(exps.status, 404);

    // The server's own origin and local tools keep working; /health stays open for probes.
    const ok = await call("POST", "/api/2.0/mlflow/experiments/create", {
      host: "127.0.0.1:5000",
      origin: "http://127.0.0.1:5000",
    }, { name: "same-origin" });
    assertEquals(ok.status, 200, ok.text);
    assertEquals(ok.headers.get("x-frame-options"), "SAMEORIGIN");
    assertEquals((await call("GET", "/health", { host: "evil.example" })).status, 200);
  }));
