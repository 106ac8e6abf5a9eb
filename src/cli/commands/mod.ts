// Every `tracker` command. To add one, write src/cli/commands/<name>.ts exporting a Command and list it here.

import type { Command } from "../registry.ts";
import { serverCommand } from "./server.ts";
import { uiCommand } from "./ui.ts";

export const COMMANDS: Command[] = [uiCommand, serverCommand];
