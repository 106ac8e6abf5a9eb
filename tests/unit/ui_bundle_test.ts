// The committed client bundle (ui/generated/app.js) must be what scripts/build-ui.sh builds from the
// current sources: the server embeds the committed file, so a stale one would ship old UI code.

import { assert, assertEquals } from "./routes_harness.ts";

Deno.test("ui/generated/app.js is up to date with ui/islands (run scripts/build-ui.sh)", async () => {
  const root = new URL("../../", import.meta.url).pathname;
  const out = await Deno.makeTempDir({ prefix: "tracker-ui-build-" });
  try {
    const res = await new Deno.Command("bash", {
      args: [`${root}scripts/build-ui.sh`, out],
      env: { DENO: Deno.execPath() },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(res.success, new TextDecoder().decode(res.stderr));
    const built = await Deno.readTextFile(`${out}/app.js`);
    const committed = await Deno.readTextFile(`${root}ui/generated/app.js`);
    assert(built.length > 1000, "bundle suspiciously small");
    assertEquals(
      committed === built,
      true,
      "stale bundle: run `bash scripts/build-ui.sh` and commit ui/generated",
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
