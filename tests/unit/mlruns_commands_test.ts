// The import/export/gc commands end to end in-process (options, store folder, lock), and the progress bar.

import nodeAssert from "node:assert/strict";
import * as path from "node:path";
import { exportCommand, gcCommand, importCommand } from "../../src/interchange/commands.ts";
import { createProgress } from "../../src/interchange/filestore/progress.ts";
import { captureContext } from "./cli_harness.ts";
import { makeFileStore, RUN_B } from "./mlruns_fixture.ts";

const context = () => captureContext({ entryUrl: import.meta.url });

Deno.test("import, export and gc commands work on a backend folder and refuse a locked one", async () => {
  const tmp = await Deno.makeTempDir({ prefix: "mlruns_cmd_" });
  try {
    const src = path.join(tmp, "mlruns");
    await makeFileStore(src);
    const store = [
      "--backend-store-uri",
      path.join(tmp, "store"),
      "--artifacts-destination",
      path.join(tmp, "art"),
    ];

    let c = context();
    assertEquals(await importCommand([src, ...store], c.ctx), 0);
    nodeAssert.match(c.out.join("\n"), /runs: 4 new, 0 updated, 0 unchanged, 0 failed/);

    c = context();
    assertEquals(await exportCommand(["--format", "mlruns", path.join(tmp, "out"), ...store], c.ctx), 0);
    nodeAssert.match(c.out.join("\n"), /exported 3 experiment\(s\), 4 run\(s\)/);

    c = context();
    assertEquals(await gcCommand(["--dry-run", ...store], c.ctx), 0);
    nodeAssert.ok(c.out.some((l) => l.includes(`would remove run ${RUN_B}`)));

    // A running tracker holds the folder's lock: nothing may write under it.
    const lock = await Deno.open(path.join(tmp, "store", "tracker.lock"), { read: true, write: true });
    await lock.lock(true);
    try {
      c = context();
      assertEquals(await gcCommand(store, c.ctx), 2);
      nodeAssert.match(c.err.join("\n"), /in use by a running tracker/);
    } finally {
      await lock.unlock();
      lock.close();
    }
    c = context();
    assertEquals(await gcCommand(store, c.ctx), 0);
    nodeAssert.ok(c.out.some((l) => l === `Run with ID ${RUN_B} has been permanently deleted.`));
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
});

Deno.test("commands print help, and usage errors exit 2 with one line", async () => {
  for (
    const [f, usage] of [[importCommand, "tracker import"], [exportCommand, "tracker export"], [
      gcCommand,
      "tracker gc",
    ]] as const
  ) {
    const c = context();
    assertEquals(await f(["--help"], c.ctx), 0);
    nodeAssert.match(c.out.join("\n"), new RegExp(`^Usage: ${usage}`));
  }
  const cases: [typeof importCommand, string[], RegExp][] = [
    [importCommand, [], /expected one argument/],
    [importCommand, ["a", "--artifacts", "move"], /--artifacts must be one of copy, reference/],
    [exportCommand, ["--format", "zip", "x"], /--format must be one of mlruns/],
    [gcCommand, ["--older-than", "2w"], /Could not parse/],
    [gcCommand, ["--backend-store-uri", "/nonexistent/tracker-test"], /no tracker store/],
    [gcCommand, ["--bogus"], /bogus/],
  ];
  for (const [f, argv, want] of cases) {
    const c = context();
    assertEquals(await f(argv, c.ctx), 2, argv.join(" "));
    assertEquals(c.err.length, 1);
    nodeAssert.match(c.err[0], want);
  }
});

Deno.test("the progress bar draws on a terminal, keeps warnings readable and clears itself", () => {
  let screen = "";
  const p = createProgress({ title: "import", force: true, width: 80, write: (s) => (screen += s) });
  p.total(4);
  p.tick(2, "exp-a");
  p.note("warning: something");
  p.tick(2);
  nodeAssert.match(screen, /import 4\/4 \[#+\] 100% exp-a/);
  nodeAssert.ok(screen.includes("\r\x1b[Kwarning: something\n"));
  p.done();
  nodeAssert.ok(screen.endsWith("\r\x1b[K"));
  let quiet = "";
  const q = createProgress({ title: "x", force: false, write: (s) => (quiet += s) });
  q.total(1);
  q.tick();
  q.note("warning: w");
  q.done();
  assertEquals(quiet, "warning: w\n");
});

const assertEquals = <V>(actual: V, expected: V, msg?: string) =>
  nodeAssert.deepStrictEqual(actual, expected, msg);

Deno.test("importFileStoreIfPresent imports a FileStore folder in place and ignores other folders", async () => {
  const { importFileStoreIfPresent } = await import("../../src/interchange/mod.ts");
  const { openKvStore } = await import("../../src/store/kv/mod.ts");
  const tmp = await Deno.makeTempDir({ prefix: "mlruns_auto_" });
  const store = await openKvStore({ path: ":memory:", defaultArtifactRoot: "mlflow-artifacts:/" });
  try {
    const lines: string[] = [];
    const opts = {
      artifactsDestination: path.join(tmp, "art"),
      out: (l: string) => lines.push(l),
      err: (l: string) => lines.push(l),
    };
    assertEquals(await importFileStoreIfPresent(store, tmp, opts), null);
    assertEquals(lines, []);
    await makeFileStore(path.join(tmp, "mlruns"));
    const r = await importFileStoreIfPresent(store, path.join(tmp, "mlruns"), opts);
    assertEquals(r?.runs.created, 4);
    nodeAssert.match(lines[0], /holds an MLflow FileStore/);
    nodeAssert.match((await store.getRun(RUN_B)).info.artifactUri, new RegExp(`^file://${tmp}/mlruns/`));
  } finally {
    await store.close();
    await Deno.remove(tmp, { recursive: true });
  }
});
