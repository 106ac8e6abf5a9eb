// Builds dist/client/tracker-client.mjs (scripts/build-client.sh) and runs tests/node/*.test.mjs with
// Node against a real tracker.

import assert from "node:assert/strict";
import { join } from "node:path";
import { buildClientBundle, HAS_NODE, ROOT, startTracker } from "./client_harness.ts";

Deno.test({
  name: "Node imports the bundled client and logs runs to a running tracker",
  ignore: !HAS_NODE,
  async fn() {
    await buildClientBundle();
    const server = await startTracker();
    try {
      const out = await new Deno.Command("node", {
        args: ["--test", join(ROOT, "tests/node/client.test.mjs")],
        env: { TRACKER_URL: server.url },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
      assert.equal(out.code, 0, text);
      assert.match(text, /# pass 7\b/);
      assert.match(text, /# fail 0\b/);
    } finally {
      await server.stop();
    }
  },
});
