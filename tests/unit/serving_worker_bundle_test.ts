// The committed prediction Worker bundle (src/serving/generated/predict-worker.js) must be what
// build-worker.ts builds from the current sources: the serving pool starts its Workers from the committed
// file, so a stale one would predict with old code. It must also stay free of the 14 MB WebAssembly and of
// the YAML and schema parsers.

import nodeAssert from "node:assert/strict";
import { buildWorkerBundle, WORKER_BUNDLE } from "../../src/serving/build-worker.ts";

Deno.test("src/serving/generated/predict-worker.js is up to date (run src/serving/build-worker.ts)", async () => {
  const out = await Deno.makeTempDir({ prefix: "tracker-worker-build-" });
  try {
    const built = await Deno.readTextFile(await buildWorkerBundle(out));
    const committed = await Deno.readTextFile(
      new URL(`../../src/serving/generated/${WORKER_BUNDLE}`, import.meta.url),
    );
    nodeAssert.ok(built.length > 10_000, "bundle suspiciously small");
    nodeAssert.ok(
      built.length < 2_000_000,
      `the Worker bundle grew to ${built.length} bytes: wasm or parsers in it?`,
    );
    nodeAssert.ok(!built.includes("AGFzbQ"), "the Worker bundle embeds WebAssembly bytes");
    // The serving thread parses MLmodel; YAML and zod in Workers would be dead weight loaded per Worker.
    nodeAssert.ok(
      !built.includes("YAMLParseError") && !built.includes("ZodError"),
      "a parser got into the bundle",
    );
    nodeAssert.ok(
      committed === built,
      "stale bundle: run `deno run -A src/serving/build-worker.ts` and commit it",
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
