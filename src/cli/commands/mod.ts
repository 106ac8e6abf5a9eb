// Every `tracker` command. To add one, write src/cli/commands/<name>.ts exporting a Command and list it here.

import type { Command } from "../registry.ts";
import { CLIENT_COMMANDS } from "../../client/cli/mod.ts";
import { modelsServeCommand, serveAliasCommand } from "./models-serve.ts";
import { interchangeCommands } from "../../interchange/commands.ts";
import { serverCommand } from "./server.ts";
import { uiCommand } from "./ui.ts";

export const COMMANDS: Command[] = [
  uiCommand,
  serverCommand,
  modelsServeCommand,
  serveAliasCommand,
  // experiments create|search|rename|delete|restore, runs list|describe|delete|restore,
  // artifacts list|download|log-artifact (src/client/cli).
  ...CLIENT_COMMANDS,
  // import, export --format mlruns, gc (src/interchange).
  ...interchangeCommands,
];
