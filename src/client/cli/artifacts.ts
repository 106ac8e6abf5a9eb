// `tracker artifacts list|download|log-artifact`, with mlflow's option names and output.

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { UsageError } from "../../cli/options.ts";
import type { Command } from "../../cli/registry.ts";
import * as ops from "../artifacts/ops.ts";
import { TrackerClient } from "../client.ts";
import { TrackerError } from "../errors.ts";
import type { FileInfo } from "../types.ts";
import { clientCommand } from "./common.ts";

const RUN_ID = { name: "run-id", short: "r", type: "string" as const, metavar: "ID", help: "Id of the run." };

const list = clientCommand({
  name: "artifacts list",
  summary: "List the artifacts of a run (JSON).",
  description:
    "List the artifacts directly under a run's artifact root, or under a folder of it, as a JSON list.",
  options: [
    RUN_ID,
    {
      name: "artifact-path",
      short: "a",
      type: "string",
      metavar: "PATH",
      help: "Folder to list, relative to the run's artifact root.",
    },
  ],
  required: ["run-id"],
  async run(values, client, ctx) {
    const files = await client.listRunArtifacts(
      values["run-id"] as string,
      values["artifact-path"] as string,
    );
    ctx.out(fileInfosJson(files));
    return 0;
  },
});

const download = clientCommand({
  name: "artifacts download",
  summary: "Download an artifact file or folder.",
  description:
    "Download an artifact file or folder to a local folder and print its local path. Give either " +
    "--run-id (with an optional --artifact-path) or --artifact-uri.",
  options: [
    { ...RUN_ID, help: "Run to download from." },
    {
      name: "artifact-path",
      short: "a",
      type: "string",
      metavar: "PATH",
      help: "With --run-id: the file or folder to download, relative to the run's artifact root.",
    },
    {
      name: "artifact-uri",
      short: "u",
      type: "string",
      metavar: "URI",
      help: "runs:/<run_id>/<path>, or an artifact location (mlflow-artifacts:/..., file:...), instead of " +
        "--run-id and --artifact-path.",
    },
    {
      name: "dst-path",
      short: "d",
      type: "string",
      metavar: "DIR",
      help: "Local folder to download into (created if missing); a new temporary folder when left out.",
    },
  ],
  async run(values, client, ctx) {
    const uri = values["artifact-uri"] as string | undefined;
    const runId = values["run-id"] as string | undefined;
    if (!uri && !runId) throw new UsageError("Give either --run-id or --artifact-uri");
    const given = values["dst-path"] as string | undefined;
    const dst = given ? resolve(given) : await mkdtemp(join(tmpdir(), "tracker-artifacts-"));
    // As in mlflow, --artifact-uri wins over --run-id/--artifact-path.
    const local = uri
      ? await downloadUri(client, uri, dst)
      : await client.downloadArtifacts(runId!, values["artifact-path"] as string | undefined, dst);
    ctx.out(`\n${local}`);
    return 0;
  },
});

const logArtifact = clientCommand({
  name: "artifacts log-artifact",
  summary: "Upload a local file as an artifact of a run.",
  description: "Log a local file as an artifact of a run, optionally inside a folder of the run's artifacts.",
  options: [
    { name: "local-file", short: "l", type: "string", metavar: "FILE", help: "Local file to upload." },
    { ...RUN_ID, help: "Run to log the artifact into." },
    {
      name: "artifact-path",
      short: "a",
      type: "string",
      metavar: "PATH",
      help: "Folder of the run's artifacts to put the file in.",
    },
  ],
  required: ["local-file", "run-id"],
  async run(values, client, ctx) {
    const file = values["local-file"] as string;
    const path = values["artifact-path"] as string | undefined;
    await client.logArtifact(values["run-id"] as string, file, path);
    ctx.err(`Logged artifact from local file ${file} to artifact_path=${path ?? "None"}`);
    return 0;
  },
});

/** `runs:/<run_id>/<path>` or a repository URI; the last path segment is downloaded into dst. */
async function downloadUri(client: TrackerClient, uri: string, dst: string): Promise<string> {
  const runs = /^runs:\/+([^/]+)(?:\/(.*))?$/.exec(uri);
  if (runs) return await client.downloadArtifacts(runs[1], runs[2] ?? "", dst);
  if (uri.startsWith("runs:")) {
    throw new TrackerError(`malformed runs: URI '${uri}'`, "INVALID_PARAMETER_VALUE");
  }
  // The parent folder of the URI is the repository root; its last segment is what gets downloaded.
  const trimmed = uri.replace(/\/+$/, "");
  const cut = trimmed.lastIndexOf("/");
  const isRoot = cut < 0 || /^[a-z][\w+.-]*:\/*$/i.test(trimmed.slice(0, cut + 1));
  if (isRoot) return await ops.downloadArtifacts(client.artifactRepo(trimmed), "", dst);
  return await ops.downloadArtifacts(client.artifactRepo(trimmed.slice(0, cut)), trimmed.slice(cut + 1), dst);
}

/** mlflow's output: "[" + the pretty JSON of each FileInfo joined by ", " + "]". */
export function fileInfosJson(files: FileInfo[]): string {
  const items = files.map((f) =>
    JSON.stringify(
      f.isDir ? { path: f.path, is_dir: true } : { path: f.path, is_dir: false, file_size: f.fileSize ?? 0 },
      null,
      2,
    )
  );
  return `[${items.join(", ")}]`;
}

export const ARTIFACT_COMMANDS: Command[] = [list, download, logArtifact];
