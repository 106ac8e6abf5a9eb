// runServer in this process: the one-thread path end to end, stopped through its AbortSignal.

import assert from "node:assert/strict";
import { parseOptions } from "../../src/cli/options.ts";
import type { CommandContext } from "../../src/cli/registry.ts";
import { runServer } from "../../src/cli/serve.ts";
import { resolveServerOptions, UI_OPTIONS } from "../../src/cli/server-options.ts";

Deno.test("runServer: serves /health and the API with a static prefix, returns 0 when stopped", async () => {
  const argv = [
    "--backend-store-uri",
    ":memory:",
    "--port",
    "0",
    "--static-prefix",
    "/t",
    "--expose-prometheus",
  ];
  const resolved = resolveServerOptions(parseOptions(UI_OPTIONS, argv, () => undefined).values, Deno.cwd());
  const out: string[] = [];
  const ctx: CommandContext = {
    env: () => undefined,
    out: (t) => out.push(t),
    err: (t) => out.push(t),
    entryUrl: "",
  };
  const stop = new AbortController();
  const checks = Promise.withResolvers<void>();
  const running = runServer(resolved, ctx, {
    signal: stop.signal,
    onReady: async (url) => {
      try {
        assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/t$/);
        const health = await fetch(`${url}/health`);
        assert.equal(await health.text(), "OK");
        const slash = await fetch(`${url}/`, { redirect: "manual" });
        await slash.body?.cancel();
        assert.equal(slash.status, 308);
        assert.equal(new URL(slash.headers.get("location")!, url).pathname, "/t");
        const created = await fetch(`${url}/api/2.0/mlflow/experiments/create`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: "in-process" }),
        });
        assert.equal(created.status, 200);
        const { experiment_id } = await created.json();
        const got =
          await (await fetch(`${url}/api/2.0/mlflow/experiments/get?experiment_id=${experiment_id}`)).json();
        assert.equal(got.experiment.name, "in-process");
        const metrics = await (await fetch(`${url}/metrics`)).text();
        assert.match(metrics, /^mlflow_experiments\{lifecycle_stage="active"\} 2$/m);
        assert.match(metrics, /route="\/t\/api\/2\.0\/mlflow\/experiments\/create",status="200"\} 1$/m);
        const outside = await fetch(url.replace(/\/t$/, "/health"));
        assert.equal(outside.status, 404);
        await outside.body?.cancel();
        checks.resolve();
      } catch (e) {
        checks.reject(e);
      } finally {
        stop.abort();
      }
    },
  });
  assert.equal(await running, 0);
  await checks.promise;
  assert.match(out.join("\n"), /listening on http:\/\/127\.0\.0\.1:\d+\/t \(1 worker; store :memory:\)/);
  assert.match(out.at(-1)!, /stop requested, shutting down/);
});
