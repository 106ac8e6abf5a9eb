// Keys of metrics, params and tags are file names under `metrics/`, `params/`, `tags/`; a key containing
// `/` is a nested file (`metrics/train/loss`). Reading walks the tree and rejoins the parts with `/`.

import * as path from "node:path";

/** Relative `/`-joined paths of every file under `dir`, sorted; empty when `dir` does not exist. */
export async function listKeyFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(abs: string, rel: string) {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(abs));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.NotADirectory) return;
      throw e;
    }
    for (const entry of entries) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory) await walk(path.join(abs, entry.name), childRel);
      else if (entry.isFile) out.push(childRel);
      // Symlinks are skipped: a key file is never one, and following one could leave the store.
    }
  }
  await walk(dir, "");
  return out.sort();
}

/** Why `key` cannot be a file path under a key folder, or null when it can. */
export function keyPathProblem(key: string): string | null {
  if (key === "") return "empty key";
  if (key.includes("\0")) return "NUL character in key";
  if (key.includes("\\")) return "backslash in key";
  const parts = key.split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) return "empty, '.' or '..' path segment";
  return null;
}

/** Absolute file path of `key` under `dir`; throws when the key cannot be written as a path. */
export function keyFilePath(dir: string, key: string): string {
  const problem = keyPathProblem(key);
  if (problem) throw new Error(`cannot write key '${key}' as a file: ${problem}`);
  return path.join(dir, ...key.split("/"));
}
