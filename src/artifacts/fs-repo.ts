// Artifacts stored as plain files under one root directory. Every operation takes a SafePath and re-proves
// on disk (symlinks resolved) that it stays under the root, so a caller cannot reach outside it even by
// mistake. Uploads stream to a hidden temp file in the destination directory and are renamed into place,
// so a failed or aborted upload never leaves a partial artifact behind.

import * as path from "node:path";
import { invalidParam, MlflowError, notFound } from "../errors.ts";
import {
  assertInside,
  isWithin,
  normalizeSafePath,
  realPathAllowMissing,
  resolveInside,
  type SafePath,
} from "./paths.ts";

export interface FileInfo {
  /** Relative to the repository root, `/`-separated. */
  path: string;
  isDir: boolean;
  /** Absent for directories. */
  fileSize?: number;
}

export interface OpenedArtifact {
  file: Deno.FsFile;
  size: number;
  mtime: Date | null;
}

/** Temp files of in-flight uploads; hidden from listings and reserved as artifact names. */
export const UPLOAD_TEMP_PREFIX = ".tracker-upload.";

export class FsArtifactRepo {
  constructor(readonly root: string) {}

  /** Direct children of `rel`; empty when it is a file or does not exist. Sorted by path. */
  async list(rel: SafePath = "" as SafePath): Promise<FileInfo[]> {
    const dir = await resolveInside(this.root, rel);
    const st = await Deno.stat(dir).catch(() => null);
    if (!st?.isDirectory) return [];
    const realRoot = await realPathAllowMissing(path.resolve(this.root));
    const base = normalizeSafePath(rel);
    const out: FileInfo[] = [];
    for await (const entry of Deno.readDir(dir)) {
      if (entry.name.startsWith(UPLOAD_TEMP_PREFIX)) continue;
      const full = path.join(dir, entry.name);
      // A link is described by what it points to, and only when that stays under the root.
      if (entry.isSymlink) {
        const target = await Deno.realPath(full).catch(() => null);
        if (target === null || !isWithin(realRoot, target)) continue;
      }
      const info = await Deno.stat(full).catch(() => null);
      if (info === null) continue;
      const p = base ? `${base}/${entry.name}` : entry.name;
      out.push(info.isDirectory ? { path: p, isDir: true } : { path: p, isDir: false, fileSize: info.size });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Streams `body` into the file `rel` (parents created, existing file replaced). */
  async write(rel: SafePath, body: ReadableStream<Uint8Array> | null): Promise<void> {
    const { dir, name } = await this.#leaf(rel);
    if (name.startsWith(UPLOAD_TEMP_PREFIX)) {
      throw invalidParam(
        `Invalid artifact file name: '${name}'. Names starting with '${UPLOAD_TEMP_PREFIX}' are reserved.`,
      );
    }
    try {
      await Deno.mkdir(dir, { recursive: true });
    } catch (e) {
      throw fsError(e, rel);
    }
    // Re-check after creating: a link planted meanwhile must not redirect the write.
    await assertInside(this.root, dir);
    const tmp = path.join(dir, `${UPLOAD_TEMP_PREFIX}${crypto.randomUUID()}`);
    const file = await Deno.open(tmp, { write: true, createNew: true });
    try {
      if (body) await body.pipeTo(file.writable);
      else file.close();
      await Deno.rename(tmp, path.join(dir, name));
    } catch (e) {
      try {
        file.close();
      } catch { /* already closed by the stream */ }
      await Deno.remove(tmp).catch(() => {});
      throw fsError(e, rel);
    }
  }

  /** Opens the file `rel` for streaming out. Missing → 404, directory or special file → 400. */
  async open(rel: SafePath): Promise<OpenedArtifact> {
    const real = await resolveInside(this.root, rel);
    const st = await Deno.stat(real).catch((e) => {
      throw fsError(e, rel);
    });
    if (st.isDirectory) throw invalidParam(`Artifact path refers to a directory, not a file: '${rel}'`);
    // FIFOs and devices would block or never end; only regular files are artifacts.
    if (!st.isFile) throw invalidParam(`Artifact path is not a regular file: '${rel}'`);
    const file = await Deno.open(real, { read: true }).catch((e) => {
      throw fsError(e, rel);
    });
    return { file, size: st.size, mtime: st.mtime };
  }

  /** Deletes the file or directory `rel` (recursively); missing is not an error. The root itself is kept. */
  async delete(rel: SafePath): Promise<void> {
    const { dir, name } = await this.#leaf(rel);
    const target = path.join(dir, name);
    // lstat: a link is removed itself, never the thing it points to.
    const st = await Deno.lstat(target).catch(() => null);
    if (st === null) return;
    try {
      await Deno.remove(target, { recursive: st.isDirectory });
    } catch (e) {
      throw fsError(e, rel);
    }
  }

  /** Real parent directory and leaf name of `rel`; the leaf itself is not followed. */
  async #leaf(rel: SafePath): Promise<{ dir: string; name: string }> {
    const norm = normalizeSafePath(rel);
    if (norm === "") throw invalidParam("Invalid path");
    const slash = norm.lastIndexOf("/");
    const dir = await resolveInside(this.root, (slash < 0 ? "" : norm.slice(0, slash)) as SafePath);
    return { dir, name: norm.slice(slash + 1) };
  }
}

/** Filesystem failures caused by the request become 4xx; anything else stays an internal error. */
function fsError(e: unknown, rel: string): unknown {
  if (e instanceof MlflowError) return e;
  if (e instanceof Deno.errors.NotFound) return notFound(`No such artifact: '${rel}'`);
  if (
    e instanceof Deno.errors.AlreadyExists || e instanceof Deno.errors.NotADirectory ||
    e instanceof Deno.errors.IsADirectory
  ) {
    return invalidParam(`Cannot write artifact '${rel}': a file or directory is in the way`);
  }
  return e;
}
