// `tracker experiments create|search|rename|delete|restore`, with mlflow's option names and messages.

import { UsageError } from "../../cli/options.ts";
import type { Command } from "../../cli/registry.ts";
import { clientCommand, compareRows, idCommand, table, VIEW, viewType } from "./common.ts";

const EXPERIMENT_ID = {
  name: "experiment-id",
  short: "x",
  type: "string" as const,
  metavar: "ID",
  help: "Id of the experiment.",
};

const create = clientCommand({
  name: "experiments create",
  summary: "Create an experiment.",
  description: "Create an experiment. Artifacts of its runs are stored under the artifact location, in " +
    "<artifact location>/<run id>/artifacts.",
  options: [
    {
      name: "experiment-name",
      short: "n",
      type: "string",
      metavar: "NAME",
      help: "Name of the new experiment.",
    },
    {
      name: "artifact-location",
      short: "l",
      type: "string",
      metavar: "URI",
      help: "Base location for the artifacts of its runs; the server picks one when left out.",
    },
  ],
  required: ["experiment-name"],
  async run(values, client, ctx) {
    const name = values["experiment-name"] as string;
    const id = await client.createExperiment(name, {
      artifactLocation: (values["artifact-location"] as string | undefined) || undefined,
    });
    ctx.out(`Created experiment '${name}' with id ${id}`);
    return 0;
  },
});

const search = clientCommand({
  name: "experiments search",
  summary: "List the experiments of the tracking server.",
  description: "Search for experiments in the configured tracking server.",
  options: [
    VIEW,
    {
      name: "max-results",
      type: "string",
      metavar: "N",
      help: "Most experiments to return; all when left out.",
    },
  ],
  async run(values, client, ctx) {
    const view = viewType(values.view);
    let maxResults: number | undefined;
    if (values["max-results"] !== undefined) {
      maxResults = Number(values["max-results"]);
      if (!Number.isInteger(maxResults) || maxResults < 0) {
        throw new UsageError("--max-results must be a non-negative integer");
      }
    }
    const experiments = maxResults === 0
      ? []
      : await client.searchAllExperiments({ viewType: view, maxResults });
    const rows = experiments.map((e) => [e.experimentId, e.name, e.artifactLocation]);
    rows.sort(compareRows);
    ctx.out(table(rows, ["Experiment Id", "Name", "Artifact Location"]));
    return 0;
  },
});

const rename = clientCommand({
  name: "experiments rename",
  summary: "Rename an active experiment.",
  description: "Renames an active experiment. Returns an error if the experiment is inactive.",
  options: [EXPERIMENT_ID, { name: "new-name", type: "string", metavar: "NAME", help: "The new name." }],
  required: ["experiment-id", "new-name"],
  async run(values, client, ctx) {
    const id = values["experiment-id"] as string;
    const newName = values["new-name"] as string;
    await client.renameExperiment(id, newName);
    ctx.out(`Experiment with id ${id} has been renamed to '${newName}'.`);
    return 0;
  },
});

const remove = idCommand({
  name: "experiments delete",
  summary: "Mark an experiment and its runs deleted.",
  description: "Mark an active experiment for deletion, with its runs. Deleted experiments can be restored " +
    "with 'tracker experiments restore' until 'tracker gc' removes them for good.",
  option: EXPERIMENT_ID,
  call: (client, id) => client.deleteExperiment(id),
  message: (id) => `Experiment with ID ${id} has been deleted.`,
});

const restore = idCommand({
  name: "experiments restore",
  summary: "Restore a deleted experiment.",
  description: "Restore a deleted experiment and its runs. Fails if the experiment is active, unknown, or " +
    "permanently deleted.",
  option: EXPERIMENT_ID,
  call: (client, id) => client.restoreExperiment(id),
  message: (id) => `Experiment with id ${id} has been restored.`,
});

export const EXPERIMENT_COMMANDS: Command[] = [create, search, rename, remove, restore];
