import assert from "node:assert/strict";
import { runCli, topLevelHelp } from "../../src/cli/mod.ts";
import { COMMANDS, LAZY_COMMANDS } from "../../src/cli/commands/mod.ts";
import type { Command } from "../../src/cli/registry.ts";
import { findCommand } from "../../src/cli/registry.ts";
import { SERVER_OPTIONS } from "../../src/cli/server-options.ts";
import { TRACKER_VERSION } from "../../src/server/config.ts";
import { captureContext } from "./cli_harness.ts";

const capture = () => captureContext();

Deno.test("tracker --version", async () => {
  const { ctx, out } = capture();
  assert.equal(await runCli(["--version"], ctx), 0);
  assert.deepEqual(out, [`tracker ${TRACKER_VERSION}`]);
});

Deno.test("tracker --help lists every command; no arguments prints it as an error", async () => {
  const a = capture();
  assert.equal(await runCli(["--help"], a.ctx), 0);
  for (const c of COMMANDS) assert.ok(a.out[0].includes(`  ${c.name} `), c.name);
  const b = capture();
  assert.equal(await runCli([], b.ctx), 2);
  assert.equal(b.err[0], topLevelHelp(COMMANDS));
});

Deno.test("unknown command or top-level option: one line, exit 2", async () => {
  for (
    const [argv, text] of [[["frobnicate"], "no such command 'frobnicate'"], [
      ["--port", "1"],
      "unknown option '--port'",
    ]]
  ) {
    const { ctx, err } = capture();
    assert.equal(await runCli(argv as string[], ctx), 2);
    assert.equal(err.length, 1);
    assert.ok(err[0].includes(text as string), err[0]);
  }
});

Deno.test("tracker server --help documents every option, ui --help omits --workers", async () => {
  const s = capture();
  assert.equal(await runCli(["server", "--help"], s.ctx), 0);
  for (const o of SERVER_OPTIONS) assert.ok(s.out[0].includes(`--${o.name}`), o.name);
  assert.ok(s.out[0].includes("-h, --host HOST"));
  assert.ok(s.out[0].includes("--serve-artifacts/--no-serve-artifacts"));
  assert.ok(s.out[0].includes("--expose-prometheus [DIR]"));
  assert.ok(s.out[0].includes("env MLFLOW_PORT; default 5000"));
  const u = capture();
  assert.equal(await runCli(["ui", "--help"], u.ctx), 0);
  assert.equal(u.out[0].includes("-w, --workers"), false);
});

Deno.test("a bad option of a command is one line naming the command, exit 2", async () => {
  const { ctx, out, err } = capture();
  assert.equal(await runCli(["ui", "--workers", "2"], ctx), 2);
  assert.deepEqual(out, []);
  assert.deepEqual(err, ["tracker ui: Unknown option '--workers' (see 'tracker ui --help')"]);
  const bad = capture();
  assert.equal(await runCli(["server", "--static-prefix", "x/"], bad.ctx), 2);
  assert.match(bad.err[0], /^tracker server: --static-prefix must begin with a '\/'/);
});

Deno.test("multi-word commands match the longest name", () => {
  const mk = (name: string): Command => ({ name, summary: "", run: () => Promise.resolve(0) });
  const cmds = [mk("models"), mk("models serve"), mk("server")];
  assert.equal(findCommand(cmds, ["models", "serve", "-m", "x"])?.command.name, "models serve");
  assert.deepEqual(findCommand(cmds, ["models", "serve", "-m", "x"])?.rest, ["-m", "x"]);
  assert.equal(findCommand(cmds, ["models", "list"])?.command.name, "models");
  assert.equal(findCommand(cmds, ["mod"]), undefined);
});

Deno.test("commands loaded on demand: the registry's names and summaries are the ones their modules define", async () => {
  for (const { load, commands } of LAZY_COMMANDS) {
    const real = await load();
    assert.deepEqual(
      commands.map((c) => [c.name, c.summary]),
      real.map((c) => [c.name, c.summary]),
    );
  }
  // And a lazy entry runs the real command: its --help text, not the registry's.
  const { ctx, out } = capture();
  assert.equal(await runCli(["runs", "describe", "--help"], ctx), 0);
  assert.match(out.join("\n"), /--run-id/);
});
