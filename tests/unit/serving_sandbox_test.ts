// TRACKER_JS_SANDBOX=1: a JS model's Workers may read the model's folder and nothing else (Deno Worker
// permissions, which need --unstable-worker-options). Without the variable it runs with the process's
// permissions, as before. Runs `tracker models serve` as a subprocess: the flag is per process.

import nodeAssert from "node:assert/strict";
import * as path from "node:path";
import { writeJsModel } from "./serving_fixtures.ts";

const ENTRY = new URL("../../src/serving/entry.ts", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;

const probeModel = (outside: string) => `
const attempt = (f) => { try { f(); return "allowed"; } catch (e) { return e.name; } };
export function predict() {
  return {
    ownFolder: attempt(() => Deno.readTextFileSync(new URL("./data.txt", import.meta.url))),
    otherFile: attempt(() => Deno.readTextFileSync(${JSON.stringify(outside)})),
    env: attempt(() => Deno.env.get("HOME")),
    run: attempt(() => new Deno.Command("true").outputSync()),
    write: attempt(() => Deno.writeTextFileSync(new URL("./out.txt", import.meta.url), "x")),
  };
}`;

async function probe(sandbox: boolean): Promise<Record<string, string>> {
  const dir = await Deno.makeTempDir({ prefix: "serving-sandbox-" });
  const outside = path.join(dir, "outside.txt");
  await Deno.writeTextFile(outside, "secret");
  const model = await writeJsModel(path.join(dir, "m"), probeModel(outside));
  await Deno.writeTextFile(path.join(model, "data.txt"), "ok");
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--unstable-worker-options",
      "--unstable-raw-imports",
      "-A",
      ENTRY,
      "-m",
      model,
      "-p",
      `${port}`,
      "-w",
      "1",
    ],
    cwd: ROOT,
    env: sandbox ? { TRACKER_JS_SANDBOX: "1" } : {},
    stdout: "null",
    stderr: "piped",
  }).spawn();
  try {
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 600; i++) {
      const ok = await fetch(`${url}/ping`).then((r) => (r.body?.cancel(), r.ok), () => false);
      if (ok) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const res = await fetch(`${url}/invocations`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ inputs: [1] }),
    });
    nodeAssert.equal(res.status, 200);
    return (await res.json()).predictions;
  } finally {
    child.kill("SIGTERM");
    await child.status;
    await child.stderr.cancel();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("TRACKER_JS_SANDBOX=1: a JS model reads its own folder and nothing else", async () => {
  nodeAssert.deepEqual(await probe(true), {
    ownFolder: "allowed",
    otherFile: "NotCapable",
    env: "NotCapable",
    run: "NotCapable",
    write: "NotCapable",
  });
});

Deno.test("without TRACKER_JS_SANDBOX a JS model has the process's permissions", async () => {
  const got = await probe(false);
  nodeAssert.equal(got.otherFile, "allowed");
  nodeAssert.equal(got.env, "allowed");
});
