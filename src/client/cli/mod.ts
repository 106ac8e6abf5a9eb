// The client's commands for the `tracker` CLI registry (src/cli/commands/mod.ts).

import type { Command } from "../../cli/registry.ts";
import { ARTIFACT_COMMANDS } from "./artifacts.ts";
import { EXPERIMENT_COMMANDS } from "./experiments.ts";
import { RUN_COMMANDS } from "./runs.ts";

export const CLIENT_COMMANDS: Command[] = [...EXPERIMENT_COMMANDS, ...RUN_COMMANDS, ...ARTIFACT_COMMANDS];
