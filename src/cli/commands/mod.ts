// Every `tracker` command. To add one, write src/cli/commands/<name>.ts exporting a Command and list it here.
// The client's and the interchange commands are listed by name and summary and load their modules only
// when run, so no command pays at start-up for the others' modules (`tracker models serve` starts ~0.1 s
// sooner); tests/unit/cli_dispatch_test.ts checks each entry against the command its module defines.

import type { Command } from "../registry.ts";
import { modelsServeCommand, serveAliasCommand } from "./models-serve.ts";
import { serverCommand } from "./server.ts";
import { uiCommand } from "./ui.ts";

export type CommandModule = () => Promise<Command[]>;

const clientModule: CommandModule = () => import("../../client/cli/mod.ts").then((m) => m.CLIENT_COMMANDS);
const interchangeModule: CommandModule = () =>
  import("../../interchange/commands.ts").then((m) => m.interchangeCommands);

function lazy(load: CommandModule, entries: [name: string, summary: string][]): Command[] {
  return entries.map(([name, summary]) => ({
    name,
    summary,
    async run(argv, ctx) {
      const command = (await load()).find((c) => c.name === name);
      if (!command) throw new Error(`internal: command '${name}' is missing from its module`);
      return await command.run(argv, ctx);
    },
  }));
}

export const LAZY_COMMANDS: { load: CommandModule; commands: Command[] }[] = [
  {
    load: clientModule,
    commands: lazy(clientModule, [
      ["experiments create", "Create an experiment."],
      ["experiments search", "List the experiments of the tracking server."],
      ["experiments rename", "Rename an active experiment."],
      ["experiments delete", "Mark an experiment and its runs deleted."],
      ["experiments restore", "Restore a deleted experiment."],
      ["runs list", "List the runs of an experiment."],
      ["runs describe", "Print all details of a run as JSON."],
      ["runs delete", "Mark a run deleted."],
      ["runs restore", "Restore a deleted run."],
      ["artifacts list", "List the artifacts of a run (JSON)."],
      ["artifacts download", "Download an artifact file or folder."],
      ["artifacts log-artifact", "Upload a local file as an artifact of a run."],
    ]),
  },
  {
    load: interchangeModule,
    commands: lazy(interchangeModule, [
      ["import", "Import an MLflow mlruns folder (FileStore) into the store."],
      ["export", "Export the store as an MLflow mlruns folder (--format mlruns)."],
      ["gc", "Permanently remove deleted runs, experiments and logged models and their artifacts."],
    ]),
  },
];

export const COMMANDS: Command[] = [
  uiCommand,
  serverCommand,
  modelsServeCommand,
  serveAliasCommand,
  ...LAZY_COMMANDS.flatMap((m) => m.commands),
];
