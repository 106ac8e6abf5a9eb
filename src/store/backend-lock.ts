// The lock file of a backend folder (`<dir>/tracker.lock`). Whoever holds its OS lock owns the folder's
// KV store. A tracker server writes `{"pid": N, "url": "http://..."}` into it once it listens, so that
// local-mode clients can talk to it instead; a local-mode client writes `{"pid": N, "owner": "local"}`.
// The OS lock is the truth: content left behind by a dead process means nothing while nobody holds it.

import { join } from "node:path";
import { z } from "zod";

export const LOCK_FILE = "tracker.lock";

const lockInfo = z.object({
  pid: z.number().optional(),
  url: z.string().optional(),
  owner: z.string().optional(),
});
export type LockInfo = z.infer<typeof lockInfo>;

export function lockPath(dir: string): string {
  return join(dir, LOCK_FILE);
}

/**
 * Takes the folder's lock; undefined when another process (or another handle) holds it. One process per
 * folder: the KV store caches its data in memory and Deno KV allows one writer. The OS drops the lock
 * when the process ends, however it ends; what a previous holder wrote is cleared.
 */
export function tryLock(dir: string): Deno.FsFile | undefined {
  const file = Deno.openSync(lockPath(dir), { read: true, write: true, create: true });
  if (file.tryLockSync(true)) {
    file.truncateSync(0);
    return file;
  }
  file.close();
  return undefined;
}

/** Records who holds the lock: a server's address, or a local-mode client (for people and messages). */
export function writeLockInfo(file: Deno.FsFile, info: LockInfo): void {
  file.truncateSync(0);
  file.seekSync(0, Deno.SeekMode.Start);
  file.writeSync(new TextEncoder().encode(JSON.stringify({ pid: Deno.pid, ...info }) + "\n"));
}

/** Records this process as the local-mode owner. */
export function writeOwner(file: Deno.FsFile): void {
  writeLockInfo(file, { owner: "local" });
}

/** What the holder wrote; {} when the file is empty or unreadable. */
export function readLockInfo(dir: string): LockInfo {
  try {
    const parsed = lockInfo.safeParse(JSON.parse(Deno.readTextFileSync(lockPath(dir))));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}
