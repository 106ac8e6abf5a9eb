// Artifacts in a local folder: what file: artifact URIs mean (MLflow's client also writes those directly).

import { copyFile, mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { TrackerError } from "../errors.ts";
import type { FileInfo } from "../types.ts";
import type { ArtifactRepo } from "./repo.ts";
import { joinArtifactPath } from "./paths.ts";

export class LocalArtifactRepo implements ArtifactRepo {
  constructor(readonly rootUri: string, private readonly rootDir: string) {}

  private local(path: string): string {
    return path === "" ? this.rootDir : join(this.rootDir, ...path.split("/"));
  }

  async uploadFile(localFile: string, artifactFile: string): Promise<void> {
    const dst = this.local(artifactFile);
    await mkdir(dirname(dst), { recursive: true });
    await copyFile(localFile, dst);
  }

  async uploadBytes(bytes: Uint8Array<ArrayBuffer>, artifactFile: string): Promise<void> {
    const dst = this.local(artifactFile);
    await mkdir(dirname(dst), { recursive: true });
    await writeFile(dst, bytes);
  }

  async list(dir: string): Promise<FileInfo[]> {
    let entries;
    try {
      entries = await readdir(this.local(dir), { withFileTypes: true });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === "ENOENT" || code === "ENOTDIR") return [];
      throw e;
    }
    const out: FileInfo[] = [];
    for (const entry of entries) {
      const path = joinArtifactPath(dir, entry.name);
      if (entry.isDirectory()) out.push({ path, isDir: true });
      else out.push({ path, isDir: false, fileSize: (await stat(this.local(path))).size });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async downloadFile(artifactFile: string, localFile: string): Promise<void> {
    try {
      await copyFile(this.local(artifactFile), localFile);
    } catch (e) {
      if ((e as { code?: string }).code !== "ENOENT") throw e;
      throw new TrackerError(`no artifact '${artifactFile}' in ${this.rootUri}`, "RESOURCE_DOES_NOT_EXIST");
    }
  }
}
