// Retries and headers, through a real HTTP proxy in front of a real tracker: 503s and 429s are retried
// with backoff up to the bound, user errors are not, a dead server is a NETWORK_ERROR; auth from the env.

import assert from "node:assert/strict";
import { TrackerClient } from "../../src/client/client.ts";
import { TrackerError } from "../../src/client/errors.ts";
import { envOf, startProxy, startTracker } from "./client_harness.ts";

const FAST = { backoffMs: 5, maxBackoffMs: 20 };

Deno.test("retry: two 503 answers, then the proxied call succeeds", async () => {
  const server = await startTracker();
  const proxy = await startProxy(
    server.url,
    (_req, i) => i < 2 ? new Response("busy", { status: 503 }) : undefined,
  );
  try {
    const client = await TrackerClient.connect({ trackingUri: proxy.url, retry: FAST, env: envOf() });
    const id = await client.createExperiment("after-503");
    assert.equal((await client.getExperiment(id)).name, "after-503");
    assert.deepEqual(
      proxy.seen.slice(0, 3).map((r) => r.path),
      Array(3).fill("/api/2.0/mlflow/experiments/create"),
    );
    // Exactly one experiment was created: the failed attempts never reached the server.
    const all = await client.searchAllExperiments({ filter: "name = 'after-503'" });
    assert.equal(all.length, 1);
  } finally {
    await proxy.close();
    await server.stop();
  }
});

Deno.test("retry: bounded; the last 503 becomes a TrackerError; 429 with Retry-After is retried", async () => {
  const server = await startTracker();
  let mode: "503" | "429-once" = "503";
  let tooMany = 0;
  const proxy = await startProxy(server.url, () => {
    if (mode === "503") {
      return Response.json({ error_code: "TEMPORARILY_UNAVAILABLE", message: "down" }, { status: 503 });
    }
    if (tooMany++ === 0) return new Response("slow down", { status: 429, headers: { "retry-after": "0" } });
    return undefined;
  });
  try {
    const client = await TrackerClient.connect({
      trackingUri: proxy.url,
      retry: { ...FAST, maxRetries: 3 },
      env: envOf(),
    });
    await assert.rejects(
      client.getExperiment("0"),
      (e) => e instanceof TrackerError && e.errorCode === "TEMPORARILY_UNAVAILABLE" && e.httpStatus === 503,
    );
    assert.equal(proxy.seen.length, 4, "1 attempt + 3 retries");
    mode = "429-once";
    assert.equal((await client.getExperiment("0")).name, "Default");
    assert.equal(proxy.seen.length, 6);
  } finally {
    await proxy.close();
    await server.stop();
  }
});

Deno.test("retry: user errors are not retried; an unreachable server is a NETWORK_ERROR", async () => {
  const server = await startTracker();
  const proxy = await startProxy(server.url);
  try {
    const client = await TrackerClient.connect({ trackingUri: proxy.url, retry: FAST, env: envOf() });
    await assert.rejects(
      client.getExperiment("777"),
      (e) => e instanceof TrackerError && e.httpStatus === 404,
    );
    assert.equal(proxy.seen.length, 1);
  } finally {
    await proxy.close();
    await server.stop();
  }
  // The port is closed now.
  const dead = await TrackerClient.connect({
    trackingUri: server.url,
    retry: { ...FAST, maxRetries: 1 },
    env: envOf(),
  });
  await assert.rejects(
    dead.getExperiment("0"),
    (e) => e instanceof TrackerError && e.errorCode === "NETWORK_ERROR" && /cannot reach/.test(e.message),
  );
});

Deno.test("auth: Basic from MLFLOW_TRACKING_USERNAME/PASSWORD, else Bearer MLFLOW_TRACKING_TOKEN", async () => {
  const server = await startTracker();
  const proxy = await startProxy(server.url);
  try {
    const basic = await TrackerClient.connect({
      trackingUri: proxy.url,
      env: envOf({
        MLFLOW_TRACKING_USERNAME: "ada",
        MLFLOW_TRACKING_PASSWORD: "s3cret:x",
        MLFLOW_TRACKING_TOKEN: "t",
      }),
    });
    await basic.getExperiment("0");
    assert.equal(proxy.seen[0].headers.get("authorization"), `Basic ${btoa("ada:s3cret:x")}`);
    const bearer = await TrackerClient.connect({
      trackingUri: proxy.url,
      env: envOf({ MLFLOW_TRACKING_TOKEN: "tok" }),
    });
    await bearer.getExperiment("0");
    assert.equal(proxy.seen[1].headers.get("authorization"), "Bearer tok");
    const none = await TrackerClient.connect({ trackingUri: proxy.url, env: envOf() });
    await none.getExperiment("0");
    assert.equal(proxy.seen[2].headers.get("authorization"), null);
    assert.match(proxy.seen[2].headers.get("user-agent") ?? "", /^tracker-client\//);
  } finally {
    await proxy.close();
    await server.stop();
  }
});
