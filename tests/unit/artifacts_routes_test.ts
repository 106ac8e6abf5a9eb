// The artifact routes driven through createApp on real temp directories: the proxied service, the
// run-scoped list / get-artifact / upload-artifact, serving switched off, multipart answers, and the
// attack inputs of MLflow's advisories, each checked against the filesystem (a canary file and a canary
// directory outside the root must stay exactly as they were).

import nodeAssert from "node:assert/strict";
import * as path from "node:path";
import type { Hono } from "hono";
import { createApp } from "../../src/server/app.ts";
import { testConfig } from "./security_harness.ts";
import type { ServerConfig } from "../../src/server/config.ts";
import { artifactApiRoutes, artifactRootRoutes } from "../../src/server/routes/artifacts.ts";
import { openKvStore } from "../../src/store/kv/mod.ts";
import type { TrackingStore } from "../../src/store/tracking-store.ts";

const assert: (v: unknown, msg?: string) => asserts v = nodeAssert.ok;
const assertEquals = <V>(actual: V, expected: V, msg?: string) =>
  nodeAssert.deepStrictEqual(actual, expected, msg);

const SVC = "/api/2.0/mlflow-artifacts";
const AJAX_SVC = "/ajax-api/2.0/mlflow-artifacts";
const MPU_PREFIX = "Multipart upload is not supported for the current artifact repository";

interface Env {
  app: Hono;
  store: TrackingStore;
  tmp: string;
  /** The artifacts destination. */
  root: string;
  canaryFile: string;
  canaryDir: string;
}

async function withEnv(fn: (env: Env) => Promise<void>, over: Partial<ServerConfig> = {}) {
  const tmp = await Deno.realPath(await Deno.makeTempDir({ prefix: "artifacts_routes_" }));
  const root = path.join(tmp, "mlartifacts");
  await Deno.mkdir(root);
  const canaryFile = path.join(tmp, "canary.txt");
  const canaryDir = path.join(tmp, "outside");
  await Deno.writeTextFile(canaryFile, "do not touch");
  await Deno.mkdir(canaryDir);
  await Deno.writeTextFile(path.join(canaryDir, "secret"), "still here");
  const store = await openKvStore({ path: ":memory:", defaultArtifactRoot: "mlflow-artifacts:/" });
  const app = createApp({ store, config: testConfig(root, over) }, {
    api: [artifactApiRoutes],
    root: [artifactRootRoutes],
  });
  try {
    await fn({ app, store, tmp, root, canaryFile, canaryDir });
  } finally {
    await store.close();
    await Deno.remove(tmp, { recursive: true });
  }
}

/** Every path under `dir` with its size and mtime, to prove a request changed nothing. */
async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string) {
    for await (const e of Deno.readDir(d)) {
      const full = path.join(d, e.name);
      const st = await Deno.lstat(full);
      out.push(`${path.relative(dir, full)} ${st.isDirectory ? "d" : st.size} ${st.mtime?.getTime()}`);
      if (st.isDirectory) await walk(full);
    }
  }
  await walk(dir);
  return out.sort();
}

async function openFdCount(): Promise<number> {
  let n = 0;
  for await (const _ of Deno.readDir("/proc/self/fd")) n++;
  return n;
}

function randomBytes(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

async function json(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`not JSON (${res.status}): ${text}`);
  }
}

async function expectError(res: Response, status: number, code: string, label: string) {
  const body = await json(res);
  assertEquals(res.status, status, `${label}: ${JSON.stringify(body)}`);
  assertEquals(body.error_code, code, label);
  assertEquals(typeof body.message, "string", label);
}

async function createRun(store: TrackingStore, artifactLocation?: string) {
  const expId = await store.createExperiment({ name: `e-${crypto.randomUUID()}`, artifactLocation });
  const run = await store.createRun({
    experimentId: expId,
    userId: "u",
    runName: "r",
    startTime: 1,
    tags: [],
  });
  return run.info;
}

Deno.test("proxied service: upload, list basenames, download byte-identical, overwrite, delete", async () => {
  await withEnv(async ({ app, root }) => {
    const bytes = randomBytes(3 * 1024 * 1024 + 17);
    let res = await app.request(`${SVC}/artifacts/1/run/artifacts/dir/model.bin`, {
      method: "PUT",
      body: bytes,
    });
    assertEquals([res.status, await json(res)], [200, {}]);
    assertEquals(await Deno.readFile(path.join(root, "1/run/artifacts/dir/model.bin")), bytes);
    res = await app.request(`${AJAX_SVC}/artifacts/1/run/artifacts/empty.txt`, { method: "PUT", body: "" });
    assertEquals(res.status, 200);
    await res.body?.cancel();

    res = await app.request(`${SVC}/artifacts?path=1/run/artifacts`);
    assertEquals(await json(res), {
      files: [{ path: "dir", is_dir: true }, { path: "empty.txt", is_dir: false }],
    });
    res = await app.request(`${SVC}/artifacts?path=1/run/artifacts/dir`);
    assertEquals(await json(res), { files: [{ path: "model.bin", is_dir: false, file_size: bytes.length }] });
    res = await app.request(`${SVC}/artifacts`);
    assertEquals(await json(res), { files: [{ path: "1", is_dir: true }] });
    for (const p of ["1/run/artifacts/dir/model.bin", "no/such/dir"]) {
      res = await app.request(`${SVC}/artifacts?path=${encodeURIComponent(p)}`);
      assertEquals([res.status, await json(res)], [200, {}], p);
    }

    res = await app.request(`${SVC}/artifacts/1/run/artifacts/dir/model.bin`);
    assertEquals(res.status, 200);
    assertEquals(res.headers.get("content-disposition"), "attachment; filename=model.bin");
    assertEquals(res.headers.get("content-type"), "application/octet-stream");
    assertEquals(res.headers.get("x-content-type-options"), "nosniff");
    assertEquals(res.headers.get("content-length"), String(bytes.length));
    assertEquals(new Uint8Array(await res.arrayBuffer()), bytes);

    res = await app.request(`${SVC}/artifacts/1/run/artifacts/dir/model.bin`, { method: "HEAD" });
    assertEquals([res.status, res.headers.get("content-length"), res.body], [
      200,
      String(bytes.length),
      null,
    ]);
    // HEAD opens the file for its size; it must be closed at once, not left to pile up.
    const fdsBefore = await openFdCount();
    for (let i = 0; i < 10; i++) {
      await app.request(`${SVC}/artifacts/1/run/artifacts/dir/model.bin`, { method: "HEAD" });
    }
    assert((await openFdCount()) - fdsBefore < 5, "HEAD requests leak file handles");

    res = await app.request(`${AJAX_SVC}/artifacts/1/run/artifacts/dir/model.bin`, {
      method: "PUT",
      body: "v2",
    });
    assertEquals(res.status, 200);
    await res.body?.cancel();
    res = await app.request(`${SVC}/artifacts/1/run/artifacts/dir/model.bin`);
    assertEquals(await res.text(), "v2");

    res = await app.request(`${SVC}/artifacts/1/run/artifacts/dir`);
    await expectError(res, 400, "INVALID_PARAMETER_VALUE", "download a directory");
    res = await app.request(`${SVC}/artifacts/1/run/artifacts/missing.txt`);
    await expectError(res, 404, "RESOURCE_DOES_NOT_EXIST", "download a missing file");

    res = await app.request(`${SVC}/artifacts/1/run/artifacts/empty.txt`, { method: "DELETE" });
    assertEquals([res.status, await json(res)], [200, {}]);
    res = await app.request(`${SVC}/artifacts/1/run/artifacts/`, { method: "DELETE" });
    assertEquals([res.status, await json(res)], [200, {}]);
    res = await app.request(`${SVC}/artifacts/1/run/artifacts/never-existed`, { method: "DELETE" });
    assertEquals([res.status, await json(res)], [200, {}]);
    assertEquals((await snapshot(root)).map((l) => l.split(" ")[0]), ["1", "1/run"]);
  });
});

Deno.test("proxied service: a failed upload leaves no file and no temp file behind", async () => {
  await withEnv(async ({ app, root }) => {
    const body = new ReadableStream<Uint8Array>({
      start(ctl) {
        ctl.enqueue(new Uint8Array(1000));
        ctl.error(new Error("client went away"));
      },
    });
    const res = await app.request(`${SVC}/artifacts/1/r/artifacts/half.bin`, { method: "PUT", body });
    assert(res.status >= 400, `status ${res.status}`);
    await res.body?.cancel();
    assertEquals(await snapshot(path.join(root, "1/r/artifacts")), []);
    // A name in the upload temp space is refused outright.
    const res2 = await app.request(`${SVC}/artifacts/1/r/artifacts/.tracker-upload.x`, {
      method: "PUT",
      body: "x",
    });
    await expectError(res2, 400, "INVALID_PARAMETER_VALUE", "temp name");
  });
});

Deno.test("proxied service: a file where a directory is needed is a 400, not a 500", async () => {
  await withEnv(async ({ app }) => {
    let res = await app.request(`${SVC}/artifacts/a/file`, { method: "PUT", body: "x" });
    assertEquals(res.status, 200);
    await res.body?.cancel();
    res = await app.request(`${SVC}/artifacts/a/file/child`, { method: "PUT", body: "x" });
    await expectError(res, 400, "INVALID_PARAMETER_VALUE", "file as parent");
    res = await app.request(`${SVC}/artifacts/a`, { method: "PUT", body: "x" });
    await expectError(res, 400, "INVALID_PARAMETER_VALUE", "file over a directory");
  });
});

Deno.test("proxied service answers 503 plain text when serving artifacts is off", async () => {
  await withEnv(async ({ app, root, tmp }) => {
    const before = await snapshot(tmp);
    const requests: [string, RequestInit?][] = [
      [`${SVC}/artifacts?path=a`],
      [`${SVC}/artifacts/a/b.txt`],
      [`${SVC}/artifacts/a/b.txt`, { method: "PUT", body: "x" }],
      [`${AJAX_SVC}/artifacts/a/b.txt`, { method: "DELETE" }],
      [`${SVC}/mpu/create/a`, {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      }],
      [`${SVC}/presigned/a/b.txt`],
    ];
    for (const [url, init] of requests) {
      const res = await app.request(url, init);
      assertEquals(res.status, 503, url);
      assert(res.headers.get("content-type")?.startsWith("text/plain"), url);
      assert((await res.text()).includes("--no-serve-artifacts"), url);
    }
    assertEquals(await snapshot(tmp), before);
    assertEquals(await snapshot(root), []);
  }, { serveArtifacts: false });
});

Deno.test("multipart and presigned endpoints answer 501 with MLflow's message", async () => {
  await withEnv(async ({ app, tmp }) => {
    const before = await snapshot(tmp);
    const post = (kind: string, body: unknown) =>
      app.request(`${SVC}/mpu/${kind}/1/r/artifacts`, {
        method: "POST",
        body: JSON.stringify(body),
        headers: { "content-type": "application/json" },
      });
    for (
      const [kind, body] of [
        ["create", { path: "big.bin", num_parts: 3 }],
        ["complete", { path: "big.bin", upload_id: "u", parts: [{ part_number: 1, etag: "e" }] }],
        ["abort", { path: "big.bin", upload_id: "u" }],
      ] as const
    ) {
      const res = await post(kind, body);
      const msg = await json(res);
      assertEquals(res.status, 501, kind);
      assertEquals(res.headers.get("content-type")?.split(";")[0], "application/json");
      assertEquals(msg.error_code, "NOT_IMPLEMENTED", kind);
      assert(String(msg.message).startsWith(MPU_PREFIX), kind);
    }
    const pre = await app.request(`${AJAX_SVC}/presigned/1/r/artifacts/big.bin`);
    const preBody = await json(pre);
    assertEquals([pre.status, preBody.error_code], [501, "NOT_IMPLEMENTED"]);
    // Bad paths and bad messages are still the caller's error.
    await expectError(await post("create", {}), 400, "INVALID_PARAMETER_VALUE", "create without path");
    const bad = await app.request(`${SVC}/mpu/create/%2e%2e%252f`, {
      method: "POST",
      body: JSON.stringify({ path: "x" }),
      headers: { "content-type": "application/json" },
    });
    await expectError(bad, 400, "INVALID_PARAMETER_VALUE", "create with traversal");
    assertEquals(await snapshot(tmp), before);
  });
});

Deno.test("run-scoped routes: artifacts/list, get-artifact and upload-artifact", async () => {
  await withEnv(async ({ app, store, root }) => {
    const run = await createRun(store);
    const rel = run.artifactUri.replace(/^mlflow-artifacts:\/+/, "");
    const bytes = randomBytes(100_000);
    let res = await app.request(`${SVC}/artifacts/${rel}/dir/weights.bin`, { method: "PUT", body: bytes });
    assertEquals(res.status, 200);
    await res.body?.cancel();
    res = await app.request(
      `/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run.runId}&path=notes/readme.md`,
      {
        method: "POST",
        body: "# hi",
      },
    );
    assertEquals([res.status, await json(res)], [200, {}]);
    assertEquals(await Deno.readTextFile(path.join(root, rel, "notes/readme.md")), "# hi");

    res = await app.request(`/api/2.0/mlflow/artifacts/list?run_id=${run.runId}`);
    assertEquals(await json(res), {
      root_uri: run.artifactUri,
      files: [{ path: "dir", is_dir: true }, { path: "notes", is_dir: true }],
    });
    res = await app.request(`/ajax-api/2.0/mlflow/artifacts/list?run_uuid=${run.runId}&path=dir`);
    assertEquals(await json(res), {
      root_uri: run.artifactUri,
      files: [{ path: "dir/weights.bin", is_dir: false, file_size: bytes.length }],
    });
    res = await app.request(`/api/2.0/mlflow/artifacts/list?run_id=${run.runId}&path=dir/weights.bin`);
    assertEquals(await json(res), { root_uri: run.artifactUri });

    res = await app.request(`/get-artifact?run_id=${run.runId}&path=dir/weights.bin`);
    assertEquals(res.headers.get("content-disposition"), "attachment; filename=weights.bin");
    assertEquals(new Uint8Array(await res.arrayBuffer()), bytes);
    res = await app.request(`/get-artifact?run_uuid=${run.runId}&path=notes/readme.md`);
    assertEquals(res.headers.get("content-type"), "text/plain");
    assertEquals(await res.text(), "# hi");

    await expectError(await app.request(`/get-artifact?path=x`), 400, "INVALID_PARAMETER_VALUE", "no run id");
    await expectError(
      await app.request(`/get-artifact?run_id=${run.runId}`),
      400,
      "INVALID_PARAMETER_VALUE",
      "no path",
    );
    await expectError(
      await app.request(`/get-artifact?run_id=${"f".repeat(32)}&path=x`),
      404,
      "RESOURCE_DOES_NOT_EXIST",
      "unknown run",
    );
    await expectError(
      await app.request(`/api/2.0/mlflow/artifacts/list`),
      400,
      "INVALID_PARAMETER_VALUE",
      "list without run",
    );
  });
});

Deno.test("upload-artifact: empty and oversized bodies are refused and leave nothing", async () => {
  await withEnv(async ({ app, store, root }) => {
    const run = await createRun(store);
    const url = (p: string) => `/ajax-api/2.0/mlflow/upload-artifact?run_id=${run.runId}&path=${p}`;
    await expectError(
      await app.request(url("a.txt"), { method: "POST" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "empty",
    );
    await expectError(
      await app.request(url("a.txt"), { method: "POST", body: "" }),
      400,
      "INVALID_PARAMETER_VALUE",
      "empty string",
    );
    const big = new Uint8Array(10 * 1024 * 1024 + 1);
    await expectError(
      await app.request(url("big.bin"), {
        method: "POST",
        body: big,
        headers: { "content-length": String(big.length) },
      }),
      400,
      "INVALID_PARAMETER_VALUE",
      "declared too large",
    );
    // Without a declared length the stream itself is cut off at the limit.
    const stream = new Blob([big]).stream();
    await expectError(
      await app.request(url("big.bin"), { method: "POST", body: stream }),
      400,
      "INVALID_PARAMETER_VALUE",
      "streamed too large",
    );
    await expectError(
      await app.request(`/ajax-api/2.0/mlflow/upload-artifact?run_id=${run.runId}`, {
        method: "POST",
        body: "x",
      }),
      400,
      "INVALID_PARAMETER_VALUE",
      "no path",
    );
    const files = (await snapshot(root)).filter((l) => !l.split(" ")[1].startsWith("d"));
    assertEquals(files, []);
  });
});

Deno.test("static prefix applies to the artifact routes", async () => {
  await withEnv(async ({ app, root }) => {
    let res = await app.request(`/p${SVC}/artifacts/x.txt`, { method: "PUT", body: "x" });
    assertEquals(res.status, 200);
    await res.body?.cancel();
    assertEquals(await Deno.readTextFile(path.join(root, "x.txt")), "x");
    res = await app.request(`${SVC}/artifacts/x.txt`);
    assertEquals(res.status, 404);
    await res.body?.cancel();
  }, { staticPrefix: "/p" });
});

Deno.test("traversal attacks on every artifact route are 4xx and change nothing outside the root", async () => {
  await withEnv(async ({ app, store, tmp, root, canaryFile, canaryDir }) => {
    const run = await createRun(store);
    const relRoot = run.artifactUri.replace(/^mlflow-artifacts:\/+/, "");
    await Deno.mkdir(path.join(root, relRoot), { recursive: true });
    await Deno.writeTextFile(path.join(root, relRoot, "ok.txt"), "ok");
    // A link inside the root that points outside it, as a local user might plant one.
    await Deno.symlink(canaryDir, path.join(root, "escape"));
    await Deno.symlink(canaryDir, path.join(root, relRoot, "escape"));
    const before = await snapshot(tmp);

    const traversals = [
      "../canary.txt",
      "..%2fcanary.txt",
      "%2e%2e%2fcanary.txt",
      "%252e%252e%252fcanary.txt",
      "%252E%252E%252F%252E%252E%252Fcanary.txt",
      "..%5ccanary.txt",
      "%5c..%5c..%5ccanary.txt",
      encodeURIComponent(canaryFile),
      encodeURIComponent("file://" + canaryFile),
      "C:%2Fcanary.txt",
      "%2F%2Fproc%2Fself%2Froot%2Fetc%2Fpasswd",
      "a%23/../../canary.txt",
      "escape/secret",
      "escape/new.txt",
    ];
    const json = { "content-type": "application/json" };
    for (const t of traversals) {
      const attempts: [string, RequestInit?][] = [
        [`${SVC}/artifacts/${t}`],
        [`${SVC}/artifacts/${t}`, { method: "PUT", body: "pwned" }],
        [`${AJAX_SVC}/artifacts/${t}`, { method: "DELETE" }],
        [`${SVC}/artifacts?path=${t}`],
        [`${AJAX_SVC}/artifacts?path=${t}`],
        [`${SVC}/mpu/create/${t}`, { method: "POST", body: '{"path":"x"}', headers: json }],
        [`${SVC}/presigned/${t}`],
        [`/get-artifact?run_id=${run.runId}&path=${t}`],
        [`/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run.runId}&path=${t}`, {
          method: "POST",
          body: "pwned",
        }],
        [`/api/2.0/mlflow/artifacts/list?run_id=${run.runId}&path=${t}`],
      ];
      for (const [url, init] of attempts) {
        const res = await app.request(url, init);
        const text = await res.text();
        const label = `${init?.method ?? "GET"} ${url}`;
        // mpu/presigned touch no file, so a textually clean path through a link may get its 501.
        const untouched = t.startsWith("escape/") && /\/(mpu|presigned)\//.test(url) && res.status === 501;
        assert(untouched || (res.status >= 400 && res.status < 500), `${label}: ${res.status} ${text}`);
        assert(!text.includes("still here") && !text.includes("do not touch"), `${label} leaked a canary`);
        // Errors are MLflow-shaped JSON (the URL normaliser may send some to the 404 handler, also JSON).
        assertEquals(typeof JSON.parse(text).error_code, "string", label);
      }
    }
    // The listing of a symlinked directory that escapes is refused, and links out are not listed.
    const listing = await app.request(`${SVC}/artifacts?path=escape`);
    assertEquals(listing.status, 400);
    await listing.body?.cancel();
    const rootListing = await (await app.request(`${SVC}/artifacts`)).json();
    assert(!JSON.stringify(rootListing).includes("escape"), JSON.stringify(rootListing));

    assertEquals(await snapshot(tmp), before);
    assertEquals(await Deno.readTextFile(canaryFile), "do not touch");
    assertEquals(await Deno.readTextFile(path.join(canaryDir, "secret")), "still here");

    // Deleting the link itself is allowed and removes only the link.
    const del = await app.request(`${SVC}/artifacts/escape`, { method: "DELETE" });
    assertEquals(del.status, 200);
    await del.body?.cancel();
    assertEquals(await Deno.readTextFile(path.join(canaryDir, "secret")), "still here");
  });
});

Deno.test("stored locations that leave the server are refused without any request going out", async () => {
  // A loopback canary listener: any request reaching it is a failure (SSRF).
  let hits = 0;
  const ac = new AbortController();
  const listener = Deno.serve({ hostname: "127.0.0.1", port: 0, signal: ac.signal, onListen() {} }, () => {
    hits++;
    return new Response("canary");
  });
  const canary = `http://127.0.0.1:${listener.addr.port}`;
  try {
    await withEnv(async ({ app, store, tmp }) => {
      const before = await snapshot(tmp);
      const locations = [
        `${canary}/api/2.0/mlflow-artifacts/artifacts/x`,
        `${canary}/latest/meta-data`,
        "http:///?/../../../../etc/",
        "http:///#/../../../../etc/",
        "https://127.0.0.1:1/x",
        "dbfs:/",
        "s3://bucket/x",
        `file://127.0.0.1${tmp}`,
        `${tmp}/mlartifacts/../outside`,
        "mlflow-artifacts:/../../outside",
        "mlflow-artifacts:/%252e%252e%252f%252e%252e%252foutside",
      ];
      for (const loc of locations) {
        const run = await createRun(store, loc);
        const reqs: [string, RequestInit?][] = [
          [`/get-artifact?run_id=${run.runId}&path=secret`],
          [`/api/2.0/mlflow/artifacts/list?run_id=${run.runId}`],
          // CVE-2024-8859's shape: odd path on a remote location.
          [`/ajax-api/2.0/mlflow/upload-artifact?run_uuid=${run.runId}&path=a?/a`, {
            method: "POST",
            body: "x",
          }],
        ];
        for (const [url, init] of reqs) {
          const res = await app.request(url, init);
          const body = await res.text();
          assertEquals(res.status, 400, `${loc} ${url}: ${body}`);
          assertEquals(JSON.parse(body).error_code, "INVALID_PARAMETER_VALUE");
        }
      }
      assertEquals(await snapshot(tmp), before);
    });
  } finally {
    ac.abort();
    await listener.finished;
  }
  assertEquals(hits, 0);
});

/** Sends one request with its target exactly as written (no URL normalisation), like curl --path-as-is. */
async function rawRequest(port: number, method: string, target: string, body = ""): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const head = `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${body.length}\r\n` +
    "Connection: close\r\n\r\n";
  await conn.write(new TextEncoder().encode(head + body));
  let text = "";
  const buf = new Uint8Array(4096);
  for (let n; (n = await conn.read(buf)) !== null;) text += new TextDecoder().decode(buf.subarray(0, n));
  conn.close();
  return Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1]);
}

Deno.test("dot segments in the raw request target are refused, not resolved by URL parsing", async () => {
  await withEnv(async ({ app, store, tmp }) => {
    const run = await createRun(store);
    const relRoot = run.artifactUri.replace(/^mlflow-artifacts:\/+/, "");
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
    try {
      const before = await snapshot(tmp);
      for (const dots of ["..", "%2e%2e", ".%2e", "%2E%2E"]) {
        const target = `${SVC}/artifacts/${relRoot}/${dots}/${dots}/x.txt`;
        for (const method of ["PUT", "GET", "DELETE"]) {
          const status = await rawRequest(server.addr.port, method, target, method === "PUT" ? "z" : "");
          assertEquals(status, 400, `${method} ${target}`);
        }
      }
      assertEquals(await snapshot(tmp), before);
    } finally {
      await server.shutdown();
    }
  });
});

Deno.test("a run stored with a local location outside every root is not served until the store registers it", async () => {
  await withEnv(async ({ app, store, tmp }) => {
    const outside = path.join(tmp, "outside-imported");
    await Deno.mkdir(outside, { recursive: true });
    const run = await createRun(store, `file://${outside}`);
    await Deno.mkdir(path.join(outside, run.runId, "artifacts"), { recursive: true });
    await Deno.writeTextFile(path.join(outside, run.runId, "artifacts", "a.txt"), "hello");
    const list = () => app.request(`/api/2.0/mlflow/artifacts/list?run_id=${run.runId}`);
    const refused = await list();
    assertEquals(refused.status, 400);
    assertEquals((await refused.json()).error_code, "INVALID_PARAMETER_VALUE");
    await store.addArtifactRoot(outside); // what `tracker import --artifacts reference` does
    const served = await list();
    assertEquals(served.status, 200);
    assertEquals((await served.json()).files.map((f: { path: string }) => f.path), ["a.txt"]);
  });
});
