// Security suite, location family (security-cases.md, tables 2–4): experiment artifact_location, the
// artifact URLs, the proxied artifact service and SSRF. Each input gets a 4xx in MLflow's format; the
// harness proves that nothing outside the artifact root changed and that no request left the server.

import * as path from "node:path";
import {
  API,
  assert,
  assertEquals,
  assertRefused,
  type SecurityEnv,
  withSecurityEnv,
} from "./security_harness.ts";

const SVC = "/api/2.0/mlflow-artifacts";
const AJAX_SVC = "/ajax-api/2.0/mlflow-artifacts";

async function refusedLocation(env: SecurityEnv, location: string) {
  const name = `loc-${crypto.randomUUID()}`;
  const r = await env.post("experiments/create", { name, artifact_location: location });
  assertRefused(r, `artifact_location ${location}`);
  assertEquals(r.status, 400, r.text);
  const got = await env.get("experiments/get-by-name", { experiment_name: name });
  assertEquals(got.status, 404, `experiment created with ${location}`);
}

/** A run in an experiment made straight in the store (as import does), so no location check applies. */
async function storedRun(env: SecurityEnv, name: string, artifactLocation: string) {
  const expId = await env.store.createExperiment({ name, artifactLocation });
  const run = await env.store.createRun({
    experimentId: expId,
    userId: "u",
    runName: "r",
    startTime: 1,
    tags: [],
  });
  return { expId, run };
}

Deno.test("security: CVE-2023-6909 / 2024-1483 / 2024-2928 / 2024-3848 / 2024-1594 URL tricks in artifact_location", () =>
  withSecurityEnv(async (env) => {
    for (
      const loc of [
        "http:///?/../../../../etc/",
        "http:///#/../../../../etc/",
        "https:///#/../../../../etc/",
        "http://127.0.0.1/#/../../../../etc/",
        "file:///tmp/x#/../../../etc",
        "mlflow-artifacts:/1#/../../..",
        `${env.root}#frag`,
        `${env.root}/x;params`,
        "mlflow-artifacts:/x?a=../../..",
      ]
    ) {
      await refusedLocation(env, loc);
    }
  }));

Deno.test("security: local artifact_location outside the artifact roots, and unknown schemes", () =>
  withSecurityEnv(async (env) => {
    for (
      const loc of [
        env.canaryDir,
        `file://${env.canaryDir}`,
        "/etc",
        "file:///",
        "/",
        `${env.root}/../outside`,
        `${env.root}/%2e%2e/outside`,
        "C:/Windows",
        "dbfs:/",
        "hdfs://127.0.0.1:1/x",
        "ftp://127.0.0.1:1/x",
        "unknown-scheme:/x",
        "runs:/abc/model",
      ]
    ) {
      await refusedLocation(env, loc);
    }
    // Inside the root, mlflow-artifacts and client-side object stores are accepted.
    for (const loc of [path.join(env.root, "custom"), "mlflow-artifacts:/custom", "s3://bucket/path"]) {
      const r = await env.post("experiments/create", {
        name: `ok-${crypto.randomUUID()}`,
        artifact_location: loc,
      });
      assertEquals(r.status, 200, `${loc}: ${r.text}`);
    }
  }));

Deno.test("security: CVE-2023-6974 / CVE-2026-118628 SSRF: an http artifact_location is refused, never fetched", () =>
  withSecurityEnv(async (env) => {
    for (
      const loc of [
        `${env.canaryUrl}/x`,
        `${env.canaryUrl}/latest/meta-data/iam/security-credentials/`,
        `${env.canaryUrl.replace("http", "https")}/`,
        `mlflow-artifacts://${env.canaryUrl.slice(7)}/x`,
      ]
    ) {
      await refusedLocation(env, loc);
    }
    // Even a run whose stored location is remote (imported data) is never fetched through the routes.
    const { expId, run } = await storedRun(env, "remote", `${env.canaryUrl}/art`);
    const runId = run.info.runId;
    assertRefused(await env.get("/get-artifact", { run_id: runId, path: "x" }), "get-artifact");
    assertRefused(await env.get("artifacts/list", { run_id: runId }), "artifacts/list");
    const lm = await env.post("logged-models", { experiment_id: expId, name: "m" });
    assertEquals(lm.status, 200, lm.text);
    const id = lm.body.model.info.model_id;
    assertRefused(await env.get(`logged-models/${id}/artifacts/directories`), "logged model listing");
    assertRefused(
      await env.get(`/ajax-api/2.0/mlflow/logged-models/${id}/artifacts/files`, { artifact_file_path: "x" }),
      "logged model file",
    );
  }));

Deno.test("security: CVE-2026-2393 / CVE-2026-64849 webhooks do not exist, so cannot be pointed inside", () =>
  withSecurityEnv(async (env) => {
    const r = await env.post("webhooks", { name: "x", url: `${env.canaryUrl}/hook`, events: [] });
    assertRefused(r, "webhooks/create");
    assertEquals(r.status, 404);
    assertRefused(await env.post("webhooks/1/test", {}), "webhooks/test");
  }));

Deno.test("security: CVE-2024-8859 dbfs:/ experiment then upload-artifact with `a?/a` writes nothing outside", () =>
  withSecurityEnv(async (env) => {
    await refusedLocation(env, "dbfs:/");
    // Through a stored (imported) dbfs location the upload is refused rather than written locally.
    const { run } = await storedRun(env, "dbfs", "dbfs:/");
    const r = await env.req(
      "POST",
      `/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run.info.runId}&path=${encodeURIComponent("a?/a")}`,
      "data",
      { "content-type": "application/octet-stream" },
    );
    assertRefused(r, "upload-artifact");
  }));

Deno.test("security: CVE-2023-30172 /get-artifact?path=../../…", () =>
  withSecurityEnv(async (env) => {
    const { runId } = await env.runWithFile();
    for (
      const p of [
        "../../../../secret.txt",
        "..%2f..%2f..%2fsecret.txt",
        "%252e%252e%252fsecret.txt",
        env.canaryFile,
      ]
    ) {
      const r = await env.get("/get-artifact", { run_id: runId, path: p });
      assertRefused(r, `get-artifact ${p}`);
    }
  }));

Deno.test("security: CVE-2023-3765 listing absolute and drive paths through the artifact proxy", () =>
  withSecurityEnv(async (env) => {
    for (const prefix of [SVC, AJAX_SVC]) {
      for (const p of ["C:/", "/", "/etc", env.canaryDir, "..", "../outside", "%2e%2e", "c:\\"]) {
        const r = await env.req("GET", `${prefix}/artifacts?path=${encodeURIComponent(p)}`);
        assertRefused(r, `list ${p}`);
        assert(!r.text.includes("passwd"), r.text);
      }
    }
  }));

Deno.test("security: CVE-2023-6015 / 6831 / 2026-2033 traversal in artifact PUT, GET and DELETE paths", () =>
  withSecurityEnv(async (env) => {
    const tails = [
      "%2e%2e/%2e%2e/secret.txt",
      "..%2fsecret.txt",
      "%252E%252E%252Fsecret.txt",
      "%252E%252E%252F%252E%252E%252Foutside%252fpasswd",
      "%2e%2e%5csecret.txt",
      "a/%2e%2e/%2e%2e/secret.txt",
      encodeURIComponent(env.canaryFile),
      "C:%2fsecret.txt",
    ];
    for (const prefix of [SVC, AJAX_SVC]) {
      for (const t of tails) {
        assertRefused(
          await env.req("PUT", `${prefix}/artifacts/${t}`, "pwned", { "content-type": "text/plain" }),
          `PUT ${t}`,
        );
        assertRefused(await env.req("GET", `${prefix}/artifacts/${t}`), `GET ${t}`);
        assertRefused(await env.req("DELETE", `${prefix}/artifacts/${t}`), `DELETE ${t}`);
      }
    }
    // Logged-model artifact routes check their paths the same way.
    const { expId } = await env.runWithFile();
    const lm = await env.post("logged-models", { experiment_id: expId, name: "m" });
    const id = lm.body.model.info.model_id;
    for (const p of ["../../../../secret.txt", "%2e%2e%2f%2e%2e%2fsecret.txt", "/etc", env.canaryDir]) {
      assertRefused(
        await env.get(`logged-models/${id}/artifacts/directories`, { artifact_directory_path: p }),
        `directories ${p}`,
      );
      assertRefused(
        await env.get(`/ajax-api/2.0/mlflow/logged-models/${id}/artifacts/files`, { artifact_file_path: p }),
        `files ${p}`,
      );
    }
    // Path parameters that are not model ids never reach a store or a path.
    for (const id of ["..", "%2e%2e", "m-..%2f..", encodeURIComponent("../../x")]) {
      assertRefused(await env.req("GET", `${API}/logged-models/${id}`), `model id ${id}`);
      assertRefused(
        await env.req("GET", `${API}/logged-models/${id}/artifacts/directories`),
        `listing ${id}`,
      );
    }
  }));
