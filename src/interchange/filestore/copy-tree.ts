// Copies an artifact tree file by file. A file already at the destination with the same size is taken as
// copied, so a re-run after an interruption (or a re-import) only copies what is missing. Symlinks are not
// followed: an artifact folder must not pull in files from elsewhere on the machine.

import * as path from "node:path";

export interface CopyStats {
  files: number;
  bytes: number;
  skipped: number;
}

/** Copies `src` into `dest` (created as needed); returns what was copied. Missing `src` copies nothing. */
export async function copyTree(src: string, dest: string, warn: (m: string) => void): Promise<CopyStats> {
  const stats: CopyStats = { files: 0, bytes: 0, skipped: 0 };
  const st = await Deno.lstat(src).catch(() => null);
  if (!st?.isDirectory) return stats;
  await walk(src, dest, stats, warn);
  return stats;
}

async function walk(src: string, dest: string, stats: CopyStats, warn: (m: string) => void) {
  await Deno.mkdir(dest, { recursive: true });
  for await (const e of Deno.readDir(src)) {
    const from = path.join(src, e.name);
    const to = path.join(dest, e.name);
    if (e.isSymlink) {
      warn(`artifact ${from} is a symlink; not copied`);
      continue;
    }
    if (e.isDirectory) {
      await walk(from, to, stats, warn);
      continue;
    }
    if (!e.isFile) continue;
    const [a, b] = await Promise.all([Deno.stat(from), Deno.stat(to).catch(() => null)]);
    if (b?.isFile && b.size === a.size) {
      stats.skipped++;
      continue;
    }
    // Copy to a temp name and rename, so an interrupted copy never looks complete to the size check.
    const tmp = `${to}.tracker-copy-${crypto.randomUUID().slice(0, 8)}`;
    await Deno.copyFile(from, tmp);
    await Deno.rename(tmp, to);
    stats.files++;
    stats.bytes += a.size;
  }
}

/** Removes `dir` and everything under it; a missing folder is fine. */
export async function removeTree(dir: string): Promise<boolean> {
  try {
    await Deno.remove(dir, { recursive: true });
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}
