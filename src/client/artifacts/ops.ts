// Artifact operations on any repository: log a file or a folder tree, list, and download a file or a
// folder tree (MLflow's semantics: logArtifact puts the file under <artifactPath>/<its name>).

import { mkdir, readdir, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { TrackerError } from "../errors.ts";
import type { FileInfo } from "../types.ts";
import { cleanArtifactPath, joinArtifactPath } from "./paths.ts";
import type { ArtifactRepo } from "./repo.ts";

export async function logArtifact(
  repo: ArtifactRepo,
  localFile: string,
  artifactPath?: string,
): Promise<void> {
  const info = await statOrThrow(localFile);
  if (info.isDirectory()) {
    throw new TrackerError(
      `${localFile} is a directory; use logArtifacts for folders`,
      "INVALID_PARAMETER_VALUE",
    );
  }
  await repo.uploadFile(localFile, joinArtifactPath(cleanArtifactPath(artifactPath), basename(localFile)));
}

/** Uploads every file under `localDir`, keeping the tree, below `artifactPath`. */
export async function logArtifacts(
  repo: ArtifactRepo,
  localDir: string,
  artifactPath?: string,
): Promise<void> {
  const info = await statOrThrow(localDir);
  if (!info.isDirectory()) {
    throw new TrackerError(`${localDir} is not a directory`, "INVALID_PARAMETER_VALUE");
  }
  const root = cleanArtifactPath(artifactPath);
  for (const rel of await walk(localDir)) {
    await repo.uploadFile(join(localDir, ...rel.split("/")), joinArtifactPath(root, rel));
  }
}

export function listArtifacts(repo: ArtifactRepo, path?: string): Promise<FileInfo[]> {
  return repo.list(cleanArtifactPath(path));
}

/**
 * Downloads `path` ("" = everything) into `dstDir` and returns the local path of what was downloaded:
 * `<dstDir>/<path>`, a file or a folder.
 */
export async function downloadArtifacts(
  repo: ArtifactRepo,
  path: string | undefined,
  dstDir: string,
): Promise<string> {
  const clean = cleanArtifactPath(path);
  const target = clean === "" ? dstDir : join(dstDir, ...clean.split("/"));
  const children = await repo.list(clean);
  if (clean !== "" && children.length === 0) {
    // A file, or nothing: the GET tells which.
    await mkdir(join(target, ".."), { recursive: true });
    await repo.downloadFile(clean, target);
    return target;
  }
  await mkdir(target, { recursive: true });
  await downloadTree(repo, children, dstDir);
  return target;
}

async function downloadTree(repo: ArtifactRepo, entries: FileInfo[], dstDir: string): Promise<void> {
  for (const entry of entries) {
    const local = join(dstDir, ...entry.path.split("/"));
    if (entry.isDir) {
      await mkdir(local, { recursive: true });
      await downloadTree(repo, await repo.list(entry.path), dstDir);
    } else {
      await repo.downloadFile(entry.path, local);
    }
  }
}

/** Relative "/"-paths of every file below `dir`, sorted. */
async function walk(dir: string, prefix = ""): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...await walk(join(dir, e.name), rel));
    else if (e.isFile()) out.push(rel);
  }
  return out;
}

async function statOrThrow(path: string) {
  try {
    return await stat(path);
  } catch {
    throw new TrackerError(`no such file or directory: ${path}`, "INVALID_PARAMETER_VALUE");
  }
}
