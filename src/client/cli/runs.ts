// `tracker runs list|describe|delete|restore`, with mlflow's option names and output.

import type { Command } from "../../cli/registry.ts";
import type { Run } from "../types.ts";
import { clientCommand, compareRows, idCommand, table, VIEW, viewType } from "./common.ts";

const RUN_ID = { name: "run-id", type: "string" as const, metavar: "ID", help: "Id of the run." };

const list = clientCommand({
  name: "runs list",
  summary: "List the runs of an experiment.",
  description: "List all runs of the specified experiment in the configured tracking server.",
  options: [
    {
      name: "experiment-id",
      type: "string",
      env: "MLFLOW_EXPERIMENT_ID",
      metavar: "ID",
      help: "Experiment whose runs to list.",
    },
    VIEW,
  ],
  required: ["experiment-id"],
  async run(values, client, ctx) {
    const runs = await client.searchAllRuns({
      experimentIds: [values["experiment-id"] as string],
      viewType: viewType(values.view),
    });
    const rows = runs.map((r) => [localDate(r.info.startTime ?? 0), r.info.runName ?? "", r.info.runId]);
    rows.sort((a, b) => compareRows(b, a));
    ctx.out(table(rows, ["Date", "Name", "ID"]));
    return 0;
  },
});

const describe = clientCommand({
  name: "runs describe",
  summary: "Print all details of a run as JSON.",
  description: "All details of the run (info, latest metrics, params, tags, inputs, outputs) as JSON.",
  options: [RUN_ID],
  required: ["run-id"],
  async run(values, client, ctx) {
    ctx.out(pythonJson(runDictionary(await client.getRun(values["run-id"] as string)), 4));
    return 0;
  },
});

const remove = idCommand({
  name: "runs delete",
  summary: "Mark a run deleted.",
  description: "Mark a run for deletion. Restore it with 'tracker runs restore' until 'tracker gc' " +
    "removes it for good.",
  option: RUN_ID,
  call: (client, id) => client.deleteRun(id),
  message: (id) => `Run with ID ${id} has been deleted.`,
});

const restore = idCommand({
  name: "runs restore",
  summary: "Restore a deleted run.",
  description: "Restore a deleted run. Fails if the run is active or permanently deleted.",
  option: RUN_ID,
  call: (client, id) => client.restoreRun(id),
  message: (id) => `Run with id ${id} has been restored.`,
});

/** The shape of MLflow's Run.to_dictionary(): info fields sorted, metrics/params/tags as maps. */
export function runDictionary(run: Run): Record<string, unknown> {
  const i = run.info;
  return {
    info: {
      artifact_uri: i.artifactUri,
      end_time: i.endTime ?? null,
      experiment_id: i.experimentId,
      lifecycle_stage: i.lifecycleStage,
      run_id: i.runId,
      run_name: i.runName,
      start_time: i.startTime ?? null,
      status: i.status,
      user_id: i.userId,
    },
    data: {
      metrics: Object.fromEntries(run.data.metrics.map((m) => [m.key, m.value])),
      params: Object.fromEntries(run.data.params.map((p) => [p.key, p.value])),
      tags: Object.fromEntries(run.data.tags.map((t) => [t.key, t.value])),
    },
    inputs: {
      model_inputs: run.inputs.modelInputs.map((m) => ({ model_id: m.modelId })),
      dataset_inputs: run.inputs.datasetInputs.map((d) => ({
        dataset: {
          name: d.dataset.name,
          digest: d.dataset.digest,
          source_type: d.dataset.sourceType,
          source: d.dataset.source,
          schema: d.dataset.schema ?? null,
          profile: d.dataset.profile ?? null,
        },
        tags: Object.fromEntries(d.tags.map((t) => [t.key, t.value])),
      })),
    },
    outputs: { model_outputs: run.outputs.modelOutputs.map((m) => ({ model_id: m.modelId, step: m.step })) },
  };
}

/** Python's json.dumps(indent=n): non-finite floats as NaN/Infinity/-Infinity, ", " and ": " separators. */
export function pythonJson(value: unknown, indent: number): string {
  const marker = "@@tracker-non-finite@@";
  const text = JSON.stringify(
    value,
    (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? marker + String(v) : v),
    indent,
  );
  return text.replace(new RegExp(`"${marker}(NaN|Infinity|-Infinity)"`, "g"), "$1");
}

/** "YYYY-MM-DD HH:MM:SS TZ" in local time, as mlflow prints run dates. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  const date = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  const tz = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" }).formatToParts(d)
    .find((part) => part.type === "timeZoneName")?.value;
  return tz ? `${date} ${tz}` : date;
}

export const RUN_COMMANDS: Command[] = [list, describe, remove, restore];
