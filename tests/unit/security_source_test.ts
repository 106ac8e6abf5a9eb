// Security suite, model version `source` family (security-cases.md, first table): every advisory's
// attack input is refused with a 4xx in MLflow's format, `/model-versions/get-artifact` never serves a
// file from outside the artifact root, and the canary listener is never contacted.

import * as path from "node:path";
import {
  assert,
  assertEquals,
  assertRefused,
  type SecurityEnv,
  withSecurityEnv,
} from "./security_harness.ts";

async function registered(
  env: SecurityEnv,
  name = `m-${crypto.randomUUID().slice(0, 8)}`,
  tags: unknown[] = [],
) {
  const r = await env.post("registered-models/create", { name, tags });
  assertEquals(r.status, 200, r.text);
  return name;
}

/** A registered model whose version 1 comes from a run's own `model` folder (a source that is served). */
async function legitimateVersion(env: SecurityEnv): Promise<string> {
  const { runId } = await env.runWithFile();
  const name = await registered(env);
  const r = await env.post("model-versions/create", { name, source: `runs:/${runId}/model`, run_id: runId });
  assertEquals(r.status, 200, r.text);
  return name;
}

/** Tries to create a version from `source`; must be refused, and no version may exist afterwards. */
async function refusedSource(
  env: SecurityEnv,
  name: string,
  source: string,
  extra: Record<string, unknown> = {},
) {
  const r = await env.post("model-versions/create", { name, source, ...extra });
  assertRefused(r, `source ${source}`);
  assertEquals(r.body.error_code, "INVALID_PARAMETER_VALUE", r.text);
  const get = await env.get("model-versions/get", { name, version: "1" });
  assertEquals(get.status, 404, `a version was created from ${source}`);
  for (const p of ["passwd", "secret.txt", "../secret.txt", "MLmodel"]) {
    assertRefused(
      await env.get("/model-versions/get-artifact", { name, version: "1", path: p }),
      `get-artifact ${p} after ${source}`,
    );
  }
}

Deno.test("security: a legitimate source is served (the checks below can tell refused from served)", () =>
  withSecurityEnv(async (env) => {
    const name = await legitimateVersion(env);
    const file = await env.get("/model-versions/get-artifact", { name, version: "1", path: "MLmodel" });
    assertEquals(file.status, 200, file.text);
    assertEquals(file.text, "flavors: {}\n");
  }));

Deno.test("security: CVE-2023-1177 local path / file: sources outside the run's artifacts", () =>
  withSecurityEnv(async (env) => {
    const { runId } = await env.runWithFile();
    const name = await registered(env);
    for (
      const source of [
        env.canaryDir,
        `file://${env.canaryDir}`,
        `file://${env.canaryDir}/`,
        "/etc",
        "file:///etc/",
        `file://localhost${env.canaryDir}`,
        env.root, // the root itself is not the run's directory
      ]
    ) {
      await refusedSource(env, name, source);
      await refusedSource(env, name, source, { run_id: runId });
    }
  }));

Deno.test("security: CVE-2023-2780 backslash traversal in a file: source", () =>
  withSecurityEnv(async (env) => {
    const { runId, runDir } = await env.runWithFile();
    const name = await registered(env);
    for (
      const source of [
        `file://${runDir}\\..\\..\\..\\..\\outside`,
        `${runDir}\\..\\..\\..`,
        `file://${runDir}/%5c..%5c..%5c..`,
      ]
    ) {
      await refusedSource(env, name, source, { run_id: runId });
    }
  }));

Deno.test("security: CVE-2023-2356 relative ../ inside http/https/mlflow-artifacts/s3 sources", () =>
  withSecurityEnv(async (env) => {
    const { expId, runId, artifactUri } = await env.runWithFile();
    const name = await registered(env);
    for (
      const source of [
        `${artifactUri}/../../../../outside`,
        `mlflow-artifacts:/${expId}/${runId}/artifacts/../../..`,
        `mlflow-artifacts://127.0.0.1:1/${expId}/${runId}/artifacts/../../../`,
        `mlflow-artifacts:/${expId}/${runId}/artifacts/..%2f..%2f..%2f..%2f`,
        `${env.canaryUrl}/api/2.0/mlflow-artifacts/artifacts/../../../../`,
        `https://127.0.0.1:1/api/2.0/mlflow-artifacts/artifacts/${expId}/${runId}/artifacts/../../..`,
        "s3:/my_bucket/models/path/../../other/path",
        `runs:/${runId}/../../../../outside`,
        `runs:/${runId}/model/%2e%2e/%2e%2e/%2e%2e`,
      ]
    ) {
      await refusedSource(env, name, source, { run_id: runId });
    }
  }));

Deno.test("security: CVE-2023-6977 //proc/self/root style sources", () =>
  withSecurityEnv(async (env) => {
    const { runId } = await env.runWithFile();
    const name = await registered(env);
    for (const source of ["//proc/self/root/etc/passwd", "file:////proc/self/root/etc", `//proc/self/cwd`]) {
      await refusedSource(env, name, source, { run_id: runId });
    }
  }));

Deno.test("security: CVE-2024-3573 empty or file scheme misjudged as non-local", () =>
  withSecurityEnv(async (env) => {
    const { runId } = await env.runWithFile();
    const name = await registered(env);
    for (const source of [":/etc/passwd", "file:/etc/", "file:etc/passwd", "FILE:///etc", "//etc/passwd"]) {
      await refusedSource(env, name, source, { run_id: runId });
    }
  }));

Deno.test("security: CVE-2024-1558 percent-encoded URL characters in a source", () =>
  withSecurityEnv(async (env) => {
    const { expId, runId } = await env.runWithFile();
    const name = await registered(env);
    for (
      const source of [
        `mlflow-artifacts:/${expId}/${runId}/artifacts/%2e%2e/%2e%2e/%2e%2e`,
        `mlflow-artifacts:/${expId}/${runId}/artifacts/%252e%252e%252f%252e%252e%252f`,
        `mlflow-artifacts:/${expId}/${runId}/artifacts%00/../..`,
        `mlflow-artifacts:/${expId}/${runId}/artifacts/model%23/../../..`,
        `file://${env.canaryDir.replaceAll("/", "%2f")}`,
      ]
    ) {
      await refusedSource(env, name, source, { run_id: runId });
    }
  }));

Deno.test("security: CVE-2026-2614 / GHSA-m65p-9j7q-6w33 prompt versions with file or relative sources", () =>
  withSecurityEnv(async (env) => {
    const prompt = await registered(env, "my-prompt", [{ key: "mlflow.prompt.is_prompt", value: "true" }]);
    const plain = await registered(env);
    const promptTags = [{ key: "mlflow.prompt.is_prompt", value: "true" }, {
      key: "mlflow.prompt.text",
      value: "hi",
    }];
    for (
      const source of [
        "file:///etc/",
        "../../../etc",
        "../../../etc/passwd",
        env.canaryDir,
        `${env.canaryUrl}/x`,
      ]
    ) {
      await refusedSource(env, prompt, source, { tags: promptTags });
      await refusedSource(env, plain, source, { tags: promptTags });
    }
    // The placeholder is accepted, but nothing is ever served for a prompt version.
    const ok = await env.post("model-versions/create", {
      name: prompt,
      source: "dummy-source",
      tags: promptTags,
    });
    assertEquals(ok.status, 200, ok.text);
    assertRefused(
      await env.get("/model-versions/get-artifact", { name: prompt, version: "1", path: "x" }),
      "prompt",
    );
  }));

Deno.test("security: CVE-2023-6018 / CVE-2023-6974 http(s) sources are never fetched", () =>
  withSecurityEnv(async (env) => {
    const { runId } = await env.runWithFile();
    const name = await registered(env);
    for (
      const source of [
        `${env.canaryUrl}/api/2.0/mlflow-artifacts/artifacts/x`,
        `${env.canaryUrl.replace("http", "https")}/x`,
        `${env.canaryUrl}/latest/meta-data/`,
        `ftp://127.0.0.1:1/x`,
        `hdfs://127.0.0.1:1/x`,
        `mlflow-artifacts://${env.canaryUrl.slice(7)}/x`,
        `models://127.0.0.1:1/m/1`,
        `runs://127.0.0.1:1/${runId}/model`,
      ]
    ) {
      await refusedSource(env, name, source, { run_id: runId });
    }
  }));

Deno.test("security: a symlink inside the run's artifacts pointing outside is refused on disk", () =>
  withSecurityEnv(async (env) => {
    const { expId, runId, runDir } = await env.runWithFile();
    await Deno.symlink(env.canaryDir, path.join(runDir, "evil"));
    const name = await registered(env);
    await refusedSource(env, name, `mlflow-artifacts:/${expId}/${runId}/artifacts/evil`, { run_id: runId });
    await refusedSource(env, name, `runs:/${runId}/evil`, { run_id: runId });
    // Registered before the link appears: get-artifact re-proves the real path at read time.
    const ok = await env.post("model-versions/create", {
      name,
      source: `runs:/${runId}/later`,
      run_id: runId,
    });
    assertEquals(ok.status, 200, ok.text);
    await Deno.symlink(env.canaryDir, path.join(runDir, "later"));
    assertRefused(
      await env.get("/model-versions/get-artifact", { name, version: "1", path: "passwd" }),
      "link",
    );
  }));

Deno.test("security: sources naming another run, model or version than the request are refused", () =>
  withSecurityEnv(async (env) => {
    const a = await env.runWithFile();
    const b = await env.runWithFile();
    const name = await registered(env);
    await refusedSource(env, name, `runs:/${a.runId}/model`, { run_id: b.runId });
    await refusedSource(env, name, `${a.artifactUri}/model`, { run_id: b.runId });
    await refusedSource(env, name, `${a.artifactUri}/model`); // no run_id at all
    await refusedSource(env, name, `runs:/${"0".repeat(32)}/model`);
    await refusedSource(env, name, `models:/m-${"0".repeat(32)}`);
    await refusedSource(env, name, "models:/not-a-model-id");
    await refusedSource(env, name, `models:/${name}/7`);
    const lm = await env.post("logged-models", { experiment_id: a.expId, name: "model" });
    assertEquals(lm.status, 200, lm.text);
    await refusedSource(env, name, `models:/${lm.body.model.info.model_id}`, {
      model_id: `m-${"1".repeat(32)}`,
    });
    await refusedSource(env, name, `${a.artifactUri}/model`, { model_id: lm.body.model.info.model_id });
  }));

Deno.test("security: get-artifact paths are checked even for a legitimate version", () =>
  withSecurityEnv(async (env) => {
    const name = await legitimateVersion(env);
    for (
      const p of [
        "../../../../secret.txt",
        "..%2f..%2f..%2f..%2fsecret.txt",
        "%252e%252e%252f%252e%252e%252fsecret.txt",
        "/etc/passwd",
        "C:/Windows/win.ini",
        "..\\..\\secret.txt",
        "file:///etc/passwd",
        `${env.canaryDir}/passwd`,
      ]
    ) {
      const r = await env.get("/model-versions/get-artifact", { name, version: "1", path: p });
      assertRefused(r, `path ${p}`);
      assert(r.status === 400, `path ${p}: ${r.status}`);
    }
  }));
