// Stand-in entry for `tracker import|export|gc` until main.ts lists these commands (conftest.py prefers
// main.ts as soon as `main.ts import --help` works).

import { exportCommand, gcCommand, importCommand } from "../../src/interchange/commands.ts";

const [command, ...rest] = Deno.args;
const run = { import: importCommand, export: exportCommand, gc: gcCommand }[command ?? ""];
if (!run) {
  console.error(`usage: cli.ts import|export|gc [OPTIONS]`);
  Deno.exit(2);
}
Deno.exit(await run(rest));
